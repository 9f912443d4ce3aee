"""`{{ user|staff_name }}`, `{{ user|staff_colour_class }}`: a staff member's name and
calendar colour in a template (`core.staff`)."""

from __future__ import annotations

from django import template

from core.staff import staff_colour, staff_display_name

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return staff_display_name(user)


@register.filter
def staff_colour_class(user) -> str:
    """`{{ therapist|staff_colour_class }}`: the class of their colour on the calendars."""
    return staff_colour(user.pk)
