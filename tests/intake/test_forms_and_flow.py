"""The intake forms in the browser's place: good input is saved through the services, bad
input gets a message at the field and nothing is saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import assessment_forms, rules
from intake import forms as intake_forms
from intake.models import (
    PAIN_BEST_ABOVE_WORST,
    PAIN_OUT_OF_RANGE,
    Assessment,
    Client,
    HealthHistory,
    Screening,
)
from intake.rules import SCREENING_QUESTIONS, HypothesisKind, TriageOutcome
from tests.intake.factories import ClientFactory, MedicalClearanceFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_data(**overrides) -> dict:
    return {
        "first_name": "Sarah",
        "last_name": "Mitchell",
        "date_of_birth": "1984-04-02",
        "phone": "0161 496 0139",
        "occupation": "Office manager",
        "consent_given": "on",
        "consent_date": TODAY.isoformat(),
        **overrides,
    }


def screening_data(**yes) -> dict:
    data = {q.name: "no" for q in SCREENING_QUESTIONS}
    data.update({name: "yes" for name, value in yes.items() if value is True})
    data.update({k: v for k, v in yes.items() if v is not True})
    data.setdefault("screened_on", TODAY.isoformat())
    return data


def history_data(**overrides) -> dict:
    return {
        "pain_location": "Right buttock to the back of the knee",
        "pain_side": "right",
        "pain_character": ["deep_ache", "tingling"],
        "pain_now": "5",
        "pain_worst": "7",
        "pain_best": "2",
        "onset_date": (TODAY - timedelta(days=20)).isoformat(),
        "contributing_factors": ["desk_work"],
        **overrides,
    }


def sarah_tests(**overrides) -> dict:
    return {
        "assessed_on": TODAY.isoformat(),
        "slr_side": "right",
        "slr_pain": "none",
        "piriformis_side": "right",
        "piriformis_buttock_pain": "yes",
        "piriformis_radiating_pain": "yes",
        **overrides,
    }


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist, date_of_birth=date(1984, 4, 2))


def test_a_therapist_creates_a_client_they_then_own(therapist_client, therapist):
    response = therapist_client.post(reverse("intake:client_create"), client_data())
    client = Client.objects.get()
    assert response.status_code == 302
    assert response["Location"] == client.get_absolute_url()
    assert client.therapist == therapist
    assert client.history.get().history_user == therapist


def test_the_manager_creates_a_client_for_a_chosen_therapist(manager_client, colleague):
    manager_client.post(reverse("intake:client_create"), client_data(therapist=colleague.pk))
    assert Client.objects.get().therapist == colleague


def test_the_manager_must_choose_a_therapist(manager_client):
    response = manager_client.post(reverse("intake:client_create"), client_data())
    assert field_errors(response, "therapist")
    assert not Client.objects.exists()


def test_a_therapist_cannot_hand_a_client_to_a_colleague(therapist_client, therapist, colleague):
    therapist_client.post(reverse("intake:client_create"), client_data(therapist=colleague.pk))
    assert Client.objects.get().therapist == therapist


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"date_of_birth": (TODAY + timedelta(days=1)).isoformat()},
            "date_of_birth",
            rules.DATE_OF_BIRTH_IN_FUTURE,
        ),
        ({"date_of_birth": "1850-01-01"}, "date_of_birth", intake_forms.DATE_OF_BIRTH_TOO_EARLY),
        ({"date_of_birth": ""}, "date_of_birth", "This field is required."),
        ({"consent_date": ""}, "consent_date", intake_forms.CONSENT_DATE_REQUIRED),
        (
            {"consent_given": "", "consent_date": "2026-01-01"},
            "consent_date",
            intake_forms.CONSENT_DATE_WITHOUT_CONSENT,
        ),
        (
            {"referral_date": (TODAY + timedelta(days=3)).isoformat()},
            "referral_date",
            intake_forms.DATE_IN_FUTURE,
        ),
    ],
)
def test_bad_client_details_are_refused_at_the_field(therapist_client, overrides, field, message):
    response = therapist_client.post(reverse("intake:client_create"), client_data(**overrides))
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Client.objects.exists()


def test_editing_a_client_keeps_the_owner_and_records_the_change(therapist_client, record):
    url = reverse("intake:client_edit", args=[record.pk])
    therapist_client.post(url, client_data(first_name="Sara"))
    record.refresh_from_db()
    assert record.first_name == "Sara"
    assert record.history.count() == 2


def test_the_manager_reassigns_a_client(manager_client, record, colleague):
    manager_client.post(
        reverse("intake:client_edit", args=[record.pk]), client_data(therapist=colleague.pk)
    )
    record.refresh_from_db()
    assert record.therapist == colleague


def test_the_intake_history_is_saved_and_shown_on_the_chart(therapist_client, record):
    url = reverse("intake:health_history_edit", args=[record.pk])
    response = therapist_client.post(url, history_data())
    assert response.status_code == 302
    history = HealthHistory.objects.get(client=record)
    assert history.pain_character == ["deep_ache", "tingling"]
    chart = therapist_client.get(record.get_absolute_url()).content.decode()
    assert "Deep ache, Tingling" in chart
    assert "Acute (under 6 weeks)" in chart
    therapist_client.post(url, history_data(pain_now="3"))
    assert HealthHistory.objects.get(client=record).pain_now == 3


def test_the_intake_form_is_laid_out_in_sections(therapist_client, record):
    content = therapist_client.get(
        reverse("intake:health_history_edit", args=[record.pk])
    ).content.decode()
    for legend in ["Where it hurts", "How it feels", "Medications and other conditions"]:
        assert f"<legend>{legend}</legend>" in content


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"pain_now": "11"}, "pain_now", PAIN_OUT_OF_RANGE),
        ({"pain_worst": "-1"}, "pain_worst", PAIN_OUT_OF_RANGE),
        ({"pain_best": "8"}, "pain_best", PAIN_BEST_ABOVE_WORST),
        ({"pain_now": "9"}, "pain_now", intake_forms.PAIN_NOW_ABOVE_WORST),
        ({"pain_now": "lots"}, "pain_now", "Enter a whole number."),
        (
            {"onset_date": (TODAY + timedelta(days=2)).isoformat()},
            "onset_date",
            rules.ONSET_IN_FUTURE,
        ),
        ({"onset_date": "1970-01-01"}, "onset_date", intake_forms.DATE_BEFORE_BIRTH),
        ({"pain_character": ["stabbing"]}, "pain_character", None),
        ({"pain_side": ""}, "pain_side", intake_forms.PAIN_SIDE_MISSING),
    ],
)
def test_bad_history_input_is_refused_at_the_field(
    therapist_client, record, overrides, field, message
):
    response = therapist_client.post(
        reverse("intake:health_history_edit", args=[record.pk]), history_data(**overrides)
    )
    assert response.status_code == 200
    errors = field_errors(response, field)
    assert errors
    if message:
        assert message in errors
    assert not HealthHistory.objects.exists()


def test_a_screening_with_a_red_flag_shows_the_red_banner_naming_it(therapist_client, record):
    url = reverse("intake:screening_create", args=[record.pk])
    response = therapist_client.post(url, screening_data(saddle_anaesthesia=True), follow=True)
    screening = Screening.objects.get()
    assert screening.saddle_anaesthesia and not screening.night_pain
    assert screening.recorded_by.username == "alice"
    content = response.content.decode()
    assert TriageOutcome.REFER_NOW.label in content
    assert "Saddle anaesthesia: numbness in the groin, inner thighs or perineum" in content
    assert "emergency department today" in content


def test_a_pregnant_clients_screening_shows_the_modifications(therapist_client, record):
    url = reverse("intake:screening_create", args=[record.pk])
    response = therapist_client.post(
        url, screening_data(pregnant=True, pregnancy_weeks="24"), follow=True
    )
    content = response.content.decode()
    assert Screening.objects.get().pregnancy_weeks == 24
    assert "Treat with modifications" in content
    assert "No work in: Prone, Prone, frog-leg" in content
    assert "Side-lying only, no prone work" in content
    assert "Pregnancy, 24 weeks" in content


def test_no_screening_question_is_pre_answered(therapist_client, record):
    form = therapist_client.get(reverse("intake:screening_create", args=[record.pk])).context[
        "form"
    ]
    assert all(form[q.name].value() is None for q in SCREENING_QUESTIONS)
    content = form.as_div()
    assert "checked" not in content


def test_a_missing_screening_answer_is_marked_and_nothing_is_saved(therapist_client, record):
    data = screening_data()
    del data["saddle_anaesthesia"]
    response = therapist_client.post(reverse("intake:screening_create", args=[record.pk]), data)
    assert field_errors(response, "saddle_anaesthesia") == [intake_forms.ANSWER_REQUIRED]
    assert "Nothing was saved" in response.content.decode()
    assert not Screening.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (screening_data(pregnant=True), "pregnancy_weeks", intake_forms.PREGNANCY_WEEKS_REQUIRED),
        (
            screening_data(pregnancy_weeks="20"),
            "pregnancy_weeks",
            intake_forms.PREGNANCY_WEEKS_WITHOUT_PREGNANCY,
        ),
        (
            screening_data(pregnant=True, pregnancy_weeks="50"),
            "pregnancy_weeks",
            intake_forms.PREGNANCY_WEEKS_OUT_OF_RANGE,
        ),
        (
            screening_data(screened_on=(TODAY + timedelta(days=1)).isoformat()),
            "screened_on",
            intake_forms.DATE_IN_FUTURE,
        ),
        (screening_data(night_pain="maybe"), "night_pain", None),
    ],
)
def test_bad_screening_input_is_refused_at_the_field(
    therapist_client, record, data, field, message
):
    response = therapist_client.post(reverse("intake:screening_create", args=[record.pk]), data)
    errors = field_errors(response, field)
    assert errors
    if message:
        assert errors == [message]
    assert not Screening.objects.exists()


def test_the_seed_case_assessment_gives_the_entrapment_hypothesis_on_the_chart(
    therapist_client, record
):
    url = reverse("intake:assessment_create", args=[record.pk])
    response = therapist_client.post(url, sarah_tests(notes="Tender at the sciatic notch"))
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.evaluate().kind == HypothesisKind.ENTRAPMENT_PIRIFORMIS
    chart = therapist_client.get(record.get_absolute_url()).content.decode()
    assert "Soft-tissue entrapment (piriformis)" in chart
    assert "Buttock pain and radiating pain on the right" in chart
    assert rules.NOT_A_DIAGNOSIS in chart


def test_the_assessment_form_carries_the_not_a_diagnosis_note(therapist_client, record):
    content = therapist_client.get(
        reverse("intake:assessment_create", args=[record.pk])
    ).content.decode()
    assert rules.NOT_A_DIAGNOSIS in content


def test_bragard_after_a_positive_slr_is_saved_as_neural_compression(therapist_client, record):
    data = {
        "assessed_on": TODAY.isoformat(),
        "slr_side": "left",
        "slr_pain": "past_knee",
        "slr_onset_angle": "45",
        "slr_quality": "shooting",
        "bragard_side": "left",
        "bragard_pain_returned": "yes",
    }
    therapist_client.post(reverse("intake:assessment_create", args=[record.pk]), data)
    hypothesis = Assessment.objects.get().evaluate()
    assert hypothesis.kind == HypothesisKind.NEURAL_COMPRESSION
    assert hypothesis.medical_follow_up


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"slr_pain": "past_knee", "slr_onset_angle": "120", "slr_quality": "shooting"},
            "slr_onset_angle",
            rules.SLR_ANGLE_OUT_OF_RANGE,
        ),
        (
            {"slr_pain": "past_knee", "slr_onset_angle": "-5", "slr_quality": "shooting"},
            "slr_onset_angle",
            rules.SLR_ANGLE_OUT_OF_RANGE,
        ),
        (
            {"slr_pain": "past_knee", "slr_quality": "shooting"},
            "slr_onset_angle",
            rules.SLR_ANGLE_REQUIRED,
        ),
        (
            {"slr_pain": "past_knee", "slr_onset_angle": "45"},
            "slr_quality",
            rules.SLR_QUALITY_REQUIRED,
        ),
        ({"slr_onset_angle": "40"}, "slr_onset_angle", rules.SLR_NO_PAIN_WITH_DETAILS),
        ({"slr_pain": ""}, "slr_pain", assessment_forms.SLR_PAIN_REQUIRED),
        ({"slr_side": ""}, "slr_side", assessment_forms.SIDE_REQUIRED),
        (
            {"bragard_side": "right", "bragard_pain_returned": "yes"},
            "bragard_side",
            rules.BRAGARD_REQUIRES_POSITIVE_SLR,
        ),
        (
            {
                "slr_pain": "past_knee",
                "slr_onset_angle": "45",
                "slr_quality": "shooting",
                "bragard_side": "left",
                "bragard_pain_returned": "yes",
            },
            "bragard_side",
            rules.BRAGARD_REQUIRES_POSITIVE_SLR,
        ),
        (
            {"piriformis_radiating_pain": ""},
            "piriformis_radiating_pain",
            intake_forms.ANSWER_YES_OR_NO,
        ),
        (
            {"assessed_on": (TODAY + timedelta(days=1)).isoformat()},
            "assessed_on",
            intake_forms.DATE_IN_FUTURE,
        ),
    ],
)
def test_bad_assessment_input_is_refused_at_the_field(
    therapist_client, record, overrides, field, message
):
    response = therapist_client.post(
        reverse("intake:assessment_create", args=[record.pk]), sarah_tests(**overrides)
    )
    assert response.status_code == 200
    assert message in field_errors(response, field)
    assert not Assessment.objects.exists()


def test_an_assessment_without_any_test_is_refused(therapist_client, record):
    response = therapist_client.post(
        reverse("intake:assessment_create", args=[record.pk]), {"assessed_on": TODAY.isoformat()}
    )
    assert response.context["form"].non_field_errors() == [assessment_forms.NO_TEST_RECORDED]
    assert assessment_forms.NO_TEST_RECORDED in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_chart_shows_identity_restrictions_and_both_histories(therapist_client, record):
    ScreeningFactory(client=record, screened_on=date(2026, 1, 5), night_pain=True)
    MedicalClearanceFactory(client=record, cleared_on=date(2026, 1, 20))
    ScreeningFactory(
        client=record, screened_on=date(2026, 2, 5), clotting_disorder_or_anticoagulants=True
    )
    response = therapist_client.get(record.get_absolute_url())
    content = response.content.decode()
    assert response.context["triage"].outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert record.full_name in content
    assert "Excluded: Vigorous friction, Sustained heavy trigger-point pressure" in content
    assert "5 Jan 2026" in content and "Unrelenting night pain" in content  # the older screening
    assert TriageOutcome.REFER_NOW.label not in content  # cleared; the later screening governs


def test_the_consent_date_offers_the_clinics_today_to_fill_in_when_consent_is_ticked():
    """static/js/consent_date.js reads it; the date stays required on the server."""
    form = intake_forms.ClientForm()
    attrs = form.fields["consent_date"].widget.attrs
    assert attrs["data-today-when-ticked"] == timezone.localdate().isoformat()
    assert "data-today-when-ticked" in str(form["consent_date"])
    assert "consent_date" not in intake_forms.ClientForm(clinical=False).fields


def test_the_assessment_choices_are_one_tap_buttons_starting_on_not_done(therapist_client, record):
    """A drop-down costs two taps on a tablet; each test's side, where the pain went and its
    quality are radio buttons, "Not done"/"Not recorded" checked until the therapist chooses."""
    from html.parser import HTMLParser

    radios: dict[str, list[tuple[str, bool]]] = {}

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "input" and a.get("type") == "radio":
                radios.setdefault(a["name"], []).append((a["value"], "checked" in a))
            assert not (tag == "select" and a.get("name", "").endswith(("_side", "_pain")))

    page = therapist_client.get(reverse("intake:assessment_create", args=[record.pk]))
    Inputs().feed(page.content.decode())
    for name in ("slr_side", "bragard_side", "piriformis_side", "slr_pain", "slr_quality"):
        assert radios[name][0] == ("", True), name
        assert all(not checked for _, checked in radios[name][1:]), name
    assert [value for value, _ in radios["slr_side"]] == ["", "left", "right"]
    assert len(radios["slr_pain"]) == 1 + len(rules.SlrPain.choices)
