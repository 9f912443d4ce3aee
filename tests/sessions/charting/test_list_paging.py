"""A client's notes are listed 25 a page, newest first: years of visits stay one quick page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from sessions.charting.views import NOTES_PER_PAGE
from tests.intake.factories import ClientFactory
from tests.sessions.factories import SessionNoteFactory

pytestmark = pytest.mark.django_db

FIRST_VISIT = date(2025, 1, 6)


def test_the_notes_list_pages_the_notes_newest_first(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    notes = [
        SessionNoteFactory(
            client=client, therapist=therapist, visit_date=FIRST_VISIT + timedelta(weeks=n)
        )
        for n in range(NOTES_PER_PAGE + 3)
    ]
    newest_first = [n.get_absolute_url() for n in reversed(notes)]
    url = reverse("sessions:note_list", args=[client.pk])
    first = therapist_client.get(url).content.decode()
    second = therapist_client.get(url + "?page=2").content.decode()
    on_first = [link for link in newest_first if f'href="{link}"' in first]
    on_second = [link for link in newest_first if f'href="{link}"' in second]
    assert on_first == newest_first[:NOTES_PER_PAGE]
    assert on_second == newest_first[NOTES_PER_PAGE:]
    assert "?page=2" in first and "?page=1" in second


def test_a_notes_page_out_of_range_shows_the_last_page(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    note = SessionNoteFactory(client=client, therapist=therapist)
    url = reverse("sessions:note_list", args=[client.pk])
    response = therapist_client.get(url + "?page=9")
    assert response.status_code == 200
    assert note.get_absolute_url() in response.content.decode()
