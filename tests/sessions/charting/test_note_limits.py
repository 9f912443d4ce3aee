"""Amendments and technique rows within their limits; a refused amendment keeps its text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from core.limits import AMENDMENTS_FULL, AMENDMENTS_PER_NOTE_MAX, SHORT_TEXT_MAX, TECHNIQUE_ROWS_MAX
from sessions.charting import services as charting
from sessions.charting.forms import AmendmentForm
from sessions.models.note import NoteAmendment
from tests.sessions.factories import SessionNoteFactory, note_form_data, signed_note_create

pytestmark = pytest.mark.django_db


def _amend_url(note):
    return reverse("sessions:note_amend", args=[note.client_id, note.pk])


def _token(user):
    return AmendmentForm(form_token_user=user).initial["form_token"]


def test_an_amendment_with_a_nul_is_shown_again_with_the_reason_and_the_text(
    therapist_client, therapist
):
    note = signed_note_create(client__therapist=therapist)
    typed = "Pain after was 3,\x00 not 4; the rest stands."

    response = therapist_client.post(
        _amend_url(note), {"text": typed, "form_token": _token(therapist)}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert escape(charting.AMEND_NUL) in page
    assert "Pain after was 3," in page and "not 4; the rest stands." in page
    assert not note.amendments.exists()


def test_an_amendment_over_its_limit_is_shown_again_with_the_message_and_the_text(
    therapist_client, therapist
):
    note = signed_note_create(client__therapist=therapist)
    typed = "Correction. " + "x" * SHORT_TEXT_MAX

    response = therapist_client.post(
        _amend_url(note), {"text": typed, "form_token": _token(therapist)}
    )

    page = response.content.decode()
    assert f"Amendment: at most 2,000 characters (this has {len(typed):,})." in page
    assert typed in page
    assert not note.amendments.exists()


def test_an_amendment_at_its_limit_is_saved(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)
    typed = "x" * SHORT_TEXT_MAX

    therapist_client.post(_amend_url(note), {"text": typed, "form_token": _token(therapist)})

    assert note.amendments.get().text == typed


def test_a_refused_amendment_can_be_sent_again_with_the_same_token(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)
    token = _token(therapist)
    therapist_client.post(
        _amend_url(note), {"text": "x" * (SHORT_TEXT_MAX + 1), "form_token": token}
    )

    therapist_client.post(_amend_url(note), {"text": "Shortened.", "form_token": token})

    assert note.amendments.get().text == "Shortened."


def test_a_note_takes_at_most_its_amendments(therapist):
    note = signed_note_create(client__therapist=therapist)
    for number in range(AMENDMENTS_PER_NOTE_MAX):
        charting.note_amend(note=note, author=therapist, text=f"Correction {number}.")

    with pytest.raises(ValidationError) as caught:
        charting.note_amend(note=note, author=therapist, text="One more.")

    assert caught.value.messages == [AMENDMENTS_FULL]
    assert NoteAmendment.objects.filter(note=note).count() == AMENDMENTS_PER_NOTE_MAX


def test_the_service_refuses_an_amendment_over_its_limit(therapist):
    note = signed_note_create(client__therapist=therapist)
    with pytest.raises(ValidationError) as caught:
        charting.note_amend(note=note, author=therapist, text="x" * (SHORT_TEXT_MAX + 1))
    assert "text" in caught.value.message_dict


def _rows(count):
    return [
        {"name": f"Row {i}", "minutes": "1", "position": "prone", "pressure": "2"}
        for i in range(count)
    ]


def test_more_technique_rows_than_the_limit_are_refused_by_name(therapist_client, therapist):
    note = SessionNoteFactory(therapist=therapist, client__therapist=therapist)
    data = note_form_data(techniques=_rows(TECHNIQUE_ROWS_MAX + 1))

    response = therapist_client.post(
        reverse("sessions:note_edit", args=[note.client_id, note.pk]), data
    )

    assert response.status_code == 200
    assert escape(charting.TECHNIQUE_ROWS_TOO_MANY) in response.content.decode()
    assert note.techniques.count() == 0


def test_the_service_refuses_more_technique_rows_than_the_limit(therapist):
    from core.vocabulary import Position, Pressure

    note = SessionNoteFactory(therapist=therapist, client__therapist=therapist)
    rows = [
        charting.TechniqueRow(f"Row {i}", 1, Position.PRONE, Pressure.LIGHT)
        for i in range(TECHNIQUE_ROWS_MAX + 1)
    ]
    with pytest.raises(ValidationError):
        charting.note_update(note=note, user=therapist, soap={}, techniques=rows)


def test_a_note_with_all_its_amendments_says_so_instead_of_offering_the_form(
    therapist_client, therapist
):
    note = signed_note_create(client__therapist=therapist)
    for number in range(AMENDMENTS_PER_NOTE_MAX):
        charting.note_amend(note=note, author=therapist, text=f"Correction {number}.")

    page = therapist_client.get(note.get_absolute_url()).content.decode()

    assert escape(AMENDMENTS_FULL) in page
    assert "amendment-form" not in page
