"""Validation names the field and the reason, so forms can show it at the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.vocabulary import Pressure
from protocols.models import (
    CHOICE_LIST_EMPTY_ERROR,
    DOSAGE_EMPTY_ERROR,
    FREQUENCY_RANGE_ERROR,
    MINUTES_ORDER_ERROR,
    PHASES_TOO_LONG_ERROR,
    PRESSURE_ORDER_ERROR,
    SESSION_RANGE_ERROR,
    WARM_UP_BELOW_MINIMUM_ERROR,
)
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
)

pytestmark = pytest.mark.django_db


def _errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_usual_minutes_outside_the_range_is_reported_at_usual_minutes():
    technique = TechniqueFactory.build(min_minutes=5, default_minutes=3, max_minutes=8)
    assert _errors(technique)["default_minutes"] == [MINUTES_ORDER_ERROR]


def test_pressure_order_is_reported_at_usual_pressure():
    technique = TechniqueFactory.build(min_pressure=Pressure.DEEP, max_pressure=Pressure.LIGHT)
    assert _errors(technique)["max_pressure"] == [PRESSURE_ORDER_ERROR]


def test_unknown_trait_is_reported_at_traits():
    technique = TechniqueFactory.build(traits=["cupping"])
    assert _errors(technique)["traits"] == ["Unknown value 'cupping': choose from the list."]


def test_a_technique_needs_at_least_one_stage():
    technique = TechniqueFactory.build(stages=[])
    assert _errors(technique)["stages"] == [CHOICE_LIST_EMPTY_ERROR]


def test_a_technique_needs_cautions():
    technique = TechniqueFactory.build(cautions="")
    assert "cautions" in _errors(technique)


def test_exercise_without_dosage_is_reported_at_the_dosage_note():
    exercise = ExerciseFactory.build(
        reps=None, hold_seconds=None, duration_minutes=None, dosage_note=" "
    )
    assert _errors(exercise)["dosage_note"] == [DOSAGE_EMPTY_ERROR]


def test_template_errors_name_their_fields():
    template = SessionTemplateFactory.build(
        warm_up_minutes=4, min_warm_up_minutes=5, reference_minutes=100, max_session_minutes=90
    )
    errors = _errors(template)
    assert errors["min_warm_up_minutes"] == [WARM_UP_BELOW_MINIMUM_ERROR]
    assert errors["reference_minutes"] == [SESSION_RANGE_ERROR]


def test_template_phases_too_long_is_reported_at_integration():
    template = SessionTemplateFactory.build(targeted_minutes=40)
    assert _errors(template)["integration_minutes"] == [PHASES_TOO_LONG_ERROR]


def test_frequency_backwards_is_reported_at_the_upper_bound():
    stage = CareStageFactory.build(chronic_then_every_weeks_min=5, chronic_then_every_weeks_max=3)
    assert _errors(stage)["chronic_then_every_weeks_max"] == [FREQUENCY_RANGE_ERROR]
