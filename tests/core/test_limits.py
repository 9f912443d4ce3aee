"""The limits in `core/limits.py`: on the models (services refuse through `full_clean`) and on
the forms, where the message names the field and counts with separators."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.limits import (
    LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
    STEP_TEXT_MAX,
    TextLimitsMixin,
    _model_limit,
    limit_message,
)
from intake.forms import ClientForm, HealthHistoryForm, MedicalClearanceForm
from intake.models import Assessment, Client, HealthHistory, MedicalClearance, Screening
from protocols.forms import CareStageForm, ExerciseForm, SessionTemplateForm
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique, TechniqueStep
from sessions.charting import services as charting
from sessions.charting.forms import SessionNoteForm
from sessions.models import Appointment
from sessions.models.note import NoteAmendment, SessionNote
from tests.sessions.factories import SessionNoteFactory, note_form_data

MODEL_LIMITS = [
    (Client, "address", SHORT_TEXT_MAX),
    (Client, "lifestyle", SHORT_TEXT_MAX),
    (HealthHistory, "aggravating_factors", LONG_TEXT_MAX),
    (HealthHistory, "previous_treatments", LONG_TEXT_MAX),
    (HealthHistory, "medications", SHORT_TEXT_MAX),
    (HealthHistory, "comorbidities", SHORT_TEXT_MAX),
    (Screening, "notes", LONG_TEXT_MAX),
    (Assessment, "notes", LONG_TEXT_MAX),
    (MedicalClearance, "note", SHORT_TEXT_MAX),
    (Appointment, "note", SHORT_TEXT_MAX),
    (SessionNote, "client_report", LONG_TEXT_MAX),
    (SessionNote, "changes_since_last_visit", SHORT_TEXT_MAX),
    (SessionNote, "findings", LONG_TEXT_MAX),
    (SessionNote, "working_hypothesis", LONG_TEXT_MAX),
    (SessionNote, "response_to_treatment", LONG_TEXT_MAX),
    (SessionNote, "adverse_response", SHORT_TEXT_MAX),
    (SessionNote, "adverse_response_change", SHORT_TEXT_MAX),
    (SessionNote, "home_care_given", LONG_TEXT_MAX),
    (SessionNote, "referrals", SHORT_TEXT_MAX),
    (NoteAmendment, "text", SHORT_TEXT_MAX),
    (Technique, "cautions", LONG_TEXT_MAX),
    (TechniqueStep, "text", STEP_TEXT_MAX),
    (SessionTemplate, "description", LONG_TEXT_MAX),
    (CareStage, "goal", LONG_TEXT_MAX),
    (CareStage, "in_clinic", LONG_TEXT_MAX),
    (CareStage, "home_care", LONG_TEXT_MAX),
    (HomeCareExercise, "instructions", LONG_TEXT_MAX),
    (HomeCareExercise, "cautions", LONG_TEXT_MAX),
]


@pytest.mark.parametrize(("model", "name", "limit"), MODEL_LIMITS)
def test_every_free_text_field_has_its_limit_on_the_model(model, name, limit):
    field = model._meta.get_field(name)
    field.clean("x" * limit, None)
    with pytest.raises(ValidationError):
        field.clean("x" * (limit + 1), None)


def test_no_text_field_of_the_records_is_left_without_a_limit():
    models = {model for model, _, _ in MODEL_LIMITS}
    unlimited = [
        f"{model.__name__}.{field.name}"
        for model in models
        for field in model._meta.concrete_fields
        if field.get_internal_type() == "TextField" and not field.validators
    ]
    assert unlimited == []


@pytest.mark.parametrize(
    ("form_class", "name", "limit"),
    [
        (ClientForm, "address", SHORT_TEXT_MAX),
        (HealthHistoryForm, "previous_treatments", LONG_TEXT_MAX),
        (MedicalClearanceForm, "note", SHORT_TEXT_MAX),
        (ExerciseForm, "instructions", LONG_TEXT_MAX),
        (SessionTemplateForm, "description", LONG_TEXT_MAX),
        (CareStageForm, "goal", LONG_TEXT_MAX),
    ],
)
def test_model_forms_take_the_limit_from_the_model(form_class, name, limit):
    assert issubclass(form_class, TextLimitsMixin)
    assert _model_limit(form_class._meta.model, name) == limit


def test_the_message_names_the_field_and_counts_with_separators():
    assert (
        limit_message("Client report", limit=4_000, count=5_210)
        == "Client report: at most 4,000 characters (this has 5,210)."
    )


class _Form(TextLimitsMixin, forms.Form):
    remark = forms.CharField(max_length=10, required=False)


def test_a_plain_form_field_with_max_length_gets_the_named_message():
    form = _Form({"remark": "x" * 11})
    assert form.errors["remark"] == ["Remark: at most 10 characters (this has 11)."]
    assert _Form({"remark": "x" * 10}).is_valid()


@pytest.mark.django_db
def test_a_soap_field_over_its_limit_is_refused_by_the_form_by_name():
    note = SessionNoteFactory()
    data = note_form_data(client_report="x" * (LONG_TEXT_MAX + 1))
    form = SessionNoteForm(data, instance=note)
    assert not form.is_valid()
    assert form.errors["client_report"] == [
        f"Client report: at most 4,000 characters (this has {LONG_TEXT_MAX + 1:,})."
    ]


@pytest.mark.django_db
def test_a_soap_field_at_its_limit_is_accepted_by_the_form():
    note = SessionNoteFactory()
    data = note_form_data(client_report="x" * LONG_TEXT_MAX)
    form = SessionNoteForm(data, instance=note)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_the_service_refuses_a_soap_field_over_its_limit():
    note = SessionNoteFactory()
    with pytest.raises(ValidationError) as caught:
        charting.note_update(
            note=note, user=note.therapist, soap={"findings": "x" * (LONG_TEXT_MAX + 1)}
        )
    assert "findings" in caught.value.message_dict
    note.refresh_from_db()
    assert len(note.findings) <= LONG_TEXT_MAX
