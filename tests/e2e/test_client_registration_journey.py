"""Registering a client from Today: ticking consent fills in today's date (the clinic's), a
date already typed stays, and the client is saved with it."""

from __future__ import annotations

from django.utils import timezone

from intake.models import Client
from tests.e2e.browser import log_in


def test_ticking_consent_fills_in_todays_date(page, therapist):
    log_in(page, "alice", "alice-password-1")
    page.goto("/sessions/today/")
    page.get_by_role("link", name="Add client").click()
    page.get_by_label("First name").fill("Nadia")
    page.get_by_label("Last name").fill("Kowalski")
    page.get_by_label("Date of birth").fill("1984-03-12")
    consent_date = page.get_by_label("Consent date")
    assert consent_date.input_value() == ""
    page.get_by_label("Consent to treatment given").check()
    assert consent_date.input_value() == timezone.localdate().isoformat()
    page.get_by_role("button", name="Save client").click()
    page.wait_for_url(lambda url: "/clients/new/" not in url)

    client = Client.objects.get(last_name="Kowalski")
    assert client.consent_given and client.consent_date == timezone.localdate()
    assert page.console_errors == []


def test_a_consent_date_already_typed_is_kept(page, therapist):
    log_in(page, "alice", "alice-password-1")
    page.goto("/clients/new/")
    page.get_by_label("Consent date").fill("2026-01-05")
    page.get_by_label("Consent to treatment given").check()
    assert page.get_by_label("Consent date").input_value() == "2026-01-05"
    page.get_by_label("Consent to treatment given").uncheck()
    page.get_by_label("Consent date").fill("")
    page.get_by_label("Consent to treatment given").check()
    assert page.get_by_label("Consent date").input_value() == timezone.localdate().isoformat()
