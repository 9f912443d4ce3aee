"""The booking form lists the therapist's free times for the day; picking one fills the time
(a link: works without JavaScript). Runs on both databases."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db
BOOK = reverse("sessions:appointment_book")


@pytest.fixture(autouse=True)
def hours(settings):
    settings.CLINIC_DAY_STARTS, settings.CLINIC_DAY_ENDS = "09:00", "13:00"


@pytest.fixture
def jane(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


def free(response) -> list[str]:
    return [slot["at"] for slot in response.context["free"]["slots"]]


def test_the_form_lists_the_free_times_around_the_therapists_visits(therapist_client, jane):
    day = clinic_time(3, 9).date()
    AppointmentFactory(client=ClientFactory(therapist=jane.therapist), starts_at=clinic_time(3, 10))
    # A cancelled visit frees its time again.
    AppointmentFactory(
        client=ClientFactory(therapist=jane.therapist),
        starts_at=clinic_time(3, 11, 30),
        minutes=30,
        status=Appointment.Status.CANCELLED,
    )
    response = therapist_client.get(BOOK, {"client": jane.pk, "day": day.isoformat()})
    assert free(response) == ["09:00", "11:00", "11:30", "12:00"]
    content = response.content.decode()
    assert "Working hours 09:00–13:00" in content
    link = f"?client={jane.pk}&amp;day={day.isoformat()}&amp;minutes=60&amp;at=11%3A00"
    assert f'href="{link}"' in content


def test_a_free_time_link_fills_the_booking_forms_date_time_and_length(therapist_client, jane):
    day = clinic_time(3, 9).date()
    response = therapist_client.get(
        BOOK, {"client": jane.pk, "day": day.isoformat(), "minutes": 30, "at": "11:30"}
    )
    form = response.context["form"]
    assert form["day"].value() == day
    assert str(form["at"].value()) == "11:30:00"
    assert form["minutes"].value() == 30
    assert 'aria-current="true">11:30</a>' in response.content.decode()
    assert free(response)[-1] == "12:30"  # a 30-minute visit fits until 13:00


def test_the_clients_own_visits_with_anyone_are_busy_too(therapist_client, jane, colleague):
    AppointmentFactory(client=jane, therapist=colleague, starts_at=clinic_time(3, 9), minutes=90)
    response = therapist_client.get(BOOK, {"client": jane.pk, "day": clinic_time(3, 9).date()})
    assert free(response)[0] == "10:30"


def test_the_manager_sees_the_clients_own_therapists_free_times(manager_client, jane, colleague):
    AppointmentFactory(client=jane, starts_at=clinic_time(3, 9), minutes=30)
    AppointmentFactory(client=ClientFactory(therapist=colleague), starts_at=clinic_time(3, 11))
    response = manager_client.get(BOOK, {"client": jane.pk, "day": clinic_time(3, 9).date()})
    assert free(response) == ["09:30", "10:00", "10:30", "11:00", "11:30", "12:00"]


def test_a_full_day_says_so(therapist_client, jane):
    AppointmentFactory(client=jane, starts_at=clinic_time(3, 9), minutes=90)
    AppointmentFactory(client=jane, starts_at=clinic_time(3, 10, 30), minutes=90)
    AppointmentFactory(client=jane, starts_at=clinic_time(3, 12), minutes=60)
    response = therapist_client.get(BOOK, {"client": jane.pk, "day": clinic_time(3, 9).date()})
    assert free(response) == []
    assert "No free time for a 60-minute visit" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"day": "1800-01-01"}, "Day to look at: That date is before 1900"),
        ({"day": "2026-02-30"}, "Day to look at: Enter a valid date."),
        ({"minutes": "500"}, "Visit of (minutes): Ensure this value is less than or equal to 90."),
    ],
)
def test_a_bad_day_or_length_for_the_free_times_names_the_field(
    therapist_client, jane, params, message
):
    response = therapist_client.get(BOOK, {"client": jane.pk, **params})
    assert response.status_code == 200
    assert response.context["free"]["slots"] is None
    assert message in response.content.decode()


def test_after_a_refused_booking_the_free_times_follow_the_form_as_sent(therapist_client, jane):
    AppointmentFactory(client=jane, starts_at=clinic_time(3, 9), minutes=60)
    other = ClientFactory(therapist=jane.therapist)
    day = clinic_time(3, 9).date().isoformat()
    response = therapist_client.post(
        BOOK + f"?client={other.pk}", {"day": day, "at": "09:30", "minutes": 45}
    )
    assert response.status_code == 200  # the clash is on the form
    assert free(response)[0] == "10:00"
    assert response.context["free"]["minutes"] == 45


def test_a_colleague_cannot_see_a_clients_free_times(colleague_client, jane):
    assert colleague_client.get(BOOK, {"client": jane.pk}).status_code == 404
