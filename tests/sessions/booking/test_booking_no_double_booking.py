"""No double booking (docs/engineering-notes.md): on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sessions.booking.services import (
    APPOINTMENT_CLASH_CLIENT,
    APPOINTMENT_CLASH_THERAPIST,
    APPOINTMENT_MINUTES_OUT_OF_RANGE,
    appointment_book,
    appointment_when,
)
from sessions.models import Appointment
from sessions.visits.services import (
    appointment_cancel,
    appointment_mark_no_show,
    appointment_reschedule,
)
from tests.intake.factories import ClientFactory
from tests.sessions.factories import clinic_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def jane(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


@pytest.fixture
def tom(therapist):
    return ClientFactory(therapist=therapist, first_name="Tom", last_name="Lane")


def book(client, day_offset=1, hour=10, minute=0, minutes=60):
    return appointment_book(
        client=client,
        starts_at=clinic_time(day_offset, hour, minute),
        minutes=minutes,
        booked_by=client.therapist,
    )


def test_booking_stores_the_end_derived_from_the_length(jane):
    appointment = book(jane, minutes=45)
    appointment.refresh_from_db()
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=45)
    assert appointment.therapist == jane.therapist
    assert appointment.status == Appointment.Status.BOOKED


def test_an_overlapping_booking_for_the_therapist_is_refused_naming_the_clash(jane, tom):
    book(jane, hour=10)
    with pytest.raises(ValidationError) as refused:
        book(tom, hour=10, minute=30)
    tomorrow = clinic_time(1, 10)
    assert refused.value.messages == [
        APPOINTMENT_CLASH_THERAPIST.format(
            therapist="Alice",
            client="Jane Doe",
            when=f"{tomorrow:%a %d %b %Y}, 10:00\u201311:00",
        )
    ]
    assert Appointment.objects.count() == 1


def test_an_overlapping_booking_for_the_client_with_another_therapist_is_refused(jane, colleague):
    first = book(jane, hour=10)
    # The client moved to another therapist since; the old booking still holds the client.
    jane.therapist = colleague
    jane.save()
    with pytest.raises(ValidationError) as refused:
        book(jane, hour=10, minute=45, minutes=30)
    assert refused.value.messages == [
        APPOINTMENT_CLASH_CLIENT.format(
            therapist="Alice", client="Jane Doe", when=appointment_when(first)
        )
    ]
    assert Appointment.objects.count() == 1


def test_back_to_back_appointments_do_not_clash(jane, tom):
    book(jane, hour=10)
    book(tom, hour=11)
    book(jane, hour=9, minutes=60)
    assert Appointment.objects.count() == 3


def test_another_therapists_appointment_at_the_same_time_is_no_clash(jane, colleague):
    book(jane, hour=10)
    book(ClientFactory(therapist=colleague), hour=10)
    assert Appointment.objects.count() == 2


def test_a_cancelled_appointment_frees_the_slot(jane, tom):
    appointment_cancel(appointment=book(jane, hour=10), reason="Client is ill")
    book(tom, hour=10)
    assert Appointment.objects.filter(status=Appointment.Status.BOOKED).count() == 1


def test_a_no_show_frees_the_slot_for_a_walk_in(jane, tom):
    missed = book(jane, hour=10)
    appointment_mark_no_show(appointment=missed, now=missed.starts_at + timedelta(minutes=10))
    book(tom, hour=10, minute=15, minutes=30)
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize("minutes", [29, 91, 0])
def test_a_length_outside_30_to_90_minutes_is_refused(jane, minutes):
    with pytest.raises(ValidationError) as refused:
        book(jane, minutes=minutes)
    assert refused.value.messages == [APPOINTMENT_MINUTES_OUT_OF_RANGE]
    assert not Appointment.objects.exists()


def test_rescheduling_into_a_clash_is_refused_and_keeps_the_old_time(jane, tom):
    book(jane, hour=10)
    moving = book(tom, hour=14)
    with pytest.raises(ValidationError) as refused:
        appointment_reschedule(appointment=moving, starts_at=clinic_time(1, 10, 30), minutes=60)
    assert "Jane Doe" in refused.value.messages[0]
    moving.refresh_from_db()
    assert moving.starts_at == clinic_time(1, 14)


def test_rescheduling_may_overlap_the_appointments_own_old_slot(jane):
    appointment = book(jane, hour=10)
    appointment_reschedule(appointment=appointment, starts_at=clinic_time(1, 10, 30), minutes=90)
    appointment.refresh_from_db()
    assert appointment.ends_at == clinic_time(1, 12)


def test_the_database_refuses_a_length_outside_30_to_90_minutes(jane):
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            therapist=jane.therapist, client=jane, starts_at=clinic_time(1, 10), minutes=120
        )


def test_a_clash_with_the_clients_own_appointment_names_the_client(jane):
    first = book(jane, hour=10)
    with pytest.raises(ValidationError) as refused:
        book(jane, hour=10, minute=30)
    assert refused.value.messages == [
        APPOINTMENT_CLASH_CLIENT.format(
            therapist="Alice", client="Jane Doe", when=appointment_when(first)
        )
    ]
