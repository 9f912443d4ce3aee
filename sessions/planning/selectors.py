"""Reads of accepted session plans, each query written once.

Newest first means by `accepted_at`, then by id: two plans accepted in the same instant
(a fixture, a fast double submit) still come in one fixed order.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from intake.models import Client
from sessions.booking.services import appointment_day_bounds
from sessions.models import Appointment
from sessions.models.plan import SessionPlan


def plans_accepted(*, client: Client) -> QuerySet[SessionPlan]:
    """The client's accepted plans, newest first."""
    return SessionPlan.objects.filter(client=client).order_by("-accepted_at", "-id")


def plan_latest_accepted(
    *, client: Client, appointment: Appointment | None = None
) -> SessionPlan | None:
    """The client's latest accepted plan (with `appointment`: the latest accepted for that
    visit), or None."""
    plans = plans_accepted(client=client)
    if appointment is not None:
        plans = plans.filter(appointment=appointment)
    return plans.first()


def appointment_to_plan_today(*, client: Client) -> Appointment | None:
    """The client's visit today still to be treated (booked or checked in), the earliest;
    what "Plan a session" plans for when it is not told which visit (the guided first
    visit, the chart)."""
    start, end = appointment_day_bounds(timezone.localdate())
    return (
        Appointment.objects.filter(
            client=client,
            starts_at__gte=start,
            starts_at__lt=end,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
        )
        .order_by("starts_at", "id")
        .first()
    )
