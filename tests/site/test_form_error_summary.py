"""Every form sent back with errors starts with one summary (templates/_form_errors.html, used
by crispy's errors template): each field named with its message and linked to it, the typed
values kept, and the summary focused by static/js/form_errors.js."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sessions.models.note import SessionNote
from tests.intake.factories import ClientFactory
from tests.sessions.factories import SessionNoteFactory, note_form_data

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger form-error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_the_note_form_names_each_field_with_its_message_at_the_top(therapist_client, therapist):
    note = SessionNoteFactory(client=ClientFactory(therapist=therapist))
    data = note_form_data(
        visit_date=note.visit_date.isoformat(),
        pain_before="14",
        next_visit="2020-01-01",
        client_report="What the client said, typed before the error",
        techniques=[{"name": "Hubcap release", "minutes": "", "position": "prone"}],
    )
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])

    html = therapist_client.post(url, data).content.decode()

    summary = _summary(html)
    assert html.index("form-error-summary") < html.index('name="client_report"')
    assert '<a href="#id_pain_before" class="alert-link">Pain before (0-10)</a>' in summary
    assert 'href="#id_next_visit"' in summary
    assert 'href="#id_techniques-0-minutes"' in summary and "Techniques, row 1" in summary
    assert "Give the minutes spent." in summary
    # One summary, the typed text kept, nothing saved.
    assert html.count("form-error-summary") == 1
    assert "What the client said, typed before the error" in html
    assert SessionNote.objects.get().client_report != data["client_report"]


def test_a_crispy_form_gets_the_same_summary(therapist_client):
    html = therapist_client.post(
        reverse("intake:client_create"), {"first_name": "Ann", "date_of_birth": "nonsense"}
    ).content.decode()
    summary = _summary(html)
    assert 'href="#id_last_name"' in summary and 'href="#id_date_of_birth"' in summary
    assert 'value="Ann"' in html


def test_the_summary_script_is_on_every_page(therapist_client):
    html = therapist_client.get(reverse("sessions:today")).content.decode()
    assert "js/form_errors.js" in html
