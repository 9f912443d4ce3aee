"""Staff account services (accounts/services.py) where the pages cannot reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from core.roles import THERAPIST

pytestmark = pytest.mark.django_db


def test_a_username_taken_at_the_last_moment_is_a_message_not_an_error(monkeypatch):
    services.staff_create(first_name="A", last_name="B", email="dana@one.example", role=THERAPIST)
    monkeypatch.setattr(services, "username_from_email", lambda email: "dana")
    monkeypatch.setattr(services, "email_in_use", lambda email, exclude=None: False)
    with pytest.raises(ValidationError, match="Another staff account already uses"):
        services.staff_create(
            first_name="D", last_name="R", email="dana@two.example", role=THERAPIST
        )
