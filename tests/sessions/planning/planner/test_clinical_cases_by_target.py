"""The clinical cases of clinical rules §6.2: every hypothesis at every stage, alone and
with each relative contraindication of §2.3, treats the hypothesis's own target at the
stage's intensity; and where nothing can, the plan says why in one line."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.vocabulary import Position, Pressure, Restrictions, Stage, Trait
from intake.rules import HypothesisKind
from sessions.planning.planner import (
    TARGET_ALL_EXCLUDED,
    TARGET_CONDITION,
    TARGET_DOES_NOT_FIT,
    TARGET_NONE_FOR_STAGE,
    Plan,
    plan_build,
    plan_validate,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.invariants import violations
from tests.sessions.planning.planner.library import LIBRARY, technique
from tests.sessions.planning.planner.target_checks import (
    check_primary_target,
    check_relative_contraindications,
)

HYPOTHESES = {
    "piriformis-entrapment": cases.SARAH,
    "neural-compression": cases.NEURAL,
    "irritation-unclear": cases.IRRITATION,
    "muscular-hamstring": cases.HAMSTRING_ONLY,
    "undetermined": cases.UNDETERMINED,
}
CONDITIONS = {
    "none": (),
    "pregnancy": (cases.pregnancy(24),),
    "osteoporosis": (cases.OSTEOPOROSIS,),
    "anticoagulants": (cases.ANTICOAGULANTS,),
    "muscle-relaxants": (cases.MUSCLE_RELAXANTS,),
    "diabetes-neuropathy": (cases.DIABETES_NEUROPATHY,),
    "back-surgery": (cases.BACK_SURGERY,),
    "older-adult": (cases.older_adult(70),),
    "high-blood-pressure": (cases.HIGH_BLOOD_PRESSURE,),
    "athlete": (cases.ATHLETE,),
}


def build(triage, hypothesis, *, stage, minutes=60, library=LIBRARY) -> Plan:
    plan = plan_build(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=minutes,
        first_visit=False,
        library=library,
    )
    assert isinstance(plan, Plan), plan
    assert violations(plan, triage=triage, hypothesis=hypothesis, library=library) == []
    assert plan_validate(plan, triage=triage, hypothesis=hypothesis, library=library) == []
    return plan


def slugs(plan: Plan) -> set[str]:
    return {item.technique_slug for item in plan.items}


@pytest.mark.parametrize("condition", sorted(CONDITIONS))
@pytest.mark.parametrize("stage", list(Stage), ids=lambda s: f"week-{int(s)}")
@pytest.mark.parametrize("hypothesis", sorted(HYPOTHESES))
def test_every_hypothesis_treats_its_target_at_every_stage_with_every_condition(
    hypothesis, stage, condition
):
    triage = cases.treat(*CONDITIONS[condition])
    plan = build(triage, HYPOTHESES[hypothesis], stage=stage)
    check_relative_contraindications(plan, triage)
    happened = check_primary_target(
        plan, triage=triage, hypothesis=HYPOTHESES[hypothesis], library=LIBRARY
    )
    expected = "no target (undetermined)" if hypothesis == "undetermined" else "target worked"
    assert happened == expected


@pytest.mark.parametrize("hypothesis", [cases.NEURAL, cases.IRRITATION])
def test_neural_involvement_in_week_one_gets_a_slider_and_guarding_relief_not_flossing(
    hypothesis,
):
    plan = build(cases.treat(), hypothesis, stage=Stage.FIREFIGHTING)
    assert {"sciatic-nerve-slider", "guarding-relief-rocking"} <= slugs(plan)
    assert "sciatic-nerve-flossing" not in slugs(plan)
    slider = next(i for i in plan.items if i.technique_slug == "sciatic-nerve-slider")
    assert slider.pressure == Pressure.LIGHT
    assert slider.reason == (
        f"{hypothesis.kind.label}: primary target, the sciatic nerve, by gentle neural "
        "mobilisation; week 1 intensity: light, static or gently moving, no stretching or "
        "flossing."
    )
    used = {t for slug in slugs(plan) for t in technique(slug).traits}
    assert not used & {Trait.STRETCH, Trait.AGGRESSIVE_STRETCH, Trait.NEURAL_MOBILISATION}


def test_hamstring_tightness_in_week_one_gets_light_hamstring_work_without_stretching():
    plan = build(cases.treat(), cases.HAMSTRING_ONLY, stage=Stage.FIREFIGHTING)
    light = next(i for i in plan.items if i.technique_slug == "hamstring-light-compression")
    assert light.pressure == Pressure.LIGHT
    assert light.reason.startswith(
        "Muscular (hamstring / gluteus minimus referral): primary target, the hamstrings; "
        "week 1 intensity: light"
    )
    used = {t for slug in slugs(plan) for t in technique(slug).traits}
    assert not used & {Trait.STRETCH, Trait.AGGRESSIVE_STRETCH, Trait.NEURAL_MOBILISATION}
    assert not {"gentle-stretching", "hamstring-pin-and-stretch"} & slugs(plan)


def test_a_pregnant_hamstring_client_gets_the_side_lying_version_in_week_one():
    plan = build(cases.treat(cases.pregnancy(24)), cases.HAMSTRING_ONLY, stage=Stage.FIREFIGHTING)
    assert "hamstring-light-side-lying" in slugs(plan)
    assert not {i.position for i in plan.items} & {Position.PRONE, Position.PRONE_FROG}


def target_line(plan: Plan) -> str:
    assert plan.target_missing
    assert not [n for n in plan.notes if n.condition == TARGET_CONDITION]
    return plan.target_missing


def test_when_the_library_has_no_such_work_for_the_stage_the_plan_says_so():
    library = replace(
        LIBRARY, techniques=tuple(t for t in LIBRARY.techniques if t.slug != "sciatic-nerve-slider")
    )
    plan = build(cases.treat(), cases.NEURAL, stage=Stage.FIREFIGHTING, library=library)
    assert target_line(plan) == TARGET_NONE_FOR_STAGE.format(
        target="gentle neural mobilisation", stage="Week 1 · Firefighting"
    )


def test_when_the_restrictions_exclude_every_such_technique_the_plan_says_which():
    no_supine = Restrictions(excluded_positions=frozenset({Position.SUPINE}))
    plan = build(cases.treat(no_supine), cases.NEURAL, stage=Stage.FIREFIGHTING)
    assert target_line(plan) == TARGET_ALL_EXCLUDED.format(
        target="gentle neural mobilisation", why="the supine position is excluded"
    )


def test_when_the_allowed_work_cannot_be_fitted_the_plan_says_so():
    """One minute face-down in all: the prone hamstring work is allowed but cannot fit."""
    library = replace(
        LIBRARY,
        techniques=tuple(t for t in LIBRARY.techniques if t.slug != "hamstring-light-side-lying"),
    )
    triage = cases.treat(Restrictions(max_prone_minutes=1))
    plan = build(triage, cases.HAMSTRING_ONLY, stage=Stage.FIREFIGHTING, library=library)
    assert target_line(plan) == TARGET_DOES_NOT_FIT.format(
        target="work for the hamstrings", minutes=60
    )


def test_an_undetermined_hypothesis_has_no_target_line_but_its_own_note():
    plan = build(cases.treat(), cases.UNDETERMINED, stage=Stage.MOBILITY)
    assert plan.target_missing == ""
    assert not [n for n in plan.notes if n.condition == TARGET_CONDITION]
    assert HypothesisKind(plan.hypothesis_kind) == HypothesisKind.UNDETERMINED
