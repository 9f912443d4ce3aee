"""The planner's own rules: what stage and hypothesis add, and the session shape."""

from __future__ import annotations

import pytest

from core.vocabulary import (
    Finding,
    Position,
    Pressure,
    Restrictions,
    SessionPhase,
    Stage,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind
from sessions.planning.planner import (
    assessment_minutes_range,
    course_restrictions,
    finding_weights,
    hypothesis_restrictions,
    phase_budgets,
    session_length_bookable,
)
from tests.sessions.planning.planner.library import TEMPLATE


@pytest.mark.parametrize(
    ("left", "right", "merged"),
    [(None, None, None), (20, None, 20), (None, 20, 20), (20, 10, 10), (0, 20, 0)],
)
def test_prone_limits_merge_to_the_stricter_and_zero_is_a_limit(left, right, merged):
    combined = Restrictions(max_prone_minutes=left) | Restrictions(max_prone_minutes=right)
    assert combined.max_prone_minutes == merged


def test_the_prone_limit_covers_every_prone_position_at_once():
    assert Restrictions(max_prone_minutes=20).minute_limits() == (
        (frozenset({Position.PRONE, Position.PRONE_FROG}), 20),
    )
    assert Restrictions().minute_limits() == ()


def test_week_one_excludes_stretching_vigorous_friction_and_flossing_and_caps_pressure_light():
    rules = course_restrictions(stage=Stage.FIREFIGHTING, acute=False)
    assert {
        Trait.STRETCH,
        Trait.AGGRESSIVE_STRETCH,
        Trait.VIGOROUS_FRICTION,
        Trait.SUSTAINED_PRESSURE,
        Trait.NEURAL_MOBILISATION,
        Trait.PERCUSSION,
        Trait.STRENGTHENING,
    } <= rules.excluded_traits
    assert Trait.STATIC_COMPRESSION not in rules.excluded_traits
    assert rules.pressure_cap == Pressure.LIGHT
    assert rules.notes[0].condition == "Stage 1 (firefighting)"


def test_an_acute_first_week_excludes_heat_and_a_chronic_case_excludes_ice():
    assert Trait.HEAT in course_restrictions(stage=Stage.FIREFIGHTING, acute=True).excluded_traits
    assert Trait.HEAT not in course_restrictions(stage=Stage.MOBILITY, acute=True).excluded_traits
    for stage in Stage:
        assert Trait.ICE in course_restrictions(stage=stage, acute=False).excluded_traits
        assert Trait.ICE not in course_restrictions(stage=stage, acute=True).excluded_traits


def test_week_two_works_at_half_depth_without_end_range_stretching():
    rules = course_restrictions(stage=Stage.DECOMPRESSION, acute=True)
    assert rules.pressure_cap == Pressure.MODERATE
    assert Trait.AGGRESSIVE_STRETCH in rules.excluded_traits
    assert Trait.STRETCH not in rules.excluded_traits


@pytest.mark.parametrize("stage", [Stage.MOBILITY, Stage.STRENGTHENING])
def test_weeks_three_and_four_add_no_restriction_in_an_acute_case(stage):
    rules = course_restrictions(stage=stage, acute=True)
    assert rules.excluded_traits == frozenset()
    assert rules.pressure_cap == Pressure.DEEP


@pytest.mark.parametrize(
    "kind", [HypothesisKind.NEURAL_COMPRESSION, HypothesisKind.IRRITATION_UNCLEAR]
)
def test_nerve_findings_exclude_aggressive_stretching_and_deep_pressure(kind):
    rules = hypothesis_restrictions(hypothesis=Hypothesis(kind=kind))
    assert Trait.AGGRESSIVE_STRETCH in rules.excluded_traits
    assert rules.pressure_cap == Pressure.MODERATE
    assert rules.notes


@pytest.mark.parametrize(
    "kind", [HypothesisKind.ENTRAPMENT_PIRIFORMIS, HypothesisKind.MUSCULAR_HAMSTRING]
)
def test_soft_tissue_findings_add_no_restriction(kind):
    rules = hypothesis_restrictions(hypothesis=Hypothesis(kind=kind))
    assert rules.excluded_traits == frozenset()
    assert rules.pressure_cap == Pressure.DEEP
    assert rules.notes == ()


def test_a_hypothesis_asking_for_follow_up_puts_it_on_the_plan():
    rules = hypothesis_restrictions(
        hypothesis=Hypothesis(kind=HypothesisKind.IRRITATION_UNCLEAR, medical_follow_up=True)
    )
    assert [n.condition for n in rules.notes][-1] == "Medical follow-up"


def test_entrapment_favours_the_piriformis_first_then_glutes_and_hamstrings():
    weights = finding_weights(
        hypothesis=Hypothesis(
            kind=HypothesisKind.ENTRAPMENT_PIRIFORMIS, findings=frozenset({Finding.PIRIFORMIS})
        )
    )
    assert weights[Finding.PIRIFORMIS] > weights[Finding.HAMSTRING] > weights[Finding.GENERAL]
    assert weights.get(Finding.NEURAL, 0) == 0


def test_the_assessments_own_findings_weigh_most_whatever_the_kind():
    weights = finding_weights(
        hypothesis=Hypothesis(
            kind=HypothesisKind.UNDETERMINED, findings=frozenset({Finding.HAMSTRING})
        )
    )
    assert weights[Finding.HAMSTRING] == max(weights.values())


@pytest.mark.parametrize("minutes", range(30, 95, 5))
@pytest.mark.parametrize("first_visit", [True, False])
def test_the_block_budgets_add_up_to_the_session_and_keep_the_warm_up(minutes, first_visit):
    budgets = phase_budgets(template=TEMPLATE, minutes=minutes, first_visit=first_visit)
    assert sum(budgets.values()) == minutes
    assert budgets[SessionPhase.WARM_UP] >= TEMPLATE.min_warm_up_minutes
    assert (SessionPhase.ASSESSMENT in budgets) == first_visit


def test_a_sixty_minute_first_visit_is_the_seed_reference_split():
    assert phase_budgets(template=TEMPLATE, minutes=60, first_visit=True) == {
        SessionPhase.ASSESSMENT: 15,
        SessionPhase.WARM_UP: 10,
        SessionPhase.TARGETED: 20,
        SessionPhase.INTEGRATION: 15,
    }


@pytest.mark.parametrize(("minutes", "expected"), [(30, (7, 10)), (60, (15, 20)), (90, (22, 30))])
def test_the_assessment_block_runs_fifteen_to_twenty_minutes_of_sixty_scaled(minutes, expected):
    assert assessment_minutes_range(template=TEMPLATE, minutes=minutes) == expected


@pytest.mark.parametrize(
    ("minutes", "bookable"), [(25, False), (30, True), (62, False), (90, True), (95, False)]
)
def test_sessions_are_booked_from_thirty_to_ninety_minutes_in_fives(minutes, bookable):
    assert session_length_bookable(template=TEMPLATE, minutes=minutes) is bookable
