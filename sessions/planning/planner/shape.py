"""The session shape (clinical rules §5): which lengths can be booked, and how the minutes
split into the assessment, warm-up, targeted and integration blocks.
"""

from __future__ import annotations

import math

from core.vocabulary import SessionPhase, SessionTemplateData

SESSION_STEP_MINUTES = 5
# A first visit spends "the first 15-20 minutes" on assessment: the template
# names the lower figure, the block may run up to a third longer.
ASSESSMENT_LONGEST_RATIO = 4 / 3


def session_length_bookable(*, template: SessionTemplateData, minutes: int) -> bool:
    """Sessions run 30 to 90 minutes (the template's range) in 5-minute steps."""
    return (
        template.min_session_minutes <= minutes <= template.max_session_minutes
        and minutes % SESSION_STEP_MINUTES == 0
    )


def assessment_minutes_range(*, template: SessionTemplateData, minutes: int) -> tuple[int, int]:
    """The assessment block's allowed minutes at this length (15-20 of 60, scaled).

    It is not a technique, so it has its own rule: from the template's figure to a third
    more, both scaled to the session length, never under one minute.
    """
    scale = minutes / template.reference_minutes
    lo = max(1, math.floor(template.assessment_minutes * scale))
    hi = max(lo, math.ceil(template.assessment_minutes * ASSESSMENT_LONGEST_RATIO * scale))
    return lo, hi


def phase_budgets(
    *, template: SessionTemplateData, minutes: int, first_visit: bool
) -> dict[SessionPhase, int]:
    """Target minutes per block, adding up to `minutes` (clinical rules §5).

    A first visit takes the template's assessment minutes scaled to the length (15 of 60);
    the rest is split in the reference proportions (warm-up 10 : targeted 20 :
    integration 15) by largest remainders, with the warm-up never under its minimum.
    """
    assessment = 0
    if first_visit:
        assessment = _round_half_up(
            template.assessment_minutes * minutes / template.reference_minutes
        )
        lo, hi = assessment_minutes_range(template=template, minutes=minutes)
        assessment = min(max(assessment, lo), hi, minutes)
    treatment = minutes - assessment
    weights = dict(template.phase_minutes)
    phases = (SessionPhase.WARM_UP, SessionPhase.TARGETED, SessionPhase.INTEGRATION)
    shares = [max(0, weights.get(phase, 0)) for phase in phases]
    if not sum(shares):
        shares = [1, 2, 1]
    exact = [treatment * share / sum(shares) for share in shares]
    split = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(phases)), key=lambda i: (split[i] - exact[i], i))
    for i in by_remainder[: treatment - sum(split)]:
        split[i] += 1
    floor = min(template.min_warm_up_minutes, treatment)
    while split[0] < floor:
        donor = max((1, 2), key=lambda i: (split[i], -i))
        if split[donor] == 0:
            break
        split[donor] -= 1
        split[0] += 1
    budgets = dict(zip(phases, split, strict=True))
    if first_visit:
        budgets = {SessionPhase.ASSESSMENT: assessment, **budgets}
    return budgets


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)
