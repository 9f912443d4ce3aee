"""factory_boy factories for the library (protocols app), the technique form's data, and a wipe."""

from __future__ import annotations

import factory

from core.vocabulary import Finding, LibraryPhase, Position, Pressure, Stage, Tool
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique, TechniqueStep


class TechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Technique

    name = factory.Sequence(lambda n: f"Technique {n}")
    slug = factory.Sequence(lambda n: f"technique-{n}")
    phase = LibraryPhase.WARM_UP
    anatomy = "Gluteus maximus"
    position = Position.PRONE
    tool = Tool.PALM
    min_pressure = Pressure.LIGHT
    max_pressure = Pressure.MODERATE
    default_minutes = 4
    min_minutes = 2
    max_minutes = 6
    cautions = "Ask about pressure."
    traits = factory.LazyFunction(list)
    stages = factory.LazyFunction(lambda: list(Stage.values))
    findings = factory.LazyFunction(lambda: [Finding.GENERAL.value])
    order = factory.Sequence(lambda n: n * 10)


class TechniqueStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechniqueStep

    technique = factory.SubFactory(TechniqueFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "Warm the tissue with broad strokes."


class SessionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionTemplate

    name = factory.Sequence(lambda n: f"Template {n}")
    slug = factory.Sequence(lambda n: f"template-{n}")
    reference_minutes = 60
    assessment_minutes = 15
    warm_up_minutes = 10
    targeted_minutes = 20
    integration_minutes = 15
    min_warm_up_minutes = 5
    min_session_minutes = 30
    max_session_minutes = 90
    order = factory.Sequence(lambda n: n * 10)


class CareStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareStage

    stage = Stage.FIREFIGHTING
    slug = factory.Sequence(lambda n: f"stage-{n}")
    name = "Firefighting"
    goal = "Calm the nervous system."
    in_clinic = "Breathing education."
    home_care = "Ice."
    acute_per_week = 2
    acute_weeks = 3
    acute_then_every_weeks_min = 2
    acute_then_every_weeks_max = 4
    chronic_per_week = 1
    chronic_weeks = 10
    chronic_then_every_weeks_min = 2
    chronic_then_every_weeks_max = 4
    order = factory.Sequence(lambda n: n * 10)


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HomeCareExercise

    name = factory.Sequence(lambda n: f"Exercise {n}")
    slug = factory.Sequence(lambda n: f"exercise-{n}")
    purpose = "Keep the nerve gliding."
    instructions = "Sit tall.\nStraighten the knee."
    reps = 10
    sets = 2
    times_per_day = 2
    cautions = "Stop if tingling increases."
    position = Position.SEATED
    traits = factory.LazyFunction(list)
    stages = factory.LazyFunction(lambda: list(Stage.values))
    findings = factory.LazyFunction(lambda: [Finding.GENERAL.value])
    order = factory.Sequence(lambda n: n * 10)


def technique_form_data(technique: Technique, **changes) -> dict:
    """A complete POST for the technique edit page: `technique` as it is, with `changes`."""
    data = {
        "name": technique.name,
        "phase": technique.phase,
        "anatomy": technique.anatomy,
        "position": technique.position,
        "tool": technique.tool,
        "min_pressure": technique.min_pressure,
        "max_pressure": technique.max_pressure,
        "min_minutes": technique.min_minutes,
        "default_minutes": technique.default_minutes,
        "max_minutes": technique.max_minutes,
        "holds": technique.holds,
        "steps": "\n".join(step.text for step in technique.steps.all()),
        "cautions": technique.cautions,
        "traits": technique.traits,
        "stages": technique.stages,
        "findings": technique.findings,
    }
    data.update(changes)
    return data


LIBRARY_MODELS = (TechniqueStep, Technique, HomeCareExercise, CareStage, SessionTemplate)


def library_wipe() -> None:
    """Delete every library row and its history (tests only: the product never deletes)."""
    for model in LIBRARY_MODELS:
        model.objects.all().delete()
        model.history.all().delete()
