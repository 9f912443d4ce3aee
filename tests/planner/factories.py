"""Database fixtures for the planning pages: the test library as rows, and planned-for clients."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from core.vocabulary import Library
from intake.rules import Side, SlrPain
from tests.factories import ClientFactory
from tests.intake.factories import AssessmentFactory, HealthHistoryFactory, ScreeningFactory
from tests.planner.library import LIBRARY
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
)


def library_into_database(library: Library = LIBRARY) -> None:
    """Store the plain-data library as active library rows (what `library_snapshot` reads)."""
    for t in library.techniques:
        TechniqueFactory(
            slug=t.slug,
            name=t.name,
            phase=t.phase,
            position=t.position,
            tool=t.tool,
            min_pressure=t.min_pressure,
            max_pressure=t.max_pressure,
            default_minutes=t.default_minutes,
            min_minutes=t.min_minutes,
            max_minutes=t.max_minutes,
            holds=t.holds,
            cautions=t.cautions or "Check in with the client.",
            anatomy=t.anatomy or "Gluteals",
            traits=sorted(str(x) for x in t.traits),
            stages=sorted(int(x) for x in t.stages),
            findings=sorted(str(x) for x in t.findings),
            order=t.order,
            variant_of=t.variant_of,
        )
    for e in library.exercises:
        ExerciseFactory(
            slug=e.slug,
            name=e.name,
            purpose=e.purpose,
            instructions=e.instructions,
            cautions=e.cautions or "Stop if tingling increases.",
            position=e.position,
            traits=sorted(str(x) for x in e.traits),
            stages=sorted(int(x) for x in e.stages),
            findings=sorted(str(x) for x in e.findings),
            order=e.order,
        )
    template = library.template
    phases = dict(template.phase_minutes)
    SessionTemplateFactory(
        name=template.name,
        reference_minutes=template.reference_minutes,
        assessment_minutes=template.assessment_minutes,
        warm_up_minutes=phases["warm_up"],
        targeted_minutes=phases["targeted"],
        integration_minutes=phases["integration"],
        min_warm_up_minutes=template.min_warm_up_minutes,
    )
    for stage in library.stages:
        CareStageFactory(
            stage=stage.stage,
            slug=f"week-{int(stage.stage)}",
            name=stage.name,
            goal=stage.goal,
            in_clinic=stage.in_clinic,
            home_care=stage.home_care,
            acute_per_week=stage.acute_frequency.per_week,
            acute_weeks=stage.acute_frequency.weeks,
            chronic_per_week=stage.chronic_frequency.per_week,
            chronic_weeks=stage.chronic_frequency.weeks,
        )


def sarah(therapist, **screening):
    """Seed 001's Sarah: piriformis positive, SLR negative, an acute flare; screened today."""
    client = ClientFactory(therapist=therapist, first_name="Sarah", last_name="Miles")
    today = timezone.localdate()
    HealthHistoryFactory(client=client, onset_date=today - timedelta(days=10))
    ScreeningFactory(client=client, screened_on=today, **screening)
    AssessmentFactory(
        client=client,
        assessed_on=today,
        slr_side=Side.RIGHT,
        slr_pain=SlrPain.NONE,
        piriformis_side=Side.RIGHT,
    )
    return client
