"""An action sent from a page drawn before the visit was moved is refused, saying what changed
and who changed it: the page carries the visit as it showed it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from sessions.models import Appointment
from sessions.visits.services import appointment_reschedule
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(therapist):
    return AppointmentFactory(
        client=ClientFactory(therapist=therapist), starts_at=clinic_time(3, 10), minutes=60
    )


def seen(appointment) -> str:
    return f"{int(appointment.starts_at.timestamp())}-{appointment.minutes}"


def test_the_cancel_form_carries_the_visit_as_the_page_showed_it(manager_client, visit):
    page = manager_client.get(visit.get_absolute_url()).content.decode()
    assert f'name="seen" value="{seen(visit)}"' in page


def test_a_cancel_drawn_before_a_move_is_refused_and_the_move_stands(
    therapist, manager_client, visit
):
    drawn = seen(visit)
    moved_to = visit.starts_at + timedelta(hours=2)
    appointment_reschedule(
        appointment=Appointment.objects.get(pk=visit.pk),
        starts_at=moved_to,
        minutes=60,
        by=therapist,
    )
    response = manager_client.post(
        reverse("sessions:appointment_cancel", args=[visit.pk]),
        {"reason": "Client phoned", "seen": drawn},
    )
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.BOOKED
    assert visit.starts_at == moved_to
    assert visit.cancellation_reason == ""
    page = response.content.decode()
    assert "This visit was moved to" in page and "it was not cancelled." in page
    assert "Client phoned" in page  # the typed reason is still there


def test_a_cancel_from_the_page_as_it_is_goes_through(manager_client, visit):
    response = manager_client.post(
        reverse("sessions:appointment_cancel", args=[visit.pk]),
        {"reason": "Client phoned", "seen": seen(visit)},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CANCELLED


@pytest.mark.parametrize("value", ["", "abc", "1-", "²-60", "99999999999999999999-60"])
def test_a_missing_or_malformed_seen_value_falls_back_to_the_visit_as_read(
    manager_client, visit, value
):
    response = manager_client.post(
        reverse("sessions:appointment_cancel", args=[visit.pk]),
        {"reason": "Client phoned", "seen": value},
    )
    assert response.status_code == 302
