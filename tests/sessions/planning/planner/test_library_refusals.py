"""When the library (or the booking) cannot give a valid plan: a clear refusal, never an error."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.vocabulary import LibraryPhase, Stage
from sessions.planning.planner import (
    REFUSAL_CANNOT_ARRANGE,
    REFUSAL_LENGTH_NOT_BOOKABLE,
    REFUSAL_NEXT_STEP_LIBRARY,
    REFUSAL_NO_STAGE,
    REFUSAL_NO_WARM_UP,
    REFUSAL_TOO_FEW_MINUTES,
    Refusal,
    RefusalKind,
    plan_build,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY, TECHNIQUES


def build(library, *, minutes=60, stage=Stage.MOBILITY, triage=None):
    return plan_build(
        triage=triage or cases.treat(),
        hypothesis=cases.SARAH,
        stage=stage,
        minutes=minutes,
        first_visit=False,
        library=library,
    )


def test_an_empty_library_cannot_warm_up():
    refusal = build(replace(LIBRARY, techniques=()))
    assert refusal == Refusal(
        kind=RefusalKind.LIBRARY_CANNOT_FILL,
        reasons=(REFUSAL_NO_WARM_UP,),
        next_step=REFUSAL_NEXT_STEP_LIBRARY,
    )


def test_a_library_of_warm_ups_alone_says_how_many_minutes_it_can_fill():
    warm_ups = tuple(
        t for t in TECHNIQUES if t.phase == LibraryPhase.WARM_UP and t.position == "prone"
    )
    refusal = build(replace(LIBRARY, techniques=warm_ups))
    assert refusal.kind == RefusalKind.LIBRARY_CANNOT_FILL
    capacity = sum(t.max_minutes for t in warm_ups)
    assert refusal.reasons == (REFUSAL_TOO_FEW_MINUTES.format(capacity=capacity, minutes=60),)


def test_a_library_whose_techniques_cannot_be_arranged_says_so():
    effleurage = next(t for t in TECHNIQUES if t.slug == "gentle-effleurage")
    long_block = replace(
        effleurage,
        slug="long-heat",
        name="Long heat",
        min_minutes=59,
        max_minutes=59,
        default_minutes=59,
    )
    refusal = build(replace(LIBRARY, techniques=(effleurage, long_block)))
    assert refusal.reasons == (REFUSAL_CANNOT_ARRANGE.format(minutes=60),)


def test_a_library_without_the_stage_has_no_frequency_advice_to_give():
    library = replace(LIBRARY, stages=tuple(s for s in LIBRARY.stages if s.stage != Stage.MOBILITY))
    refusal = build(library)
    assert refusal.reasons == (REFUSAL_NO_STAGE.format(stage=Stage.MOBILITY.label),)


@pytest.mark.parametrize("minutes", [0, 25, 62, 95, 240])
def test_an_unbookable_length_is_refused_with_the_allowed_range(minutes):
    refusal = build(LIBRARY, minutes=minutes)
    assert refusal.kind == RefusalKind.SESSION_LENGTH
    assert refusal.reasons == (
        REFUSAL_LENGTH_NOT_BOOKABLE.format(minutes=minutes, shortest=30, longest=90, step=5),
    )


def test_screening_refusals_come_before_any_length_check():
    refusal = build(LIBRARY, minutes=25, triage=cases.refer_now("night_pain"))
    assert refusal.kind == RefusalKind.REFER_NOW
