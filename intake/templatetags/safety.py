"""The client's stored safety status on a page: `{% include "intake/_safety_badge.html" %}` with
`client`, and these filters. All read `client.safety_status` (no query); the open red flags
come from a `Safety` the view already worked out (`Safety.open_red_flag_reasons`).

- `client|safety_forbids`: True while the status forbids treatment (no massage);
- `client|safety_meaning`: what the status means, in a sentence (clinical rules §2.1-2.3);
- `client|safety_icon`: a symbol beside the label, so the badge is not told by colour alone.
"""

from __future__ import annotations

from django import template

from intake.rules.safety import (
    SAFETY_NOT_SCREENED_ACTION,
    STATUSES_FORBIDDING_TREATMENT,
    SafetyStatus,
)

register = template.Library()

SAFETY_MEANING = {
    SafetyStatus.NOT_SCREENED: "No screening on file. " + SAFETY_NOT_SCREENED_ACTION,
    SafetyStatus.TREAT: "The screening found nothing against massage.",
    SafetyStatus.TREAT_WITH_MODIFICATIONS: (
        "Massage is allowed, changed for the relative contraindications on file."
    ),
    SafetyStatus.DO_NOT_TREAT: (
        "An absolute contraindication is on file: no massage until it has resolved or been cleared."
    ),
    SafetyStatus.REFER_NOW: ("A red flag is open: no massage. The client sees a physician first."),
    SafetyStatus.EMERGENCY: (
        "A sign of cauda equina or a suspected sequestration is open: no massage. The client "
        "goes to an emergency department today."
    ),
}

SAFETY_ICON = {
    SafetyStatus.NOT_SCREENED: "?",
    SafetyStatus.TREAT: "✓",
    SafetyStatus.TREAT_WITH_MODIFICATIONS: "✓",
    SafetyStatus.DO_NOT_TREAT: "✕",
    SafetyStatus.REFER_NOW: "!",
    SafetyStatus.EMERGENCY: "!!",
}


def _status(client) -> SafetyStatus:
    return SafetyStatus(client.safety_status)


@register.filter
def safety_forbids(client) -> bool:
    return _status(client) in STATUSES_FORBIDDING_TREATMENT


@register.filter
def safety_meaning(client) -> str:
    return SAFETY_MEANING[_status(client)]


@register.filter
def safety_icon(client) -> str:
    return SAFETY_ICON[_status(client)]
