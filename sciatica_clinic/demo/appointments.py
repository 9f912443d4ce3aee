"""Demo appointments for `manage.py seed_demo`: a believable week on the demo calendars."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from intake.models import Client
from sessions.booking import services as booking
from sessions.booking.scheduling import clinic_datetime, week_start
from sessions.models import Appointment
from sessions.visits import services as visits

# (weekday, start, minutes, index of the therapist's client): Monday to Friday.
DEMO_WEEK = (
    (0, time(9, 0), 60, 0),
    (0, time(10, 30), 45, 1),
    (0, time(14, 0), 60, 2),
    (1, time(9, 30), 90, 3),
    (1, time(13, 0), 60, 4),
    (2, time(9, 0), 60, 0),
    (2, time(11, 0), 30, 5),
    (2, time(15, 30), 60, 1),
    (3, time(10, 0), 60, 2),
    (3, time(13, 30), 45, 3),
    (4, time(9, 0), 60, 0),
    (4, time(11, 30), 60, 4),
)


@transaction.atomic
def demo_appointments_ensure(*, therapist: User, today: date | None = None) -> int:
    """Fill `therapist`'s working week with the demo pattern unless it has appointments already.

    The week is the current one, or the coming one on a weekend, so the demo always has
    visits ahead. Returns how many were booked. Past visits are completed (one a no-show);
    booking goes through the services, so a demo visit never overlaps anything on the calendar.
    """
    today = today or timezone.localdate()
    monday = week_start(today) + timedelta(weeks=1 if today.weekday() >= 5 else 0)
    start, _ = booking.appointment_day_bounds(monday)
    _, end = booking.appointment_day_bounds(monday + timedelta(days=6))
    if Appointment.objects.filter(
        therapist=therapist, starts_at__gte=start, starts_at__lt=end
    ).exists():
        return 0
    clients = list(Client.objects.filter(therapist=therapist).order_by("id")[:6])
    if not clients:
        return 0
    zone = timezone.get_default_timezone()
    now = timezone.now()
    booked = 0
    for weekday, at, minutes, client_index in DEMO_WEEK:
        starts_at = clinic_datetime(day=monday + timedelta(days=weekday), at=at, zone=zone)
        appointment = booking.appointment_book(
            client=clients[client_index % len(clients)],
            starts_at=starts_at,
            minutes=minutes,
            booked_by=therapist,
        )
        booked += 1
        if appointment.ends_at > now:
            continue
        if booked == 2:
            visits.appointment_mark_no_show(appointment=appointment, now=now)
        else:
            visits.appointment_check_in(appointment=appointment, now=starts_at)
            visits.appointment_complete(appointment=appointment)
    return booked
