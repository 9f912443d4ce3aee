"""screening_evaluate (clinical rules §2.1-2.3): every red flag, every contraindication, alone and combined."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import Modification, Position, Pressure, Restrictions, Tool, Trait
from intake import rules
from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    RED_FLAG_QUESTIONS,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
    SCREENING_QUESTIONS,
    ScreeningAnswers,
    TriageOutcome,
    screening_evaluate,
)

ADULT = 40
SEVERITY = {
    TriageOutcome.TREAT: 0,
    TriageOutcome.TREAT_WITH_MODIFICATIONS: 1,
    TriageOutcome.DO_NOT_TREAT: 2,
    TriageOutcome.REFER_NOW: 3,
}
CAUDA_EQUINA = ["bladder_bowel_change", "saddle_anaesthesia", "progressive_weakness"]


def only(name: str, **extra) -> ScreeningAnswers:
    return ScreeningAnswers(**{name: True}, **extra)


def test_every_question_is_an_answer_field_and_every_bool_answer_is_asked():
    answer_bools = [n for n in ScreeningAnswers.field_names() if n != "pregnancy_weeks"]
    assert sorted(q.name for q in SCREENING_QUESTIONS) == sorted(answer_bools)


def test_no_yes_answers_in_an_adult_means_treat():
    triage = screening_evaluate(ScreeningAnswers(), age=ADULT)
    assert triage.outcome == TriageOutcome.TREAT
    assert triage.reasons == ()
    assert triage.restrictions == Restrictions()
    assert not triage.blocks_treatment
    assert triage.action == rules.ACTION_TREAT


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS, ids=lambda q: q.name)
def test_each_red_flag_alone_refers_now_and_names_the_answer(question):
    triage = screening_evaluate(only(question.name), age=ADULT)
    assert triage.outcome == TriageOutcome.REFER_NOW
    assert triage.reasons == (question.reason,)
    assert triage.blocks_treatment
    assert triage.restrictions == Restrictions()


@pytest.mark.parametrize("name", CAUDA_EQUINA)
def test_each_cauda_equina_sign_is_an_emergency_department_today(name):
    triage = screening_evaluate(only(name), age=ADULT)
    assert triage.emergency
    assert triage.action == rules.ACTION_EMERGENCY
    assert "emergency department today" in triage.action


def test_unrelenting_night_pain_refers_to_a_physician_without_the_emergency():
    triage = screening_evaluate(only("night_pain"), age=ADULT)
    assert triage.outcome == TriageOutcome.REFER_NOW
    assert not triage.emergency
    assert triage.action == rules.ACTION_REFER


def test_a_suspected_disc_sequestration_is_an_emergency_as_seed_001_says():
    triage = screening_evaluate(only("suspected_sequestration"), age=ADULT)
    assert triage.outcome == TriageOutcome.REFER_NOW
    assert triage.emergency
    assert triage.action == rules.ACTION_EMERGENCY


def test_all_three_cauda_equina_signs_are_named_in_the_question_order():
    answers = ScreeningAnswers(
        progressive_weakness=True, saddle_anaesthesia=True, bladder_bowel_change=True
    )
    triage = screening_evaluate(answers, age=ADULT)
    assert triage.reasons == tuple(q.reason for q in RED_FLAG_QUESTIONS[:3])
    assert triage.emergency


@pytest.mark.parametrize(
    "question",
    [q for q in ABSOLUTE_CONTRAINDICATION_QUESTIONS if q.name != "suspected_cauda_equina"],
    ids=lambda q: q.name,
)
def test_each_absolute_contraindication_alone_means_do_not_treat_today(question):
    triage = screening_evaluate(only(question.name), age=ADULT)
    assert triage.outcome == TriageOutcome.DO_NOT_TREAT
    assert triage.reasons == (question.reason,)
    assert triage.blocks_treatment
    assert not triage.emergency
    assert triage.action == rules.ACTION_DO_NOT_TREAT


def test_a_physicians_suspicion_of_cauda_equina_is_the_same_emergency_as_its_signs():
    triage = screening_evaluate(only("suspected_cauda_equina"), age=ADULT)
    assert triage.outcome == TriageOutcome.REFER_NOW
    assert triage.emergency
    assert triage.reasons == ("Suspected cauda equina syndrome (reported by a physician)",)


def test_a_red_flag_with_an_absolute_contraindication_refers_and_names_both():
    triage = screening_evaluate(
        ScreeningAnswers(night_pain=True, infection_or_wound=True, pregnant=True), age=ADULT
    )
    assert triage.outcome == TriageOutcome.REFER_NOW
    assert triage.reasons == (
        "Unrelenting night pain",
        "Active infection, open wound or burn in the treatment area",
    )


def test_an_absolute_contraindication_outranks_relative_ones():
    triage = screening_evaluate(
        ScreeningAnswers(acute_inflammation=True, osteoporosis=True), age=80
    )
    assert triage.outcome == TriageOutcome.DO_NOT_TREAT
    assert triage.restrictions == Restrictions()


def test_pregnancy_means_side_lying_lighter_pressure_and_a_note_naming_the_weeks():
    triage = screening_evaluate(only("pregnant", pregnancy_weeks=24), age=31)
    r = triage.restrictions
    assert triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert triage.reasons == ("Pregnancy, 24 weeks",)
    assert r.excluded_positions == {Position.PRONE, Position.PRONE_FROG}
    assert r.pressure_cap == Pressure.MODERATE
    assert r.forbidden_tools == {Tool.ELBOW, Tool.KNUCKLES}
    assert r.excluded_traits == {Trait.SUSTAINED_PRESSURE}
    assert Modification("pregnancy, 24 weeks", "Side-lying only, no prone work") in r.notes
    assert Modification("pregnancy, 24 weeks", rules.NOTE_PREGNANCY_PRESSURE) in r.notes
    assert Modification("pregnancy, 24 weeks", rules.NOTE_PREGNANCY_OBSTETRIC) in r.notes
    assert Modification("pregnancy, 24 weeks", rules.NOTE_PREGNANCY_SUPINE) in r.notes


def test_early_pregnancy_has_no_supine_caution_and_unknown_weeks_say_pregnancy():
    early = screening_evaluate(only("pregnant", pregnancy_weeks=12), age=31)
    assert rules.NOTE_PREGNANCY_SUPINE not in [n.text for n in early.restrictions.notes]
    unknown = screening_evaluate(only("pregnant"), age=31)
    assert unknown.reasons == ("Pregnancy",)


def test_pregnancy_weeks_without_a_yes_to_pregnancy_are_ignored():
    triage = screening_evaluate(ScreeningAnswers(pregnancy_weeks=20), age=31)
    assert triage.outcome == TriageOutcome.TREAT


def test_osteoporosis_means_light_pressure_and_no_elbow_or_knuckles():
    r = screening_evaluate(only("osteoporosis"), age=ADULT).restrictions
    assert r.pressure_cap == Pressure.LIGHT
    assert r.forbidden_tools == {Tool.ELBOW, Tool.KNUCKLES}
    assert {Trait.SUSTAINED_PRESSURE, Trait.PERCUSSION} <= r.excluded_traits
    assert [n.text for n in r.notes] == [rules.NOTE_OSTEOPOROSIS]


def test_clotting_or_anticoagulants_mean_no_vigorous_friction_or_sustained_pressure():
    r = screening_evaluate(only("clotting_disorder_or_anticoagulants"), age=ADULT).restrictions
    assert r.pressure_cap == Pressure.MODERATE
    assert r.excluded_traits == {Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}
    assert [n.text for n in r.notes] == [rules.NOTE_CLOTTING]


def test_muscle_relaxants_cap_pressure_with_an_awareness_note():
    r = screening_evaluate(only("muscle_relaxants"), age=ADULT).restrictions
    assert r.pressure_cap == Pressure.MODERATE
    assert r.notes == (Modification("muscle relaxants", rules.NOTE_MUSCLE_RELAXANTS),)


def test_diabetes_or_neuropathy_cap_pressure_with_a_skin_check_note():
    r = screening_evaluate(only("diabetes_or_neuropathy"), age=ADULT).restrictions
    assert r.pressure_cap == Pressure.MODERATE
    assert "check the skin" in r.notes[0].text


def test_previous_back_surgery_excludes_direct_lumbar_work_with_a_positioning_note():
    r = screening_evaluate(only("previous_back_surgery"), age=ADULT).restrictions
    assert r.excluded_traits == {Trait.LUMBAR_DIRECT}
    assert r.pressure_cap == Pressure.DEEP
    assert "positioning" in r.notes[0].text


def test_high_blood_pressure_limits_all_prone_minutes_together_and_asks_for_clearance():
    r = screening_evaluate(only("high_blood_pressure"), age=ADULT).restrictions
    assert r.max_prone_minutes == 20
    # One limit on all face-down time, not 20 minutes for each prone position.
    assert r.minute_limits() == ((frozenset({Position.PRONE, Position.PRONE_FROG}), 20),)
    assert "clearance" in r.notes[0].text
    assert "20 minutes face-down in all" in r.notes[0].text


def test_an_athlete_gets_only_a_note():
    triage = screening_evaluate(only("athlete"), age=25)
    assert triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert replace(triage.restrictions, notes=()) == Restrictions()
    assert triage.restrictions.notes == (Modification("athlete", rules.NOTE_ATHLETE),)


@pytest.mark.parametrize(("age", "older"), [(64, False), (65, True), (90, True)])
def test_from_65_an_older_adult_gets_gentler_shorter_sessions_and_safe_transfers(age, older):
    triage = screening_evaluate(ScreeningAnswers(), age=age)
    if not older:
        assert triage.outcome == TriageOutcome.TREAT
        return
    r = triage.restrictions
    assert triage.reasons == (f"Older adult, age {age}",)
    assert r.pressure_cap == Pressure.MODERATE
    assert r.max_session_minutes == 60
    assert rules.NOTE_OLDER_ADULT_TRANSFERS in [n.text for n in r.notes]


@pytest.mark.parametrize("question", RELATIVE_CONTRAINDICATION_QUESTIONS, ids=lambda q: q.name)
def test_each_relative_contraindication_alone_treats_with_modifications_and_a_note(question):
    triage = screening_evaluate(only(question.name), age=ADULT)
    assert triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert triage.reasons == (question.reason,)
    assert triage.restrictions.notes
    assert not triage.blocks_treatment


def test_osteoporosis_in_an_older_adult_keeps_the_lighter_cap_and_both_sets_of_notes():
    r = screening_evaluate(only("osteoporosis"), age=78).restrictions
    assert r.pressure_cap == Pressure.LIGHT
    assert r.max_session_minutes == 60
    assert {n.condition for n in r.notes} == {"osteoporosis", "older adult, age 78"}


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError, match=rules.AGE_NEGATIVE):
        screening_evaluate(ScreeningAnswers(), age=-1)


# Invariants over every combination (Hypothesis).


@st.composite
def answers_strategy(draw) -> ScreeningAnswers:
    """Mostly relative contraindications, sometimes a blocking answer: random booleans over
    all 19 questions would nearly always contain a red flag and test nothing else."""
    relative = [q.name for q in RELATIVE_CONTRAINDICATION_QUESTIONS]
    blocking = [q.name for q in RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS]
    yes = draw(st.sets(st.sampled_from(relative)))
    yes |= draw(st.sets(st.sampled_from(blocking), max_size=1) | st.just(set()))
    weeks = draw(st.one_of(st.none(), st.integers(1, 42)))
    return ScreeningAnswers(**dict.fromkeys(yes, True), pregnancy_weeks=weeks)


ages = st.integers(0, 110)


def at_least_as_strict(a: Restrictions, b: Restrictions) -> bool:
    """True when `a` forbids everything `b` forbids and keeps every note of `b`."""
    return (
        a.excluded_positions >= b.excluded_positions
        and a.forbidden_tools >= b.forbidden_tools
        and a.excluded_traits >= b.excluded_traits
        and a.pressure_cap <= b.pressure_cap
        and (
            b.max_prone_minutes is None
            or (a.max_prone_minutes is not None and a.max_prone_minutes <= b.max_prone_minutes)
        )
        and (
            b.max_session_minutes is None
            or (
                a.max_session_minutes is not None and a.max_session_minutes <= b.max_session_minutes
            )
        )
        # Compared by text: a condition's label may change ("older adult, age 70" -> "71").
        and {n.text for n in b.notes} <= {n.text for n in a.notes}
    )


def more_yes(answers: ScreeningAnswers, extra: ScreeningAnswers) -> ScreeningAnswers:
    """`answers` with every yes of `extra` added (pregnancy weeks kept when already pregnant)."""
    changes = {
        q.name: getattr(answers, q.name) or getattr(extra, q.name) for q in SCREENING_QUESTIONS
    }
    if not answers.pregnant:
        changes["pregnancy_weeks"] = extra.pregnancy_weeks
    return replace(answers, **changes)


@given(answers_strategy(), ages)
def test_any_red_flag_always_refers_now(answers, age):
    triage = screening_evaluate(answers, age=age)
    has_red_flag = any(getattr(answers, q.name) for q in RED_FLAG_QUESTIONS)
    if has_red_flag:
        assert triage.outcome == TriageOutcome.REFER_NOW
    assert triage.emergency == any(
        getattr(answers, n)
        for n in [*CAUDA_EQUINA, "suspected_sequestration", "suspected_cauda_equina"]
    )


@given(answers_strategy(), ages)
def test_restrictions_only_apply_when_treating_with_modifications(answers, age):
    triage = screening_evaluate(answers, age=age)
    if triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS:
        assert triage.restrictions.notes and triage.reasons
    else:
        assert triage.restrictions == Restrictions()
    assert bool(triage.reasons) == (triage.outcome != TriageOutcome.TREAT)


@given(answers_strategy(), answers_strategy(), ages, st.integers(0, 40))
def test_adding_conditions_or_years_never_loosens_the_triage(answers, extra, age, years):
    before = screening_evaluate(answers, age=age)
    after = screening_evaluate(more_yes(answers, extra), age=age + years)
    assert SEVERITY[after.outcome] >= SEVERITY[before.outcome]
    if not after.blocks_treatment:
        assert at_least_as_strict(after.restrictions, before.restrictions)


def test_restrictions_are_described_in_words_for_the_chart():
    triage = screening_evaluate(
        ScreeningAnswers(pregnant=True, pregnancy_weeks=30, high_blood_pressure=True), age=70
    )
    assert rules.restrictions_describe(triage.restrictions) == [
        "No work in: Prone, Prone, frog-leg",
        "Pressure at most: Moderate",
        "No tools: Knuckles, Elbow (olecranon)",
        "Excluded: Sustained heavy trigger-point pressure",
        "Prone positions together: at most 20 minutes in all (prone and frog-leg)",
        "Session at most 60 minutes",
    ]
    assert rules.restrictions_describe(Restrictions()) == []
