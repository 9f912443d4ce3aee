"""Who may see which client, and who may write their clinical record: the one place both
rules live, for every client-scoped view.

Reading: the owning therapist and the clinic manager see a client; anyone else gets a 404
(not 403: a colleague must not learn that the record exists).

Writing (README "Roles"): the clinical record (intake history, screenings, assessments,
session plans, session notes, the check-in re-screen, completing a visit) is written by the
client's own therapist alone. The manager reads all of it and gets a 403 that says why; the
manager's writes are the front desk's (a client's identity and contact details, booking,
moving, cancelling, no-shows).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from core.roles import user_is_manager
from core.staff import staff_display_name
from intake.models import Client

CLINICAL_WRITE_REFUSED = (
    "Only {therapist}, this client's therapist, records clinical information for them "
    "(intake history, screening, tests, session plans, session notes, check-in and completing "
    "a visit). As clinic manager you can read the whole record, book, move and cancel visits, "
    "and update the client's contact details."
)


def client_visible_filter(user, *, via: str = "") -> Q:
    """The reading rule as a filter: on clients (`via=""`), or on records that belong to a
    client through `via` (`"client__"`), so their lists follow the same rule."""
    if user_is_manager(user):
        return Q()
    return Q(**{f"{via}therapist": user})


def clients_visible_to(user) -> QuerySet[Client]:
    return Client.objects.filter(client_visible_filter(user))


def client_get_for_user(user, client_id: int) -> Client:
    """The client if `user` may see it, else Http404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(clients_visible_to(user).select_related("therapist"), pk=client_id)


def clinical_write_allowed(user, client: Client) -> bool:
    """True when `user` is `client`'s own therapist: the only one who writes their clinical
    record. A manager who is also the client's therapist writes as their therapist."""
    return user.is_authenticated and client.therapist_id == user.pk


def clinical_write_check(user, client: Client) -> None:
    """PermissionDenied (the 403 page shows the reason) unless `user` may write `client`'s
    clinical record. Call it after fetching the client, so a colleague still gets the 404."""
    if not clinical_write_allowed(user, client):
        raise PermissionDenied(
            CLINICAL_WRITE_REFUSED.format(therapist=staff_display_name(client.therapist))
        )


def client_get_for_clinical_write(user, client_id: int) -> Client:
    """The client if `user` writes their clinical record; 404 for anyone who may not see
    the client, 403 for the manager."""
    client = client_get_for_user(user, client_id)
    clinical_write_check(user, client)
    return client
