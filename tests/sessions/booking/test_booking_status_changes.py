"""Cancel, no-show, check-in and complete: which status may become which."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sessions.models import Appointment
from sessions.visits.services import (
    APPOINTMENT_CHECK_IN_WRONG_DAY,
    APPOINTMENT_COMPLETE_NOT_ALLOWED,
    APPOINTMENT_NO_SHOW_TOO_EARLY,
    appointment_cancel,
    appointment_check_in,
    appointment_complete,
    appointment_mark_no_show,
    appointment_reschedule,
)
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

Status = Appointment.Status


def test_cancelling_keeps_the_record_with_its_reason():
    appointment = appointment_cancel(appointment=AppointmentFactory(), reason="  Flu ")
    appointment.refresh_from_db()
    assert appointment.status == Status.CANCELLED
    assert appointment.cancellation_reason == "Flu"
    assert appointment.history.count() == 2


@pytest.mark.parametrize(
    ("status", "change"),
    [
        (Status.CANCELLED, "cancelled"),
        (Status.NO_SHOW, "marked as a no-show"),
        (Status.COMPLETED, "marked completed"),
        (Status.CHECKED_IN, "checked in"),
    ],
)
def test_a_visit_past_booked_cannot_be_cancelled_and_the_message_says_what_happened(status, change):
    appointment = AppointmentFactory(status=status)
    with pytest.raises(ValidationError) as refused:
        appointment_cancel(appointment=appointment)
    assert refused.value.messages[0].startswith(f"This visit was {change} by someone at ")
    assert refused.value.messages[0].endswith(": it was not cancelled.")


def test_a_no_show_cannot_be_recorded_before_the_appointment_starts():
    appointment = AppointmentFactory(starts_at=clinic_time(0, 10))
    with pytest.raises(ValidationError) as refused:
        appointment_mark_no_show(
            appointment=appointment, now=appointment.starts_at - timedelta(minutes=1)
        )
    assert refused.value.messages == [APPOINTMENT_NO_SHOW_TOO_EARLY]
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


@pytest.mark.parametrize("status", [Status.CHECKED_IN, Status.CANCELLED, Status.COMPLETED])
def test_only_a_booked_appointment_can_be_a_no_show(status):
    appointment = AppointmentFactory(status=status, starts_at=clinic_time(-1, 10))
    with pytest.raises(ValidationError) as refused:
        appointment_mark_no_show(appointment=appointment)
    assert refused.value.messages[0].endswith(": it was not marked as a no-show.")
    assert refused.value.code == "changed"


def test_check_in_on_the_day_then_complete():
    appointment = AppointmentFactory(starts_at=clinic_time(0, 23))
    appointment_check_in(appointment=appointment, now=clinic_time(0, 8))
    assert appointment.status == Status.CHECKED_IN
    appointment_complete(appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.status == Status.COMPLETED


def test_check_in_is_refused_on_another_day():
    appointment = AppointmentFactory(starts_at=clinic_time(1, 0, 30))
    with pytest.raises(ValidationError) as refused:
        appointment_check_in(appointment=appointment, now=clinic_time(0, 23, 59))
    assert refused.value.messages == [APPOINTMENT_CHECK_IN_WRONG_DAY]


def test_check_in_is_refused_for_a_cancelled_appointment():
    appointment = AppointmentFactory(status=Status.CANCELLED, starts_at=timezone.now())
    with pytest.raises(ValidationError) as refused:
        appointment_check_in(appointment=appointment)
    assert refused.value.messages[0].startswith("This visit was cancelled by someone at ")


def test_only_a_checked_in_appointment_can_be_completed():
    with pytest.raises(ValidationError) as refused:
        appointment_complete(appointment=AppointmentFactory())
    assert refused.value.messages == [APPOINTMENT_COMPLETE_NOT_ALLOWED.format(status="Booked")]


def test_a_checked_in_appointment_cannot_be_rescheduled():
    appointment = AppointmentFactory(status=Status.CHECKED_IN)
    with pytest.raises(ValidationError) as refused:
        appointment_reschedule(appointment=appointment, starts_at=clinic_time(5, 9), minutes=60)
    assert refused.value.messages[0].startswith("This visit was checked in by someone at ")
    assert refused.value.messages[0].endswith(": nothing was moved.")
