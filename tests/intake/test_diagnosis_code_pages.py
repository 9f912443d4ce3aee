"""Diagnosis codes on the client form, the search page (without JavaScript) and its JSON, the
chart and the note PDF (clinical rules §9.1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.diagnosis_codes import CODE_NOT_BILLABLE, CODE_UNKNOWN, IcdCode
from intake.models import Client, ReferralDiagnosis
from intake.services import referral_diagnoses_set
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def form_data(client: Client, **changes) -> dict:
    data = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth.isoformat(),
        "physician_name": "Dr Okafor",
        "referral_date": "2026-01-05",
        "consent_given": "on",
        "consent_date": "2026-01-10",
        "diagnosis_codes": "",
    }
    return {**data, **changes}


def test_the_therapist_saves_codes_stored_with_their_descriptions(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    url = reverse("intake:client_edit", args=[client.pk])

    response = therapist_client.post(url, form_data(client, diagnosis_codes="m5431 M51.16"))

    assert response.status_code == 302
    assert [(d.position, d.code, d.description) for d in client.diagnoses.all()] == [
        (1, "M54.31", "Sciatica, right side"),
        (2, "M51.16", "Intervertebral disc disorders with radiculopathy, lumbar region"),
    ]
    page = therapist_client.get(url).content.decode()
    assert 'value="M54.31, M51.16"' in page


def test_a_bad_code_is_named_under_the_field_and_nothing_is_saved(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    url = reverse("intake:client_edit", args=[client.pk])

    response = therapist_client.post(url, form_data(client, diagnosis_codes="M54.3, X12.345"))

    assert response.status_code == 200
    errors = response.context["form"].errors["diagnosis_codes"]
    assert errors == [
        CODE_NOT_BILLABLE.format(
            code="M54.3", description="Sciatica", example="M54.30 (Sciatica, unspecified side)"
        ),
        CODE_UNKNOWN.format(code="X12.345"),
    ]
    assert not client.diagnoses.exists()


def test_a_new_client_gets_their_codes(therapist_client, therapist):
    page = therapist_client.get(reverse("intake:client_create")).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    data = form_data(ClientFactory.build(), diagnosis_codes="G57.01", form_token=token)

    therapist_client.post(reverse("intake:client_create"), data)

    client = Client.objects.get(first_name=data["first_name"], last_name=data["last_name"])
    assert [d.code for d in client.diagnoses.all()] == ["G57.01"]


def test_saving_codes_replaces_the_text_kept_from_before_codes_were_checked(
    therapist_client, therapist
):
    client = ClientFactory(therapist=therapist, diagnosis_codes_as_written="sciatica R")
    url = reverse("intake:client_edit", args=[client.pk])
    page = therapist_client.get(url).content.decode()
    assert "<q>sciatica R</q>" in page

    therapist_client.post(url, form_data(client, diagnosis_codes="M54.31"))

    client.refresh_from_db()
    assert client.diagnosis_codes_as_written == ""
    assert [d.code for d in client.diagnoses.all()] == ["M54.31"]


def test_unchanged_codes_write_nothing(therapist):
    client = ClientFactory(therapist=therapist)
    codes = [IcdCode("M54.31", "Sciatica, right side")]
    referral_diagnoses_set(client=client, codes=codes)
    first = ReferralDiagnosis.objects.get(client=client)

    referral_diagnoses_set(client=client, codes=codes)

    assert ReferralDiagnosis.objects.get(client=client).pk == first.pk
    assert ReferralDiagnosis.history.filter(client=client).count() == 1


def test_the_chart_shows_codes_descriptions_and_any_unchecked_text(therapist_client, therapist):
    client = ClientFactory(therapist=therapist, diagnosis_codes_as_written="L sciatica?")
    referral_diagnoses_set(client=client, codes=[IcdCode("M54.32", "Sciatica, left side")])

    page = therapist_client.get(client.get_absolute_url()).content.decode()

    assert "<code>M54.32</code> Sciatica, left side" in page
    assert "As written before codes were checked: <q>L sciatica?</q>" in page


def test_the_search_page_works_without_javascript(therapist_client):
    url = reverse("intake:diagnosis_code_search")
    assert "Code or words" in therapist_client.get(url).content.decode()

    page = therapist_client.get(url, {"q": "sciatica left"}).content.decode()

    assert '<code class="fs-6">M54.32</code></td><td>Sciatica, left side' in page


def test_the_search_answers_json_for_the_suggestions(therapist_client):
    response = therapist_client.get(
        reverse("intake:diagnosis_code_search"), {"q": "M54.3", "format": "json"}
    )
    assert response.json()["results"][:2] == [
        {"code": "M54.30", "description": "Sciatica, unspecified side"},
        {"code": "M54.31", "description": "Sciatica, right side"},
    ]


def test_a_too_long_search_is_refused_with_a_message(therapist_client):
    response = therapist_client.get(reverse("intake:diagnosis_code_search"), {"q": "x" * 101})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


def test_the_search_page_needs_a_sign_in(client):
    response = client.get(reverse("intake:diagnosis_code_search"), {"q": "M54"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_the_manager_and_a_colleague_may_search(manager_client, colleague_client):
    url = reverse("intake:diagnosis_code_search")
    assert manager_client.get(url, {"q": "M54.3"}).status_code == 200
    assert colleague_client.get(url, {"q": "M54.3"}).status_code == 200
