"""What the plan must respect: the screening's restrictions, merged with those of the care
stage and of the working hypothesis, and the tests techniques and exercises must pass.
"""

from __future__ import annotations

from core.vocabulary import (
    ExerciseData,
    Modification,
    Position,
    Pressure,
    Restrictions,
    Stage,
    TechniqueData,
    Tool,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind, Triage
from sessions.planning.planner.messages import WHY_POSITION, WHY_PRESSURE, WHY_TOOL, WHY_TRAIT


def course_restrictions(*, stage: Stage, acute: bool) -> Restrictions:
    """What the care stage forbids, in clinic and at home (clinical rules §6; §7 for ice/heat).

    Week 1 (firefighting) calms inflammation and the nervous system: light pressure, static
    compression only on the trochanteric attachments, no stretching of any kind, no vigorous
    friction, no sustained heavy pressure, no percussion, no nerve flossing yet (it starts in
    week 2), no strengthening; in an acute flare ice, not heat (ice for the first
    48-72 hours of sharp pain). Week 2 (decompression) works at about half depth ("tolerates
    50% depth"): moderate at most, still no end-range stretching or percussion.
    Weeks 3 and 4 add nothing; the techniques' own stages decide what suits them. A chronic
    case uses heat for tightness, not ice.
    """
    traits: set[Trait] = set()
    notes: list[Modification] = []
    cap = Pressure.DEEP
    if stage == Stage.FIREFIGHTING:
        cap = Pressure.LIGHT
        traits |= {
            Trait.STRETCH,
            Trait.AGGRESSIVE_STRETCH,
            Trait.VIGOROUS_FRICTION,
            Trait.SUSTAINED_PRESSURE,
            Trait.PERCUSSION,
            Trait.NEURAL_MOBILISATION,
            Trait.STRENGTHENING,
        }
        notes.append(
            Modification(
                "Stage 1 (firefighting)",
                "Light pressure; static compression only on the trochanteric attachments; "
                "no stretching, vigorous friction or nerve flossing yet, in clinic or at home.",
            )
        )
        if acute:
            traits.add(Trait.HEAT)
            notes.append(
                Modification("Acute flare", "Ice, not heat, while the pain is sharp and recent.")
            )
    elif stage == Stage.DECOMPRESSION:
        cap = Pressure.MODERATE
        traits |= {Trait.AGGRESSIVE_STRETCH, Trait.PERCUSSION}
        notes.append(
            Modification(
                "Stage 2 (decompression)",
                "Work at about half depth (moderate at most); no end-range stretching.",
            )
        )
    if not acute:
        traits.add(Trait.ICE)
    return Restrictions(excluded_traits=frozenset(traits), pressure_cap=cap, notes=tuple(notes))


def hypothesis_restrictions(*, hypothesis: Hypothesis) -> Restrictions:
    """What the working hypothesis forbids (clinical rules §3.1).

    Neural involvement (likely compression): manage secondary spasm and guarding only,
    gentle neural mobilisation, no aggressive stretching, no deep or sustained heavy
    pressure near an irritated nerve, suggest medical follow-up; compression sources are
    outside massage scope. Irritation of unclear source: the same caution, reassess at the
    next visit. Entrapment and muscular findings add no restriction. A hypothesis asking
    for medical follow-up always puts that on the plan.
    """
    kind = hypothesis.kind
    notes: list[Modification] = []
    traits: frozenset[Trait] = frozenset()
    cap = Pressure.DEEP
    if kind == HypothesisKind.NEURAL_COMPRESSION:
        traits = frozenset(
            {Trait.AGGRESSIVE_STRETCH, Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}
        )
        cap = Pressure.MODERATE
        notes.append(
            Modification(
                "Neural findings",
                "Manage spasm and guarding only, gentle neural mobilisation, no aggressive "
                "stretching; suggest medical follow-up. A compressed nerve root (disc, "
                "stenosis) is outside massage scope: this plan does not claim to fix it.",
            )
        )
    elif kind == HypothesisKind.IRRITATION_UNCLEAR:
        traits = frozenset({Trait.AGGRESSIVE_STRETCH, Trait.VIGOROUS_FRICTION})
        cap = Pressure.MODERATE
        notes.append(
            Modification(
                "Nerve irritation, source unclear",
                "Cautious plan: moderate pressure at most, no aggressive stretching; "
                "reassess at the next visit.",
            )
        )
    elif kind == HypothesisKind.UNDETERMINED:
        notes.append(
            Modification(
                "No working hypothesis yet",
                "General plan: record the assessment tests to tailor the next one.",
            )
        )
    if hypothesis.medical_follow_up and kind != HypothesisKind.NEURAL_COMPRESSION:
        notes.append(Modification("Medical follow-up", "Suggest the client sees a physician."))
    return Restrictions(excluded_traits=traits, pressure_cap=cap, notes=tuple(notes))


def plan_restrictions(
    *, triage: Triage, hypothesis: Hypothesis, stage: Stage, acute: bool
) -> Restrictions:
    """Everything the plan must respect: screening, stage and hypothesis, merged (clinical
    rules §2.3)."""
    return (
        triage.restrictions
        | course_restrictions(stage=stage, acute=acute)
        | hypothesis_restrictions(hypothesis=hypothesis)
    )


def technique_allowed(
    *, technique: TechniqueData, restrictions: Restrictions, stage: Stage
) -> bool:
    """A technique may go on the plan: permitted at some pressure within the cap, and suits the stage."""
    return (
        stage in technique.stages
        and restrictions.permits(
            position=technique.position,
            tool=technique.tool,
            traits=technique.traits,
            min_pressure=technique.min_pressure,
        )
        and position_open(restrictions, technique.position)
    )


def exercise_allowed(
    *,
    exercise: ExerciseData,
    restrictions: Restrictions,
    stage: Stage,
) -> bool:
    """Home care obeys the plan's restrictions (clinical rules §6-7): no excluded trait or
    position, right stage.

    Tools and pressure caps describe the therapist's hands, not the client's exercises.
    """
    return (
        stage in exercise.stages
        and exercise.position not in restrictions.excluded_positions
        and not (exercise.traits & restrictions.excluded_traits)
    )


def used_pressure(*, technique: TechniqueData, restrictions: Restrictions) -> Pressure:
    """The pressure the plan asks for: the technique's usual one, held down to the cap."""
    return Pressure(min(technique.max_pressure, restrictions.pressure_cap))


def position_open(restrictions: Restrictions, position: Position) -> bool:
    """False when a minute limit covering the position is zero (no time there at all)."""
    return all(
        minutes > 0 for positions, minutes in restrictions.minute_limits() if position in positions
    )


def why_not_permitted(
    restrictions: Restrictions,
    *,
    position: Position,
    tool: Tool,
    traits: frozenset[Trait],
    min_pressure: Pressure,
) -> str:
    """The first reason `restrictions` exclude this work, in words; empty when permitted."""
    if position in restrictions.excluded_positions or not position_open(restrictions, position):
        return WHY_POSITION.format(position=Position(position).label.lower())
    if tool in restrictions.forbidden_tools:
        return WHY_TOOL.format(tool=Tool(tool).label.lower())
    excluded = sorted(traits & restrictions.excluded_traits, key=list(Trait).index)
    if excluded:
        return WHY_TRAIT.format(trait=" and ".join(Trait(t).label.lower() for t in excluded))
    if min_pressure > restrictions.pressure_cap:
        return WHY_PRESSURE.format(
            pressure=Pressure(min_pressure).label.lower(),
            cap=Pressure(restrictions.pressure_cap).label.lower(),
        )
    return ""


def why_exercise_not_permitted(restrictions: Restrictions, exercise: ExerciseData) -> str:
    if exercise.position in restrictions.excluded_positions:
        return WHY_POSITION.format(position=Position(exercise.position).label.lower())
    excluded = sorted(exercise.traits & restrictions.excluded_traits, key=list(Trait).index)
    if excluded:
        return WHY_TRAIT.format(trait=" and ".join(Trait(t).label.lower() for t in excluded))
    return ""
