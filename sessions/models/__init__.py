"""The visit's tables: appointments, accepted plans, session notes, and the database rules
that guard them (the no-double-booking constraint, the signed-note lock)."""

from sessions.models.appointment import OCCUPYING_STATUSES, Appointment
from sessions.models.note import NoteAmendment, NoteTechnique, SessionNote, SignedNotePdf
from sessions.models.plan import SessionPlan
from sessions.models.run_sheet import RunSheetClock

__all__ = [
    "OCCUPYING_STATUSES",
    "Appointment",
    "NoteAmendment",
    "NoteTechnique",
    "RunSheetClock",
    "SessionNote",
    "SessionPlan",
    "SignedNotePdf",
]
