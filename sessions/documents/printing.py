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


class NothingToPrint(Exception):
    """The document does not apply to this client now; the message says why."""


def note_pdf(*, note: SessionNote) -> bytes:
    """The note's PDF: rendered fresh for a draft, rendered once and kept for a signed note."""
    if not note.is_signed:
        return note_render(note)
    version = note.amendments.count()
    stored = _stored_pdf(note=note, version=version)
    if stored is not None:
        return stored
    data = note_render(note)
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


def note_render(note: SessionNote) -> bytes:
    return pdfs.session_note_pdf(
        note=note,
        techniques=list(note.techniques.all()),
        amendments=list(note.amendments.select_related("author")),
        progress=client_progress(client=note.client, until=note.visit_date),
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
