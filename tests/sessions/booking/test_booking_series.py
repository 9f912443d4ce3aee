"""Booking a course of care in one step: clashes are skipped and listed."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta

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


def test_a_weekly_visit_skips_only_the_spring_gap_and_keeps_the_autumn_repeat(therapist, settings):
    """Every Sunday at 01:30 for a year: the spring change skips 01:30 (listed, not booked);
    the autumn change repeats it, and the visit takes the first 01:30 (summer time)."""
    settings.TIME_ZONE = "Europe/London"
    client = ClientFactory(therapist=therapist)
    today = timezone.localdate()
    first_sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
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

    assert len(result.skipped) == 1
    assert result.skipped[0].day.month == 3
    assert result.skipped[0].starts_at is None and "clocks go forward" in result.skipped[0].reason
    assert len(result.booked) == 51
    autumn = [a for a in result.booked if timezone.localtime(a.starts_at).month == 10]
    repeated = [a for a in autumn if timezone.localtime(a.starts_at).dst()]
    assert all(timezone.localtime(a.starts_at).strftime("%H:%M") == "01:30" for a in autumn)
    assert len(repeated) >= 1


def test_a_weekly_series_keeps_the_wall_clock_time_and_real_minutes_across_both_changes(
    therapist, settings
):
    """10:00 stays 10:00 in the clinic before and after each change; every visit lasts 90
    real minutes."""
    settings.TIME_ZONE = "Europe/London"
    client = ClientFactory(therapist=therapist)
    for first_day in (date(2027, 3, 21), date(2027, 10, 24)):
        series = SeriesRequest(
            first_day=first_day,
            weekdays=(6,),
            per_week=1,
            weeks=3,
            then_every_weeks=1,
            then_visits=0,
        )
        result = appointment_series_book(
            client=client, series=series, at=time(10), minutes=90, booked_by=therapist
        )
        assert not result.skipped
        for appointment in result.booked:
            appointment.refresh_from_db()
            assert timezone.localtime(appointment.starts_at).time() == time(10)
            assert appointment.ends_at - appointment.starts_at == timedelta(minutes=90)
        utc_hours = [a.starts_at.astimezone(UTC).hour for a in result.booked]
        assert utc_hours in ([10, 9, 9], [9, 10, 10])
