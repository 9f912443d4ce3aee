"""Who may see which appointment, session note and session plan: intake's client rule
(`intake.access`), applied to the records that belong to a client. One helper per kind;
every sessions view fetches through them.

Reading: the client's own therapist and the clinic manager; anyone else gets a 404, as for
the client itself. Writing the clinical record (`clinical_write=True`): the client's own
therapist alone; the manager gets the 403 of `intake.access.clinical_write_check`. The
client is checked before the record is looked up, so a colleague learns nothing from the
difference between a missing record and someone else's.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from intake.access import client_get_for_user, client_visible_filter, clinical_write_check
from intake.models import Client
from sessions.models import Appointment
from sessions.models.note import SessionNote
from sessions.models.plan import SessionPlan


def appointments_visible_to(user) -> QuerySet[Appointment]:
    """Appointments of the clients `user` may see. Joined to the client and therapist,
    which every page shows."""
    return Appointment.objects.select_related("client", "therapist").filter(
        client_visible_filter(user, via="client__")
    )


def appointment_get_for_user(
    user, *, appointment_id: int, clinical_write: bool = False
) -> Appointment:
    """The appointment if `user` may see its client, else Http404; with `clinical_write`,
    PermissionDenied unless `user` is the client's own therapist (check-in, completing)."""
    if not user.is_authenticated:
        raise Http404
    appointment = get_object_or_404(appointments_visible_to(user), pk=appointment_id)
    if clinical_write:
        clinical_write_check(user, appointment.client)
    return appointment


def note_get_for_user(
    user, *, client_id: int, note_id: int, clinical_write: bool = False
) -> SessionNote:
    """The client's session note if `user` may see the client, else Http404; with
    `clinical_write`, PermissionDenied unless `user` is the client's own therapist."""
    client = client_get_for_user(user, client_id)
    if clinical_write:
        clinical_write_check(user, client)
    note = get_object_or_404(
        SessionNote.objects.select_related(
            "therapist", "signed_by", "appointment", "retest", "plan"
        ),
        client=client,
        pk=note_id,
    )
    note.client = client
    return note


def plan_get_for_user(user, *, client_id: int, plan_id: int) -> SessionPlan:
    """The client's accepted session plan if `user` may see the client, else Http404."""
    client = client_get_for_user(user, client_id)
    session_plan = get_object_or_404(
        SessionPlan.objects.select_related("therapist", "appointment"), client=client, pk=plan_id
    )
    session_plan.client = client
    return session_plan


def appointment_of_client(*, client: Client, appointment_id) -> Appointment | None:
    """One of `client`'s appointments, named by an id from a query string or a form (the
    caller has fetched the client through the access rule); None when the id is missing,
    malformed or another client's."""
    try:
        return Appointment.objects.get(client=client, pk=int(appointment_id))
    except (Appointment.DoesNotExist, TypeError, ValueError):
        return None
