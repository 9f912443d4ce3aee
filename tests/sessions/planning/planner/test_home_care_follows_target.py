"""Clinical rules §7.1: home care follows the working hypothesis's target at the stage's
intensity, within every restriction. Over every hypothesis x stage x restriction set, on
the planner's test library and on the clinic's shipped one."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import transaction

from core.vocabulary import PRONE_POSITIONS, ExerciseData, Finding, Library, Stage, Trait
from intake.rules import HypothesisKind
from protocols.library import library_snapshot
from protocols.transfer import library_load
from sessions.planning.planner import (
    HOME_CARE_MAX,
    PLAN_HOME_CARE_HYPOTHESIS,
    WHY_HOME_FLOSSING_UNCLEAR,
    WHY_HOME_NERVE_MUSCULAR,
    HomeCareItem,
    Plan,
    plan_build,
    plan_restrictions,
    plan_validate,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY
from tests.sessions.planning.planner.target_checks import MOVES_THE_NERVE, TARGETS
from tests.sessions.planning.planner.test_clinical_cases_by_target import CONDITIONS, HYPOTHESES

FLOSSING = Trait.NEURAL_MOBILISATION
SLIDER = Trait.NEURAL_SLIDER
# Clinical rules §7.1, written out a second time: the nerve exercises allowed at home.
NERVE_AT_HOME = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: {FLOSSING, SLIDER},
    HypothesisKind.NEURAL_COMPRESSION: {FLOSSING, SLIDER},
    HypothesisKind.IRRITATION_UNCLEAR: {SLIDER},
    HypothesisKind.MUSCULAR_HAMSTRING: set(),
    HypothesisKind.UNDETERMINED: set(),
}
# What the stage rules out at home (clinical rules §6, §7.1).
STAGE_OUT = {
    Stage.FIREFIGHTING: {
        Trait.STRETCH,
        Trait.AGGRESSIVE_STRETCH,
        FLOSSING,
        Trait.SUSTAINED_PRESSURE,
        Trait.STRENGTHENING,
    },
    Stage.DECOMPRESSION: {Trait.AGGRESSIVE_STRETCH},
    Stage.MOBILITY: set(),
    Stage.STRENGTHENING: set(),
}


def serves_target(exercise: ExerciseData, target: Finding | None) -> bool:
    """An exercise for the target: it lists it, and it moves the nerve exactly when the
    target is the nerve."""
    if target is None or target not in exercise.findings:
        return False
    return (target == Finding.NEURAL) == bool(exercise.traits & MOVES_THE_NERVE)


def may_have(exercise: ExerciseData, *, triage, hypothesis, stage, acute) -> bool:
    rules = plan_restrictions(triage=triage, hypothesis=hypothesis, stage=stage, acute=acute)
    return (
        stage in exercise.stages
        and exercise.position not in rules.excluded_positions
        and not exercise.traits & rules.excluded_traits
        and not exercise.traits & MOVES_THE_NERVE - NERVE_AT_HOME[hypothesis.kind]
    )


def check_home_care(plan: Plan, *, triage, hypothesis, library: Library) -> None:
    exercises = {e.slug: e for e in library.exercises}
    given = [exercises[entry.exercise_slug] for entry in plan.home_care]
    rules = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    assert len(given) <= HOME_CARE_MAX
    for exercise in given:
        assert plan.stage in exercise.stages
        assert not exercise.traits & STAGE_OUT[plan.stage], exercise.slug
        assert not exercise.traits & rules.excluded_traits, exercise.slug
        assert exercise.position not in rules.excluded_positions, exercise.slug
        nerve = exercise.traits & MOVES_THE_NERVE
        assert nerve <= NERVE_AT_HOME[hypothesis.kind], (hypothesis.kind, exercise.slug)
    target = TARGETS.get(hypothesis.kind)
    possible = [
        e
        for e in exercises.values()
        if serves_target(e, target)
        and may_have(e, triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute)
    ]
    served = [e for e in given if serves_target(e, target)]
    assert bool(served) == bool(possible), (plan.stage, [e.slug for e in possible])
    for entry in plan.home_care:
        if serves_target(exercises[entry.exercise_slug], target):
            assert "for the primary target" in entry.reason


def build(triage, hypothesis, *, stage, library, acute=True) -> Plan:
    plan = plan_build(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=60,
        first_visit=False,
        library=library,
        acute=acute,
    )
    assert isinstance(plan, Plan), plan
    return plan


@pytest.mark.parametrize("acute", [True, False], ids=["acute", "chronic"])
@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("condition", CONDITIONS.values(), ids=CONDITIONS.keys())
@pytest.mark.parametrize("hypothesis", HYPOTHESES.values(), ids=HYPOTHESES.keys())
def test_home_care_follows_the_target_at_the_stages_intensity(hypothesis, condition, stage, acute):
    triage = cases.treat(*condition)
    plan = build(triage, hypothesis, stage=stage, library=LIBRARY, acute=acute)
    check_home_care(plan, triage=triage, hypothesis=hypothesis, library=LIBRARY)


def home(plan: Plan) -> set[str]:
    return {entry.exercise_slug for entry in plan.home_care}


@pytest.mark.parametrize("stage", list(Stage))
def test_a_muscular_client_never_gets_nerve_flossing_although_it_lists_the_hamstrings(stage):
    plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=stage, library=LIBRARY)
    assert not home(plan) & {
        "seated-nerve-flossing",
        "sciatic-nerve-glide",
        "sciatic-nerve-slider-home",
    }


def test_a_muscular_client_in_week_1_gets_heel_slides_not_a_stretch():
    plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=Stage.FIREFIGHTING, library=LIBRARY)
    assert "hamstring-heel-slides" in home(plan)
    assert "hamstring-chair-stretch" not in home(plan)


def test_neural_involvement_in_week_1_slides_at_home_and_flosses_from_week_2():
    week_1 = build(cases.treat(), cases.NEURAL, stage=Stage.FIREFIGHTING, library=LIBRARY)
    assert "sciatic-nerve-slider-home" in home(week_1)
    assert "seated-nerve-flossing" not in home(week_1)
    week_2 = build(cases.treat(), cases.NEURAL, stage=Stage.DECOMPRESSION, library=LIBRARY)
    assert home(week_2) & {"seated-nerve-flossing", "sciatic-nerve-slider-home"}


@pytest.mark.parametrize("stage", list(Stage))
def test_an_irritated_nerve_of_unclear_source_only_slides_at_home(stage):
    plan = build(cases.treat(), cases.IRRITATION, stage=stage, library=LIBRARY)
    assert "sciatic-nerve-slider-home" in home(plan)
    assert not home(plan) & {"seated-nerve-flossing", "sciatic-nerve-glide"}


def test_pregnancy_still_applies_to_the_targets_home_care():
    plan = build(
        cases.treat(cases.pregnancy(24)), cases.NEURAL, stage=Stage.STRENGTHENING, library=LIBRARY
    )
    exercises = {e.slug: e for e in LIBRARY.exercises}
    assert not {exercises[slug].position for slug in home(plan)} & PRONE_POSITIONS
    assert not any(Trait.SUSTAINED_PRESSURE in exercises[slug].traits for slug in home(plan))


def test_the_target_exercise_is_kept_when_other_work_scores_higher():
    """Five general exercises made more relevant than the slider: the slider still goes on."""
    boosted = tuple(
        replace(e, findings=frozenset({Finding.NEURAL, Finding.GENERAL}), stages=frozenset(Stage))
        if e.slug in {"posture-workstation", "hip-hinge-lifting", "heat-pack", "ice-pack"}
        else e
        for e in LIBRARY.exercises
    )
    library = replace(LIBRARY, exercises=boosted)
    plan = build(cases.treat(), cases.IRRITATION, stage=Stage.MOBILITY, library=library)
    assert "sciatic-nerve-slider-home" in home(plan)


def test_validation_names_a_nerve_exercise_the_hypothesis_rules_out():
    plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=Stage.MOBILITY, library=LIBRARY)
    flossing = HomeCareItem(
        exercise_slug="seated-nerve-flossing",
        name="Seated nerve flossing",
        purpose="",
        instructions="",
        dosage="",
        cautions="",
        reason="",
    )
    edited = replace(plan, home_care=(*plan.home_care, flossing))
    messages = plan_validate(
        edited, triage=cases.treat(), hypothesis=cases.HAMSTRING_ONLY, library=LIBRARY
    )
    assert (
        PLAN_HOME_CARE_HYPOTHESIS.format(name="Seated nerve flossing", why=WHY_HOME_NERVE_MUSCULAR)
        in messages
    )
    irritation = build(cases.treat(), cases.IRRITATION, stage=Stage.MOBILITY, library=LIBRARY)
    messages = plan_validate(
        replace(irritation, home_care=(*irritation.home_care, flossing)),
        triage=cases.treat(),
        hypothesis=cases.IRRITATION,
        library=LIBRARY,
    )
    assert (
        PLAN_HOME_CARE_HYPOTHESIS.format(
            name="Seated nerve flossing", why=WHY_HOME_FLOSSING_UNCLEAR
        )
        in messages
    )


@pytest.fixture(scope="module")
def clinic_library(django_db_setup, django_db_blocker):
    """The shipped library as plain data, loaded once and rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        library_load()
        snapshot = library_snapshot()
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.django_db
@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("condition", CONDITIONS.values(), ids=CONDITIONS.keys())
@pytest.mark.parametrize("hypothesis", HYPOTHESES.values(), ids=HYPOTHESES.keys())
def test_the_clinics_library_follows_the_target_at_home_too(
    clinic_library, hypothesis, condition, stage
):
    triage = cases.treat(*condition)
    plan = build(triage, hypothesis, stage=stage, library=clinic_library)
    check_home_care(plan, triage=triage, hypothesis=hypothesis, library=clinic_library)


@pytest.mark.django_db
def test_the_clinics_library_gives_week_1_its_gentle_home_forms(clinic_library):
    neural = build(cases.treat(), cases.NEURAL, stage=Stage.FIREFIGHTING, library=clinic_library)
    assert "sciatic-nerve-slider-home" in home(neural)
    muscular = build(
        cases.treat(), cases.HAMSTRING_ONLY, stage=Stage.FIREFIGHTING, library=clinic_library
    )
    assert "hamstring-heel-slides" in home(muscular)
    for stage in Stage:
        plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=stage, library=clinic_library)
        assert not home(plan) & {"seated-nerve-flossing", "sciatic-nerve-glide"}
