"""Passwords: everyone changes their own; a forgotten one is reset by an emailed link
(Django's views and tokens: one use, expiring, the same answer for an unknown address);
Django's validators judge every new password; a deactivated account is told why it cannot
sign in."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.forms import ACCOUNT_DEACTIVATED
from accounts.services import staff_create, staff_deactivate
from accounts.views import PASSWORD_CHANGED, PASSWORD_SET
from core.roles import THERAPIST

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lumbar-plexus-walk-42"


def _sign_in(username: str, password: str) -> HttpClient:
    browser = HttpClient()
    response = browser.post(reverse("login"), {"username": username, "password": password})
    return browser if response.status_code == 302 else None


def _change(browser, old: str, new: str, again: str | None = None):
    return browser.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
        follow=True,
    )


def test_a_therapist_changes_their_password(therapist):
    browser = _sign_in("alice", "alice-password-1")
    elsewhere = _sign_in("alice", "alice-password-1")
    response = _change(browser, "alice-password-1", NEW_PASSWORD)
    assert PASSWORD_CHANGED in response.content.decode()
    # Still signed in here; signed out on the other device; the new password works.
    assert browser.get(reverse("home")).status_code == 200
    assert elsewhere.get(reverse("home")).status_code == 302
    assert _sign_in("alice", NEW_PASSWORD) is not None
    assert _sign_in("alice", "alice-password-1") is None


def test_the_manager_changes_theirs_too(manager):
    browser = _sign_in("carol", "carol-password-1")
    assert PASSWORD_CHANGED in _change(browser, "carol-password-1", NEW_PASSWORD).content.decode()


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("8675309421", "This password is entirely numeric."),
        ("alice1234", "The password is too similar to the username."),
    ],
)
def test_the_validators_refuse_weak_passwords(therapist, new, message):
    browser = _sign_in("alice", "alice-password-1")
    response = _change(browser, "alice-password-1", new)
    assert message in response.content.decode()
    therapist.refresh_from_db()
    assert therapist.check_password("alice-password-1")


def test_a_wrong_current_password_is_named(therapist):
    browser = _sign_in("alice", "alice-password-1")
    response = _change(browser, "not-it", NEW_PASSWORD)
    assert "Your old password was entered incorrectly" in response.content.decode()


def test_the_change_page_needs_a_sign_in():
    response = HttpClient().get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Reset by email ------------------------------------------------------------------------------


@pytest.fixture
def alice(db):
    return staff_create(
        first_name="Alice",
        last_name="Able",
        email="alice@clinic.example",
        role=THERAPIST,
        password="alice-password-1",
    )


def _ask_reset(address: str):
    return HttpClient().post(reverse("accounts:password_reset"), {"email": address}, follow=True)


def test_a_reset_link_arrives_and_sets_a_new_password_once(smtp_server, alice):
    response = _ask_reset("Alice@Clinic.example")
    assert "Check your email" in response.content.decode()
    (received,) = smtp_server.to("alice@clinic.example")
    assert "Choose a new password" in received.subject
    assert "Your username is: alice" in received.body
    link = received.link()
    browser = HttpClient()
    page = browser.get(link, follow=True)
    assert "Signing in as" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    done = browser.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert PASSWORD_SET in done.content.decode()
    assert _sign_in("alice", NEW_PASSWORD) is not None
    # The same link again: used up.
    again = HttpClient().get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(smtp_server, alice):
    known = _ask_reset("alice@clinic.example").content.decode()
    unknown = _ask_reset("nobody@clinic.example").content.decode()
    assert [m.recipients for m in smtp_server.messages] == [["alice@clinic.example"]]
    strip = lambda html: html.split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)


def test_a_deactivated_account_gets_no_link(smtp_server, alice, manager):
    staff_deactivate(user=alice, by=manager)
    _ask_reset("alice@clinic.example")
    assert smtp_server.messages == []


def test_the_link_expires(smtp_server, alice, monkeypatch, settings):
    _ask_reset("alice@clinic.example")
    link = smtp_server.messages[0].link()
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    page = HttpClient().get(link, follow=True)
    assert "This link no longer works" in page.content.decode()


def test_a_reset_password_is_judged_by_the_validators(smtp_server, alice):
    _ask_reset("alice@clinic.example")
    browser = HttpClient()
    page = browser.get(smtp_server.messages[0].link(), follow=True)
    response = browser.post(
        page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"}
    )
    assert "This password is too short" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("alice-password-1")


def test_a_mail_server_that_refuses_still_gives_the_same_answer(settings, alice):
    from tests.accounts.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = (
        "127.0.0.1",
        free_port(),
        False,
    )
    response = _ask_reset("alice@clinic.example")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()


# Deactivated accounts --------------------------------------------------------------------------


def test_a_deactivated_account_is_told_why_it_cannot_sign_in(alice, manager):
    staff_deactivate(user=alice, by=manager)
    response = HttpClient().post(
        reverse("login"), {"username": "alice", "password": "alice-password-1"}
    )
    assert response.status_code == 200
    assert ACCOUNT_DEACTIVATED in response.content.decode().replace("&#x27;", "'")


def test_a_wrong_password_for_a_deactivated_account_reveals_nothing(alice, manager):
    staff_deactivate(user=alice, by=manager)
    response = HttpClient().post(reverse("login"), {"username": "alice", "password": "guess"})
    assert "deactivated" not in response.content.decode()
    assert "correct username and password" in response.content.decode()


def test_a_deactivated_staff_members_open_session_ends(alice, manager):
    browser = _sign_in("alice", "alice-password-1")
    staff_deactivate(user=alice, by=manager)
    assert browser.get(reverse("home")).status_code == 302


def test_the_account_page_shows_who_you_are_and_links_the_password_change(client):
    user = staff_create(
        first_name="Dana",
        last_name="Reyes",
        email="dana@clinic.example",
        role=THERAPIST,
        licence_number="LMT-20931",
        password="dana-password-1",
    )
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    for text in ("Dana Reyes", "dana@clinic.example", "Therapist", "LMT-20931"):
        assert text in page
    assert reverse("accounts:password_change") in page
    # every page links to it, under the staff member's name
    assert reverse("accounts:account") in client.get(reverse("home")).content.decode()
