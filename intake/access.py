"""Who may see which client: the one helper every client-scoped view fetches through.

The owning therapist and the clinic manager see a client; anyone else gets a 404 (not
403: a colleague must not learn that the record exists).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from intake.models import Client
from sciatica_clinic.roles import user_is_manager


def clients_visible_to(user) -> QuerySet[Client]:
    if user_is_manager(user):
        return Client.objects.all()
    return Client.objects.filter(therapist=user)


def client_get_for_user(user, client_id: int) -> Client:
    """The client if `user` may see it, else Http404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(clients_visible_to(user).select_related("therapist"), pk=client_id)
