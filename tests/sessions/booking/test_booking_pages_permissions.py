"""Who may open which booking page: owner, colleague, manager, anonymous.

A colleague gets a 404 (not a 403: the record's existence is not revealed); anonymous
visitors are sent to the login page; the manager sees every therapist's appointments.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(therapist):
    client = ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")
    return AppointmentFactory(client=client, starts_at=clinic_time(1, 10))


def _pages(appointment):
    day = appointment.starts_at.date().isoformat()
    therapist = appointment.therapist_id
    return {
        "calendar": reverse("sessions:calendar") + f"?therapist={therapist}&week={day}",
        "today": reverse("sessions:today") + f"?therapist={therapist}&day={day}",
        "detail": reverse("sessions:appointment_detail", args=[appointment.pk]),
        "reschedule": reverse("sessions:appointment_reschedule", args=[appointment.pk]),
        "book": reverse("sessions:appointment_book") + f"?client={appointment.client_id}",
        "series": reverse("sessions:appointment_series_book") + f"?client={appointment.client_id}",
    }


PAGES = ["calendar", "today", "detail", "reschedule", "book", "series"]


@pytest.mark.parametrize("page", PAGES)
def test_the_owner_opens_the_page(therapist_client, appointment, page):
    response = therapist_client.get(_pages(appointment)[page])
    assert response.status_code == 200
    assert "Jane Doe" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_a_colleague_gets_not_found(colleague_client, appointment, page):
    response = colleague_client.get(_pages(appointment)[page])
    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_the_manager_opens_the_page(manager_client, appointment, page):
    response = manager_client.get(_pages(appointment)[page])
    assert response.status_code == 200
    assert "Jane Doe" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_login(client, appointment, page):
    response = client.get(_pages(appointment)[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", ["calendar", "today"])
def test_a_colleagues_own_calendar_does_not_show_other_clients(colleague_client, appointment, page):
    url = reverse(f"sessions:{page}") + (
        f"?week={appointment.starts_at.date()}"
        if page == "calendar"
        else f"?day={appointment.starts_at.date()}"
    )
    response = colleague_client.get(url)
    assert response.status_code == 200
    assert "Jane Doe" not in response.content.decode()


@pytest.mark.parametrize("page", ["calendar", "calendar_day", "today"])
def test_the_manager_sees_every_therapist_by_default(manager_client, appointment, colleague, page):
    other = AppointmentFactory(
        client=ClientFactory(therapist=colleague, first_name="Olga", last_name="Other"),
        # The same day as `appointment`, so the day grid shows both.
        starts_at=appointment.starts_at + timedelta(hours=2),
    )
    url = reverse(f"sessions:{page}") + (
        f"?week={other.starts_at.date()}"
        if page == "calendar"
        else f"?day={other.starts_at.date()}"
    )
    # The manager's all-therapists calendar is the day grid (one column per therapist): the
    # week redirects to a day of it (today when the week holds today), checked as calendar_day.
    if page == "calendar":
        response = manager_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("sessions:calendar_day"))
        return
    content = manager_client.get(url).content.decode()
    assert "Jane Doe" in content and "Olga Other" in content


def test_a_therapist_search_finds_only_their_own_clients(therapist_client, therapist, colleague):
    ClientFactory(therapist=therapist, first_name="Mine", last_name="Smith")
    ClientFactory(therapist=colleague, first_name="Theirs", last_name="Smith")
    content = therapist_client.get(reverse("sessions:appointment_book") + "?q=smith").content
    assert b"Mine Smith" in content and b"Theirs Smith" not in content


def test_the_manager_search_finds_every_client(manager_client, therapist, colleague):
    ClientFactory(therapist=therapist, first_name="Mine", last_name="Smith")
    ClientFactory(therapist=colleague, first_name="Theirs", last_name="Smith")
    content = manager_client.get(reverse("sessions:appointment_book") + "?q=smith").content
    assert b"Mine Smith" in content and b"Theirs Smith" in content


# --- writes ------------------------------------------------------------------------------------


def _writes(appointment):
    return {
        "cancel": (
            reverse("sessions:appointment_cancel", args=[appointment.pk]),
            {"reason": "Ill"},
            Appointment.Status.CANCELLED,
        ),
        "no_show": (
            reverse("sessions:appointment_no_show", args=[appointment.pk]),
            {},
            Appointment.Status.NO_SHOW,
        ),
    }


@pytest.fixture
def started(therapist):
    client = ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")
    return AppointmentFactory(client=client, starts_at=clinic_time(0, 0, 5))


@pytest.mark.parametrize("action", ["cancel", "no_show"])
@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_the_owner_and_the_manager_may_change_the_status(request, started, action, who):
    url, data, status = _writes(started)[action]
    response = request.getfixturevalue(who).post(url, data)
    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == status


@pytest.mark.parametrize("action", ["cancel", "no_show"])
def test_a_colleague_cannot_change_the_status(colleague_client, started, action):
    url, data, _ = _writes(started)[action]
    assert colleague_client.post(url, data).status_code == 404
    started.refresh_from_db()
    assert started.status == Appointment.Status.BOOKED


@pytest.mark.parametrize("action", ["cancel", "no_show"])
def test_an_anonymous_visitor_cannot_change_the_status(client, started, action):
    url, data, _ = _writes(started)[action]
    response = client.post(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    started.refresh_from_db()
    assert started.status == Appointment.Status.BOOKED


def test_complete_is_refused_to_a_colleague_and_allowed_to_the_owner(
    therapist_client, colleague, started
):
    started.status = Appointment.Status.CHECKED_IN
    started.save()
    url = reverse("sessions:appointment_complete", args=[started.pk])
    from django.test import Client

    bob = Client()
    bob.force_login(colleague)
    assert bob.post(url).status_code == 404
    assert therapist_client.post(url).status_code == 302
    started.refresh_from_db()
    assert started.status == Appointment.Status.COMPLETED


def test_a_colleague_cannot_book_for_someone_elses_client(colleague_client, therapist):
    client = ClientFactory(therapist=therapist)
    url = reverse("sessions:appointment_book") + f"?client={client.pk}"
    day = clinic_time(2, 10).date().isoformat()
    response = colleague_client.post(url, {"day": day, "at": "10:00", "minutes": 60})
    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_a_colleague_cannot_reschedule_someone_elses_appointment(colleague_client, appointment):
    url = reverse("sessions:appointment_reschedule", args=[appointment.pk])
    day = clinic_time(3, 10).date().isoformat()
    response = colleague_client.post(url, {"day": day, "at": "15:00", "minutes": 60})
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.starts_at == clinic_time(1, 10)


def test_the_series_result_is_only_in_the_bookers_session(colleague_client):
    response = colleague_client.get(reverse("sessions:appointment_series_result"))
    assert response.status_code == 302
    assert response.url == reverse("sessions:calendar")


def test_the_series_result_sends_an_anonymous_visitor_to_login(client):
    response = client.get(reverse("sessions:appointment_series_result"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
