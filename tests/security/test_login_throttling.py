"""Repeated failed logins lock the username for a cool-off, and the lockout is logged."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _try(client, password):
    return client.post(reverse("login"), {"username": "alice", "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, therapist):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong-password")
    response = _try(client, "alice-password-1")
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    assert not client.session.get("_auth_user_id")


def test_failures_are_logged_with_the_username(client, therapist):
    for _ in range(3):
        _try(client, "wrong-password")
    assert AccessFailureLog.objects.filter(username="alice").count() == 3


def test_the_lock_lifts_after_the_cool_off(client, therapist):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong-password")
    assert _try(client, "alice-password-1").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    response = _try(client, "alice-password-1")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(therapist.pk)


def test_a_lockout_of_one_user_does_not_lock_a_colleague(client, therapist, colleague):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "wrong-password")
    response = client.post(reverse("login"), {"username": "bob", "password": "bob-password-1"})
    assert response.status_code == 302
