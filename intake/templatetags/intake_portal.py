"""`{% intake_alerts_for user as alerts %}`: the intake forms awaiting review of the clients
`user` may see (their own; the manager's: everyone's), red flags first, for Today."""

from __future__ import annotations

from django import template

from intake.access import clients_visible_to
from intake.models import IntakeSubmission
from intake.portal.forms import IntakeLinkIssueForm
from intake.rules import RED_FLAG_QUESTIONS

register = template.Library()

_REASON = {q.name: q.reason for q in RED_FLAG_QUESTIONS}


@register.simple_tag
def intake_alerts_for(user) -> list[IntakeSubmission]:
    """One query, however many forms."""
    if not user.is_authenticated:
        return []
    submissions = list(
        IntakeSubmission.objects.filter(
            client__in=clients_visible_to(user),
            status=IntakeSubmission.Status.AWAITING_REVIEW,
        )
        .select_related("client")
        .order_by("-submitted_at")
    )
    for s in submissions:
        s.red_flag_words = [_REASON[name] for name in s.red_flags if name in _REASON]
    submissions.sort(key=lambda s: not s.red_flags)
    return submissions


@register.inclusion_tag("portal/_issue_link.html", takes_context=True)
def intake_link_button(context, client):
    """The "Send an intake link" form with a fresh single-use token, for the visit page
    after booking (the chart has its own panel)."""
    user = context["request"].user
    return {
        "client": client,
        "intake_issue_form": IntakeLinkIssueForm(form_token_user=user),
        "csrf_token": context.get("csrf_token"),
        "intake_awaiting": IntakeSubmission.objects.filter(
            client=client, status=IntakeSubmission.Status.AWAITING_REVIEW
        ).exists(),
    }
