"""The calendar and the day list cost the same number of queries however full they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

# Session, user, role check, appointments; the manager's therapist picker; and, this being the
# first request after login, saving the session (savepoint, update, release).
THERAPIST_QUERIES = 4 + 3
MANAGER_QUERIES = 5 + 3
# Today also reads the intake forms awaiting review (templates/portal/_today_alerts.html).
TODAY_INDEX = 1
INTAKE_ALERTS = 1


def _fill(therapist, colleague, count):
    for n in range(count):
        owner = therapist if n % 2 == 0 else colleague
        AppointmentFactory(
            client=ClientFactory(therapist=owner), starts_at=clinic_time(n % 7, 8 + n // 7)
        )


def _urls(therapist=None):
    day = clinic_time(0, 0).date().isoformat()
    # The manager's week is one therapist's (all therapists is the day grid).
    week = f"&therapist={therapist.pk}" if therapist else ""
    return [
        reverse("sessions:calendar") + f"?week={day}{week}",
        reverse("sessions:today") + f"?day={day}",
        reverse("sessions:calendar_day") + f"?day={day}",
    ]


@pytest.mark.parametrize("count", [1, 21])
@pytest.mark.parametrize("url_index", [0, 1, 2])
def test_a_therapists_pages_query_count_does_not_grow(
    therapist_client, therapist, colleague, django_assert_num_queries, count, url_index
):
    _fill(therapist, colleague, count)
    extra = INTAKE_ALERTS if url_index == TODAY_INDEX else 0
    with django_assert_num_queries(THERAPIST_QUERIES + extra):
        response = therapist_client.get(_urls()[url_index])
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 21])
@pytest.mark.parametrize("url_index", [0, 1, 2])
def test_the_managers_pages_query_count_does_not_grow(
    manager_client, therapist, colleague, django_assert_num_queries, count, url_index
):
    _fill(therapist, colleague, count)
    extra = INTAKE_ALERTS if url_index == TODAY_INDEX else 0
    with django_assert_num_queries(MANAGER_QUERIES + extra):
        response = manager_client.get(_urls(therapist)[url_index])
    assert response.status_code == 200
    expected = 1 if count == 1 else 3
    if url_index == 0:  # one therapist's week: half the visits
        expected = 1 if count == 1 else 2
    assert response.content.decode().count("booking-status-booked") >= expected


@pytest.mark.parametrize("count", [1, 15])
def test_the_client_search_query_count_does_not_grow(
    manager_client, therapist, django_assert_num_queries, count
):
    for _ in range(count):
        ClientFactory(therapist=therapist, last_name="Smith")
    with django_assert_num_queries(MANAGER_QUERIES - 1):
        response = manager_client.get(reverse("sessions:appointment_book") + "?q=smi")
    assert response.content.decode().count("One visit") == count
