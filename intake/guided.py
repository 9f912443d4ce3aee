"""The guided first visit: register -> intake history -> screening -> tests -> plan, each form
with "Save and continue" leading to the next step (clinical rules §1: the intake order).

Plain "Save" still returns to the chart, as it always did. The visit the guide was started
from (`?visit=<appointment id>`, from the visit workspace) travels along the steps and ends
on planning that visit; intake only passes the number on (`sessions` checks it belongs to the
client when it plans).
"""

from __future__ import annotations

from crispy_forms.layout import Submit
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

CONTINUE = "continue"

# Each step's URL name and what its "Save and continue" button says.
GUIDED_STEPS = (
    ("intake:client_create", ""),
    ("intake:health_history_edit", "the intake history"),
    ("intake:screening_create", "the screening"),
    ("intake:assessment_create", "the tests"),
    ("sessions:plan_new", "plan the session"),
)
GUIDE_STOPPED_BY_SAFETY = (
    "The screening forbids treatment: the guided intake stops here. See the chart for what "
    "to do next (the referral letter)."
)


def _next_step(url_name: str) -> tuple[str, str]:
    names = [name for name, _ in GUIDED_STEPS]
    return GUIDED_STEPS[names.index(url_name) + 1]


def guided_visit(request) -> int | None:
    """The visit the guide is for, from `?visit=`: a number, or None."""
    value = request.GET.get("visit", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def guided_buttons(form, *, step: str) -> None:
    """Put "Save and continue: <next step>" before the form's "Save" button, as the primary
    one; "Save" (back to the chart) becomes secondary."""
    _, words = _next_step(step)
    fields = form.helper.layout.fields
    for index, item in enumerate(fields):
        if isinstance(item, Submit) and item.name == "save":
            item.field_classes = "btn btn-outline-secondary"
            fields.insert(index, Submit(CONTINUE, f"Save and continue: {words}"))
            return


def guided_continues(request) -> bool:
    return CONTINUE in request.POST


def guided_redirect(request, *, step: str, client):
    """The next step's page for `client`, with the visit carried along."""
    name, _ = _next_step(step)
    url = reverse(name, args=[client.pk])
    visit = guided_visit(request)
    if name == "sessions:plan_new":
        query = {"appointment": visit} if visit else {}
    else:
        query = {"visit": visit} if visit else {}
    return redirect(url + ("?" + urlencode(query) if query else ""))
