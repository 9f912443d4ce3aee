"""The course of care: which stage a visit falls in, and which one to suggest for this
client's presentation (clinical rules §6, §6.1)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from core.vocabulary import Stage
from intake.rules import Chronicity, HypothesisKind
from sessions.planning.planner.messages import (
    SUGGEST_ACUTE,
    SUGGEST_CHRONIC,
    SUGGEST_IRRITABLE,
    SUGGEST_MUSCULAR,
    SUGGEST_NO_HISTORY,
    SUGGEST_VISIT,
)

# Clinical rules §6.1: pain now at 7 out of 10 or more is an irritable presentation.
IRRITABLE_PAIN_FROM = 7


@dataclass(frozen=True, kw_only=True)
class Presentation:
    """How the client's problem presents, from the intake (clinical rules §2.4, §3.1):
    acute or chronic by the onset date (None without a pain history), the pain now on the
    0-10 scale, and the working hypothesis."""

    chronicity: Chronicity | None
    pain_now: int | None
    hypothesis_kind: HypothesisKind

    @property
    def irritable(self) -> bool:
        return self.pain_now is not None and self.pain_now >= IRRITABLE_PAIN_FROM


@dataclass(frozen=True, kw_only=True)
class StageSuggestion:
    """The stage the plan form starts on, and why, in words that finish "because ..."."""

    stage: Stage
    because: str


def stage_for_visit(*, visit_number: int, per_week: int) -> Stage:
    """The care stage of the n-th visit of a course (clinical rules §6: four weeks).

    The stages are the course's weeks: at `per_week` visits a week (the stage-1 frequency
    advice: 2 in an acute flare, 1 in a chronic case) visit n falls in week
    ceil(n / per_week); from week 4 on it is strengthening and maintenance.
    """
    week = math.ceil(max(1, visit_number) / max(1, per_week))
    return Stage(min(week, len(Stage)))


def stage_suggest(
    *, visit_number: int, per_week: int, presentation: Presentation
) -> StageSuggestion:
    """The stage to suggest for this visit, and why (clinical rules §6.1 "Where a course
    starts").

    The visit's place in the course decides (`stage_for_visit`), except in the course's
    first week, where the presentation does: firefighting is for an acute or irritable
    presentation (pain now 7/10 or more), and for a client with no pain history yet (the
    rules err toward lighter work); a chronic or purely muscular presentation that is not
    irritable needs no firefighting week and starts at week 2, decompression. No course
    starts later than week 2: intensity rises only gradually.
    """
    by_visit = stage_for_visit(visit_number=visit_number, per_week=per_week)
    visit = SUGGEST_VISIT.format(number=max(1, visit_number), per_week=max(1, per_week))
    if by_visit > Stage.FIREFIGHTING:
        return StageSuggestion(stage=by_visit, because=visit)
    if presentation.chronicity is None:
        return StageSuggestion(stage=Stage.FIREFIGHTING, because=SUGGEST_NO_HISTORY)
    if presentation.irritable:
        return StageSuggestion(
            stage=Stage.FIREFIGHTING, because=SUGGEST_IRRITABLE.format(pain=presentation.pain_now)
        )
    pain = presentation.pain_now
    if presentation.chronicity == Chronicity.CHRONIC:
        return StageSuggestion(stage=Stage.DECOMPRESSION, because=SUGGEST_CHRONIC.format(pain=pain))
    if presentation.hypothesis_kind == HypothesisKind.MUSCULAR_HAMSTRING:
        return StageSuggestion(
            stage=Stage.DECOMPRESSION, because=SUGGEST_MUSCULAR.format(pain=pain)
        )
    return StageSuggestion(stage=Stage.FIREFIGHTING, because=SUGGEST_ACUTE)
