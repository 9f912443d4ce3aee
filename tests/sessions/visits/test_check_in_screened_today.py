"""The check-in skips its red-flag re-screen when a screening dated today already asked them
(clinical rules §2.1), says when and by whom, and still refers a client whose safety status
forbids treatment."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from intake.models import Screening
from sessions.models import Appointment
from sessions.visits.services import (
    CHECK_IN_NOT_SCREENED_TODAY,
    appointment_check_in_screened_today,
)
from sessions.visits.views import CHECKED_IN_SCREENED_TODAY_MESSAGE
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


@pytest.fixture
def visit(record):
    return AppointmentFactory(client=record, starts_at=clinic_time(0, 23, 0), minutes=30)


def _url(visit):
    return reverse("sessions:appointment_check_in", args=[visit.pk])


def _at(screening) -> str:
    return f"{timezone.localtime(screening.created_at):%H:%M}"


def test_screened_today_the_check_in_says_when_and_by_whom_and_asks_nothing(
    therapist_client, record, visit
):
    screening = ScreeningFactory(client=record, screened_on=timezone.localdate())
    html = therapist_client.get(_url(visit)).content.decode()
    assert f"Screened today at {_at(screening)} by Alice" in html
    assert 'name="saddle_anaesthesia"' not in html
    assert 'name="screened_today"' in html
    assert "?rescreen=1" in html


def test_one_press_checks_in_without_a_new_screening(therapist_client, record, visit):
    screening = ScreeningFactory(client=record, screened_on=timezone.localdate())
    response = therapist_client.post(_url(visit), {"screened_today": screening.pk}, follow=True)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CHECKED_IN
    assert Screening.objects.filter(client=record).count() == 1
    expected = CHECKED_IN_SCREENED_TODAY_MESSAGE.format(
        client="Jane Doe", time=_at(screening), who="Alice"
    )
    assert [str(m) for m in response.context["messages"]] == [expected]


def test_screened_on_an_earlier_day_the_red_flags_are_asked_again(therapist_client, record, visit):
    ScreeningFactory(client=record, screened_on=date(2026, 1, 5))
    html = therapist_client.get(_url(visit)).content.decode()
    assert 'name="saddle_anaesthesia"' in html
    assert 'name="screened_today"' not in html


def test_the_therapist_may_ask_again_all_the_same(therapist_client, record, visit):
    ScreeningFactory(client=record, screened_on=timezone.localdate())
    html = therapist_client.get(_url(visit) + "?rescreen=1").content.decode()
    assert 'name="saddle_anaesthesia"' in html
    assert "Screened today at" in html


def test_a_forbidding_status_asks_the_questions_and_never_offers_the_shortcut(
    therapist_client, record, visit
):
    ScreeningFactory(client=record, screened_on=timezone.localdate(), night_pain=True)
    html = therapist_client.get(_url(visit)).content.decode()
    assert 'name="screened_today"' not in html
    assert 'name="night_pain"' in html


def test_the_shortcut_sent_anyway_still_refers_a_client_who_may_not_be_treated(
    therapist_client, record, visit
):
    screening = ScreeningFactory(
        client=record, screened_on=timezone.localdate(), saddle_anaesthesia=True
    )
    response = therapist_client.post(_url(visit), {"screened_today": screening.pk})
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.REFERRED
    assert "No session today for Jane Doe" in response.content.decode()
    assert Screening.objects.filter(client=record).count() == 1


def test_a_red_flag_raised_on_an_earlier_day_still_blocks_the_shortcut(therapist, record, visit):
    """Today's clean screening does not lower yesterday's uncleared flag."""
    ScreeningFactory(client=record, screened_on=date(2026, 1, 5), bladder_bowel_change=True)
    ScreeningFactory(client=record, screened_on=timezone.localdate())
    result = appointment_check_in_screened_today(appointment=visit, by=therapist)
    visit.refresh_from_db()
    assert not result.checked_in and visit.status == Appointment.Status.REFERRED


def test_without_a_screening_today_the_shortcut_is_refused(therapist, record, visit):
    ScreeningFactory(client=record, screened_on=date(2026, 1, 5))
    with pytest.raises(ValidationError) as refused:
        appointment_check_in_screened_today(appointment=visit, by=therapist)
    assert refused.value.messages == [CHECK_IN_NOT_SCREENED_TODAY.format(client="Jane Doe")]
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.BOOKED


def test_the_shortcut_posted_without_a_screening_today_explains_and_asks(
    therapist_client, record, visit
):
    ScreeningFactory(client=record, screened_on=date(2026, 1, 5))
    response = therapist_client.post(_url(visit), {"screened_today": "1"}, follow=True)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.BOOKED
    html = response.content.decode()
    assert CHECK_IN_NOT_SCREENED_TODAY.format(client="Jane Doe") in html
    assert 'name="saddle_anaesthesia"' in html


@pytest.mark.parametrize(("who", "status"), [("colleague_client", 404), ("manager_client", 403)])
def test_only_the_clients_therapist_takes_the_shortcut(request, record, visit, who, status):
    screening = ScreeningFactory(client=record, screened_on=timezone.localdate())
    response = request.getfixturevalue(who).post(_url(visit), {"screened_today": screening.pk})
    assert response.status_code == status
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.BOOKED
