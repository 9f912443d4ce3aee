"""Sessions end: 30 idle minutes, an absolute limit after login, and at logout."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from sciatica_clinic.middleware import LOGIN_TIME_KEY

pytestmark = pytest.mark.django_db


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_idle_expiry_forward(therapist_client):
    first = therapist_client.get(reverse("home")).cookies[settings.SESSION_COOKIE_NAME]
    assert int(first["max-age"]) == 30 * 60


def test_a_session_older_than_the_absolute_limit_is_logged_out(therapist_client):
    assert therapist_client.get(reverse("home")).status_code == 200
    session = therapist_client.session
    session[LOGIN_TIME_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = therapist_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert therapist_client.get(reverse("home")).status_code == 302


def test_login_issues_a_new_session_key(client, therapist):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_the_old_cookie_is_dead_after_logout(client, therapist):
    client.post(reverse("login"), {"username": "alice", "password": "alice-password-1"})
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("logout"))
    client.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_by_get_is_refused(therapist_client):
    assert therapist_client.get(reverse("logout")).status_code == 405
    assert therapist_client.get(reverse("home")).status_code == 200
