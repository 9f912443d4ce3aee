"""The planner on intake's real screening and hypothesis results (clinical rules §2 and §3.1)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.vocabulary import Position, Stage
from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
    ScreeningAnswers,
    screening_evaluate,
)
from sessions.planning.planner import Plan, Refusal, RefusalKind, plan_build
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.invariants import violations
from tests.sessions.planning.planner.library import LIBRARY

RELATIVE = [q.name for q in RELATIVE_CONTRAINDICATION_QUESTIONS]
assert {f.name for f in fields(ScreeningAnswers)} >= set(RELATIVE)


def build(triage, *, stage=Stage.MOBILITY, minutes=60, first_visit=False):
    return plan_build(
        triage=triage,
        hypothesis=cases.SARAH_TESTS,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=LIBRARY,
    )


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS, ids=lambda q: q.name)
def test_each_red_flag_answer_refers_now_with_intakes_reason(question):
    triage = screening_evaluate(ScreeningAnswers(**{question.name: True}), age=42)
    refusal = build(triage)
    assert refusal.kind == RefusalKind.REFER_NOW
    assert refusal.reasons == (question.reason,)
    assert refusal.referral


@pytest.mark.parametrize("question", ABSOLUTE_CONTRAINDICATION_QUESTIONS, ids=lambda q: q.name)
def test_each_absolute_contraindication_answer_blocks_the_plan(question):
    refusal = build(screening_evaluate(ScreeningAnswers(**{question.name: True}), age=42))
    assert isinstance(refusal, Refusal)
    assert refusal.kind in (RefusalKind.DO_NOT_TREAT, RefusalKind.REFER_NOW)
    assert refusal.reasons == (question.reason,)


def test_sarahs_tests_give_deep_rotator_work():
    plan = build(screening_evaluate(ScreeningAnswers(), age=42))
    assert {"frog-leg-position", "gluteus-medius-minimus-stripping"} <= {
        i.technique_slug for i in plan.items
    }


def test_pregnancy_at_24_weeks_shows_intakes_notes_on_the_plan():
    triage = screening_evaluate(ScreeningAnswers(pregnant=True, pregnancy_weeks=24), age=33)
    plan = build(triage)
    assert not {i.position for i in plan.items} & {Position.PRONE, Position.PRONE_FROG}
    assert "Side-lying only, no prone work" in [n.text for n in plan.notes]
    assert "pregnancy, 24 weeks" in [n.condition for n in plan.notes]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sets(st.sampled_from(RELATIVE), max_size=3),
    st.integers(18, 90),
    st.sampled_from(list(Stage)),
    st.integers(6, 18).map(lambda n: n * 5),
    st.booleans(),
)
def test_any_three_relative_contraindications_give_a_valid_plan_from_the_full_library(
    answers, age, stage, minutes, first_visit
):
    screening = ScreeningAnswers(
        **{name: True for name in answers}, pregnancy_weeks=24 if "pregnant" in answers else None
    )
    triage = screening_evaluate(screening, age=age)
    result = build(triage, stage=stage, minutes=minutes, first_visit=first_visit)
    limit = triage.restrictions.max_session_minutes
    if limit is not None and minutes > limit:
        assert result.kind == RefusalKind.SESSION_LENGTH
        return
    assert isinstance(result, Plan), result
    assert violations(result, triage=triage, hypothesis=cases.SARAH_TESTS, library=LIBRARY) == []
