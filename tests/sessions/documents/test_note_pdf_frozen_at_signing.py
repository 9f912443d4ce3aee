"""What was signed is what prints: the note's PDF is rendered and stored in the signing
transaction; later changes to the client's record never reach it; an amendment adds pages
after the untouched original; a PDF that cannot be made refuses the signature (or the
amendment) with nothing saved. Older notes signed before this render at their first print."""

import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import StaffProfile
from intake.models import ReferralDiagnosis
from sessions.charting import services as charting
from sessions.documents import pdfs, printing
from sessions.models import Appointment
from sessions.models.note import NoteAmendment, SessionNote, SignedNotePdf
from tests.sessions.documents.pdf_text import pdf_page_count, pdf_text
from tests.sessions.factories import (
    AppointmentFactory,
    NoteTechniqueFactory,
    SessionNoteFactory,
    signed_note_create,
)

pytestmark = pytest.mark.django_db(transaction=False)


def _url(note):
    return reverse("sessions:note_pdf", args=[note.client_id, note.pk])


def _draft(therapist, **kwargs):
    note = SessionNoteFactory(
        client__therapist=therapist,
        client__first_name="Agnes",
        client__last_name="Original",
        **kwargs,
    )
    _diagnosis_set(note.client, "M54.30", "Sciatica, unspecified side")
    NoteTechniqueFactory(note=note)
    return note


def _diagnosis_set(client, code, description):
    ReferralDiagnosis.objects.filter(client=client).delete()
    ReferralDiagnosis.objects.create(client=client, position=1, code=code, description=description)


def _render_fails(monkeypatch):
    def broken(html):
        raise RuntimeError("cairo: out of memory")

    monkeypatch.setattr(pdfs, "html_to_pdf", broken)


def test_signing_stores_the_pdf_before_any_print(therapist):
    note = charting.note_sign(note=_draft(therapist), user=therapist)

    stored = SignedNotePdf.objects.get(note=note)
    assert stored.amendment_count == 0
    assert bytes(stored.pdf).startswith(b"%PDF-")
    text = pdf_text(bytes(stored.pdf))
    assert "Agnes Original" in text and "M54.3" in text
    assert f"Signed electronically by {therapist.get_full_name()}" in text
    assert "at signing," in text


def test_a_new_name_or_diagnosis_codes_after_signing_do_not_reach_the_signed_pdf(
    therapist_client, therapist
):
    note = charting.note_sign(note=_draft(therapist), user=therapist)
    signed_text = pdf_text(bytes(SignedNotePdf.objects.get(note=note).pdf))
    client = note.client
    client.first_name, client.last_name = "Beatrix", "Renamed"
    client.save()
    _diagnosis_set(client, "G57.00", "Lesion of sciatic nerve, unspecified lower limb")

    printed = therapist_client.get(_url(note)).content

    text = pdf_text(printed)
    assert text == signed_text
    assert "Agnes Original" in text and "M54.3" in text
    assert "Renamed" not in text and "G57.0" not in text
    assert SignedNotePdf.objects.filter(note=note).count() == 1


def test_an_amendment_keeps_the_signed_pages_and_adds_its_own(therapist_client, therapist):
    note = charting.note_sign(note=_draft(therapist), user=therapist)
    original = bytes(SignedNotePdf.objects.get(note=note, amendment_count=0).pdf)
    note.client.last_name = "Renamed"
    note.client.save()
    _diagnosis_set(note.client, "G57.00", "Lesion of sciatic nerve, unspecified lower limb")

    charting.note_amend(note=note, author=therapist, text="Pain after was 3, not 4.")
    # Stored by the amendment's transaction, before any print.
    amended = bytes(SignedNotePdf.objects.get(note=note, amendment_count=1).pdf)
    charting.note_amend(note=note, author=therapist, text="Left side, not right.")

    printed = therapist_client.get(_url(note)).content
    assert printed == bytes(SignedNotePdf.objects.get(note=note, amendment_count=2).pdf)
    signed_pages = pdf_page_count(original)
    reader = PdfReader(io.BytesIO(printed))
    original_reader = PdfReader(io.BytesIO(original))
    for index in range(signed_pages):
        assert reader.pages[index].extract_text() == original_reader.pages[index].extract_text()
    after = " ".join(page.extract_text() for page in reader.pages[signed_pages:])
    assert "Pain after was 3, not 4." in after and "Left side, not right." in after
    assert "M54.3" in pdf_text(printed) and "G57.0" not in pdf_text(printed)
    assert "Left side, not right." not in pdf_text(amended)
    # The original version is still there, untouched.
    assert bytes(SignedNotePdf.objects.get(note=note, amendment_count=0).pdf) == original


def test_a_failed_render_refuses_the_signature_and_saves_nothing(therapist, monkeypatch):
    visit = AppointmentFactory(
        client__therapist=therapist,
        starts_at=timezone.now() - timedelta(hours=1),
        status=Appointment.Status.CHECKED_IN,
    )
    note = SessionNoteFactory(client=visit.client, appointment=visit)
    NoteTechniqueFactory(note=note)
    _render_fails(monkeypatch)

    with pytest.raises(ValidationError) as refused:
        charting.note_sign(note=note, user=therapist)

    assert refused.value.messages == [charting.NOTE_SIGN_PDF_FAILED]
    note = SessionNote.objects.get(pk=note.pk)
    assert note.signed_at is None and note.signed_by_id is None
    assert Appointment.objects.get(pk=visit.pk).status == Appointment.Status.CHECKED_IN
    assert not SignedNotePdf.objects.exists()


def test_the_sign_button_says_why_when_the_pdf_fails(therapist_client, therapist, monkeypatch):
    note = _draft(therapist)
    _render_fails(monkeypatch)

    response = therapist_client.post(
        reverse("sessions:note_sign", args=[note.client_id, note.pk]), follow=True
    )

    assert response.status_code == 200
    assert charting.NOTE_SIGN_PDF_FAILED in [str(m) for m in get_messages(response.wsgi_request)]
    assert SessionNote.objects.get(pk=note.pk).signed_at is None


def test_a_failed_render_refuses_the_amendment_and_saves_nothing(therapist, monkeypatch):
    note = charting.note_sign(note=_draft(therapist), user=therapist)
    _render_fails(monkeypatch)

    with pytest.raises(ValidationError) as refused:
        charting.note_amend(note=note, author=therapist, text="A correction.")

    assert refused.value.messages == [charting.AMEND_PDF_FAILED]
    assert not NoteAmendment.objects.exists()
    assert list(SignedNotePdf.objects.values_list("amendment_count", flat=True)) == [0]


def test_the_signature_line_carries_the_licence_number(therapist):
    StaffProfile.objects.update_or_create(user=therapist, defaults={"licence_number": "RMT-04417"})
    note = charting.note_sign(note=_draft(therapist), user=therapist)
    charting.note_amend(note=note, author=therapist, text="A correction.")

    signed = pdf_text(bytes(SignedNotePdf.objects.get(note=note, amendment_count=0).pdf))
    amended = pdf_text(bytes(SignedNotePdf.objects.get(note=note, amendment_count=1).pdf))
    assert f"Signed electronically by {therapist.get_full_name()} (licence no. RMT-04417)" in signed
    assert f"{therapist.get_full_name()} (licence no. RMT-04417) A correction." in amended


def test_without_a_licence_number_the_line_names_only_the_therapist(therapist):
    StaffProfile.objects.filter(user=therapist).update(licence_number="")
    note = charting.note_sign(note=_draft(therapist), user=therapist)

    text = pdf_text(bytes(SignedNotePdf.objects.get(note=note).pdf))
    assert f"Signed electronically by {therapist.get_full_name()}," in text
    assert "licence no." not in text


# Older data: notes signed before the PDF was frozen at signing.


@pytest.fixture
def older_signed_note(therapist, monkeypatch):
    """A signed note with no stored PDF, as notes signed before this change are."""
    with monkeypatch.context() as patched:
        patched.setattr(printing, "note_pdf_freeze", lambda note: None)
        note = signed_note_create(client__therapist=therapist, client__last_name="Older")
    assert not SignedNotePdf.objects.exists()
    return note


def test_an_older_signed_note_renders_at_its_first_print_and_keeps_it(
    therapist_client, older_signed_note
):
    first = therapist_client.get(_url(older_signed_note)).content

    assert "Older" in pdf_text(first)
    assert "when printed," in pdf_text(first)
    assert bytes(SignedNotePdf.objects.get(note=older_signed_note).pdf) == first
    older_signed_note.client.last_name = "Renamed"
    older_signed_note.client.save()
    assert therapist_client.get(_url(older_signed_note)).content == first


def test_an_older_note_amended_after_its_first_print_keeps_those_pages(
    therapist_client, therapist, older_signed_note
):
    first = therapist_client.get(_url(older_signed_note)).content

    charting.note_amend(note=older_signed_note, author=therapist, text="A correction.")

    printed = therapist_client.get(_url(older_signed_note)).content
    assert pdf_page_count(printed) > pdf_page_count(first)
    assert pdf_text(printed).startswith(pdf_text(first))


def test_when_another_server_stored_an_older_notes_pdf_first_its_bytes_are_printed(
    older_signed_note, monkeypatch
):
    real_render = printing.note_render

    def render_while_another_server_stores(note, **kwargs):
        SignedNotePdf.objects.create(
            note=note, amendment_count=0, pdf=b"%PDF-other-server", sha256="x" * 64
        )
        return real_render(note, **kwargs)

    monkeypatch.setattr(printing, "note_render", render_while_another_server_stores)

    assert printing.note_pdf(note=older_signed_note) == b"%PDF-other-server"
    assert SignedNotePdf.objects.count() == 1
