"""The sessions app's panels on the client chart (see intake/chart.py for the mechanism).

Booking: upcoming appointments. Planning: the latest accepted plans. Charting: the PDF and
new-note buttons, the latest session notes, the progress charts. The chart view has checked
access through `client_get_for_user`; these only read the client it hands over.
"""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from intake.chart import ChartPanel, chart_panel_register
from sessions.charting.outcomes import outcomes_for_chart
from sessions.charting.services import client_progress
from sessions.documents.referral import referral_decide
from sessions.models import Appointment
from sessions.planning.selectors import plans_accepted

UPCOMING_SHOWN = 5
PLANS_SHOWN = 5
NOTES_SHOWN = 5


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
    latest = list(plans_accepted(client=client).select_related("therapist")[: PLANS_SHOWN + 1])
    return {"session_plans": latest[:PLANS_SHOWN], "more_plans": len(latest) > PLANS_SHOWN}


def charting_actions_for_chart(*, request, client, state) -> dict:
    """Whether a referral letter is due (no query: the chart's clinical state) and whether
    a plan exists to print home care from (one query)."""
    return {
        "referral": referral_decide(
            triage=state.triage, hypothesis=state.hypothesis, screened=state.screening is not None
        ),
        "has_plan": plans_accepted(client=client).exists(),
    }


def notes_for_chart(*, request, client, state) -> dict:
    """The latest session notes (one query, whatever their number)."""
    latest = list(
        client.session_notes.select_related("therapist")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-visit_date", "-id")[: NOTES_SHOWN + 1]
    )
    return {"recent_notes": latest[:NOTES_SHOWN], "more_notes": len(latest) > NOTES_SHOWN}


def progress_for_chart(*, request, client, state) -> dict:
    """Pain and SLR over time (two queries, whatever their number)."""
    return {"progress": client_progress(client=client)}


def chart_panels_register() -> None:
    chart_panel_register(
        ChartPanel(
            name="sessions.charting.outcomes",
            slot=ChartPanel.Slot.MAIN,
            template_name="sessions/_chart_outcomes.html",
            order=45,
            context=outcomes_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.booking.services",
            slot=ChartPanel.Slot.SIDE,
            template_name="sessions/_chart_appointments.html",
            order=10,
            context=appointments_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.models.plan",
            slot=ChartPanel.Slot.MAIN,
            template_name="sessions/_chart_plans.html",
            order=20,
            context=plans_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.charting_actions",
            slot=ChartPanel.Slot.ACTIONS,
            template_name="sessions/_chart_actions.html",
            order=30,
            context=charting_actions_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.models.note",
            slot=ChartPanel.Slot.MAIN,
            template_name="sessions/_chart_notes.html",
            order=30,
            context=notes_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="sessions.charting.progress",
            slot=ChartPanel.Slot.MAIN,
            template_name="sessions/_progress.html",
            order=40,
            context=progress_for_chart,
        )
    )
