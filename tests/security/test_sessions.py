"""Sessions end: 30 idle minutes, an absolute limit after login, and at logout."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.middleware import LOGIN_TIME_KEY, TOUCHED_KEY

pytestmark = pytest.mark.django_db


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS <= 60


def test_a_request_after_the_refresh_interval_pushes_the_idle_expiry_forward(therapist_client):
    first = therapist_client.get(reverse("home")).cookies[settings.SESSION_COOKIE_NAME]
    assert int(first["max-age"]) == 30 * 60
    session = therapist_client.session
    session[TOUCHED_KEY] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    session.set_expiry(None)
    session.save()
    before = Session.objects.get(session_key=session.session_key).expire_date
    response = therapist_client.get(reverse("home"))
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 30 * 60
    assert Session.objects.get(session_key=session.session_key).expire_date > before


def test_requests_within_the_refresh_interval_do_not_write_the_session(therapist_client):
    therapist_client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        response = therapist_client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not [q for q in captured if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_an_idle_session_past_its_expiry_is_signed_out(therapist_client):
    therapist_client.get(reverse("home"))
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = therapist_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


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
