"""Booking a course of care in one step: clashes are skipped and listed."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from sessions.booking.scheduling import SeriesRequest, series_dates
from sessions.booking.services import (
    APPOINTMENT_CLASH_THERAPIST,
    appointment_series_book,
    appointment_when,
)
from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def _series(first_day, **changes):
    fields = {
        "first_day": first_day,
        "weekdays": (first_day.weekday(), (first_day.weekday() + 3) % 7),
        "per_week": 2,
        "weeks": 3,
        "then_every_weeks": 2,
        "then_visits": 2,
    }
    fields.update(changes)
    return SeriesRequest(**fields)


def test_a_series_books_every_visit_at_the_same_wall_clock_time(therapist):
    client = ClientFactory(therapist=therapist)
    series = _series(timezone.localdate() + timedelta(days=1))
    result = appointment_series_book(
        client=client, series=series, at=time(9, 30), minutes=45, booked_by=therapist
    )
    assert result.skipped == []
    assert [timezone.localtime(a.starts_at).date() for a in result.booked] == series_dates(series)
    assert {timezone.localtime(a.starts_at).time() for a in result.booked} == {time(9, 30)}
    assert Appointment.objects.filter(client=client, minutes=45).count() == 8


def test_a_clashing_visit_is_skipped_and_listed_with_the_clash(therapist):
    client = ClientFactory(therapist=therapist)
    series = _series(timezone.localdate() + timedelta(days=1))
    third = series_dates(series)[2]
    other = ClientFactory(therapist=therapist, first_name="Olga", last_name="Other")
    busy = AppointmentFactory(
        client=other,
        starts_at=timezone.make_aware(timezone.datetime.combine(third, time(9))),
        minutes=60,
    )

    result = appointment_series_book(
        client=client, series=series, at=time(9, 30), minutes=45, booked_by=therapist
    )

    assert len(result.booked) == 7
    assert [skip.day for skip in result.skipped] == [third]
    assert result.skipped[0].reason == APPOINTMENT_CLASH_THERAPIST.format(
        therapist="Alice", client="Olga Other", when=appointment_when(busy)
    )
    assert Appointment.objects.filter(client=client).count() == 7


def test_a_visit_on_a_clock_change_is_skipped_and_listed(therapist, settings):
    settings.TIME_ZONE = "Europe/London"
    client = ClientFactory(therapist=therapist)
    today = timezone.localdate()
    first_sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    # Every Sunday at 01:30 for a year: the two clock-change Sundays cannot be booked.
    series = SeriesRequest(
        first_day=first_sunday,
        weekdays=(6,),
        per_week=1,
        weeks=52,
        then_every_weeks=1,
        then_visits=0,
    )

    result = appointment_series_book(
        client=client, series=series, at=time(1, 30), minutes=30, booked_by=therapist
    )

    assert len(result.skipped) == 2
    assert {skip.day.month for skip in result.skipped} == {3, 10}
    assert all(skip.starts_at is None and "clocks" in skip.reason for skip in result.skipped)
    assert len(result.booked) == 50
