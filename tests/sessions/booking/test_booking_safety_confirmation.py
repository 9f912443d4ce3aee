"""Booking a client whose safety status forbids treatment: a warning naming the status and the
open red flags, and a box to tick; without it the form refuses, with it booking goes ahead
(the visit after a medical clearance is booked before the clearance is recorded)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intake.rules import RED_FLAG_QUESTIONS
from intake.rules.safety import SafetyStatus
from sessions.booking.forms import (
    BOOKING_SAFETY_CONFIRM_CONTRAINDICATION,
    BOOKING_SAFETY_CONFIRM_RED_FLAG,
    BOOKING_SAFETY_CONFIRM_REQUIRED,
    BOOKING_SAFETY_WARNING,
)
from sessions.models import Appointment
from tests.intake.factories import ClientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

REASON = {q.name: q.reason for q in RED_FLAG_QUESTIONS}


def _client(therapist, **screening):
    client = ClientFactory(therapist=therapist, first_name="Rita", last_name="Redflag")
    ScreeningFactory(client=client, **screening)
    return client


@pytest.fixture
def red_flag_client(therapist):
    return _client(therapist, saddle_anaesthesia=True, bladder_bowel_change=True)


@pytest.fixture
def treat_client(therapist):
    return _client(therapist)


def _single(client):
    return reverse("sessions:appointment_book") + f"?client={client.pk}"


def _series(client):
    return reverse("sessions:appointment_series_book") + f"?client={client.pk}"


def _single_data(**extra):
    day = timezone.localdate() + timedelta(days=2)
    return {"day": day.isoformat(), "at": "09:30", "minutes": 60, **extra}


def _series_data(**extra):
    first_day = timezone.localdate() + timedelta(days=2)
    return {
        "first_day": first_day.isoformat(),
        "at": "09:00",
        "minutes": 60,
        "per_week": 1,
        "weekdays": [first_day.weekday()],
        "weeks": 2,
        "then_every_weeks": 2,
        "then_visits": 0,
        **extra,
    }


FORMS = [(_single, _single_data, 1), (_series, _series_data, 2)]
IDS = ["single", "series"]


def _refusal(status: str, label: str = BOOKING_SAFETY_CONFIRM_RED_FLAG) -> str:
    return BOOKING_SAFETY_CONFIRM_REQUIRED.format(label=label, status=status)


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_the_form_warns_naming_the_status_and_the_open_red_flags(
    request, who, red_flag_client, url, data, count
):
    response = request.getfixturevalue(who).get(url(red_flag_client))
    assert response.status_code == 200
    html = response.content.decode()
    status = SafetyStatus.EMERGENCY.label
    assert escape(BOOKING_SAFETY_WARNING.format(status=status)) in html
    assert REASON["saddle_anaesthesia"] in html and REASON["bladder_bowel_change"] in html
    assert BOOKING_SAFETY_CONFIRM_RED_FLAG in html and 'name="safety_confirmed"' in html


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_without_the_box_nothing_is_booked_and_the_field_says_why(
    request, who, red_flag_client, url, data, count
):
    response = request.getfixturevalue(who).post(url(red_flag_client), data())
    assert response.status_code == 200
    refusal = _refusal(SafetyStatus.EMERGENCY.label)
    assert response.context["form"].errors == {"safety_confirmed": [refusal]}
    assert escape(refusal) in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_with_the_box_ticked_the_booking_goes_ahead(
    request, who, red_flag_client, url, data, count
):
    response = request.getfixturevalue(who).post(url(red_flag_client), data(safety_confirmed="on"))
    assert response.status_code == 302
    assert Appointment.objects.filter(client=red_flag_client).count() == count


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
def test_a_refer_now_client_is_named_as_such(therapist_client, therapist, url, data, count):
    client = _client(therapist, night_pain=True)
    response = therapist_client.post(url(client), data())
    assert response.context["form"].errors == {
        "safety_confirmed": [_refusal(SafetyStatus.REFER_NOW.label)]
    }
    assert REASON["night_pain"] in response.content.decode()


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
def test_a_do_not_treat_client_is_asked_about_the_contraindication(
    therapist_client, therapist, url, data, count
):
    client = _client(therapist, infection_or_wound=True)
    assert client.safety_status == SafetyStatus.DO_NOT_TREAT
    response = therapist_client.post(url(client), data())
    label = BOOKING_SAFETY_CONFIRM_CONTRAINDICATION
    assert response.context["form"].errors == {
        "safety_confirmed": [_refusal(SafetyStatus.DO_NOT_TREAT.label, label)]
    }
    assert therapist_client.post(url(client), data(safety_confirmed="on")).status_code == 302


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
@pytest.mark.parametrize(
    "screening",
    [None, {}, {"osteoporosis": True}],
    ids=["not screened", "treat", "treat with modifications"],
)
def test_a_client_who_may_be_treated_is_booked_without_the_box(
    therapist_client, therapist, url, data, count, screening
):
    if screening is None:
        client = ClientFactory(therapist=therapist)
    else:
        client = _client(therapist, **screening)
    page = therapist_client.get(url(client)).content.decode()
    assert "safety_confirmed" not in page and "booking-safety-warning" not in page
    assert therapist_client.post(url(client), data()).status_code == 302
    assert Appointment.objects.filter(client=client).count() == count


@pytest.mark.parametrize(("url", "data", "count"), FORMS, ids=IDS)
def test_a_colleague_still_gets_not_found(colleague_client, red_flag_client, url, data, count):
    assert colleague_client.get(url(red_flag_client)).status_code == 404
    assert (
        colleague_client.post(url(red_flag_client), data(safety_confirmed="on")).status_code == 404
    )
    assert not Appointment.objects.exists()
