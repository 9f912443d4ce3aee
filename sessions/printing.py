"""What the PDFs print, gathered from the records; and the signed-note PDF kept in the database.

A signed note prints the same bytes every time: the first print renders it and stores it in
`SignedNotePdf`, keyed by the number of amendments (an amendment makes a new version). Several
app servers share one PostgreSQL and no disk, so the database is the store; if two servers
render the first print at once, the unique key lets one insert through and the other returns
what the first stored.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.services import client_clinical_state
from sessions import pdfs
from sessions.notes import SessionNote, SignedNotePdf
from sessions.referral import (
    REFERRAL_NOT_INDICATED,
    REFERRAL_NOT_SCREENED,
    assessment_observations,
    history_observations,
    referral_decide,
)


class NothingToPrint(Exception):
    """The document does not apply to this client now; the message says why."""


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


def referral_letter_pdf(*, client, today: date | None = None) -> bytes:
    """The referral letter from the client's latest screening, assessment and history.

    Raises NothingToPrint when no letter is due (`referral_decide`). Signed by the client's
    therapist, who screened and assessed them.
    """
    state = client_clinical_state(client=client)
    referral = referral_decide(
        triage=state.triage, hypothesis=state.hypothesis, screened=state.screening is not None
    )
    if referral is None:
        raise NothingToPrint(
            REFERRAL_NOT_SCREENED if state.screening is None else REFERRAL_NOT_INDICATED
        )
    assessment, history = state.assessment, state.health_history
    observations = (
        assessment_observations(
            slr=assessment.slr, bragard=assessment.bragard, piriformis=assessment.piriformis
        )
        if assessment
        else []
    )
    reported = (
        history_observations(
            location=history.pain_location,
            side=history.get_pain_side_display(),
            radiates_past_knee=history.radiates_past_knee,
            characters=history.pain_character_labels(),
            pain_now=history.pain_now,
            pain_worst=history.pain_worst,
            pain_best=history.pain_best,
            onset=history.onset_date,
            aggravating=history.aggravating_factors,
        )
        if history
        else []
    )
    return pdfs.referral_letter_pdf(
        client=client,
        therapist=client.therapist,
        referral=referral,
        letter_date=today or timezone.localdate(),
        screened_on=state.screening.screened_on,
        observations=observations,
        reported=reported,
    )
