"""`{{ user|staff_name }}`: a staff member's name in a template (`core.staff`)."""

from __future__ import annotations

from django import template

from core.staff import staff_display_name

register = template.Library()


@register.filter
def staff_name(user) -> str:
    return staff_display_name(user)
