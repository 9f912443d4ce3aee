"""Demo appointments for `manage.py seed_demo`: visits today, this week and next, whatever day
the demo is loaded on, so that `make run` shows Today and the calendars working."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from intake.models import Client
from sessions.booking import services as booking
from sessions.booking.scheduling import clinic_datetime, week_start
from sessions.models import Appointment
from sessions.visits import services as visits

# A visit: (start, minutes, index of the therapist's client, oldest first). The demo therapist's
# first clients are the stories of `demo.clients.DEMO_CASES`: index 2 is Tom Becker, whose
# screening found a red flag (suspected cauda equina). He is booked today only, so the demo
# shows a red-flag client on Today waiting for the check-in that turns his visit into a
# referral; he is never booked on a past day, where the demo completes the visits.
RED_FLAG_CLIENT = 2
TODAY = (
    (time(9, 0), 60, 0),
    (time(10, 30), 60, RED_FLAG_CLIENT),
    (time(13, 0), 45, 1),
    (time(15, 30), 60, 3),
)
# The other days' visits, taken in turn (Monday's pattern on a Monday, and so on).
OTHER_DAYS = (
    ((time(9, 0), 60, 0), (time(10, 30), 45, 1), (time(14, 0), 60, 3)),
    ((time(9, 30), 90, 4), (time(13, 0), 60, 5)),
    ((time(9, 0), 60, 0), (time(11, 0), 30, 5), (time(15, 30), 60, 1)),
    ((time(10, 0), 60, 3), (time(13, 30), 45, 4)),
    ((time(9, 0), 60, 0), (time(11, 30), 60, 4)),
)
# The demo clinic works Monday to Friday; the day the demo is loaded counts as a working day
# too (a Saturday or Sunday clinic), so Today is never empty.
WORKING_WEEKDAYS = frozenset(range(5))


def demo_days(today: date) -> list[date]:
    """The days the demo books: every working day of this week and the next, and today."""
    monday = week_start(today)
    days = [monday + timedelta(days=offset) for offset in range(14)]
    return [day for day in days if day.weekday() in WORKING_WEEKDAYS or day == today]


def demo_day_visits(day: date, today: date) -> tuple[tuple[time, int, int], ...]:
    return TODAY if day == today else OTHER_DAYS[day.weekday() % len(OTHER_DAYS)]


@transaction.atomic
def demo_appointments_ensure(*, therapist: User, now: datetime | None = None) -> int:
    """Book the demo visits on each of `demo_days` on which `therapist` has no appointment yet;
    returns how many were booked. `now` is the moment the demo is loaded (tests set it).
    Loaded again the same day it adds nothing; loaded a week
    later it fills the new days, today included.

    Booking goes through the services, so a demo visit never overlaps anything on the calendar.
    Visits on a day before today are completed (the first one a no-show), as they would be
    in a working clinic; today's visits wait for their check-in, except those already over,
    which are completed (the red-flag client's visit is left for the check-in to refer).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    clients = list(Client.objects.filter(therapist=therapist).order_by("id")[:6])
    if not clients:
        return 0
    days = demo_days(today)
    first, _ = booking.appointment_day_bounds(days[0])
    _, last = booking.appointment_day_bounds(days[-1])
    busy = {
        timezone.localdate(starts_at)
        for starts_at in Appointment.objects.filter(
            therapist=therapist, starts_at__gte=first, starts_at__lt=last
        ).values_list("starts_at", flat=True)
    }
    zone = timezone.get_default_timezone()
    booked = 0
    no_show_marked = False
    for day in days:
        if day in busy:
            continue
        for at, minutes, client_index in demo_day_visits(day, today):
            client = clients[client_index % len(clients)]
            appointment = booking.appointment_book(
                client=client,
                starts_at=clinic_datetime(day=day, at=at, zone=zone),
                minutes=minutes,
                booked_by=therapist,
            )
            booked += 1
            if appointment.ends_at > now or (day == today and client_index == RED_FLAG_CLIENT):
                continue
            if day < today and not no_show_marked:
                visits.appointment_mark_no_show(appointment=appointment, now=now)
                no_show_marked = True
            else:
                visits.appointment_check_in(appointment=appointment, now=appointment.starts_at)
                visits.appointment_complete(appointment=appointment)
    return booked
