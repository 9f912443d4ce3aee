"""The library as the planner sees it: active rows turned into the vocabulary's plain values."""

from __future__ import annotations

from core.vocabulary import (
    CareStageData,
    ExerciseData,
    Finding,
    Library,
    LibraryPhase,
    Position,
    Pressure,
    SessionPhase,
    SessionTemplateData,
    Stage,
    TechniqueData,
    Tool,
    Trait,
)
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique

LIBRARY_NO_TEMPLATE_ERROR = (
    "The library has no active session template: the clinic manager must add or restore one."
)


class LibraryIncomplete(Exception):
    """The library cannot give the planner what it needs (e.g. every template is retired)."""


def technique_data(technique: Technique) -> TechniqueData:
    return TechniqueData(
        slug=technique.slug,
        name=technique.name,
        phase=LibraryPhase(technique.phase),
        position=Position(technique.position),
        tool=Tool(technique.tool),
        min_pressure=Pressure(technique.min_pressure),
        max_pressure=Pressure(technique.max_pressure),
        default_minutes=technique.default_minutes,
        min_minutes=technique.min_minutes,
        max_minutes=technique.max_minutes,
        holds=technique.holds,
        cautions=technique.cautions,
        traits=frozenset(Trait(value) for value in technique.traits),
        stages=frozenset(Stage(value) for value in technique.stages),
        findings=frozenset(Finding(value) for value in technique.findings),
        anatomy=technique.anatomy,
        order=technique.order,
        variant_of=technique.variant_of,
    )


def exercise_data(exercise: HomeCareExercise) -> ExerciseData:
    return ExerciseData(
        slug=exercise.slug,
        name=exercise.name,
        purpose=exercise.purpose,
        instructions=exercise.instructions,
        dosage=exercise.dosage,
        cautions=exercise.cautions,
        position=Position(exercise.position),
        traits=frozenset(Trait(value) for value in exercise.traits),
        stages=frozenset(Stage(value) for value in exercise.stages),
        findings=frozenset(Finding(value) for value in exercise.findings),
        order=exercise.order,
    )


def template_data(template: SessionTemplate) -> SessionTemplateData:
    return SessionTemplateData(
        name=template.name,
        reference_minutes=template.reference_minutes,
        assessment_minutes=template.assessment_minutes,
        phase_minutes=(
            (SessionPhase.WARM_UP, template.warm_up_minutes),
            (SessionPhase.TARGETED, template.targeted_minutes),
            (SessionPhase.INTEGRATION, template.integration_minutes),
        ),
        min_warm_up_minutes=template.min_warm_up_minutes,
        min_session_minutes=template.min_session_minutes,
        max_session_minutes=template.max_session_minutes,
    )


def care_stage_data(stage: CareStage) -> CareStageData:
    return CareStageData(
        stage=Stage(stage.stage),
        name=stage.name,
        goal=stage.goal,
        in_clinic=stage.in_clinic,
        home_care=stage.home_care,
        acute_frequency=stage.acute_frequency,
        chronic_frequency=stage.chronic_frequency,
    )


def library_snapshot() -> Library:
    """The active (non-retired) library in four queries, whatever its size.

    Techniques and exercises come in the manager's order (`order`, then name); the
    template is the first active one in that order; stages are sorted by week.
    Raises `LibraryIncomplete` when no template is active.
    """
    template = SessionTemplate.objects.active().order_by("order", "name").first()
    if template is None:
        raise LibraryIncomplete(LIBRARY_NO_TEMPLATE_ERROR)
    return Library(
        techniques=tuple(technique_data(t) for t in Technique.objects.active()),
        exercises=tuple(exercise_data(e) for e in HomeCareExercise.objects.active()),
        template=template_data(template),
        stages=tuple(care_stage_data(s) for s in CareStage.objects.active().order_by("stage")),
    )
