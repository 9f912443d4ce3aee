"""The client's safety status wherever a visit is touched: Today, the calendars, the appointment
page, the check-in page and the run sheet (clinical rules §2.1-2.3).

The status is stored on the client, so it shows without a query; a status that forbids treatment
is shown prominently and no green, primary "Check in" or "Plan the session" is offered.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intake.rules import RED_FLAG_QUESTIONS
from intake.rules.safety import SAFETY_RED_FLAG_HOLDS, SafetyStatus
from sessions.models import Appointment
from sessions.visits.views import CHECKED_IN_MESSAGE
from tests.intake.factories import (
    AssessmentFactory,
    ClientFactory,
    HealthHistoryFactory,
    MedicalClearanceFactory,
    ScreeningFactory,
)
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

REFER_NOW = "Refer now: red flag"
EMERGENCY = "Emergency: suspected cauda equina"
REASON = {q.name: q.reason for q in RED_FLAG_QUESTIONS}
ALL_NO = {q.name: "no" for q in RED_FLAG_QUESTIONS}


@pytest.fixture
def red_flag_client(therapist):
    client = ClientFactory(therapist=therapist, first_name="Rita", last_name="Redflag")
    ScreeningFactory(client=client, night_pain=True)
    assert client.safety_status == SafetyStatus.REFER_NOW
    return client


@pytest.fixture
def emergency_client(therapist):
    client = ClientFactory(therapist=therapist, first_name="Eric", last_name="Emergency")
    ScreeningFactory(client=client, saddle_anaesthesia=True, bladder_bowel_change=True)
    assert client.safety_status == SafetyStatus.EMERGENCY
    return client


@pytest.fixture
def treat_client(therapist):
    client = ClientFactory(therapist=therapist, first_name="Tom", last_name="Treat")
    ScreeningFactory(client=client)
    assert client.safety_status == SafetyStatus.TREAT
    return client


def _today_visit(client):
    # Late in the clinic day, so it is still to come whenever the tests run.
    return AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0), minutes=30)


def _day_and_week_urls(appointment, *, therapist=None):
    day = appointment.starts_at.date().isoformat()
    query = f"&therapist={therapist.pk}" if therapist else ""
    return [
        reverse("sessions:today") + f"?day={day}{query}",
        reverse("sessions:calendar") + f"?week={day}{query}",
    ]


def _page(browser, url) -> str:
    # The manager's all-therapists week is the day grid of every therapist: a redirect.
    response = browser.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _check_in_button(html: str) -> str:
    match = re.search(r'<a class="btn btn-sm ([^"]*)" href="[^"]*/check-in/">', html)
    assert match, "no check-in button"
    return match.group(1)


# --- Today and the week calendar ---------------------------------------------------------------


@pytest.mark.parametrize("url_index", [0, 1], ids=["today", "calendar"])
def test_a_red_flag_shows_on_the_therapists_day_and_week(
    therapist_client, red_flag_client, treat_client, url_index
):
    appointment = _today_visit(red_flag_client)
    AppointmentFactory(client=treat_client, starts_at=clinic_time(0, 22, 0), minutes=30)
    html = _page(therapist_client, _day_and_week_urls(appointment)[url_index])
    assert html.count(REFER_NOW) == 1
    assert "safety-badge-refer_now" in html and "safety-forbids" in html
    # The treat client's badge is there too, and says so.
    assert "safety-badge-treat" in html and "Tom Treat" in html


@pytest.mark.parametrize("url_index", [0, 1], ids=["today", "calendar"])
def test_the_manager_sees_it_on_every_therapists_day_and_week(
    manager_client, therapist, emergency_client, url_index
):
    appointment = _today_visit(emergency_client)
    for url in (
        _day_and_week_urls(appointment)[url_index],
        _day_and_week_urls(appointment, therapist=therapist)[url_index],
    ):
        html = _page(manager_client, url)
        assert EMERGENCY in html and "safety-badge-emergency" in html


@pytest.mark.parametrize("url_index", [0, 1], ids=["today", "calendar"])
def test_a_treat_client_shows_no_red_flag(therapist_client, treat_client, url_index):
    html = _page(therapist_client, _day_and_week_urls(_today_visit(treat_client))[url_index])
    assert REFER_NOW not in html and EMERGENCY not in html
    assert "safety-forbids" not in html
    assert "Treat" in html


def test_a_client_never_screened_says_so(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    html = _page(therapist_client, _day_and_week_urls(_today_visit(client))[0])
    assert "Not screened yet" in html


def test_today_offers_check_in_as_a_secondary_button_while_treatment_is_forbidden(
    therapist_client, red_flag_client, treat_client
):
    red = _page(therapist_client, _day_and_week_urls(_today_visit(red_flag_client))[0])
    assert _check_in_button(red) == "btn-outline-secondary"
    assert "Check in (re-screen)" in red
    Appointment.objects.all().delete()
    ok = _page(therapist_client, _day_and_week_urls(_today_visit(treat_client))[0])
    # A shortcut beside the row's one primary button, "Open visit".
    assert _check_in_button(ok) == "btn-outline-success"


def test_a_clearance_then_a_clean_screening_lowers_the_badge(therapist_client, red_flag_client):
    today = clinic_time(0, 0).date()
    MedicalClearanceFactory(client=red_flag_client, cleared_on=today)
    ScreeningFactory(client=red_flag_client, screened_on=today)
    html = _page(therapist_client, _day_and_week_urls(_today_visit(red_flag_client))[0])
    assert REFER_NOW not in html


# --- the appointment page ----------------------------------------------------------------------


def _detail(appointment):
    return reverse("sessions:appointment_detail", args=[appointment.pk])


@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_the_appointment_page_shows_the_status_prominently(request, who, red_flag_client):
    html = _page(request.getfixturevalue(who), _detail(_today_visit(red_flag_client)))
    assert REFER_NOW in html
    assert "safety-alert" in html and "no massage" in html
    assert "btn-success" not in html and "btn-primary" not in html.split("booking-actions")[1]


def test_the_appointment_page_of_a_checked_in_client_offers_the_referral_not_a_plan(
    therapist_client, red_flag_client
):
    appointment = _today_visit(red_flag_client)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CHECKED_IN)
    html = _page(therapist_client, _detail(appointment))
    assert "/plans/new/" not in html and "/run-sheet/" not in html
    primary = re.findall(r'class="btn btn-primary[^"]*" href="([^"]*)"', html)
    assert primary == [reverse("sessions:referral_letter", args=[red_flag_client.pk])]


def test_the_appointment_page_of_a_treat_client_shows_no_red_flag(therapist_client, treat_client):
    HealthHistoryFactory(client=treat_client)
    AssessmentFactory(client=treat_client)
    html = _page(therapist_client, _detail(_today_visit(treat_client)))
    assert REFER_NOW not in html and "safety-alert" not in html
    assert "safety-badge-treat" in html
    # The check-in is the next step: its questions on the page, its button the primary one.
    check_in = reverse("sessions:appointment_check_in", args=[Appointment.objects.get().pk])
    assert f'action="{check_in}"' in html
    assert "Record the answers and check in" in html


# --- the check-in page -------------------------------------------------------------------------


def _check_in(appointment):
    return reverse("sessions:appointment_check_in", args=[appointment.pk])


def test_check_in_shows_the_status_its_meaning_and_the_open_red_flags_above_the_questions(
    therapist_client, emergency_client
):
    html = _page(therapist_client, _check_in(_today_visit(emergency_client)))
    status_at = html.index(EMERGENCY)
    first_question = html.index(RED_FLAG_QUESTIONS[0].question)
    assert status_at < first_question
    assert "emergency department today" in html
    for name in ("saddle_anaesthesia", "bladder_bowel_change"):
        assert status_at < html.index(REASON[name]) < first_question
    assert SAFETY_RED_FLAG_HOLDS in html


def test_check_in_of_a_treat_client_shows_the_status_without_red_flags(
    therapist_client, treat_client
):
    html = _page(therapist_client, _check_in(_today_visit(treat_client)))
    assert "safety-badge-treat" in html
    assert SAFETY_RED_FLAG_HOLDS not in html and REFER_NOW not in html


def test_check_in_answered_no_while_a_red_flag_holds_turns_the_visit_into_a_referral(
    therapist_client, red_flag_client
):
    appointment = _today_visit(red_flag_client)
    response = therapist_client.post(_check_in(appointment), ALL_NO)
    assert response.status_code == 200
    assert response.templates[0].name == "sessions/check_in_blocked.html"
    red_flag_client.refresh_from_db()
    appointment.refresh_from_db()
    assert red_flag_client.safety_status == SafetyStatus.REFER_NOW
    assert appointment.status == Appointment.Status.REFERRED


def test_check_in_answered_no_for_a_treat_client_is_the_plain_success(
    therapist_client, treat_client
):
    response = therapist_client.post(_check_in(_today_visit(treat_client)), ALL_NO)
    assert _messages(response) == [CHECKED_IN_MESSAGE.format(client="Tom Treat")]


def test_the_manager_still_may_not_check_in(manager_client, red_flag_client):
    assert manager_client.get(_check_in(_today_visit(red_flag_client))).status_code == 403


# --- the run sheet -----------------------------------------------------------------------------


def test_the_run_sheet_warns_of_a_red_flag(therapist_client, red_flag_client):
    appointment = _today_visit(red_flag_client)
    html = _page(therapist_client, reverse("sessions:run_sheet", args=[appointment.pk]))
    assert REFER_NOW in html and "No massage" in html


def test_the_run_sheet_of_a_treat_client_shows_no_red_flag(therapist_client, treat_client):
    appointment = _today_visit(treat_client)
    html = _page(therapist_client, reverse("sessions:run_sheet", args=[appointment.pk]))
    assert "safety-badge-treat" in html and REFER_NOW not in html and "No massage" not in html


def test_the_reschedule_page_shows_the_safety_status(therapist_client, red_flag_client):
    appointment = _today_visit(red_flag_client)
    html = _page(
        therapist_client, reverse("sessions:appointment_reschedule", args=[appointment.pk])
    )
    assert "safety-badge-refer_now" in html and REFER_NOW in html
