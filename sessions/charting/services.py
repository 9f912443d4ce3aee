"""Charting services (clinical rules §8): start, edit, sign and amend SOAP session notes.

Each service validates and writes atomically. A signed note is refused here first (with a
message for the user) and by the database triggers of sessions/models/note_lock.py as a backstop.
While the client's safety status, read at the moment of writing, forbids treatment, no service
here saves or signs a note listing techniques (sessions/charting/rules.py): the form says so
first, but these are the guard.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from core.limits import AMENDMENTS_FULL, AMENDMENTS_PER_NOTE_MAX, TECHNIQUE_ROWS_MAX
from core.vocabulary import Position, Pressure
from intake.rules import HypothesisKind
from intake.rules.safety import SafetyStatus
from intake.services import client_safety
from sessions.booking.services import appointment_day_bounds
from sessions.charting.progress import PainVisit, SlrReading, mcid_visit, pain_chart, slr_chart
from sessions.charting.rules import note_plan_problem, note_sign_problems, note_techniques_problem
from sessions.models import Appointment, SessionPlan
from sessions.models.note import NoteAmendment, NoteTechnique, SessionNote
from sessions.planning.planner import Plan
from sessions.visits.services import appointment_check_in, appointment_complete

NOTE_SIGNED_LOCKED = "This note is signed and can no longer be changed. Add an amendment instead."
NOTE_NOT_AUTHOR = "Only the therapist who wrote this note can change or sign it."
NOTE_ALREADY_SIGNED = "This note is already signed."
NO_EARLIER_NOTE = "You have no earlier note for this client to start from."
APPOINTMENT_OTHER_CLIENT = "That appointment belongs to another client."
APPOINTMENT_HAS_NOTE = "That appointment already has a session note."
APPOINTMENT_NOT_ATTENDED = "That appointment was {status}: there is no visit to chart."
APPOINTMENT_OTHER_DAY = "The appointment is on {day}: the visit date must be the same day."
RETEST_OTHER_CLIENT = "That assessment belongs to another client."
PLAN_OTHER_CLIENT = "That plan belongs to another client."
NOTE_SIGN_VISIT_NOT_CHECKED_IN = (
    "The visit of {day} is still booked and the client was not screened today: check the "
    "client in first (the red-flag re-screen), then sign. Signing completes the visit, and a "
    "visit is completed only after its check-in. Nothing was signed."
)
NOTE_SIGN_PDF_FAILED = (
    "The note was not signed: its PDF, which is kept as the signed record, could not be "
    "made. Nothing was saved and the note is still a draft; try signing again, and tell the "
    "clinic's administrator if it fails again."
)
AMEND_PDF_FAILED = (
    "The amendment was not saved: the note's PDF with it could not be made. Nothing was "
    "saved; try again, and tell the clinic's administrator if it fails again."
)
AMEND_UNSIGNED = "This note is not signed yet: edit it instead of amending it."
AMEND_NOT_ALLOWED = "Only the therapist who wrote this note can amend it."
TECHNIQUE_ROWS_TOO_MANY = (
    f"Techniques: at most {TECHNIQUE_ROWS_MAX} rows on one note. Remove the extra rows."
)
AMEND_EMPTY = "Write the correction before saving the amendment."
AMEND_NUL = "Amendment: it contains a NUL character (often pasted from another program); remove it."

# The SOAP fields a therapist edits (the form's fields, in the order of the note).
NOTE_FIELDS = (
    "visit_date",
    "client_report",
    "pain_before",
    "changes_since_last_visit",
    "home_care_adherence",
    "findings",
    "retest",
    "working_hypothesis",
    "response_to_treatment",
    "pain_after",
    "adverse_response",
    "adverse_response_change",
    "next_visit",
    "frequency",
    "home_care_given",
    "referrals",
)
# "Start from my last note" copies the whole note, section by section: these fields and the
# techniques. Not copied: what is measured or asked afresh at every visit (the pains, the
# home-care adherence, an adverse response and what was changed for it), the re-test and the
# next visit (both found from today's records), the visit date.
COPIED_FIELDS = (
    "client_report",
    "changes_since_last_visit",
    "findings",
    "working_hypothesis",
    "response_to_treatment",
    "frequency",
    "home_care_given",
    "referrals",
)
# The SOAP sections the copied fields belong to, for the markers on the note form.
NOTE_SECTIONS = {
    "client_report": "S",
    "changes_since_last_visit": "S",
    "findings": "O",
    "working_hypothesis": "A",
    "response_to_treatment": "A",
    "frequency": "P",
    "home_care_given": "P",
    "referrals": "P",
}


@dataclass(frozen=True)
class TechniqueRow:
    """A technique done, as plain data: from the accepted plan, the form, or a copied note."""

    name: str
    minutes: int
    position: Position
    pressure: Pressure
    slug: str = ""


def plan_note_prefill(plan: Plan) -> tuple[list[TechniqueRow], dict[str, str]]:
    """What a note started from an accepted plan begins with (clinical rules §8).

    The techniques done are the plan's timed items with their minutes, position and
    pressure (the first-visit assessment block is not a technique: its tests are recorded
    in intake); the working hypothesis, frequency and home care given come from the plan.
    """
    rows = [
        TechniqueRow(
            name=item.name,
            minutes=item.minutes,
            position=item.position,
            pressure=item.pressure,
            slug=item.technique_slug,
        )
        for item in plan.items
        if not item.is_assessment and item.position is not None and item.pressure is not None
    ]
    soap = {
        "working_hypothesis": HypothesisKind(plan.hypothesis_kind).label,
        "frequency": plan.frequency.text,
        "home_care_given": "\n".join(f"{entry.name}: {entry.dosage}" for entry in plan.home_care),
    }
    return rows, soap


def note_appointment_problem(*, appointment, client, visit_date: date) -> str | None:
    """Why this appointment cannot be the one a note on `visit_date` for `client` records."""
    if appointment.client_id != client.pk:
        return APPOINTMENT_OTHER_CLIENT
    if appointment.status in (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW):
        return APPOINTMENT_NOT_ATTENDED.format(status=appointment.get_status_display().lower())
    day = timezone.localtime(appointment.starts_at).date()
    if day != visit_date:
        return APPOINTMENT_OTHER_DAY.format(day=f"{day:%d %b %Y}")
    if SessionNote.objects.filter(appointment=appointment).exists():
        return APPOINTMENT_HAS_NOTE
    return None


def note_previous(*, client, therapist, before: date) -> SessionNote | None:
    """The therapist's latest note for this client on or before `before`."""
    return (
        SessionNote.objects.filter(client=client, therapist=therapist, visit_date__lte=before)
        .order_by("-visit_date", "-id")
        .first()
    )


@transaction.atomic
def note_start(
    *,
    client,
    therapist,
    visit_date: date,
    techniques: Sequence[TechniqueRow] = (),
    soap: Mapping[str, object] | None = None,
    start_from_last: bool = False,
    appointment: Appointment | None = None,
    plan: SessionPlan | None = None,
) -> SessionNote:
    """Create a draft note, pre-filled with `techniques` and `soap`.

    While the client's safety status forbids treatment the note may list no techniques, so
    it cannot start from a plan either (`note_plan_problem`, `note_techniques_problem`).

    With `start_from_last`, the note starts as a copy of the therapist's previous note for
    this client, section by section (`COPIED_FIELDS` and its techniques). Started from an
    accepted `plan`, this visit's plan wins over the copy: its techniques, working
    hypothesis, frequency and home care (`plan_note_prefill`); `techniques` / `soap` given
    by the caller win over both. The re-test defaults to the client's assessment recorded on
    the visit date, the next visit to the client's next booked appointment.
    """
    if appointment is not None:
        problem = note_appointment_problem(
            appointment=appointment, client=client, visit_date=visit_date
        )
        if problem:
            raise ValidationError({"appointment": problem})
    safety_status = client_safety(client=client).status
    copied_soap: dict[str, object] = {}
    copied_rows: list[TechniqueRow] = []
    if start_from_last:
        previous = note_previous(client=client, therapist=therapist, before=visit_date)
        if previous is None:
            raise ValidationError({"start_from_last": NO_EARLIER_NOTE})
        copied_soap = {field: getattr(previous, field) for field in COPIED_FIELDS}
        copied_rows = note_technique_rows(previous)
    plan_rows: list[TechniqueRow] = []
    plan_soap: dict[str, str] = {}
    if plan is not None:
        if plan.client_id != client.pk:
            raise ValidationError({"plan": PLAN_OTHER_CLIENT})
        problem = note_plan_problem(safety_status=safety_status)
        if problem:
            raise ValidationError({"plan": problem})
        plan_rows, plan_soap = plan_note_prefill(plan.plan)
    soap = {**copied_soap, **plan_soap, **(soap or {})}
    techniques = techniques or plan_rows or copied_rows
    if note_techniques_problem(safety_status=safety_status, technique_count=len(techniques)):
        # Last visit's massage is not copied onto a visit where none may be given.
        techniques = [] if techniques is copied_rows else techniques
    _techniques_check(safety_status=safety_status, techniques=techniques)
    note = SessionNote(
        client=client,
        therapist=therapist,
        visit_date=visit_date,
        appointment=appointment,
        plan=plan,
        retest=client.assessments.filter(assessed_on=visit_date).order_by("-id").first(),
        next_visit=_next_booked_day(client=client, after=visit_date),
    )
    _soap_set(note, soap)
    note.full_clean()
    note.save()
    _techniques_replace(note, techniques)
    return note


def note_technique_rows(note: SessionNote) -> list[TechniqueRow]:
    """A note's techniques as plain rows, in their order."""
    return [
        TechniqueRow(
            name=row.name,
            minutes=row.minutes,
            position=Position(row.position),
            pressure=Pressure(row.pressure),
            slug=row.technique_slug,
        )
        for row in note.techniques.all()
    ]


@dataclass(frozen=True)
class CopiedForward:
    """What of a draft is still as copied from the previous note: the fields (and whether
    the techniques) equal to that note's and not this visit's plan's, and that note's date."""

    from_date: date
    fields: frozenset[str]
    techniques: bool


def note_copied_forward(*, note: SessionNote) -> CopiedForward | None:
    """The parts of a draft `note` still holding the text copied from the therapist's
    previous note for the client (unchanged since, and not what this visit's plan says),
    or None. Worked out from the two notes, so a section edited to anything else loses its
    mark, and nothing needs storing. Three queries at most."""
    if note.is_signed:
        return None
    previous = (
        SessionNote.objects.filter(
            client_id=note.client_id,
            therapist_id=note.therapist_id,
            visit_date__lte=note.visit_date,
        )
        .exclude(pk=note.pk)
        .order_by("-visit_date", "-id")
        .first()
    )
    if previous is None:
        return None
    from_plan: dict[str, str] = {}
    plan_rows: list[TechniqueRow] = []
    if note.plan is not None:
        plan_rows, from_plan = plan_note_prefill(note.plan.plan)
    fields = frozenset(
        field
        for field in COPIED_FIELDS
        if str(getattr(note, field)).strip()
        and getattr(note, field) == getattr(previous, field)
        and from_plan.get(field) != getattr(note, field)
    )
    rows = note_technique_rows(note)
    techniques = bool(rows) and rows == note_technique_rows(previous) and rows != plan_rows
    if not fields and not techniques:
        return None
    return CopiedForward(from_date=previous.visit_date, fields=fields, techniques=techniques)


def note_update(
    *,
    note: SessionNote,
    user,
    soap: Mapping[str, object],
    techniques: Sequence[TechniqueRow] | None = None,
) -> SessionNote:
    """Save the SOAP fields (and, if given, the technique rows) of a draft note.

    Technique rows are refused while the client's safety status, read now, forbids treatment
    (`note_techniques_problem`): nothing is saved, and the caller keeps what was typed.
    """
    with transaction.atomic():
        current = _note_lock_for_writing(note=note, user=user)
        if current.is_signed:
            raise ValidationError(NOTE_SIGNED_LOCKED, code="locked")
        if techniques is not None:
            _techniques_check(
                safety_status=client_safety(client=current.client).status,
                techniques=techniques,
            )
        _soap_set(current, soap)
        if current.retest is not None and current.retest.client_id != current.client_id:
            raise ValidationError({"retest": RETEST_OTHER_CLIENT})
        current.full_clean()
        current.save()
        if techniques is not None:
            _techniques_replace(current, techniques)
    note.refresh_from_db()
    return note


def note_sign(*, note: SessionNote, user) -> SessionNote:
    """Sign the note: from now on nothing in it can change (corrections are amendments).
    Its PDF is rendered and stored in the same transaction (what was signed is what prints);
    a PDF that cannot be made refuses the signature (NOTE_SIGN_PDF_FAILED), nothing saved.
    Signing the note of a checked-in visit completes the visit, in the same transaction
    (`sessions.visits.services.appointment_complete`, which locks the visit's row): a
    signed note and its visit still open never exist side by side.

    Refused while the note lacks its minimum content, or lists techniques while the client's
    safety status, read now, forbids treatment (`note_sign_problems`), or while its visit
    is still booked: the client has not been checked in (re-screened), so neither the
    signature nor the completion happens (NOTE_SIGN_VISIT_NOT_CHECKED_IN). A visit already
    completed, or ended as declined or referred, stays as it is.
    """
    with transaction.atomic():
        current = _note_lock_for_writing(note=note, user=user)
        if current.is_signed:
            raise ValidationError(NOTE_ALREADY_SIGNED, code="locked")
        visit = _visit_lock(current)
        problems = note_sign_problems(
            client_report=current.client_report,
            changes_since_last_visit=current.changes_since_last_visit,
            pain_before=current.pain_before,
            working_hypothesis=current.working_hypothesis,
            response_to_treatment=current.response_to_treatment,
            pain_after=current.pain_after,
            adverse_response=current.adverse_response,
            adverse_response_change=current.adverse_response_change,
            frequency=current.frequency,
            home_care_given=current.home_care_given,
            referrals=current.referrals,
            technique_count=current.techniques.count(),
            safety_status=client_safety(client=current.client).status,
        )
        if problems:
            raise ValidationError(problems, code="incomplete")
        current.signed_at = timezone.now()
        current.signed_by = user
        current.save()
        if visit is not None and visit.status == Appointment.Status.BOOKED:
            # Screened in full today (`_visit_lock` checked): the red flags were asked today.
            appointment_check_in(appointment=visit, by=user)
        if visit is not None and visit.status == Appointment.Status.CHECKED_IN:
            appointment_complete(appointment=visit, by=user)
        _pdf_freeze(current)
    note.refresh_from_db()
    return note


def _pdf_freeze(note: SessionNote) -> None:
    """Render and store the signed note's PDF in the signing transaction: what was signed is
    what prints, for ever (sessions/documents/printing.py). A failure refuses the signature."""
    # Imported here: printing gathers the progress plot from this module.
    from sessions.documents.printing import NotePdfFailed, note_pdf_freeze

    try:
        note_pdf_freeze(note=note)
    except NotePdfFailed as error:
        raise ValidationError(NOTE_SIGN_PDF_FAILED, code="pdf_failed") from error


def _visit_lock(note: SessionNote) -> Appointment | None:
    """The note's visit, locked, or None. Refused while it is still booked, unless it is
    today's and the client was screened today (a first visit: the red-flag
    questions were just asked, so signing checks the client in, as the check-in would
    without asking them twice)."""
    if note.appointment_id is None:
        return None
    visit = Appointment.objects.select_for_update().get(pk=note.appointment_id)
    today = timezone.localdate()
    screened_today = note.client.screenings.filter(screened_on=today).exists()
    if visit.status == Appointment.Status.BOOKED and not (
        timezone.localdate(visit.starts_at) == today and screened_today
    ):
        day = timezone.localtime(visit.starts_at).date()
        raise ValidationError(
            NOTE_SIGN_VISIT_NOT_CHECKED_IN.format(day=f"{day:%d %b %Y}"), code="not_checked_in"
        )
    return visit


@transaction.atomic
def note_amend(*, note: SessionNote, author, text: str) -> NoteAmendment:
    """Add a dated, attributed correction beneath a signed note."""
    current = SessionNote.objects.select_for_update().get(pk=note.pk)
    if not current.is_signed:
        raise ValidationError(AMEND_UNSIGNED, code="unsigned")
    if not note_may_amend(note=current, user=author):
        raise PermissionDenied(AMEND_NOT_ALLOWED)
    if current.amendments.count() >= AMENDMENTS_PER_NOTE_MAX:
        raise ValidationError(AMENDMENTS_FULL, code="full")
    if not text.strip():
        raise ValidationError({"text": AMEND_EMPTY})
    if "\x00" in text:
        raise ValidationError({"text": AMEND_NUL})
    amendment = NoteAmendment(note=current, author=author, text=text.strip())
    amendment.full_clean()
    amendment.save()
    # The version of the PDF with this amendment: the signed original's pages unchanged,
    # then the amendments (sessions/documents/printing.py). Imported here: printing gathers
    # the progress plot from this module.
    from sessions.documents.printing import NotePdfFailed, note_pdf_amended_store

    try:
        note_pdf_amended_store(note=current)
    except NotePdfFailed as error:
        raise ValidationError(AMEND_PDF_FAILED, code="pdf_failed") from error
    return amendment


def note_may_edit(*, note: SessionNote, user) -> bool:
    return note.therapist_id == user.pk and not note.is_signed


def note_may_amend(*, note: SessionNote, user) -> bool:
    """The author corrects their own signed note; the manager reads it (intake.access)."""
    return note.is_signed and note.therapist_id == user.pk


def notes_unsigned_overdue(*, therapist, today: date | None = None) -> QuerySet[SessionNote]:
    """The therapist's drafts whose visit is more than UNSIGNED_NOTE_DAYS days ago."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.UNSIGNED_NOTE_DAYS)
    return (
        SessionNote.objects.filter(
            therapist=therapist, signed_at__isnull=True, visit_date__lt=cutoff
        )
        .select_related("client")
        .order_by("visit_date", "id")
    )


def _next_booked_day(*, client, after: date) -> date | None:
    next_day_starts, _ = appointment_day_bounds(after + timedelta(days=1))
    starts_at = (
        Appointment.objects.filter(
            client=client, status=Appointment.Status.BOOKED, starts_at__gte=next_day_starts
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(starts_at).date() if starts_at else None


def _note_lock_for_writing(*, note: SessionNote, user) -> SessionNote:
    current = SessionNote.objects.select_for_update().get(pk=note.pk)
    if current.therapist_id != user.pk:
        raise PermissionDenied(NOTE_NOT_AUTHOR)
    return current


def _soap_set(note: SessionNote, soap: Mapping[str, object]) -> None:
    unknown = set(soap) - set(NOTE_FIELDS)
    if unknown:
        raise ValueError(f"Not SOAP fields of a note: {sorted(unknown)}")
    for field, value in soap.items():
        setattr(note, field, value)


def _techniques_check(*, safety_status: SafetyStatus, techniques: Sequence[TechniqueRow]) -> None:
    problem = note_techniques_problem(safety_status=safety_status, technique_count=len(techniques))
    if problem:
        raise ValidationError(problem, code="treatment_forbidden")


def _techniques_replace(note: SessionNote, techniques: Sequence[TechniqueRow]) -> None:
    if len(techniques) > TECHNIQUE_ROWS_MAX:
        raise ValidationError(TECHNIQUE_ROWS_TOO_MANY, code="too_many")
    # Row by row through the ORM, not bulk: simple-history records save() and delete() only.
    for row in note.techniques.all():
        row.delete()
    for order, technique in enumerate(techniques):
        row = NoteTechnique(
            note=note,
            order=order,
            technique_slug=technique.slug,
            name=technique.name,
            minutes=technique.minutes,
            position=technique.position,
            pressure=technique.pressure,
        )
        row.full_clean()
        row.save()


def client_progress(*, client, until: date | None = None) -> dict:
    """The outcome charts for a client (two queries): pain before/after from the session
    notes, the SLR onset angle from intake's assessments, on one time axis; up to `until`
    (a note's PDF shows the progress up to its visit)."""
    notes = client.session_notes.all()
    assessments = client.assessments.exclude(slr_side="")
    if until is not None:
        notes = notes.filter(visit_date__lte=until)
        assessments = assessments.filter(assessed_on__lte=until)
    visits = [
        PainVisit(visit_date=day, pain_before=before, pain_after=after)
        for day, before, after in notes.order_by("visit_date", "id").values_list(
            "visit_date", "pain_before", "pain_after"
        )
    ]
    readings = [
        SlrReading(assessed_on=day, side=side, angle=angle)
        for day, side, angle in assessments.order_by("assessed_on", "id").values_list(
            "assessed_on", "slr_side", "slr_onset_angle"
        )
    ]
    axis = [v.visit_date for v in visits] + [r.assessed_on for r in readings]
    index = mcid_visit(visits)
    return {
        "pain": pain_chart(visits, dates=axis),
        "slr": slr_chart(readings, dates=axis),
        "visits": visits,
        "mcid_date": visits[index].visit_date if index is not None else None,
        "has_data": bool(visits or readings),
    }
