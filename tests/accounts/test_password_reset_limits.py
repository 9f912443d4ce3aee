"""Password-reset requests are limited per address and per network address, in the
database, the same for known and unknown addresses; and every accepted request is answered
no sooner than PASSWORD_RESET_ANSWER_MS, so a known address (a message sent) does not answer
more slowly than an unknown one (accounts/reset_limits.py)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts import forms as account_forms
from accounts import reset_limits
from accounts.models import PasswordResetRequest
from accounts.services import staff_create
from core.roles import THERAPIST

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return staff_create(
        first_name="Alice",
        last_name="Able",
        email="alice@clinic.example",
        role=THERAPIST,
        password="alice-password-1",
    )


def _ask(address: str, ip: str = "192.0.2.10"):
    return HttpClient(REMOTE_ADDR=ip).post(
        reverse("accounts:password_reset"), {"email": address}, follow=True
    )


def _refused(response) -> bool:
    return "Too many password reset requests" in response.content.decode()


def test_an_address_gets_three_links_an_hour_then_is_told_when_to_try_again(smtp_server, alice):
    for attempt in range(3):
        assert (
            "Check your email"
            in _ask("alice@clinic.example", ip=f"192.0.2.{attempt}").content.decode()
        )

    fourth = _ask("Alice@Clinic.example", ip="192.0.2.99")

    page = fourth.content.decode()
    assert _refused(fourth) and "Try again in 60 minute(s)" in page
    assert 'aria-invalid="true"' in page or "is-invalid" in page
    assert len(smtp_server.to("alice@clinic.example")) == 3


def test_an_unknown_address_is_limited_the_same_way(smtp_server, alice):
    answers = [_ask("nobody@clinic.example", ip=f"192.0.2.{n}") for n in range(4)]
    assert [_refused(answer) for answer in answers] == [False, False, False, True]
    assert smtp_server.messages == []


def test_a_network_address_is_limited_across_addresses(smtp_server, alice, settings):
    settings.PASSWORD_RESET_PER_IP = 2
    assert not _refused(_ask("one@clinic.example"))
    assert not _refused(_ask("two@clinic.example"))
    assert _refused(_ask("alice@clinic.example"))
    assert smtp_server.messages == []
    # Another network is not affected, nor is the address it could not ask for.
    assert not _refused(_ask("alice@clinic.example", ip="198.51.100.7"))
    assert len(smtp_server.to("alice@clinic.example")) == 1


def test_a_refused_request_is_not_counted_and_the_window_slides(smtp_server, alice):
    for n in range(3):
        _ask("alice@clinic.example", ip=f"192.0.2.{n}")
    assert _refused(_ask("alice@clinic.example", ip="192.0.2.50"))
    assert PasswordResetRequest.objects.filter(key__startswith="email:").count() == 3
    PasswordResetRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))

    assert not _refused(_ask("alice@clinic.example", ip="192.0.2.51"))
    # The old rows were cleared; the new one is counted.
    assert PasswordResetRequest.objects.filter(key__startswith="email:").count() == 1


def test_the_count_is_kept_in_the_database_without_addresses_in_clear(alice):
    _ask("alice@clinic.example", ip="203.0.113.5")
    keys = list(PasswordResetRequest.objects.values_list("key", flat=True))
    assert sorted(key.split(":")[0] for key in keys) == ["email", "ip"]
    assert not any("alice" in key or "203.0.113.5" in key for key in keys)


def test_requests_racing_never_pass_the_limit(alice, settings):
    """Each request is recorded (committed) before it is counted: whichever order they
    interleave in, no more than the limit is let through."""
    settings.PASSWORD_RESET_PER_ADDRESS = 1
    assert reset_limits.reset_request_admit(email="a@b.example", ip=None) == 0
    # A second request recorded before the first one counted (the race): both over, both refused.
    PasswordResetRequest.objects.create(
        key=reset_limits._key("email", "x@b.example"), created_at=timezone.now()
    )
    assert reset_limits.reset_request_admit(email="x@b.example", ip=None) > 0
    assert (
        PasswordResetRequest.objects.filter(key=reset_limits._key("email", "x@b.example")).count()
        == 1
    )


def test_a_known_and_an_unknown_address_take_the_same_minimum_time(
    smtp_server, alice, settings, monkeypatch
):
    settings.PASSWORD_RESET_ANSWER_MS = 400
    real_send = account_forms.email_send

    def slow_send(**kwargs):
        time.sleep(0.25)  # a mail server taking its time
        real_send(**kwargs)

    monkeypatch.setattr(account_forms, "email_send", slow_send)
    rendered = []
    real_render = account_forms.email_render
    monkeypatch.setattr(
        account_forms, "email_render", lambda *a, **k: rendered.append(a[0]) or real_render(*a, **k)
    )

    timings = {}
    for address in ["alice@clinic.example", "nobody@clinic.example"]:
        started = time.monotonic()
        _ask(address, ip="192.0.2.77")
        timings[address] = time.monotonic() - started

    assert min(timings.values()) >= 0.4
    # The unknown address rendered the message it would have sent.
    assert rendered == ["password_reset"]
    assert len(smtp_server.to("alice@clinic.example")) == 1


def test_the_answer_waits_for_the_rest_of_the_minimum(settings, monkeypatch):
    settings.PASSWORD_RESET_ANSWER_MS = 1000
    slept = []
    monkeypatch.setattr(reset_limits.time, "sleep", slept.append)

    reset_limits.answer_no_sooner(time.monotonic() - 0.3)

    assert slept and 0.6 < slept[0] <= 0.7


def test_a_send_slower_than_the_minimum_is_logged(settings, monkeypatch, caplog):
    settings.PASSWORD_RESET_ANSWER_MS = 100
    slept = []
    monkeypatch.setattr(reset_limits.time, "sleep", slept.append)

    reset_limits.answer_no_sooner(time.monotonic() - 0.5)

    assert slept == []
    assert "raise the setting" in caplog.text
