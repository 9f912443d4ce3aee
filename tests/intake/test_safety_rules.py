"""The safety status follows the client across visits (clinical rules §2.1-2.3)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    ScreeningAnswers,
    TriageOutcome,
    screening_evaluate,
)
from intake.rules.safety import (
    ClearanceEvent,
    SafetyStatus,
    ScreeningEvent,
    safety_evaluate,
)

CLEAR = ScreeningEvent(answers=ScreeningAnswers(), age=40)
CLEARANCE = ClearanceEvent()


def screened(**answers) -> ScreeningEvent:
    return ScreeningEvent(answers=ScreeningAnswers(**answers), age=40)


def test_a_client_never_screened_is_not_screened_not_refused():
    safety = safety_evaluate([])
    assert safety.status == SafetyStatus.NOT_SCREENED
    assert safety.triage is None
    assert not safety.screened


def test_a_clearance_alone_does_not_make_a_client_screened():
    assert safety_evaluate([CLEARANCE]).status == SafetyStatus.NOT_SCREENED


def test_saddle_numbness_and_a_bladder_change_then_a_clean_check_in_stays_an_emergency():
    history = [screened(saddle_anaesthesia=True, bladder_bowel_change=True), CLEAR]
    safety = safety_evaluate(history)
    assert safety.status == SafetyStatus.EMERGENCY
    assert safety.forbids_treatment
    assert safety.triage.outcome == TriageOutcome.REFER_NOW
    assert safety.triage.emergency
    assert set(safety.open_red_flags) == {"saddle_anaesthesia", "bladder_bowel_change"}


def test_night_pain_stays_until_a_clearance_then_a_clean_screening_treats():
    assert safety_evaluate([screened(night_pain=True), CLEAR]).status == SafetyStatus.REFER_NOW
    cleared = safety_evaluate([screened(night_pain=True), CLEAR, CLEARANCE])
    assert cleared.status == SafetyStatus.TREAT
    assert cleared.open_red_flags == ()


def test_a_flag_raised_after_a_clearance_is_open_again():
    history = [screened(night_pain=True), CLEARANCE, screened(progressive_weakness=True)]
    safety = safety_evaluate(history)
    assert safety.status == SafetyStatus.EMERGENCY
    assert safety.open_red_flags == ("progressive_weakness",)


@pytest.mark.parametrize("question", ABSOLUTE_CONTRAINDICATION_QUESTIONS, ids=lambda q: q.name)
def test_an_absolute_contraindication_is_lowered_by_a_new_screening_that_records_it_resolved(
    question,
):
    raised = safety_evaluate([screened(**{question.name: True})])
    assert raised.forbids_treatment
    assert safety_evaluate([screened(**{question.name: True}), CLEAR]).status == SafetyStatus.TREAT


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS, ids=lambda q: q.name)
def test_every_red_flag_survives_any_number_of_clean_screenings(question):
    history = [screened(**{question.name: True}), CLEAR, CLEAR, CLEAR]
    assert safety_evaluate(history).status in (SafetyStatus.REFER_NOW, SafetyStatus.EMERGENCY)


def test_relative_contraindications_come_from_the_latest_screening():
    safety = safety_evaluate([CLEAR, screened(osteoporosis=True)])
    assert safety.status == SafetyStatus.TREAT_WITH_MODIFICATIONS
    assert (
        safety.triage.restrictions
        == screening_evaluate(ScreeningAnswers(osteoporosis=True), age=40).restrictions
    )


# Any screening answers, and histories of screenings and clearances.
answers_st = st.builds(
    ScreeningAnswers,
    **{q.name: st.booleans() for q in RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS},
    osteoporosis=st.booleans(),
    athlete=st.booleans(),
)
event_st = st.one_of(
    st.builds(ScreeningEvent, answers=answers_st, age=st.integers(18, 95)),
    st.just(CLEARANCE),
)


@given(history=st.lists(event_st, max_size=12))
def test_a_red_flag_never_disappears_without_a_clearance(history):
    """Every flag raised since the last clearance is open, whatever came after it."""
    since_clearance = []
    for event in history:
        since_clearance = [] if isinstance(event, ClearanceEvent) else [*since_clearance, event]
    raised = {
        q.name for e in since_clearance for q in RED_FLAG_QUESTIONS if getattr(e.answers, q.name)
    }
    safety = safety_evaluate(history)
    assert set(safety.open_red_flags) == raised
    if raised:
        assert safety.forbids_treatment
        assert safety.triage.outcome == TriageOutcome.REFER_NOW


@given(history=st.lists(event_st, max_size=12), extra=answers_st)
def test_a_later_screening_never_lowers_an_open_red_flag(history, extra):
    before = safety_evaluate(history)
    after = safety_evaluate([*history, ScreeningEvent(answers=extra, age=40)])
    assert set(before.open_red_flags) <= set(after.open_red_flags)


@given(answers=answers_st, age=st.integers(18, 95))
def test_one_screening_gives_the_screening_s_own_triage(answers, age):
    triage = screening_evaluate(answers, age=age)
    safety = safety_evaluate([ScreeningEvent(answers=answers, age=age)])
    assert safety.triage.outcome == triage.outcome
    assert safety.triage.emergency == triage.emergency
    assert safety.forbids_treatment == triage.blocks_treatment


def test_a_clearance_lowers_the_latest_screening_s_red_flags_and_keeps_the_rest():
    history = [screened(night_pain=True, osteoporosis=True), CLEARANCE]
    safety = safety_evaluate(history)
    assert safety.status == SafetyStatus.TREAT_WITH_MODIFICATIONS
    assert safety.open_red_flags == ()


def test_a_clearance_does_not_lower_an_absolute_contraindication():
    history = [screened(infection_or_wound=True, night_pain=True), CLEARANCE]
    assert safety_evaluate(history).status == SafetyStatus.DO_NOT_TREAT


def test_events_are_taken_by_date_then_by_recording_time_whatever_their_order():
    flag = ScreeningEvent(
        answers=ScreeningAnswers(night_pain=True),
        age=40,
        on=date(2026, 3, 2),
        recorded_at=datetime(2026, 3, 2, 9),
    )
    clearance_before = ClearanceEvent(on=date(2026, 3, 1), recorded_at=datetime(2026, 3, 5))
    clearance_after = ClearanceEvent(on=date(2026, 3, 2), recorded_at=datetime(2026, 3, 2, 10))
    assert safety_evaluate([flag, clearance_before]).status == SafetyStatus.REFER_NOW
    assert safety_evaluate([clearance_after, flag]).status == SafetyStatus.TREAT


@given(history=st.lists(event_st, max_size=12))
def test_right_after_a_clearance_no_red_flag_is_open(history):
    safety = safety_evaluate([*history, CLEARANCE])
    assert safety.open_red_flags == ()
    if safety.screened:
        assert safety.status != SafetyStatus.REFER_NOW
