"""`{% intake_alerts_for user as alerts %}`: the intake forms awaiting review of the clients
`user` may see (their own; the manager's: everyone's), red flags first, for Today."""

from __future__ import annotations

from django import template

from intake.access import clients_visible_to
from intake.models import IntakeSubmission
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
