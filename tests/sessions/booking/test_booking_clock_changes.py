"""Booking across the clock changes (docs/engineering-notes.md "Clock changes"): a visit's
length is real minutes, stored in UTC, shown in the clinic's zone. Runs on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from sessions.booking.forms import AppointmentTimeForm
from sessions.booking.scheduling import clinic_datetime
from sessions.booking.services import appointment_book, appointment_when
from sessions.models import Appointment
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db

SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)


@pytest.fixture(autouse=True)
def london(settings):
    settings.TIME_ZONE = "Europe/London"


def _at(day, hour, minute=0):
    return clinic_datetime(day=day, at=time(hour, minute), zone=timezone.get_default_timezone())


def _book(client, starts_at, minutes=90):
    return appointment_book(client=client, starts_at=starts_at, minutes=minutes, booked_by=None)


def test_a_ninety_minute_visit_at_half_past_midnight_in_spring_lasts_ninety_minutes(therapist):
    visit = _book(ClientFactory(therapist=therapist), _at(SPRING, 0, 30))
    visit.refresh_from_db()
    assert visit.ends_at - visit.starts_at == timedelta(minutes=90)
    assert visit.starts_at == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert visit.ends_at == datetime(2027, 3, 28, 2, 0, tzinfo=UTC)
    assert appointment_when(visit) == "Sun 28 Mar 2027, 00:30\u201303:00"


def test_a_second_visit_inside_the_real_end_of_the_spring_visit_is_refused(therapist):
    first = _book(ClientFactory(therapist=therapist, first_name="Ann"), _at(SPRING, 0, 30))
    second_client = ClientFactory(therapist=therapist)
    # 02:00 on the clock is 01:00 UTC: half an hour before the first visit really ends.
    with pytest.raises(ValidationError) as refused:
        _book(second_client, _at(SPRING, 2, 0))
    assert "already booked at that time" in refused.value.messages[0]
    assert appointment_when(first) in refused.value.messages[0]
    # From 03:00 on the clock (02:00 UTC) the therapist is free.
    assert _book(second_client, _at(SPRING, 3, 0), minutes=30).pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint")
def test_the_database_itself_refuses_the_spring_overlap(therapist):
    _book(ClientFactory(therapist=therapist), _at(SPRING, 0, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            therapist=therapist,
            client=ClientFactory(therapist=therapist),
            starts_at=_at(SPRING, 2, 0),
            minutes=30,
        )


def test_the_autumn_visit_at_half_past_midnight_is_stored_as_ninety_minutes(therapist):
    visit = _book(ClientFactory(therapist=therapist), _at(AUTUMN, 0, 30))
    visit.refresh_from_db()
    assert visit.ends_at - visit.starts_at == timedelta(minutes=90)
    assert visit.ends_at == datetime(2027, 10, 31, 1, 0, tzinfo=UTC)
    # It ends at the second 01:00 on the clock: shown with its offset.
    assert appointment_when(visit) == "Sun 31 Oct 2027, 00:30\u201301:00 (UTC+00:00)"


def test_an_ambiguous_autumn_time_is_the_first_occurrence_and_the_second_is_free_after(
    therapist,
):
    client = ClientFactory(therapist=therapist)
    first = _book(client, _at(AUTUMN, 1, 0), minutes=60)
    assert first.starts_at == datetime(2027, 10, 31, 0, 0, tzinfo=UTC)
    assert appointment_when(first) == "Sun 31 Oct 2027, 01:00 (UTC+01:00)\u201301:00 (UTC+00:00)"
    second = _book(client, first.ends_at, minutes=30)
    assert second.starts_at == first.ends_at


def test_the_form_refuses_a_spring_gap_time_on_the_start_time_field():
    form = AppointmentTimeForm(
        {"day": SPRING.isoformat(), "at": "01:30", "minutes": 60},
        now=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert not form.is_valid()
    assert list(form.errors) == ["at"]
    assert form.errors["at"][0].startswith("Start time: 01:30 on Sun 28 Mar 2027 does not exist")


def test_the_form_takes_an_ambiguous_autumn_time_as_its_first_occurrence():
    form = AppointmentTimeForm(
        {"day": AUTUMN.isoformat(), "at": "01:30", "minutes": 60},
        now=datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
