"""`library_snapshot` hands the planner the active library as plain values."""

from __future__ import annotations

import pytest

from core.vocabulary import (
    FrequencyAdvice,
    LibraryPhase,
    Position,
    Pressure,
    SessionPhase,
    Stage,
    Tool,
    Trait,
)
from protocols.library import LIBRARY_NO_TEMPLATE_ERROR, LibraryIncomplete, library_snapshot
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
)

pytestmark = pytest.mark.django_db


def test_technique_fields_carry_over_with_vocabulary_types():
    SessionTemplateFactory()
    TechniqueFactory(
        slug="hubcap-static",
        name="Hubcap release: static compression",
        phase=LibraryPhase.DEEP_ROTATORS,
        position=Position.PRONE,
        tool=Tool.SOFT_FIST,
        min_pressure=Pressure.LIGHT,
        max_pressure=Pressure.MODERATE,
        default_minutes=4,
        min_minutes=3,
        max_minutes=6,
        holds="30-60 s per spot",
        cautions="No friction in week 1.",
        traits=["static_compression"],
        stages=[1],
        findings=["piriformis"],
        anatomy="Deep six insertions",
        order=70,
    )
    (technique,) = library_snapshot().techniques
    assert technique.slug == "hubcap-static"
    assert technique.phase is LibraryPhase.DEEP_ROTATORS
    assert technique.position is Position.PRONE
    assert technique.tool is Tool.SOFT_FIST
    assert (technique.min_pressure, technique.max_pressure) == (Pressure.LIGHT, Pressure.MODERATE)
    assert isinstance(technique.min_pressure, Pressure)
    assert (technique.min_minutes, technique.default_minutes, technique.max_minutes) == (3, 4, 6)
    assert technique.traits == frozenset({Trait.STATIC_COMPRESSION})
    assert technique.stages == frozenset({Stage.FIREFIGHTING})
    assert technique.holds == "30-60 s per spot"
    assert technique.anatomy == "Deep six insertions"
    assert technique.order == 70


def test_exercise_dosage_is_the_rendered_text():
    SessionTemplateFactory()
    ExerciseFactory(reps=None, sets=3, times_per_day=1, hold_seconds=30, traits=["strengthening"])
    (exercise,) = library_snapshot().exercises
    assert exercise.dosage == "Hold 30 seconds · 3 sets · once a day"
    assert exercise.traits == frozenset({Trait.STRENGTHENING})
    assert exercise.position is Position.SEATED


def test_template_gives_the_phase_split_in_session_order():
    SessionTemplateFactory(name="Reference 60", warm_up_minutes=10, targeted_minutes=20)
    template = library_snapshot().template
    assert template.name == "Reference 60"
    assert template.phase_minutes == (
        (SessionPhase.WARM_UP, 10),
        (SessionPhase.TARGETED, 20),
        (SessionPhase.INTEGRATION, 15),
    )
    assert (template.reference_minutes, template.assessment_minutes) == (60, 15)
    assert (template.min_session_minutes, template.max_session_minutes) == (30, 90)
    assert template.min_warm_up_minutes == 5


def test_the_first_active_template_by_order_is_used():
    SessionTemplateFactory(name="Retired first", order=1, retired=True)
    SessionTemplateFactory(name="Second", order=20)
    SessionTemplateFactory(name="First", order=10)
    assert library_snapshot().template.name == "First"


def test_no_active_template_is_reported():
    SessionTemplateFactory(retired=True)
    with pytest.raises(LibraryIncomplete, match=LIBRARY_NO_TEMPLATE_ERROR):
        library_snapshot()


def test_stages_come_sorted_by_week_with_frequency_advice():
    SessionTemplateFactory()
    CareStageFactory(stage=Stage.MOBILITY, order=1, name="Mobility")
    CareStageFactory(stage=Stage.FIREFIGHTING, order=2, name="Firefighting", acute_note="Reassess.")
    first, second = library_snapshot().stages
    assert (first.stage, second.stage) == (Stage.FIREFIGHTING, Stage.MOBILITY)
    assert first.acute_frequency == FrequencyAdvice(
        per_week=2,
        weeks=3,
        then_every_weeks_min=2,
        then_every_weeks_max=4,
        text="2 visits a week for 3 weeks, then one visit every 2-4 weeks. Reassess.",
    )
    assert first.chronic_frequency.weeks == 10


def test_retired_rows_are_left_out():
    SessionTemplateFactory()
    TechniqueFactory(slug="kept")
    TechniqueFactory(slug="gone", retired=True)
    ExerciseFactory(slug="gone-too", retired=True)
    CareStageFactory(retired=True)
    library = library_snapshot()
    assert [t.slug for t in library.techniques] == ["kept"]
    assert library.exercises == ()
    assert library.stages == ()


def test_techniques_come_in_the_managers_order():
    SessionTemplateFactory()
    TechniqueFactory(slug="b", name="B", order=20)
    TechniqueFactory(slug="a", name="A", order=30)
    TechniqueFactory(slug="c", name="C", order=10)
    assert [t.slug for t in library_snapshot().techniques] == ["c", "b", "a"]


@pytest.mark.parametrize("rows", [1, 15])
def test_snapshot_takes_four_queries_whatever_the_size(rows, django_assert_num_queries):
    SessionTemplateFactory()
    TechniqueFactory.create_batch(rows)
    ExerciseFactory.create_batch(rows)
    for stage in list(Stage)[: min(rows, 4)]:
        CareStageFactory(stage=stage)
    with django_assert_num_queries(4):
        library = library_snapshot()
    assert len(library.techniques) == rows
