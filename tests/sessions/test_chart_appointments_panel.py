"""The client chart shows the client's next visits and links to booking."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_client(therapist):
    return ClientFactory(therapist=therapist, first_name="Olivia", last_name="Owner")


def test_the_chart_lists_upcoming_visits_and_offers_booking(therapist_client, own_client):
    soon = timezone.now() + timedelta(days=2)
    AppointmentFactory(client=own_client, therapist=own_client.therapist, starts_at=soon)
    body = therapist_client.get(
        reverse("intake:client_chart", args=[own_client.pk])
    ).content.decode()
    assert "Appointments" in body
    assert timezone.localtime(soon).strftime("%H:%M") in body
    assert f"{reverse('sessions:appointment_book')}?client={own_client.pk}" in body


def test_cancelled_and_past_visits_are_not_listed(therapist_client, own_client):
    AppointmentFactory(
        client=own_client,
        therapist=own_client.therapist,
        starts_at=timezone.now() + timedelta(days=3),
        status=Appointment.Status.CANCELLED,
    )
    body = therapist_client.get(
        reverse("intake:client_chart", args=[own_client.pk])
    ).content.decode()
    assert "No visit booked." in body
