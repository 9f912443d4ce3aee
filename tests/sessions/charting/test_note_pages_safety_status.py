"""The note pages and the note PDF show the client's safety status (clinical rules §2.1-2.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import SessionNoteFactory

pytestmark = pytest.mark.django_db

REFER_NOW = "Refer now: red flag"


@pytest.fixture
def note(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client)
    return SessionNoteFactory(client=client)


def _edit(note):
    return reverse("sessions:note_edit", args=[note.client_id, note.pk])


def _start(note):
    return reverse("sessions:note_create", args=[note.client_id])


@pytest.mark.parametrize("url", [_edit, _start], ids=["note form", "new note"])
def test_the_note_pages_show_a_red_flag(therapist_client, note, url):
    assert REFER_NOW not in therapist_client.get(url(note)).content.decode()
    ScreeningFactory(client=note.client, screened_on=note.visit_date, night_pain=True)
    html = therapist_client.get(url(note)).content.decode()
    assert REFER_NOW in html and "safety-badge-refer_now" in html


@pytest.mark.parametrize("url", [_edit, _start], ids=["note form", "new note"])
def test_the_note_pages_show_a_treat_status(therapist_client, note, url):
    html = therapist_client.get(url(note)).content.decode()
    assert "safety-badge-treat" in html and REFER_NOW not in html


@pytest.mark.parametrize(("who", "status"), [("colleague_client", 404), ("manager_client", 403)])
@pytest.mark.parametrize("url", [_edit, _start], ids=["note form", "new note"])
def test_the_note_pages_permissions_are_unchanged(request, who, status, note, url):
    ScreeningFactory(client=note.client, night_pain=True)
    assert request.getfixturevalue(who).get(url(note)).status_code == status
