"""Posting a create form as the page that rendered it would: with its single-use token.

Most tests post form data straight to a view, not through the page; `TokenClient` (the
`client` fixture) adds the token that page would have carried, for the signed-in user,
when the data has none. A test of the token itself posts its own (`form_token_for`), or
uses a plain `django.test.Client` to send none.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

from core.form_tokens import FORM_TOKEN_FIELD, form_token_issue

# The views that create a record, by URL name, and their forms' token purposes.
FORM_TOKEN_PURPOSES = {
    "intake:client_create": "intake.client_create",
    "intake:screening_create": "intake.screening_create",
    "intake:assessment_create": "intake.assessment_create",
    "intake:clearance_create": "intake.clearance_create",
    "intake:intake_link_issue": "intake.intake_link_issue",
    "sessions:plan_review": "sessions.plan_accept",
    "sessions:visit_plan_accept": "sessions.plan_accept",
    "sessions:note_create": "sessions.note_start",
    "sessions:note_amend": "sessions.note_amend",
    "sessions:appointment_book": "sessions.appointment_book",
    "sessions:appointment_series_book": "sessions.appointment_series_book",
    "staff_add": "accounts.staff_create",
}


def form_purpose(path: str) -> str | None:
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return None
    return FORM_TOKEN_PURPOSES.get(match.view_name)


def form_token_for(user, path: str) -> str:
    """A token as the form page at `path` would render it for `user`."""
    purpose = form_purpose(path)
    assert purpose, f"{path} takes no form token"
    return form_token_issue(user=user, purpose=purpose)


def with_form_token(data: dict, user, path: str) -> dict:
    return {**data, FORM_TOKEN_FIELD: form_token_for(user, path)}


class TokenClient(Client):
    def post(self, path, data=None, *args, **kwargs):
        purpose = form_purpose(path)
        user_id = self.session.get("_auth_user_id")
        if purpose and user_id and isinstance(data, dict) and FORM_TOKEN_FIELD not in data:
            user = get_user_model().objects.get(pk=user_id)
            data = {**data, FORM_TOKEN_FIELD: form_token_issue(user=user, purpose=purpose)}
        return super().post(path, data, *args, **kwargs)
