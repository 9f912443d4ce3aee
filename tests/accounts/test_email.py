"""Email leaves through Django's SMTP backend, configured by the environment, in the clinic's
name: checked against a real SMTP server (tests/accounts/smtp.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.emails import email_send, email_try
from accounts.services import clinic_profile_update
from tests.accounts.smtp import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _profile(**changes):
    values = {
        "name": "Riverside Sciatica Clinic",
        "address": "12 Mill Lane\nLeeds LS1 4AB",
        "phone": "0113 496 0000",
        "email": "desk@riverside.example",
        "two_factor_required": False,
    }
    return clinic_profile_update(**(values | changes))


def test_a_message_reaches_the_smtp_server_in_the_clinics_name(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "noreply@riverside.example"
    _profile()
    email_send(to="alice@clinic.example", name="email_check", context={"name": "Alice"})
    (received,) = smtp_server.messages
    assert received.recipients == ["alice@clinic.example"]
    assert received.sender == "noreply@riverside.example"
    assert received.message["From"] == "Riverside Sciatica Clinic <noreply@riverside.example>"
    assert received.message["Reply-To"] == "desk@riverside.example"
    assert received.subject == "A message from Riverside Sciatica Clinic"
    body = received.body
    assert body.startswith("Hello Alice,")
    # The clinic's details sign every message.
    assert "Riverside Sciatica Clinic\n12 Mill Lane\nLeeds LS1 4AB\nPhone: 0113 496 0000\n" in body
    assert "Email: desk@riverside.example" in body


def test_text_is_sent_as_typed_not_html_escaped(smtp_server):
    _profile(name="O'Brien & Daughters <Clinic>")
    email_send(to="alice@clinic.example", name="email_check", context={"name": "Zoë O'Neil"})
    (received,) = smtp_server.messages
    assert "Hello Zoë O'Neil," in received.body
    assert received.subject == "A message from O'Brien & Daughters <Clinic>"


def test_without_a_clinic_email_there_is_no_reply_to(smtp_server):
    email_send(to="alice@clinic.example", name="email_check", context={"name": "Alice"})
    (received,) = smtp_server.messages
    assert received.message["Reply-To"] is None
    assert "Sciatica Clinic" in received.body


def test_a_server_that_does_not_answer_gives_a_reason_not_an_error(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = False
    reason = email_try(to="alice@clinic.example", name="email_check", context={"name": "A"})
    assert reason and "refused" in reason.lower()


def _email_settings(env: dict) -> list[str]:
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
        "s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD)"
    )
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **keep,
            "DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings",
            "SECRET_KEY": "k" * 50,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_smtp_settings_come_from_the_environment():
    assert _email_settings(
        {
            "EMAIL_HOST": "smtp.example.org",
            "EMAIL_PORT": "2525",
            "EMAIL_HOST_USER": "clinic",
            "EMAIL_HOST_PASSWORD": "s3cret",
        }
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "2525",
        "True",
        "False",
        "clinic",
        "s3cret",
    ]
    assert _email_settings({"EMAIL_HOST": "smtp.example.org", "EMAIL_USE_SSL": "true"})[2:5] == [
        "465",
        "False",
        "True",
    ]


def test_development_prints_email_on_the_console():
    assert _email_settings({"DEBUG": "true"})[0] == "django.core.mail.backends.console.EmailBackend"
