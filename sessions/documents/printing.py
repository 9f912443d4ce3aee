"""What the PDFs print, gathered from the records; and the signed-note PDF kept in the database.

What was signed is what prints, forever. Signing renders the note's PDF and stores it in
`SignedNotePdf` (version 0) in the signing transaction (`note_pdf_freeze`, called by
`sessions.charting.services.note_sign`): a PDF that cannot be made means no signature. Later
changes to the client's record (name, diagnosis codes, safety status) never reach it.

An amendment never re-renders the signed original: its transaction stores a new version,
keyed by the number of amendments, made of the original's pages byte for byte followed by
pages listing every amendment so far (`note_pdf_amended_store`). Printing serves the version
for the note's current amendment count.

Older data: a note signed before PDFs were frozen at signing has no stored version 0. Its
first print renders it from today's records and stores it, as before; several app servers
share one PostgreSQL and no disk, so the database is the store, and if two servers render
that first print at once the unique key lets one insert through and the other returns what
the first stored.
"""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfWriter

from intake.services import client_clinical_state
from protocols.library import library_snapshot
from sessions.charting.services import client_progress
from sessions.documents import pdfs
from sessions.documents.home_care import (
    CONDITIONS,
    HOME_CARE_BLOCKED,
    HOME_CARE_NO_PLAN,
    client_conditions,
    ice_heat_advice,
    sheet_exercises,
    sheet_items_cautioned,
)
from sessions.documents.referral import (
    REFERRAL_NOT_INDICATED,
    REFERRAL_NOT_SCREENED,
    assessment_observations,
    history_observations,
    referral_decide,
)
from sessions.models import Appointment
from sessions.models.note import SessionNote, SignedNotePdf
from sessions.planning.planner import plan_restrictions
from sessions.planning.selectors import plan_latest_accepted

logger = logging.getLogger(__name__)


class NothingToPrint(Exception):
    """The document does not apply to this client now; the message says why."""


class NotePdfFailed(Exception):
    """The note's PDF could not be made (the cause is logged and chained)."""


def note_pdf(*, note: SessionNote) -> bytes:
    """The note's PDF: rendered fresh for a draft; for a signed note, the version stored for
    its current number of amendments (stored at signing and at each amendment). Older
    signed notes without one are rendered at their first print and stored then."""
    if not note.is_signed:
        return note_render(note)
    version = note.amendments.count()
    stored = _stored_pdf(note=note, version=version)
    if stored is not None:
        return stored
    data = _version_render(note=note, version=version)
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


def note_pdf_freeze(*, note: SessionNote) -> None:
    """Render the just-signed note and store it as version 0. Called inside the signing
    transaction, the note's row locked: raises NotePdfFailed (nothing stored) when the PDF
    cannot be made, so the caller's transaction rolls the signature back."""
    _version_store(note=note, version=0, data=_render_or_fail(note_render, note, at_signing=True))


def note_pdf_amended_store(*, note: SessionNote) -> None:
    """Store the version for the note's amendments so far: the signed original's pages
    unchanged, then the amendments. Called inside the amendment's transaction, the note's
    row locked; raises NotePdfFailed when the PDF cannot be made."""
    version = note.amendments.count()
    _version_store(
        note=note,
        version=version,
        data=_render_or_fail(lambda n: _version_render(note=n, version=version), note),
    )


def _render_or_fail(render, note: SessionNote, **kwargs) -> bytes:
    try:
        return render(note, **kwargs)
    except Exception as error:  # WeasyPrint, pypdf, a template: any failure refuses the write
        logger.exception("The PDF of session note %s could not be made", note.pk)
        raise NotePdfFailed(str(error)) from error


def _version_store(*, note: SessionNote, version: int, data: bytes) -> None:
    SignedNotePdf.objects.create(
        note=note, amendment_count=version, pdf=data, sha256=hashlib.sha256(data).hexdigest()
    )


def _version_render(*, note: SessionNote, version: int) -> bytes:
    """The signed note with its first `version` amendments: the stored original's pages
    followed by the amendment pages. A note signed before PDFs were frozen at signing (no
    stored original) is rendered whole from today's records, as it always was."""
    original = _stored_pdf(note=note, version=0)
    if version == 0 or original is None:
        return note_render(note)
    amendments = list(note.amendments.select_related("author").order_by("created_at", "pk"))
    addendum = pdfs.session_note_amendments_pdf(note=note, amendments=amendments[:version])
    return pdf_concatenate(original, addendum)


def pdf_concatenate(*parts: bytes) -> bytes:
    """The pages of each PDF in turn, unchanged, as one PDF."""
    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stored_pdf(*, note: SessionNote, version: int) -> bytes | None:
    data = (
        SignedNotePdf.objects.filter(note=note, amendment_count=version)
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(data) if data is not None else None


def note_render(note: SessionNote, *, at_signing: bool = False) -> bytes:
    """The whole note from its records now. `at_signing`: rendered in the signing
    transaction, so the safety status printed is the one at signing."""
    return pdfs.session_note_pdf(
        note=note,
        techniques=list(note.techniques.all()),
        amendments=list(note.amendments.select_related("author")),
        progress=client_progress(client=note.client, until=note.visit_date),
        at_signing=at_signing,
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


def home_care_sheet_pdf(*, client) -> bytes:
    """The client's home-care sheet from the latest accepted plan, checked against today's
    records (`sheet_exercises`), each exercise with the cautions for the conditions of the
    latest screening (`sheet_items_cautioned`). Raises NothingToPrint without a plan, or when
    the latest screening blocks treatment (the client needs the referral letter, not
    exercises)."""
    session_plan = plan_latest_accepted(client=client)
    if session_plan is None:
        raise NothingToPrint(HOME_CARE_NO_PLAN)
    state = client_clinical_state(client=client)
    if state.triage.blocks_treatment:
        raise NothingToPrint(HOME_CARE_BLOCKED.format(outcome=state.triage.outcome.label))
    plan = session_plan.plan
    restrictions = plan_restrictions(
        triage=state.triage, hypothesis=state.hypothesis, stage=plan.stage, acute=plan.acute
    )
    library = {exercise.slug: exercise for exercise in library_snapshot().exercises}
    screening = state.screening
    # Without a screening every caution is printed (none can be ruled out).
    conditions = (
        client_conditions(answers=screening.answers(), age=screening.client_age())
        if screening is not None
        else frozenset(CONDITIONS)
    )
    next_appointment = (
        Appointment.objects.filter(
            client=client, status=Appointment.Status.BOOKED, starts_at__gte=timezone.now()
        )
        .select_related("therapist")
        .order_by("starts_at")
        .first()
    )
    return pdfs.home_care_sheet_pdf(
        client=client,
        stage=plan.stage,
        stage_goal=plan.stage_goal,
        exercises=sheet_items_cautioned(
            items=sheet_exercises(
                items=plan.home_care,
                library=library,
                restrictions=restrictions,
                stage=plan.stage,
                kind=state.hypothesis.kind,
            ),
            conditions=conditions,
        ),
        ice_heat=ice_heat_advice(restrictions=restrictions),
        next_appointment=next_appointment,
        printed_on=timezone.localdate(),
    )
