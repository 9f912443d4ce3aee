"""The guided first visit (intake/guided.py): register -> intake history -> screening -> tests
-> plan, each "Save and continue" leading to the next step; plain "Save" to the chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.guided import GUIDE_STOPPED_BY_SAFETY
from intake.models import Client
from tests.intake.factories import ClientFactory
from tests.intake.test_forms_and_flow import (
    client_data,
    history_data,
    sarah_tests,
    screening_data,
)
from tests.sessions.factories import AppointmentFactory, clinic_time, library_into_database

pytestmark = pytest.mark.django_db

CONTINUE = {"continue": "Save and continue"}


def _step(name, client) -> str:
    return reverse(name, args=[client.pk])


def test_save_and_continue_walks_the_intake_in_order_to_planning(therapist_client):
    response = therapist_client.post(reverse("intake:client_create"), client_data(**CONTINUE))
    client = Client.objects.get()
    assert response.url == _step("intake:health_history_edit", client)

    response = therapist_client.post(response.url, history_data(**CONTINUE))
    assert response.url == _step("intake:screening_create", client)

    response = therapist_client.post(response.url, screening_data(**CONTINUE))
    assert response.url == _step("intake:assessment_create", client)

    response = therapist_client.post(response.url, sarah_tests(**CONTINUE))
    assert response.url == _step("sessions:plan_new", client)
    assert therapist_client.get(response.url).status_code == 200


def test_plain_save_still_returns_to_the_chart(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    for name, data in (
        ("intake:health_history_edit", history_data()),
        ("intake:screening_create", screening_data()),
        ("intake:assessment_create", sarah_tests()),
    ):
        response = therapist_client.post(_step(name, client), data)
        assert response.url == client.get_absolute_url(), name


def test_every_step_offers_save_and_continue_as_its_primary_button(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    for url, next_words in (
        (reverse("intake:client_create"), "the intake history"),
        (_step("intake:health_history_edit", client), "the screening"),
        (_step("intake:screening_create", client), "the tests"),
        (_step("intake:assessment_create", client), "plan the session"),
    ):
        html = therapist_client.get(url).content.decode()
        assert f'value="Save and continue: {next_words}"' in html, url
        assert html.count("btn btn-primary") == 1, url


def test_the_manager_registers_without_being_led_into_the_clinical_intake(
    manager_client, therapist
):
    html = manager_client.get(reverse("intake:client_create")).content.decode()
    assert "Save and continue" not in html
    data = client_data(therapist=therapist.pk, **CONTINUE)
    data.pop("occupation"), data.pop("consent_given"), data.pop("consent_date")
    response = manager_client.post(reverse("intake:client_create"), data)
    assert response.url == Client.objects.get().get_absolute_url()


def test_the_visit_travels_along_and_planning_is_for_it(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    visit = AppointmentFactory(client=client, starts_at=clinic_time(0, 23))
    url = _step("intake:screening_create", client) + f"?visit={visit.pk}"
    response = therapist_client.post(url, screening_data(**CONTINUE))
    assert response.url == _step("intake:assessment_create", client) + f"?visit={visit.pk}"
    response = therapist_client.post(response.url, sarah_tests(**CONTINUE))
    assert response.url == _step("sessions:plan_new", client) + f"?appointment={visit.pk}"


def test_a_screening_that_forbids_treatment_stops_the_guide_at_the_chart(
    therapist_client, therapist
):
    client = ClientFactory(therapist=therapist)
    response = therapist_client.post(
        _step("intake:screening_create", client), screening_data(night_pain=True, **CONTINUE)
    )
    assert response.url == client.get_absolute_url()
    page = therapist_client.get(response.url).content.decode()
    assert GUIDE_STOPPED_BY_SAFETY in page


def test_a_malformed_visit_in_the_address_is_ignored(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    url = _step("intake:screening_create", client) + "?visit=1%20OR%201"
    response = therapist_client.post(url, screening_data(**CONTINUE))
    assert response.url == _step("intake:assessment_create", client)


def test_planning_without_a_visit_named_plans_for_the_clients_visit_today(
    therapist_client, therapist
):
    library_into_database()
    client = ClientFactory(therapist=therapist)
    visit = AppointmentFactory(client=client, starts_at=clinic_time(0, 23))
    AppointmentFactory(client=client, starts_at=clinic_time(3, 10))
    html = therapist_client.get(_step("sessions:plan_new", client)).content.decode()
    assert f'name="appointment" value="{visit.pk}"' in html
