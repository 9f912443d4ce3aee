"""The note PDF shows the client's body pain map from the intake history (clinical rules §2.5)."""

import pytest

from sessions.documents import printing
from tests.intake.factories import HealthHistoryFactory
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import SessionNoteFactory

pytestmark = pytest.mark.django_db


def test_the_note_pdf_shows_the_pain_map(therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    HealthHistoryFactory(
        client=note.client, pain_map=["buttock_left:pain", "shin_outer_left:numbness"]
    )
    text = pdf_text(printing.note_pdf(note=note))
    assert "Body pain map" in text
    assert "Outer shin, left: numbness" in text
    assert "Radiates past the knee" in text


def test_without_a_map_the_note_pdf_has_no_map_section(therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    HealthHistoryFactory(client=note.client)
    assert "Body pain map" not in pdf_text(printing.note_pdf(note=note))
