"""Check-in with the 30-second red-flag re-screen (clinical rules §2.1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake.models import Screening
from intake.rules import RED_FLAG_QUESTIONS, TriageOutcome
from intake.rules.safety import SafetyStatus
from intake.services import SCREENING_NONE_TO_RECHECK, screening_latest
from sessions.booking.forms import RESCREEN_ANSWER_REQUIRED
from sessions.models import Appointment
from sessions.visits.services import (
    APPOINTMENT_CHECK_IN_WRONG_DAY,
    appointment_check_in_rescreen,
)
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

ALL_NO = {q.name: False for q in RED_FLAG_QUESTIONS}


@pytest.fixture
def jane(therapist):
    client = ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")
    ScreeningFactory(client=client, osteoporosis=True)
    return client


@pytest.fixture
def appointment(jane):
    return AppointmentFactory(client=jane, starts_at=clinic_time(0, 23, 0), minutes=30)


def test_all_clear_checks_the_client_in_and_records_the_rescreen(appointment, therapist):
    result = appointment_check_in_rescreen(
        appointment=appointment, recorded_by=therapist, red_flags=ALL_NO
    )
    appointment.refresh_from_db()
    assert result.checked_in and appointment.status == Appointment.Status.CHECKED_IN
    latest = screening_latest(client=appointment.client)
    assert latest == result.screening
    # The other answers carry over from the earlier screening.
    assert latest.osteoporosis is True
    assert result.triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS


def test_five_noes_at_check_in_do_not_wipe_an_open_red_flag(therapist):
    """The reported journey: saddle numbness and a bladder change ("refer now"), then five
    "No" answers at the next check-in. The flag holds until a medical clearance."""
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, saddle_anaesthesia=True, bladder_bowel_change=True)
    appointment = AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0), minutes=30)
    result = appointment_check_in_rescreen(
        appointment=appointment, recorded_by=therapist, red_flags=ALL_NO
    )
    appointment.refresh_from_db()
    client.refresh_from_db()
    assert not result.checked_in
    assert appointment.status == Appointment.Status.REFERRED
    assert result.triage.emergency
    assert client.safety_status == SafetyStatus.EMERGENCY


@pytest.mark.parametrize("question", [q.name for q in RED_FLAG_QUESTIONS])
def test_any_yes_blocks_the_session_and_updates_the_triage(appointment, therapist, question):
    result = appointment_check_in_rescreen(
        appointment=appointment, recorded_by=therapist, red_flags={**ALL_NO, question: True}
    )
    appointment.refresh_from_db()
    assert not result.checked_in
    # The client came and was screened: the visit is referred, not cancelled, and keeps why.
    assert appointment.status == Appointment.Status.REFERRED
    assert "check-in re-screen" in appointment.not_treated_reason
    assert appointment.cancellation_reason == ""
    assert list(appointment.history.values_list("status", flat=True)) == [
        "referred",
        "checked_in",
        "booked",
    ]
    assert result.triage.outcome == TriageOutcome.REFER_NOW
    latest = screening_latest(client=appointment.client)
    assert getattr(latest, question) is True
    assert latest.evaluate().blocks_treatment


def test_a_client_never_screened_cannot_be_rescreened(therapist):
    appointment = AppointmentFactory(
        client=ClientFactory(therapist=therapist), starts_at=clinic_time(0, 23, 0), minutes=30
    )
    with pytest.raises(ValidationError) as refused:
        appointment_check_in_rescreen(
            appointment=appointment, recorded_by=therapist, red_flags=ALL_NO
        )
    assert refused.value.messages == [SCREENING_NONE_TO_RECHECK]
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert not Screening.objects.exists()


def test_the_rescreen_is_refused_on_another_day_and_records_nothing(jane, therapist):
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(2, 10))
    with pytest.raises(ValidationError) as refused:
        appointment_check_in_rescreen(
            appointment=appointment, recorded_by=therapist, red_flags=ALL_NO
        )
    assert refused.value.messages == [APPOINTMENT_CHECK_IN_WRONG_DAY]
    assert Screening.objects.count() == 1


# --- the page ----------------------------------------------------------------------------------


def _answers(**yes):
    return {name: ("yes" if yes.get(name) else "no") for name in ALL_NO}


def _url(appointment):
    return reverse("sessions:appointment_check_in", args=[appointment.pk])


def test_the_page_asks_every_red_flag_question_with_no_answer_preselected(
    therapist_client, appointment
):
    page = therapist_client.get(_url(appointment)).content.decode()
    for question in RED_FLAG_QUESTIONS:
        assert question.question in page
    assert "checked" not in page


def test_an_unanswered_question_is_named_and_nothing_is_recorded(therapist_client, appointment):
    answers = _answers()
    del answers["night_pain"]
    response = therapist_client.post(_url(appointment), answers)
    assert response.status_code == 200
    assert RESCREEN_ANSWER_REQUIRED in response.content.decode()
    assert Screening.objects.count() == 1
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_all_clear_on_the_page_checks_in_and_goes_to_the_appointment(therapist_client, appointment):
    response = therapist_client.post(_url(appointment), _answers())
    assert response.status_code == 302 and response.url == appointment.get_absolute_url()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CHECKED_IN


def test_a_yes_on_the_page_shows_the_referral_and_the_emergency(therapist_client, appointment):
    response = therapist_client.post(_url(appointment), _answers(saddle_anaesthesia=True))
    page = response.content.decode()
    assert response.status_code == 200
    assert "No session today for Jane Doe" in page
    assert "emergency department" in page
    letter = reverse("sessions:referral_letter", args=[appointment.client_id])
    assert letter in page
    response = therapist_client.get(letter)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.REFERRED


def test_a_client_without_a_screening_is_sent_to_the_full_screening(therapist_client, therapist):
    appointment = AppointmentFactory(
        client=ClientFactory(therapist=therapist), starts_at=clinic_time(0, 23, 0), minutes=30
    )
    page = therapist_client.get(_url(appointment)).content.decode()
    assert "no screening on file" in page
    assert 'name="night_pain"' not in page


def test_a_closed_appointment_sends_back_to_the_appointment(therapist_client, appointment):
    appointment.status = Appointment.Status.CANCELLED
    appointment.save()
    response = therapist_client.get(_url(appointment))
    assert response.status_code == 302 and response.url == appointment.get_absolute_url()


@pytest.mark.parametrize(
    ("who", "status"),
    [("therapist_client", 200), ("colleague_client", 404), ("manager_client", 403)],
)
def test_who_may_open_the_check_in(request, appointment, who, status):
    assert request.getfixturevalue(who).get(_url(appointment)).status_code == status


def test_a_colleague_cannot_check_in_someone_elses_client(colleague_client, appointment):
    assert colleague_client.post(_url(appointment), _answers()).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert Screening.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_login(client, appointment):
    response = client.get(_url(appointment))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
