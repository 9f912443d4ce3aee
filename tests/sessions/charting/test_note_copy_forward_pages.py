"""Copy-forward on the note pages: a returning client's note starts from the last one by
default, and each copied section carries a "copied from 12 Nov" marker until it is edited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions.models.note import SessionNote
from tests.intake.factories import ClientFactory
from tests.sessions.factories import NoteTechniqueFactory, SessionNoteFactory, note_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_note(therapist):
    note = SessionNoteFactory(
        client=ClientFactory(therapist=therapist),
        visit_date=timezone.localdate() - timedelta(days=7),
    )
    NoteTechniqueFactory(note=note)
    return note


def _marker(note) -> str:
    return f"copied from {note.visit_date:%-d %b}"


def test_a_returning_clients_note_starts_from_the_last_one_by_default(therapist_client, last_note):
    url = reverse("sessions:note_create", args=[last_note.client_id])
    html = therapist_client.get(url).content.decode()
    assert "checked" in _start_from_last_tag(html)


def _start_from_last_tag(html: str) -> str:
    """The checkbox's <input ...> tag, whatever the order of its attributes."""
    before, after = html.split('id="id_start_from_last"', 1)
    return before.rsplit("<input", 1)[1] + after.split(">", 1)[0]


def test_copied_sections_are_marked_and_an_edited_one_loses_its_mark(therapist_client, last_note):
    start = reverse("sessions:note_create", args=[last_note.client_id])
    response = therapist_client.post(
        start, {"visit_date": timezone.localdate().isoformat(), "start_from_last": "on"}
    )
    note = SessionNote.objects.exclude(pk=last_note.pk).get()
    edit = reverse("sessions:note_edit", args=[note.client_id, note.pk])
    assert response.url == edit

    html = therapist_client.get(edit).content.decode()
    assert html.count(_marker(last_note)) >= 6  # S, O, A, P fields and the techniques
    assert "data-copied-techniques" in html and "js/note_copied.js" in html
    report = html.split('for="id_client_report"', 1)[1].split("</label>", 1)[0]
    assert _marker(last_note) in report

    data = note_form_data(
        visit_date=note.visit_date.isoformat(),
        next_visit="",
        client_report=last_note.client_report,
        changes_since_last_visit=last_note.changes_since_last_visit,
        findings="SLR now negative on the left.",
        working_hypothesis=last_note.working_hypothesis,
        response_to_treatment=last_note.response_to_treatment,
        frequency=last_note.frequency,
        home_care_given=last_note.home_care_given,
        referrals=last_note.referrals,
    )
    therapist_client.post(edit, data)

    html = therapist_client.get(edit).content.decode()
    findings = html.split('for="id_findings"', 1)[1].split("</label>", 1)[0]
    report = html.split('for="id_client_report"', 1)[1].split("</label>", 1)[0]
    assert _marker(last_note) not in findings and _marker(last_note) in report
    assert "data-copied-techniques" not in html  # the rows were rewritten


def test_a_first_note_has_no_copy_offered_by_default(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    html = therapist_client.get(reverse("sessions:note_create", args=[client.pk])).content.decode()
    assert "checked" not in _start_from_last_tag(html)
