"""What the PDFs print, gathered from the records; and the signed-note PDF kept in the database.

A signed note prints the same bytes every time: the first print renders it and stores it in
`SignedNotePdf`, keyed by the number of amendments (an amendment makes a new version). Several
app servers share one PostgreSQL and no disk, so the database is the store; if two servers
render the first print at once, the unique key lets one insert through and the other returns
what the first stored.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from sessions import pdfs
from sessions.notes import SessionNote, SignedNotePdf


def note_pdf(*, note: SessionNote) -> bytes:
    """The note's PDF: rendered fresh for a draft, rendered once and kept for a signed note."""
    if not note.is_signed:
        return _note_render(note)
    version = note.amendments.count()
    stored = _stored_pdf(note=note, version=version)
    if stored is not None:
        return stored
    data = _note_render(note)
    try:
        with transaction.atomic():
            SignedNotePdf.objects.create(
                note=note,
                amendment_count=version,
                pdf=data,
                sha256=hashlib.sha256(data).hexdigest(),
            )
    except IntegrityError:
        # Another request stored this version first: print what it stored.
        return _stored_pdf(note=note, version=version)
    return data


def _stored_pdf(*, note: SessionNote, version: int) -> bytes | None:
    data = (
        SignedNotePdf.objects.filter(note=note, amendment_count=version)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(data) if data is not None else None


def _note_render(note: SessionNote) -> bytes:
    return pdfs.session_note_pdf(
        note=note,
        techniques=list(note.techniques.all()),
        amendments=list(note.amendments.select_related("author")),
    )
