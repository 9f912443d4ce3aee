"""`{% not_a_diagnosis %}`: the scope note every record of the tests carries, on pages and
in PDFs, in the one wording of `intake.rules.NOT_A_DIAGNOSIS`."""

from __future__ import annotations

from django import template

from intake.rules import NOT_A_DIAGNOSIS

register = template.Library()


@register.simple_tag
def not_a_diagnosis() -> str:
    return NOT_A_DIAGNOSIS
