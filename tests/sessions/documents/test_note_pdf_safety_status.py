"""The note PDF prints the client's safety status, and when it was printed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import SessionNoteFactory

pytestmark = pytest.mark.django_db


def _pdf(browser, note) -> str:
    response = browser.get(reverse("sessions:note_pdf", args=[note.client_id, note.pk]))
    assert response.status_code == 200
    return pdf_text(response.content)


@pytest.mark.parametrize(
    ("screening", "label"),
    [
        ({"saddle_anaesthesia": True}, "Emergency: suspected cauda equina"),
        ({"night_pain": True}, "Refer now: red flag"),
        ({}, "Treat"),
    ],
)
def test_the_note_pdf_prints_the_status(therapist_client, therapist, screening, label):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, **screening)
    text = _pdf(therapist_client, SessionNoteFactory(client=client))
    assert "Safety status" in text and f"{label} when printed" in text
    assert "Safety status: " not in text  # the screen-reader prefix is not printed


def test_a_treat_client_prints_no_red_flag(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client)
    assert "Refer now" not in _pdf(therapist_client, SessionNoteFactory(client=client))
