"""A red flag stays until the client's therapist records a medical clearance (clinical rules §2.1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.forms import DATE_BEFORE_BIRTH, DATE_IN_FUTURE
from intake.models import MedicalClearance
from intake.rules import RED_FLAG_QUESTIONS, ScreeningAnswers
from intake.rules.safety import SAFETY_RED_FLAG_HOLDS, SafetyStatus
from tests.intake.factories import ClientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - timedelta(days=1)


@pytest.fixture
def flagged(therapist):
    record = ClientFactory(therapist=therapist)
    ScreeningFactory(
        client=record, screened_on=YESTERDAY, saddle_anaesthesia=True, bladder_bowel_change=True
    )
    return record


def clearance_url(record) -> str:
    return reverse("intake:clearance_create", args=[record.pk])


def clearance_post(**changes) -> dict:
    return {
        "physician_name": "Dr. Amal Haddad",
        "cleared_on": timezone.localdate().isoformat(),
        "cleared_what": "Bladder change and saddle numbness: MRI normal, no compression",
        "note": "",
    } | changes


def test_a_clean_check_in_re_screen_does_not_lower_a_red_flag(therapist, flagged):
    services.screening_recheck_red_flags(
        client=flagged,
        recorded_by=therapist,
        screened_on=timezone.localdate(),
        red_flags={q.name: False for q in RED_FLAG_QUESTIONS},
    )
    flagged.refresh_from_db()
    assert flagged.safety_status == SafetyStatus.EMERGENCY
    assert services.client_clinical_state(client=flagged).triage.blocks_treatment


def test_the_chart_says_the_flag_holds_and_offers_the_clearance(therapist_client, flagged):
    page = therapist_client.get(flagged.get_absolute_url()).content.decode()
    assert SAFETY_RED_FLAG_HOLDS in page
    assert clearance_url(flagged) in page


def test_the_therapist_records_a_clearance_and_the_status_is_lowered(
    therapist, therapist_client, flagged
):
    page = therapist_client.get(clearance_url(flagged)).content.decode()
    assert "New loss of bladder or bowel control (or retention)" in page
    response = therapist_client.post(clearance_url(flagged), clearance_post(), follow=True)
    assert response.redirect_chain[-1][0] == flagged.get_absolute_url()
    clearance = MedicalClearance.objects.get(client=flagged)
    assert clearance.physician_name == "Dr. Amal Haddad"
    assert clearance.recorded_by == therapist
    flagged.refresh_from_db()
    assert flagged.safety_status == SafetyStatus.TREAT
    assert "Medical clearance recorded. Safety status: Treat." in response.content.decode()
    assert flagged.history.filter(safety_status=SafetyStatus.EMERGENCY).exists()
    assert flagged.history.first().safety_status == SafetyStatus.TREAT


def test_a_flag_raised_after_the_clearance_holds_again(therapist, flagged):
    services.clearance_record(
        client=flagged,
        recorded_by=therapist,
        physician_name="Dr. Amal Haddad",
        cleared_on=timezone.localdate(),
        cleared_what="All clear",
    )
    services.screening_record(
        client=flagged,
        recorded_by=therapist,
        screened_on=timezone.localdate(),
        answers=ScreeningAnswers(night_pain=True),
    )
    flagged.refresh_from_db()
    assert flagged.safety_status == SafetyStatus.REFER_NOW


def test_a_clearance_with_nothing_open_is_refused_and_not_saved(therapist, therapist_client):
    record = ClientFactory(therapist=therapist)
    ScreeningFactory(client=record, screened_on=YESTERDAY)
    page = therapist_client.get(clearance_url(record)).content.decode()
    assert "nothing for a medical clearance to lower" in page
    response = therapist_client.post(clearance_url(record), clearance_post(), follow=True)
    assert services.CLEARANCE_NOTHING_OPEN in response.content.decode()
    assert not MedicalClearance.objects.exists()


@pytest.mark.parametrize(
    ("cleared_on", "message"),
    [
        (timezone.localdate() + timedelta(days=1), DATE_IN_FUTURE),
        (date(1900, 1, 1), DATE_BEFORE_BIRTH),
    ],
)
def test_the_clearance_date_must_be_between_birth_and_today(
    therapist_client, flagged, cleared_on, message
):
    response = therapist_client.post(
        clearance_url(flagged), clearance_post(cleared_on=cleared_on.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cleared_on"] == [message]
    assert not MedicalClearance.objects.exists()


@pytest.mark.parametrize("field", ["physician_name", "cleared_on", "cleared_what"])
def test_who_when_and_what_are_required(therapist_client, flagged, field):
    response = therapist_client.post(clearance_url(flagged), clearance_post(**{field: ""}))
    assert field in response.context["form"].errors
    assert not MedicalClearance.objects.exists()


def test_only_the_client_s_own_therapist_records_a_clearance(client, colleague, manager, flagged):
    client.force_login(colleague)
    assert client.get(clearance_url(flagged)).status_code == 404
    assert client.post(clearance_url(flagged), clearance_post()).status_code == 404
    client.force_login(manager)
    assert client.get(clearance_url(flagged)).status_code == 403
    assert client.post(clearance_url(flagged), clearance_post()).status_code == 403
    client.logout()
    assert client.get(clearance_url(flagged)).status_code == 302
    assert not MedicalClearance.objects.exists()
