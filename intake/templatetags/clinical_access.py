"""`{% if user|clinical_write_allowed:client %}`: show a clinical action (new screening, plan,
note, check-in...) only to whom `intake.access` lets use it, so the manager sees no button
that would answer 403."""

from __future__ import annotations

from django import template

from intake import access

register = template.Library()


@register.filter
def clinical_write_allowed(user, client) -> bool:
    return access.clinical_write_allowed(user, client)
