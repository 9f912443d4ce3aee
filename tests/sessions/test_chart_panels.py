"""Charting's panels on intake's client chart: actions, latest notes, progress."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.intake.factories import AssessmentFactory, ScreeningFactory, positive_slr, sarah
from tests.sessions.factories import SessionNoteFactory, accepted_plan_create, library_into_database

pytestmark = pytest.mark.django_db


def _chart(client_, client):
    return client_.get(reverse("intake:client_chart", args=[client.pk]))


def test_the_chart_shows_the_latest_notes_and_the_progress(therapist_client, therapist):
    first = SessionNoteFactory(
        client__therapist=therapist, visit_date=date(2026, 3, 2), pain_before=7
    )
    SessionNoteFactory(client=first.client, visit_date=date(2026, 3, 9), pain_before=5)

    page = _chart(therapist_client, first.client).content.decode()

    assert "Session notes" in page
    assert reverse("sessions:note_pdf", args=[first.client_id, first.pk]) in page
    assert "7 → 4" in page
    assert '<svg class="progress-chart"' in page
    assert "Clinically important improvement" in page
    assert reverse("sessions:note_create", args=[first.client_id]) in page


def test_only_the_five_latest_notes_are_listed_with_a_link_to_all(therapist_client, therapist):
    first = SessionNoteFactory(client__therapist=therapist, visit_date=date(2026, 1, 5))
    for week in range(1, 7):
        SessionNoteFactory(
            client=first.client, visit_date=first.visit_date + timedelta(days=7 * week)
        )

    response = _chart(therapist_client, first.client)

    assert len(response.context["panels"]["main"]) >= 2
    page = response.content.decode()
    assert page.count(">PDF</a>") == 5
    assert f'href="{reverse("sessions:note_list", args=[first.client_id])}">All notes ›' in page


def test_a_due_referral_shows_its_button_red_when_an_emergency(therapist_client, therapist):
    client = SessionNoteFactory(client__therapist=therapist).client
    ScreeningFactory(client=client, saddle_anaesthesia=True)

    page = _chart(therapist_client, client).content.decode()

    url = reverse("sessions:referral_letter", args=[client.pk])
    assert f'href="{url}">Referral letter (PDF) · emergency</a>' in page


def test_a_follow_up_referral_is_offered_but_not_as_an_emergency(therapist_client, therapist):
    client = SessionNoteFactory(client__therapist=therapist).client
    ScreeningFactory(client=client)
    AssessmentFactory(
        client=client, **positive_slr(bragard_side="left", bragard_pain_returned=True)
    )

    page = _chart(therapist_client, client).content.decode()

    url = reverse("sessions:referral_letter", args=[client.pk])
    assert f'href="{url}">Referral letter (PDF)</a>' in page
    assert "· emergency" not in page


def test_no_referral_button_when_none_is_due_and_no_sheet_without_a_plan(
    therapist_client, therapist
):
    client = SessionNoteFactory(client__therapist=therapist).client
    ScreeningFactory(client=client)

    page = _chart(therapist_client, client).content.decode()

    assert reverse("sessions:referral_letter", args=[client.pk]) not in page
    assert reverse("sessions:home_care_sheet", args=[client.pk]) not in page


def test_the_home_care_sheet_is_offered_once_a_plan_is_accepted(therapist_client, therapist):
    library_into_database()
    client = sarah(therapist)
    accepted_plan_create(client=client, therapist=therapist)

    page = _chart(therapist_client, client).content.decode()

    assert reverse("sessions:home_care_sheet", args=[client.pk]) in page


def test_the_manager_sees_the_panels(manager_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)

    page = _chart(manager_client, note.client).content.decode()

    assert reverse("sessions:note_pdf", args=[note.client_id, note.pk]) in page


def test_a_colleague_does_not_see_the_chart(colleague_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)

    assert _chart(colleague_client, note.client).status_code == 404


def test_the_panels_query_count_does_not_grow_with_notes(
    therapist_client, therapist, django_assert_num_queries
):
    note = SessionNoteFactory(client__therapist=therapist)
    AssessmentFactory(client=note.client, **positive_slr())
    _chart(therapist_client, note.client)

    with CaptureQueriesContext(connection) as before:
        _chart(therapist_client, note.client)
    for week in range(1, 8):
        SessionNoteFactory(
            client=note.client, visit_date=note.visit_date + timedelta(days=7 * week)
        )
        AssessmentFactory(
            client=note.client,
            assessed_on=note.visit_date + timedelta(days=7 * week),
            **positive_slr(),
        )

    with django_assert_num_queries(len(before.captured_queries)):
        _chart(therapist_client, note.client)
