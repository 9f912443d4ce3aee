"""The intake form's panel on the client chart (intake/chart.py): answers awaiting review,
the links issued and their state, and the button that issues one."""

from __future__ import annotations

from intake.chart import ChartPanel, chart_panel_register
from intake.models import IntakeLink, IntakeSubmission
from intake.portal.forms import IntakeLinkIssueForm

LINKS_SHOWN = 5


def intake_for_chart(*, request, client, state) -> dict:
    """Two queries: the submissions awaiting review, the latest links with who issued them."""
    links = list(IntakeLink.objects.filter(client=client).select_related("issued_by")[:LINKS_SHOWN])
    for link in links:
        link_state = link.state()
        link.state_label = link_state.label
        link.is_active = link_state == IntakeLink.State.ACTIVE
    return {
        "intake_awaiting": list(
            IntakeSubmission.objects.filter(
                client=client, status=IntakeSubmission.Status.AWAITING_REVIEW
            )
        ),
        "intake_links": links,
        "intake_issue_form": IntakeLinkIssueForm(form_token_user=request.user),
    }


def pain_map_for_chart(*, request, client, state) -> dict:
    """No query: the clinical state holds the health history."""
    history = state.health_history
    return {"pain_map_marks": history.pain_map if history else []}


def register() -> None:
    chart_panel_register(
        ChartPanel(
            name="intake.pain_map",
            slot=ChartPanel.Slot.MAIN,
            template_name="intake/_chart_pain_map.html",
            order=1,
            context=pain_map_for_chart,
        )
    )
    chart_panel_register(
        ChartPanel(
            name="intake.portal",
            slot=ChartPanel.Slot.SIDE,
            template_name="portal/_chart_intake.html",
            order=5,
            context=intake_for_chart,
        )
    )
