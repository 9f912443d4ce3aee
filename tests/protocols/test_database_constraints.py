"""The database itself refuses library rows that make no sense (STYLE 5)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from core.vocabulary import Pressure, Stage
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
    TechniqueStepFactory,
)

pytestmark = pytest.mark.django_db


def _refused(factory, **fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**fields)


@pytest.mark.parametrize(
    ("min_minutes", "default_minutes", "max_minutes"),
    [(5, 4, 6), (2, 7, 6), (6, 6, 5), (0, 0, 3)],
)
def test_technique_minutes_out_of_order_are_refused(min_minutes, default_minutes, max_minutes):
    _refused(
        TechniqueFactory,
        min_minutes=min_minutes,
        default_minutes=default_minutes,
        max_minutes=max_minutes,
    )


def test_technique_minutes_in_order_are_stored():
    technique = TechniqueFactory(min_minutes=3, default_minutes=3, max_minutes=3)
    assert technique.pk


def test_lightest_pressure_above_usual_pressure_is_refused():
    _refused(TechniqueFactory, min_pressure=Pressure.DEEP, max_pressure=Pressure.MODERATE)


def test_pressure_outside_the_scale_is_refused():
    _refused(TechniqueFactory, min_pressure=1, max_pressure=4)


def test_two_steps_of_one_technique_cannot_share_a_number():
    step = TechniqueStepFactory(order=1)
    _refused(TechniqueStepFactory, technique=step.technique, order=1)


def test_step_numbers_start_at_one():
    _refused(TechniqueStepFactory, order=0)


def test_two_techniques_may_each_have_a_step_one():
    TechniqueStepFactory(order=1)
    assert TechniqueStepFactory(order=1).pk


def test_slugs_are_unique():
    TechniqueFactory(slug="effleurage")
    _refused(TechniqueFactory, slug="effleurage")


def test_template_warm_up_below_its_minimum_is_refused():
    _refused(SessionTemplateFactory, warm_up_minutes=4, min_warm_up_minutes=5)


def test_template_reference_outside_the_session_range_is_refused():
    _refused(SessionTemplateFactory, reference_minutes=100, max_session_minutes=90)


def test_template_phases_longer_than_the_reference_are_refused():
    _refused(
        SessionTemplateFactory,
        warm_up_minutes=10,
        targeted_minutes=40,
        integration_minutes=15,
        reference_minutes=60,
    )


def test_only_one_active_row_per_care_stage():
    CareStageFactory(stage=Stage.MOBILITY)
    _refused(CareStageFactory, stage=Stage.MOBILITY)


def test_a_retired_care_stage_leaves_room_for_its_replacement():
    CareStageFactory(stage=Stage.MOBILITY, retired=True)
    assert CareStageFactory(stage=Stage.MOBILITY).pk


def test_frequency_range_backwards_is_refused():
    _refused(CareStageFactory, acute_then_every_weeks_min=4, acute_then_every_weeks_max=2)


def test_exercise_without_any_dosage_is_refused():
    _refused(ExerciseFactory, reps=None, hold_seconds=None, duration_minutes=None, dosage_note="")


def test_exercise_with_only_a_dosage_note_is_stored():
    exercise = ExerciseFactory(
        reps=None, sets=None, times_per_day=None, dosage_note="Whenever you lift"
    )
    assert exercise.dosage == "Whenever you lift"


def test_exercise_zero_repetitions_are_refused():
    _refused(ExerciseFactory, reps=0)
