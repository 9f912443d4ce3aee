"""Clinical rules §6.2 and §2.3 written out a second time, plainly, for the tests: each
hypothesis's primary target and what counts as work for it, and the checks a plan must pass
(its target's work at the stage's intensity or one true line why not; the screening's own
limits at every stage). Also the screenings strategy: every combination of §2.3."""

from __future__ import annotations

from hypothesis import strategies as st

from core.vocabulary import (
    PRONE_POSITIONS,
    Finding,
    Library,
    LibraryPhase,
    Pressure,
    Restrictions,
    SessionPhase,
    Stage,
    TechniqueData,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind, ScreeningAnswers, Triage
from sessions.planning.planner import (
    TARGET_ALL_EXCLUDED,
    TARGET_CONDITION,
    TARGET_DOES_NOT_FIT,
    TARGET_NONE_FOR_STAGE,
    Plan,
    plan_restrictions,
)

# Clinical rules §3.1 and §6.2, written out a second time for the tests: each hypothesis's
# primary target, and what counts as work for it.
TARGETS = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: Finding.PIRIFORMIS,
    HypothesisKind.NEURAL_COMPRESSION: Finding.NEURAL,
    HypothesisKind.IRRITATION_UNCLEAR: Finding.NEURAL,
    HypothesisKind.MUSCULAR_HAMSTRING: Finding.HAMSTRING,
}
MOVES_THE_NERVE = {Trait.NEURAL_MOBILISATION, Trait.NEURAL_SLIDER}
# What each stage's intensity rules out (clinical rules §6).
WEEK_1_OUT = {
    Trait.STRETCH,
    Trait.AGGRESSIVE_STRETCH,
    Trait.VIGOROUS_FRICTION,
    Trait.SUSTAINED_PRESSURE,
    Trait.NEURAL_MOBILISATION,
    Trait.PERCUSSION,
}
WEEK_2_OUT = {Trait.AGGRESSIVE_STRETCH, Trait.PERCUSSION}


def for_target(technique: TechniqueData, target: Finding) -> bool:
    return (
        target in technique.findings
        and LibraryPhase(technique.phase).session_phase != SessionPhase.WARM_UP
        and (target != Finding.NEURAL or bool(technique.traits & MOVES_THE_NERVE))
    )


def permitted(technique: TechniqueData, rules: Restrictions, stage: Stage) -> bool:
    prone_closed = technique.position in PRONE_POSITIONS and rules.max_prone_minutes == 0
    return (
        stage in technique.stages
        and technique.position not in rules.excluded_positions
        and not prone_closed
        and technique.tool not in rules.forbidden_tools
        and not technique.traits & rules.excluded_traits
        and technique.min_pressure <= rules.pressure_cap
    )


def _pattern(template: str) -> str:
    """The fixed opening of a one-line message, up to its first placeholder after {target}."""
    return template.split("{target}")[1].split("{")[0]


def check_primary_target(
    plan: Plan, *, triage: Triage, hypothesis: Hypothesis, library: Library
) -> str:
    """The plan holds work for the target at the stage's intensity, or one line saying why
    not, and that line is true. Returns what happened, for the statistics."""
    techniques: dict[str, TechniqueData] = {}
    for t in library.techniques:
        techniques.setdefault(t.slug, t)
    target = TARGETS.get(hypothesis.kind)
    assert not [n for n in plan.notes if n.condition == TARGET_CONDITION]
    lines = [plan.target_missing] if plan.target_missing else []
    if target is None:
        assert lines == []
        assert any(n.condition == "No working hypothesis yet" for n in plan.notes)
        return "no target (undetermined)"
    worked = [
        (item, techniques[item.technique_slug])
        for item in plan.items
        if not item.is_assessment and for_target(techniques[item.technique_slug], target)
    ]
    rules = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    allowed = [
        t for t in techniques.values() if for_target(t, target) and permitted(t, rules, plan.stage)
    ]
    if worked:
        assert lines == [], "a plan with the target's work says nothing is missing"
        for item, technique in worked:
            assert "primary target" in item.reason
            assert f"week {int(plan.stage)} intensity" in item.reason
            assert item.pressure <= rules.pressure_cap
            if plan.stage == Stage.FIREFIGHTING:
                assert item.pressure == Pressure.LIGHT
                assert not technique.traits & WEEK_1_OUT
            if plan.stage == Stage.DECOMPRESSION:
                assert item.pressure <= Pressure.MODERATE
                assert not technique.traits & WEEK_2_OUT
        return "target worked"
    assert len(lines) == 1, "no target work: exactly one line says why"
    text = lines[0]
    if allowed:
        assert _pattern(TARGET_DOES_NOT_FIT) in text
        return "target allowed but did not fit"
    assert _pattern(TARGET_ALL_EXCLUDED) in text or _pattern(TARGET_NONE_FOR_STAGE) in text
    return "target excluded or not in the library"


def check_relative_contraindications(plan: Plan, triage: Triage) -> None:
    """Clinical rules §2.3 at every stage: the screening's own limits, checked directly."""
    rules = triage.restrictions
    for item in plan.items:
        if item.is_assessment:
            continue
        assert item.pressure <= rules.pressure_cap
        assert item.tool not in rules.forbidden_tools
        assert item.position not in rules.excluded_positions
    if rules.max_prone_minutes is not None:
        face_down = sum(i.minutes for i in plan.items if i.position in PRONE_POSITIONS)
        assert face_down <= rules.max_prone_minutes
    if rules.max_session_minutes is not None:
        assert plan.minutes <= rules.max_session_minutes


# Every combination of the relative contraindications of clinical rules §2.3, at any age.
screenings = st.builds(
    ScreeningAnswers,
    pregnant=st.booleans(),
    pregnancy_weeks=st.integers(4, 40),
    osteoporosis=st.booleans(),
    clotting_disorder_or_anticoagulants=st.booleans(),
    muscle_relaxants=st.booleans(),
    diabetes_or_neuropathy=st.booleans(),
    previous_back_surgery=st.booleans(),
    high_blood_pressure=st.booleans(),
    athlete=st.booleans(),
)
ages = st.integers(18, 90)
