"""The course of care: which stage a visit falls in."""

from __future__ import annotations

import math

from core.vocabulary import Stage


def stage_for_visit(*, visit_number: int, per_week: int) -> Stage:
    """The care stage of the n-th visit of a course (clinical rules §6: four weeks).

    The stages are the course's weeks: at `per_week` visits a week (the stage-1 frequency
    advice: 2 in an acute flare, 1 in a chronic case) visit n falls in week
    ceil(n / per_week); from week 4 on it is strengthening and maintenance.
    """
    week = math.ceil(max(1, visit_number) / max(1, per_week))
    return Stage(min(week, len(Stage)))
