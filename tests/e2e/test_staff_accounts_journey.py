"""A new clinic without a developer, in Chromium: the first manager from the command line,
a therapist added on the Staff page whose email arrives at a real SMTP server, their own
password, a change of it, deactivation refused at sign-in with the reason; a forgotten
password reset by email; two-factor sign-in required and used."""

from __future__ import annotations

import base64
import re

import pytest
from django.core.management import call_command
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.e2e.browser import screenshot

MANAGER_PASSWORD = "first-manager-long-passphrase"
DANA_FIRST = "sciatic-notch-stretch-31"
DANA_SECOND = "piriformis-release-2026"
DANA_THIRD = "neural-flossing-slowly-8"


@pytest.fixture
def first_manager(monkeypatch):
    for name, value in {
        "CLINIC_MANAGER_FIRST_NAME": "Maria",
        "CLINIC_MANAGER_LAST_NAME": "Lopez",
        "CLINIC_MANAGER_EMAIL": "maria@clinic.example",
        "CLINIC_MANAGER_PASSWORD": MANAGER_PASSWORD,
    }.items():
        monkeypatch.setenv(name, value)
    call_command("clinic_manager_create", "--no-input")


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def _code_for(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{TOTP(key, step=30, t0=0, digits=6).token():06d}"


def test_a_clinic_starts_without_a_developer(page, live_server, first_manager, smtp_server):
    # The manager signs in and adds a therapist.
    _sign_in(page, "maria", MANAGER_PASSWORD)
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Add a staff member").click()
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Reyes")
    page.get_by_label("Email").fill("dana@clinic.example")
    page.get_by_label("Licence number").fill("LMT-20931")
    page.get_by_label("Therapist").check()
    page.get_by_role("button", name="Add and send the link").click()
    expect(
        page.get_by_text("a link to choose a password was emailed to dana@clinic.example")
    ).to_be_visible()
    screenshot(page, "staff-added")

    # Dana's email arrives; she chooses a password, signs in and changes it.
    (welcome,) = smtp_server.to("dana@clinic.example")
    dana_context = page.context.browser.new_context(base_url=live_server.url)
    dana = dana_context.new_page()
    dana.goto(welcome.link())
    expect(dana.get_by_role("heading", name="Welcome: choose your password")).to_be_visible()
    dana.locator("#id_new_password1").fill(DANA_FIRST)
    dana.locator("#id_new_password2").fill(DANA_FIRST)
    dana.get_by_role("button", name="Save password").click()
    expect(dana.get_by_text("Your password is set: sign in with it.")).to_be_visible()
    _sign_in(dana, "dana", DANA_FIRST)
    expect(dana.get_by_role("heading", name="Welcome, Dana")).to_be_visible()
    dana.get_by_role("link", name="Dana Reyes · Therapist").click()
    dana.get_by_role("link", name="Change your password").click()
    dana.get_by_label("Old password").fill(DANA_FIRST)
    dana.locator("#id_new_password1").fill(DANA_SECOND)
    dana.locator("#id_new_password2").fill(DANA_SECOND)
    dana.get_by_role("button", name="Change password").click()
    expect(dana.get_by_text("Your password is changed.")).to_be_visible()

    # A forgotten password, reset by email end to end.
    dana.get_by_role("button", name="Log out").click()
    dana.get_by_role("link", name="Forgotten your password?").click()
    dana.get_by_label("Email").fill("dana@clinic.example")
    dana.get_by_role("button", name="Send the link").click()
    expect(dana.get_by_role("heading", name="Check your email")).to_be_visible()
    reset = smtp_server.to("dana@clinic.example")[-1]
    assert "Choose a new password" in reset.subject
    dana.goto(reset.link())
    dana.locator("#id_new_password1").fill(DANA_THIRD)
    dana.locator("#id_new_password2").fill(DANA_THIRD)
    dana.get_by_role("button", name="Save password").click()
    _sign_in(dana, "dana", DANA_THIRD)
    expect(dana.get_by_role("heading", name="Welcome, Dana")).to_be_visible()

    # The manager requires two-factor sign-in: both set it up and use it.
    page.get_by_role("link", name="Clinic", exact=True).click()
    page.get_by_label("Require two-factor sign-in for all staff").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    secret = page.locator(".two-factor-secret").inner_text()
    page.get_by_label("Code").fill(_code_for(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    screenshot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="I have kept them: continue").click()

    dana.get_by_role("button", name="Log out").click()
    _sign_in(dana, "dana", DANA_THIRD)
    expect(dana.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    dana_secret = dana.locator(".two-factor-secret").inner_text()
    dana.get_by_label("Code").fill(_code_for(dana_secret))
    dana.get_by_role("button", name="Turn on two-factor sign-in").click()
    dana.get_by_role("link", name="I have kept them: continue").click()
    dana.get_by_role("button", name="Log out").click()
    _sign_in(dana, "dana", DANA_THIRD)
    expect(dana.get_by_role("heading", name="Type your code")).to_be_visible()
    dana.get_by_label("Code").fill("000000")
    dana.get_by_role("button", name="Continue").click()
    expect(dana.get_by_text("That code did not match").first).to_be_visible()
    screenshot(dana, "two-factor-wrong-code")

    # The manager deactivates Dana: her sign-in is refused with the reason.
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Dana Reyes").click()
    page.get_by_role("button", name="Deactivate this account").click()
    expect(page.get_by_text("Dana Reyes's account is deactivated")).to_be_visible()
    dana.goto("/")
    expect(dana.get_by_role("heading", name="Log in")).to_be_visible()
    _sign_in(dana, "dana", DANA_THIRD)
    expect(
        dana.get_by_text(re.compile("This account has been deactivated by the clinic manager"))
    ).to_be_visible()
    screenshot(dana, "sign-in-deactivated")
    dana_context.close()
    assert page.console_errors == []
