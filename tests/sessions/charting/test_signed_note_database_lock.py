"""The database itself refuses to change a signed note, whoever writes (sessions/models/note_lock.py)."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from sessions.models.note import NoteAmendment, NoteTechnique, SessionNote, SignedNotePdf
from sessions.models.note_lock import (
    AMENDMENT_APPEND_ONLY_DB,
    PDF_APPEND_ONLY_DB,
    SIGNED_NOTE_LOCKED_DB,
)
from tests.sessions.factories import (
    NoteTechniqueFactory,
    SessionNoteFactory,
    signed_note_create,
)

pytestmark = pytest.mark.django_db


def _refused(write, message=SIGNED_NOTE_LOCKED_DB):
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        write()


def test_saving_a_signed_note_is_refused():
    note = signed_note_create()
    note.pain_after = 0

    _refused(note.save)

    assert SessionNote.objects.get(pk=note.pk).pain_after == 4


def test_a_queryset_update_of_a_signed_note_is_refused():
    note = signed_note_create()

    _refused(lambda: SessionNote.objects.filter(pk=note.pk).update(findings="rewritten"))
    _refused(lambda: SessionNote.objects.filter(pk=note.pk).update(signed_at=None))


def test_deleting_a_signed_note_is_refused():
    note = signed_note_create()

    # Django refuses first: the PDF stored at signing protects the note...
    with pytest.raises(ProtectedError):
        note.delete()
    # ...and the database refuses a delete that skips Django's checks.
    _refused(lambda: SessionNote.objects.filter(pk=note.pk)._raw_delete(using="default"))

    assert SessionNote.objects.filter(pk=note.pk).exists()


def test_the_technique_rows_of_a_signed_note_cannot_be_added_changed_or_removed():
    note = signed_note_create()
    row = note.techniques.first()

    _refused(lambda: NoteTechniqueFactory(note=note))
    _refused(lambda: NoteTechnique.objects.filter(pk=row.pk).update(minutes=30))
    _refused(row.delete)

    assert note.techniques.count() == 2


def test_a_technique_row_cannot_be_moved_onto_a_signed_note():
    signed = signed_note_create()
    draft_row = NoteTechniqueFactory()

    _refused(lambda: NoteTechnique.objects.filter(pk=draft_row.pk).update(note=signed))


def test_amendments_are_append_only():
    note = signed_note_create()
    amendment = NoteAmendment.objects.create(note=note, author=note.therapist, text="Typo.")

    _refused(
        lambda: NoteAmendment.objects.filter(pk=amendment.pk).update(text="x"),
        AMENDMENT_APPEND_ONLY_DB,
    )
    _refused(amendment.delete, AMENDMENT_APPEND_ONLY_DB)


def test_drafts_and_their_rows_stay_freely_editable():
    note = SessionNoteFactory()
    row = NoteTechniqueFactory(note=note)

    note.pain_after = 1
    note.save()
    row.minutes = 12
    row.save()
    NoteTechniqueFactory(note=note)
    row.delete()

    assert note.techniques.count() == 1


def test_signing_is_the_last_update_a_note_accepts():
    note = SessionNoteFactory()
    SessionNote.objects.filter(pk=note.pk).update(
        signed_at=timezone.now(), signed_by=note.therapist
    )

    _refused(lambda: SessionNote.objects.filter(pk=note.pk).update(pain_before=0))


def test_a_draft_with_its_rows_can_be_deleted():
    note = SessionNoteFactory()
    NoteTechniqueFactory(note=note)

    note.delete()

    assert not SessionNote.objects.filter(pk=note.pk).exists()


def test_a_stored_pdf_cannot_be_replaced_or_removed():
    note = signed_note_create()
    stored = SignedNotePdf.objects.get(note=note, amendment_count=0)  # stored at signing

    _refused(
        lambda: SignedNotePdf.objects.filter(pk=stored.pk).update(pdf=b"forged"),
        PDF_APPEND_ONLY_DB,
    )
    _refused(stored.delete, PDF_APPEND_ONLY_DB)
