"""The run sheet for the treatment room: the accepted plan of an appointment, timed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from core.vocabulary import Stage
from intake.rules.safety import SafetyStatus
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(therapist):
    library_into_database()
    return AppointmentFactory(client=sarah(therapist), starts_at=clinic_time(1, 10), minutes=45)


def _accept(appointment, minutes=45):
    return accepted_plan_create(
        appointment=appointment,
        minutes=minutes,
        stage=Stage.MOBILITY,
        first_visit=False,
        acute=True,
    )


def _url(appointment):
    return reverse("sessions:run_sheet", args=[appointment.pk])


def test_the_run_sheet_lists_every_item_with_its_countdown_and_the_total(
    therapist_client, appointment
):
    plan = _accept(appointment).plan
    page = therapist_client.get(_url(appointment)).content.decode()
    for item in plan.items:
        assert item.name in page
        assert f'data-seconds="{item.minutes * 60}"' in page
    assert page.count("data-runsheet-item") == len(plan.items)
    assert "Total: 45 minutes." in page
    assert "js/runsheet.js" in page
    assert "<script>" not in page and "style=" not in page


def test_the_latest_accepted_plan_of_the_appointment_is_shown(therapist_client, appointment):
    _accept(appointment, minutes=45)
    _accept(appointment, minutes=30)
    assert "Total: 30 minutes." in therapist_client.get(_url(appointment)).content.decode()


def test_without_a_plan_the_page_offers_to_plan_the_session(therapist_client, appointment):
    page = therapist_client.get(_url(appointment)).content.decode()
    assert "No plan has been accepted for this appointment yet." in page
    plan_new = reverse("sessions:plan_new", args=[appointment.client_id])
    assert f"{plan_new}?appointment={appointment.pk}" in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("therapist_client", 200), ("colleague_client", 404), ("manager_client", 200)],
)
def test_who_may_open_the_run_sheet(request, appointment, who, status):
    _accept(appointment)
    assert request.getfixturevalue(who).get(_url(appointment)).status_code == status


def test_an_anonymous_visitor_is_sent_to_login(client, appointment):
    response = client.get(_url(appointment))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("minutes", [30, 90])
def test_the_run_sheet_costs_the_same_queries_however_long_the_plan(
    therapist_client, appointment, django_assert_num_queries, minutes
):
    _accept(appointment, minutes=minutes)
    # Session, user, role check, appointment, plan, its timer; saving the session (3); the
    # audit event (finding the appointment's client, the insert); the one-click "Write the
    # note" (the visit's note, the therapist's last note to copy forward).
    with django_assert_num_queries(13):
        assert therapist_client.get(_url(appointment)).status_code == 200


def test_a_series_starts_from_the_frequency_advice_of_the_accepted_plan(
    therapist_client, appointment
):
    advice = _accept(appointment).plan.frequency
    url = reverse("sessions:appointment_series_book") + f"?client={appointment.client_id}"
    page = therapist_client.get(url).content.decode()
    assert advice.text in page
    assert "from the plan accepted on" in page
    assert f'name="per_week" value="{advice.per_week}"' in page
    assert f'name="weeks" value="{advice.weeks}"' in page
    assert f'name="then_every_weeks" value="{advice.then_every_weeks_min}"' in page
    assert 'name="minutes" value="45"' in page


def test_the_run_sheet_leads_to_the_note_for_this_appointment(therapist_client, appointment):
    _accept(appointment)
    page = therapist_client.get(_url(appointment)).content.decode()
    note = reverse("sessions:note_create", args=[appointment.client_id])
    # One click: a POST starting the note for this visit, from its plan.
    assert f'action="{note}"' in page
    assert f'name="appointment" value="{appointment.pk}"' in page
    assert "Write the note" in page


def test_a_red_flag_raised_after_the_plan_was_accepted_stops_the_run_sheet(
    therapist_client, appointment
):
    _accept(appointment)
    ScreeningFactory(client=appointment.client, screened_on=date(2026, 3, 1), night_pain=True)
    page = therapist_client.get(_url(appointment))
    content = page.content.decode()
    assert page.context["rows"] == []
    assert f"{SafetyStatus.REFER_NOW.label}: no massage" in content
    assert "runsheet-item" not in content
