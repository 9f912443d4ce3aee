"""Handing a departing therapist's clients to a colleague: one atomic service.

Every client of the therapist gets the colleague as their therapist (in each client's
history, with the reason), and so does every visit booked from now on (in the visit's
history), each checked against the colleague's calendar: one clash and nothing moves, the
clash named. Each client moved is an entry of the audit trail (a change of their record).
Past visits, plans and notes keep the therapist who gave and wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import AuditEvent
from core.staff import StaffChoiceField, staff_display_name, therapists_active
from intake.models import Client
from sessions.booking.services import appointment_save_without_clash
from sessions.models import Appointment

REASSIGN_REASON = "Handed over from {old} to {new} by {by}"
REASSIGN_SAME = "Choose a colleague: the clients are {name}'s already."
REASSIGN_TARGET_INACTIVE = "{name} is not an active therapist: choose an active colleague."
REASSIGN_NOTHING = "{name} has no clients to hand over."
REASSIGN_CLASHES = "Nothing was handed over: {count} booked visit(s) clash with {name}'s calendar. Move or cancel them first. {clashes}"


@dataclass(frozen=True)
class Handover:
    clients: int
    visits: int


@dataclass(frozen=True)
class RequestTrace:
    """Where the handover was asked from, for the audit trail's entries."""

    path: str
    ip_address: str | None
    url_name: str = "staff_reassign"


def _upcoming_booked(therapist: User):
    return Appointment.objects.filter(
        therapist=therapist, status=Appointment.Status.BOOKED, starts_at__gte=timezone.now()
    )


def handover_preview(therapist: User) -> Handover:
    """How many clients and booked visits a handover from `therapist` would move."""
    return Handover(
        clients=Client.objects.filter(therapist=therapist).count(),
        visits=_upcoming_booked(therapist).count(),
    )


@transaction.atomic
def clients_reassign(
    *, from_therapist: User, to_therapist: User, by: User, trace: RequestTrace
) -> Handover:
    """Give every client of `from_therapist`, and their visits booked from now on, to
    `to_therapist`. All or nothing; safe to repeat (a second run finds nothing to move)."""
    to_therapist = User.objects.select_for_update().get(pk=to_therapist.pk)
    old, new = staff_display_name(from_therapist), staff_display_name(to_therapist)
    if to_therapist.pk == from_therapist.pk:
        raise ValidationError({"colleague": REASSIGN_SAME.format(name=old)})
    if not therapists_active().filter(pk=to_therapist.pk).exists():
        raise ValidationError({"colleague": REASSIGN_TARGET_INACTIVE.format(name=new)})
    clients = list(Client.objects.select_for_update().filter(therapist=from_therapist))
    if not clients:
        raise ValidationError(REASSIGN_NOTHING.format(name=old))
    reason = REASSIGN_REASON.format(old=old, new=new, by=staff_display_name(by))
    for client in clients:
        client.therapist = to_therapist
        client._change_reason = reason
        client.save()
    clashes, visits = [], 0
    for appointment in _upcoming_booked(from_therapist).select_for_update().order_by("starts_at"):
        appointment.therapist = to_therapist
        appointment._change_reason = reason
        try:
            appointment_save_without_clash(appointment, update_fields=["therapist", "updated_at"])
        except ValidationError as error:
            clashes.extend(error.messages)
        visits += 1
    if clashes:
        raise ValidationError(
            REASSIGN_CLASHES.format(count=len(clashes), name=new, clashes=" ".join(clashes))
        )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=by,
            action=AuditEvent.Action.CHANGE,
            client_id=client.pk,
            object_type="intake.client",
            object_id=client.pk,
            url_name=trace.url_name,
            path=trace.path[:500],
            method="POST",
            status=302,
            ip_address=trace.ip_address,
        )
        for client in clients
    )
    return Handover(clients=len(clients), visits=visits)


class HandoverForm(forms.Form):
    colleague = StaffChoiceField(
        queryset=User.objects.none(),
        label="Hand the clients over to",
        empty_label="Choose a therapist",
    )

    def __init__(self, *args, departing: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = therapists_active().exclude(pk=departing.pk)
