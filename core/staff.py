"""Staff members as the pages name and list them."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from core.roles import THERAPIST


def staff_display_name(user) -> str:
    """The name shown for a staff member: their full name, or the username when the account
    has no name recorded."""
    return user.get_full_name() or user.username


# Each staff member keeps one colour on every calendar page (static/css/app.css
# .staff-colour-N): picked from their id, so it never changes with the list around them.
STAFF_COLOURS = 12


def staff_colour(user_id: int) -> str:
    """The CSS class of a staff member's colour."""
    return f"staff-colour-{user_id % STAFF_COLOURS}"


def therapists_active() -> QuerySet[User]:
    """The therapists who may be picked (for a calendar, a client, a filter), by name."""
    return User.objects.filter(groups__name=THERAPIST, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


class StaffChoiceField(forms.ModelChoiceField):
    """A choice of staff member, each named as everywhere else."""

    def label_from_instance(self, obj: User) -> str:
        return staff_display_name(obj)
