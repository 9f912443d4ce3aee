"""Demo appointments (seed_demo): a filled working week, and running it again adds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sciatica_clinic.demo.appointments import DEMO_WEEK, demo_appointments_ensure
from sessions.booking.scheduling import week_start
from sessions.booking.services import appointment_day_bounds
from sessions.models import Appointment
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_books_the_demo_therapists_week_once():
    call_command("seed_demo", clients=12)
    today = timezone.localdate()
    monday = week_start(today) + timedelta(weeks=1 if today.weekday() >= 5 else 0)
    start, _ = appointment_day_bounds(monday)
    _, end = appointment_day_bounds(monday + timedelta(days=6))
    week = Appointment.objects.filter(
        therapist__username="therapist", starts_at__gte=start, starts_at__lt=end
    )
    assert week.count() == len(DEMO_WEEK)
    call_command("seed_demo", clients=12)
    assert Appointment.objects.filter(therapist__username="therapist").count() == len(DEMO_WEEK)


def test_past_demo_visits_are_completed_and_one_is_a_no_show(therapist):
    for _ in range(6):
        ClientFactory(therapist=therapist)
    friday = week_start(timezone.localdate()) + timedelta(days=4)
    # As if seeded on a Friday evening a week ago: every visit of that week is over.
    booked = demo_appointments_ensure(therapist=therapist, today=friday - timedelta(weeks=1))
    statuses = list(Appointment.objects.values_list("status", flat=True))
    assert booked == len(DEMO_WEEK)
    assert statuses.count(Appointment.Status.NO_SHOW) == 1
    assert statuses.count(Appointment.Status.COMPLETED) == len(DEMO_WEEK) - 1


def test_a_therapist_without_clients_gets_no_demo_appointments(therapist):
    assert demo_appointments_ensure(therapist=therapist) == 0
