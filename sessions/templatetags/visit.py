"""`{% visit_note_start appointment %}`: the one-click "Write the note" of a visit, for the
pages of the visit's flow (the run sheet, the accepted plan) beside the workspace's own."""

from __future__ import annotations

from django import template

from sessions.models import SessionPlan
from sessions.models.note import SessionNote
from sessions.visits.workspace import visit_note_start_form

register = template.Library()


@register.inclusion_tag("sessions/_visit_note_start.html", takes_context=True)
def visit_note_start(context, appointment, css: str = "btn-primary", plan=None) -> dict:
    """The visit's note if it has one, else the start form for it (two queries; three
    without the visit's accepted `plan`, looked up then)."""
    user = context["request"].user
    note = SessionNote.objects.filter(appointment=appointment).first()
    form = None
    if note is None and plan is None:
        plan = (
            SessionPlan.objects.filter(appointment=appointment)
            .order_by("-accepted_at", "-id")
            .first()
        )
    if note is None:
        form = visit_note_start_form(user=user, appointment=appointment, plan=plan)
    return {"appointment": appointment, "note": note, "form": form, "css": css}
