"""The booking pages at work: book, clash messages, series, reschedule, day list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import DATE_BEFORE_1900
from sessions.booking.forms import BOOKING_IN_THE_PAST
from sessions.booking.scheduling import SERIES_WEEKDAYS_COUNT
from sessions.booking.services import APPOINTMENT_CLASH_THERAPIST, appointment_when
from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def jane(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


def _next_spring_forward() -> date:
    """The clinic's next spring-forward day (London: the last Sunday of March), within the
    booking horizon whatever the date the suite runs."""
    year = timezone.localdate().year + 1
    last = date(year, 3, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _book_url(client):
    return reverse("sessions:appointment_book") + f"?client={client.pk}"


def test_booking_a_visit_redirects_to_it(therapist_client, jane):
    day = clinic_time(2, 9).date()
    response = therapist_client.post(
        _book_url(jane), {"day": day.isoformat(), "at": "09:30", "minutes": 45, "note": "First"}
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == appointment.get_absolute_url()
    assert timezone.localtime(appointment.starts_at).hour == 9
    assert appointment.minutes == 45 and appointment.booked_by.username == "alice"


def test_the_manager_books_on_the_clients_own_therapists_calendar(manager_client, jane):
    day = clinic_time(2, 9).date()
    manager_client.post(_book_url(jane), {"day": day.isoformat(), "at": "09:30", "minutes": 60})
    appointment = Appointment.objects.get()
    assert appointment.therapist == jane.therapist
    assert appointment.booked_by.username == "carol"


def test_a_clash_is_shown_on_the_form_naming_the_clashing_appointment(therapist_client, jane):
    busy = AppointmentFactory(
        client=ClientFactory(therapist=jane.therapist, first_name="Olga", last_name="Other"),
        starts_at=clinic_time(2, 10),
    )
    response = therapist_client.post(
        _book_url(jane),
        {"day": busy.starts_at.date().isoformat(), "at": "10:30", "minutes": 60},
    )
    assert response.status_code == 200
    message = APPOINTMENT_CLASH_THERAPIST.format(
        therapist="Alice", client="Olga Other", when=appointment_when(busy)
    )
    assert message in response.content.decode()
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"day": "2020-01-01", "at": "10:00", "minutes": 60}, BOOKING_IN_THE_PAST),
        ({"day": "not a date", "at": "10:00", "minutes": 60}, "Enter a valid date."),
        ({"day": "2099-01-01", "at": "25:00", "minutes": 60}, "Enter a valid time."),
        ({"day": "2099-01-01", "at": "10:00", "minutes": 120}, "less than or equal to 90"),
        ({"day": "2099-01-01", "at": "10:00", "minutes": "ten"}, "Enter a whole number."),
        ({"day": "SPRING_FORWARD", "at": "01:30", "minutes": 60}, "the clocks go forward"),
        ({"day": "9999-12-31", "at": "10:00", "minutes": 60}, "more than 2 years ahead"),
        ({"day": "0001-01-01", "at": "10:00", "minutes": 60}, DATE_BEFORE_1900),
    ],
)
def test_bad_input_gets_a_message_and_books_nothing(therapist_client, jane, data, field_error):
    if data["day"] == "SPRING_FORWARD":
        data = {**data, "day": _next_spring_forward().isoformat()}
    response = therapist_client.post(_book_url(jane), data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("client_param", ["abc", "999999"])
def test_an_unknown_client_is_not_found_or_searched(therapist_client, client_param):
    response = therapist_client.get(
        reverse("sessions:appointment_book") + f"?client={client_param}"
    )
    assert response.status_code == (200 if client_param == "abc" else 404)


def test_rescheduling_moves_the_appointment(therapist_client, jane):
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(2, 10))
    day = clinic_time(3, 10).date().isoformat()
    response = therapist_client.post(
        reverse("sessions:appointment_reschedule", args=[appointment.pk]),
        {"day": day, "at": "15:00", "minutes": 30},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == clinic_time(3, 15) and appointment.minutes == 30


def test_a_status_change_that_is_not_allowed_is_a_message_not_an_error(therapist_client, jane):
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(2, 10))
    response = therapist_client.post(
        reverse("sessions:appointment_no_show", args=[appointment.pk]), follow=True
    )
    assert response.status_code == 200
    assert "only once the appointment has started" in response.content.decode()


def test_a_post_action_returns_to_the_page_it_came_from_but_never_off_site(therapist_client, jane):
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(0, 0, 1))
    url = reverse("sessions:appointment_no_show", args=[appointment.pk])
    back = reverse("sessions:today")
    assert therapist_client.post(url, {"next": back}).url == back
    other = AppointmentFactory(client=jane, starts_at=clinic_time(0, 0, 2), minutes=30)
    url = reverse("sessions:appointment_cancel", args=[other.pk])
    response = therapist_client.post(url, {"next": "https://evil.example/"})
    assert response.url == other.get_absolute_url()


def _series_data(first_day, **changes):
    data = {
        "first_day": first_day.isoformat(),
        "at": "09:00",
        "minutes": 60,
        "per_week": 2,
        "weekdays": [first_day.weekday(), (first_day.weekday() + 3) % 7],
        "weeks": 3,
        "then_every_weeks": 2,
        "then_visits": 2,
    }
    data.update(changes)
    return data


def test_a_series_lists_what_it_booked_and_what_it_skipped(therapist_client, jane):
    first_day = timezone.localdate() + timedelta(days=1)
    busy = AppointmentFactory(
        client=ClientFactory(therapist=jane.therapist, first_name="Olga", last_name="Other"),
        starts_at=timezone.make_aware(
            timezone.datetime.combine(first_day + timedelta(days=7), timezone.datetime.min.time())
        )
        + timedelta(hours=9, minutes=30),
    )
    url = reverse("sessions:appointment_series_book") + f"?client={jane.pk}"
    response = therapist_client.post(url, _series_data(first_day))
    assert response.url == reverse("sessions:appointment_series_result")

    page = therapist_client.get(response.url).content.decode()
    assert "7 visits booked" in page
    assert "1 visit not booked" in page
    assert "Olga Other" in page and appointment_when(busy) in page
    assert "Book another time" in page
    assert Appointment.objects.filter(client=jane).count() == 7
    # A reload shows the same result and books nothing more.
    assert "7 visits booked" in therapist_client.get(response.url).content.decode()
    assert Appointment.objects.filter(client=jane).count() == 7


def test_a_series_with_the_wrong_number_of_days_is_refused(therapist_client, jane):
    first_day = timezone.localdate() + timedelta(days=1)
    url = reverse("sessions:appointment_series_book") + f"?client={jane.pk}"
    response = therapist_client.post(url, _series_data(first_day, weekdays=[0]))
    assert response.status_code == 200
    assert SERIES_WEEKDAYS_COUNT.format(per_week=2) in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_series_form_is_prefilled_from_frequency_advice(therapist_client, jane):
    url = reverse("sessions:appointment_series_book") + f"?client={jane.pk}"
    page = therapist_client.get(url).content.decode()
    assert "2 visits a week for 3 weeks, then one visit every 2-4 weeks." in page
    assert 'name="per_week" value="2"' in page


@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_today_has_an_add_client_button(request, who):
    response = request.getfixturevalue(who).get(reverse("sessions:today"))
    assert f'href="{reverse("intake:client_create")}">Add client</a>' in response.content.decode()
