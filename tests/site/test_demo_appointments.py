"""Demo appointments (seed_demo): whatever day the demo is loaded, Today has visits (one of
them the red-flag client's), so do the rest of this week and the next; loading it again adds
nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from intake.rules.safety import SafetyStatus
from sciatica_clinic.demo.appointments import (
    OTHER_DAYS,
    TODAY,
    demo_appointments_ensure,
    demo_days,
)
from sciatica_clinic.demo.clients import (
    demo_cases_ensure,
    demo_clients_ensure,
    demo_users_ensure,
)
from sessions.booking.scheduling import week_start
from sessions.models import Appointment
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db

RED_FLAGS = {SafetyStatus.REFER_NOW, SafetyStatus.EMERGENCY}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _next_monday():
    today = timezone.localdate()
    return week_start(today) + timedelta(weeks=1)


def _moment(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _demo_therapist():
    users = demo_users_ensure()
    demo_clients_ensure(therapists=[users["therapist"], users["colleague"]], count=12)
    demo_cases_ensure(therapist=users["therapist"])
    return users["therapist"]


def _visits_on(therapist, day):
    return Appointment.objects.filter(therapist=therapist, starts_at__date=day).select_related(
        "client"
    )


@pytest.mark.parametrize("weekday", range(7), ids=WEEKDAYS)
@pytest.mark.parametrize("hour", [7, 12, 22], ids=["morning", "midday", "late"])
def test_the_demo_has_visits_today_and_this_week_whatever_day_it_is_loaded(weekday, hour):
    therapist = _demo_therapist()
    today = _next_monday() + timedelta(days=weekday)
    now = _moment(today, hour)

    booked = demo_appointments_ensure(therapist=therapist, now=now)

    todays = list(_visits_on(therapist, today))
    assert len(todays) == len(TODAY)
    assert any(visit.client.safety_status in RED_FLAGS for visit in todays)
    # The red-flag client's visit waits for the check-in, however late the demo is loaded.
    red_flag = next(v for v in todays if v.client.safety_status in RED_FLAGS)
    assert red_flag.status == Appointment.Status.BOOKED
    monday = week_start(today)
    this_week = [monday + timedelta(days=n) for n in range(7)]
    other_days = [day for day in this_week if day != today and day.weekday() < 5]
    for day in other_days:
        assert _visits_on(therapist, day).exists(), f"no visits on {day:%A}"
    next_week = [monday + timedelta(days=7 + n) for n in range(5)]
    for day in next_week:
        assert _visits_on(therapist, day).exists(), f"no visits on {day:%A} next week"
    assert booked == Appointment.objects.filter(therapist=therapist).count()


def test_past_days_are_completed_one_a_no_show_and_the_red_flag_client_only_today():
    therapist = _demo_therapist()
    friday_evening = _moment(_next_monday() + timedelta(days=4), 20)

    demo_appointments_ensure(therapist=therapist, now=friday_evening)

    before = Appointment.objects.filter(
        therapist=therapist, ends_at__lte=_moment(friday_evening.date(), 0)
    )
    statuses = list(before.values_list("status", flat=True))
    assert statuses.count(Appointment.Status.NO_SHOW) == 1
    assert statuses.count(Appointment.Status.COMPLETED) == len(statuses) - 1
    assert not before.filter(client__safety_status__in=RED_FLAGS).exists()
    # Today's visits are over at 20:00: completed, but the red-flag client is left to check in.
    todays = {
        v.client.safety_status in RED_FLAGS: v.status
        for v in _visits_on(therapist, friday_evening.date())
    }
    assert todays == {True: Appointment.Status.BOOKED, False: Appointment.Status.COMPLETED}


def test_the_morning_visits_wait_for_their_check_in():
    therapist = _demo_therapist()
    wednesday_morning = _moment(_next_monday() + timedelta(days=2), 7)

    demo_appointments_ensure(therapist=therapist, now=wednesday_morning)

    todays = _visits_on(therapist, wednesday_morning.date())
    assert {v.status for v in todays} == {Appointment.Status.BOOKED}


def test_loading_again_adds_nothing_and_a_week_later_fills_the_new_days():
    therapist = _demo_therapist()
    sunday = _moment(_next_monday() + timedelta(days=6), 10)
    first = demo_appointments_ensure(therapist=therapist, now=sunday)

    assert demo_appointments_ensure(therapist=therapist, now=sunday) == 0

    a_week_later = sunday + timedelta(weeks=1)
    again = demo_appointments_ensure(therapist=therapist, now=a_week_later)
    assert again == len(TODAY) + sum(len(OTHER_DAYS[n]) for n in range(5))
    assert _visits_on(therapist, a_week_later.date()).count() == len(TODAY)
    assert Appointment.objects.filter(therapist=therapist).count() == first + again


def test_demo_days_are_this_week_and_next_working_days_and_today():
    sunday = _next_monday() + timedelta(days=6)
    days = demo_days(sunday)
    assert sunday in days
    assert [d.weekday() for d in days] == [0, 1, 2, 3, 4, 6, 0, 1, 2, 3, 4]


def test_seed_demo_books_visits_today_once():
    call_command("seed_demo", clients=12)
    booked = Appointment.objects.count()
    assert Appointment.objects.filter(
        therapist__username="therapist", starts_at__date=timezone.localdate()
    ).exists()
    call_command("seed_demo", clients=12)
    assert Appointment.objects.count() == booked


def test_a_therapist_without_clients_gets_no_demo_appointments(therapist):
    assert demo_appointments_ensure(therapist=therapist) == 0


def test_a_therapist_with_plain_clients_gets_the_pattern(therapist):
    for _ in range(6):
        ClientFactory(therapist=therapist)
    assert demo_appointments_ensure(therapist=therapist) > len(TODAY)
