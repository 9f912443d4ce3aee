"""Why each item is on the plan, and the cautions that go with it, in words a therapist
reads at a glance."""

from __future__ import annotations

from core.vocabulary import (
    ExerciseData,
    Finding,
    Pressure,
    SessionPhase,
    Stage,
    TechniqueData,
    Trait,
)
from intake.rules import HypothesisKind
from sessions.planning.planner.context import PlanContext
from sessions.planning.planner.home_care import exercise_works_target
from sessions.planning.planner.messages import (
    CAUTION_PRESSURE_HELD,
    CAUTION_STATIC_ONLY,
    HOME_CARE_REASON_FINDINGS,
    HOME_CARE_REASON_GENERAL,
    HOME_CARE_REASON_TARGET,
    REASON_FINDINGS,
    REASON_GENERAL,
    REASON_GOAL,
    REASON_GUARDING,
    REASON_NERVE_GLIDE,
    REASON_NEW,
    REASON_TARGET,
    REASON_WARM_UP,
    STAGE_INTENSITY,
)
from sessions.planning.planner.restrictions import course_restrictions, hypothesis_restrictions
from sessions.planning.planner.scoring import SECONDARY_FINDING_WEIGHT, new_this_stage
from sessions.planning.planner.targets import FINDING_TARGETS, TARGET_IN_REASON, works_target


def item_reason(context: PlanContext, phase: SessionPhase, technique: TechniqueData) -> str:
    """Why this item is on the plan, in words a therapist reads at a glance.

    Work for the hypothesis's primary target says so, with the intensity the stage allows
    (clinical rules §6.2); other work names the findings it serves, the nerve's guarding,
    or the stage's goal."""
    if phase == SessionPhase.WARM_UP:
        return REASON_WARM_UP
    kind = HypothesisKind(context.hypothesis.kind)
    weights = context.weights
    matched = sorted(
        (
            f
            for f in technique.findings
            if f != Finding.GENERAL and weights.get(f, 0) >= SECONDARY_FINDING_WEIGHT
        ),
        key=lambda f: (-weights[f], list(Finding).index(f)),
    )
    target = context.target
    if target is not None and works_target(technique, target):
        others = [f for f in matched if f != target and f != Finding.NEURAL]
        text = REASON_TARGET.format(
            hypothesis=kind.label,
            target=TARGET_IN_REASON[target],
            also=f" (also the {FINDING_TARGETS[others[0]]})" if others else "",
            week=int(context.stage),
            intensity=STAGE_INTENSITY[int(context.stage)],
        )
    else:
        text = _other_reason(context, phase, technique, matched)
    if new_this_stage(technique, context.stage):
        text += " " + REASON_NEW.format(stage=Stage(context.stage).label)
    return text


def _other_reason(
    context: PlanContext, phase: SessionPhase, technique: TechniqueData, matched: list[Finding]
) -> str:
    kind = HypothesisKind(context.hypothesis.kind)
    nerve = kind in (HypothesisKind.NEURAL_COMPRESSION, HypothesisKind.IRRITATION_UNCLEAR)
    if phase == SessionPhase.INTEGRATION and Trait.NEURAL_MOBILISATION not in technique.traits:
        matched = [f for f in matched if f != Finding.NEURAL]
        nerve = False
    if nerve and (Finding.NEURAL in technique.findings or not matched):
        text = (
            REASON_NERVE_GLIDE if Trait.NEURAL_MOBILISATION in technique.traits else REASON_GUARDING
        ).format(hypothesis=kind.label)
    elif matched:
        targets = " and ".join(FINDING_TARGETS[Finding(f)] for f in matched[:2])
        text = REASON_FINDINGS.format(hypothesis=kind.label, targets=targets)
    elif phase == SessionPhase.INTEGRATION:
        text = REASON_GOAL.format(goal=context.stage_goal)
    else:
        text = REASON_GENERAL.format(goal=context.stage_goal)
    return text


def item_cautions(
    context: PlanContext, technique: TechniqueData, pressure: Pressure
) -> tuple[str, ...]:
    """The technique's own cautions, then the planner's: pressure held below the usual, and
    week 1's static compression."""
    cautions = [technique.cautions] if technique.cautions else []
    if pressure < technique.max_pressure:
        cautions.append(
            CAUTION_PRESSURE_HELD.format(
                pressure=Pressure(pressure).label.lower(),
                usual=Pressure(technique.max_pressure).label.lower(),
                source=cap_source(context),
            )
        )
    if context.stage == Stage.FIREFIGHTING and Trait.STATIC_COMPRESSION in technique.traits:
        cautions.append(CAUTION_STATIC_ONLY)
    return tuple(cautions)


def cap_source(context: PlanContext) -> str:
    """Which rule holds the pressure down, for the item's caution."""
    cap = context.restrictions.pressure_cap
    screening = context.triage.restrictions
    sources = []
    if screening.pressure_cap == cap:
        conditions = ", ".join(dict.fromkeys(n.condition for n in screening.notes))
        sources.append(f"screening ({conditions})" if conditions else "screening")
    if course_restrictions(stage=context.stage, acute=context.acute).pressure_cap == cap:
        sources.append(Stage(context.stage).label)
    if hypothesis_restrictions(hypothesis=context.hypothesis).pressure_cap == cap:
        sources.append(HypothesisKind(context.hypothesis.kind).label)
    return "; ".join(sources)


def home_care_reason(context: PlanContext, exercise: ExerciseData) -> str:
    """Why an exercise is on the sheet: the primary target it serves, else the findings,
    else general self-care."""
    stage = Stage(context.stage).label
    target = context.target
    if exercise_works_target(exercise, target):
        return HOME_CARE_REASON_TARGET.format(stage=stage, target=TARGET_IN_REASON[target])
    matched = sorted(
        Finding(f).label.lower()
        for f in exercise.findings
        if f != Finding.GENERAL and context.weights.get(f, 0) >= SECONDARY_FINDING_WEIGHT
    )
    if matched:
        return HOME_CARE_REASON_FINDINGS.format(stage=stage, findings=" and ".join(matched))
    return HOME_CARE_REASON_GENERAL.format(stage=stage)
