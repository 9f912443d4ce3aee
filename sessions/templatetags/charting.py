from __future__ import annotations

from django import template
from django.conf import settings

from sessions.charting.services import notes_unsigned_overdue

register = template.Library()


@register.simple_tag(takes_context=True)
def unsigned_notes_overdue(context) -> dict:
    """The logged-in therapist's drafts older than UNSIGNED_NOTE_DAYS, for the dashboard."""
    user = context["request"].user
    notes = list(notes_unsigned_overdue(therapist=user)) if user.is_authenticated else []
    return {"notes": notes, "days": settings.UNSIGNED_NOTE_DAYS}
