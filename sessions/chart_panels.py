"""The sessions app's panels on the client chart (see intake/chart.py for the mechanism)."""

from __future__ import annotations

from django.utils import timezone

from intake.chart import ChartPanel, chart_panel_register
from sessions.models import Appointment

UPCOMING_SHOWN = 5
PLANS_SHOWN = 5


def appointments_for_chart(*, request, client, state) -> dict:
    """The client's next visits, soonest first (one query, whatever the client's history)."""
    upcoming = (
        Appointment.objects.filter(
            client=client,
            ends_at__gte=timezone.now(),
            status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN],
        )
        .select_related("therapist")
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    return {"upcoming_appointments": list(upcoming)}


def plans_for_chart(*, request, client, state) -> dict:
    """The latest accepted session plans (one query, whatever their number)."""
    latest = list(
        client.session_plans.select_related("therapist").order_by("-accepted_at", "-id")[
            : PLANS_SHOWN + 1
        ]
    )
    return {"session_plans": latest[:PLANS_SHOWN], "more_plans": len(latest) > PLANS_SHOWN}


def chart_panels_register() -> None:
    chart_panel_register(
        ChartPanel(
            name="sessions.booking",
            slot=ChartPanel.Slot.SIDE,
            template_name="sessions/_chart_appointments.html",
            order=10,
            context=appointments_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.plans",
            slot=ChartPanel.Slot.MAIN,
            template_name="sessions/_chart_plans.html",
            order=20,
            context=plans_for_chart,
        )
    )
