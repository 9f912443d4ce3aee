"""Booking in a real browser: find the client, book, see it on the calendar, and
get the clash message naming the other appointment when booking over it."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import ClientFactory


def test_a_therapist_books_a_visit_and_is_told_about_a_clash(page, therapist):
    ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")
    ClientFactory(therapist=therapist, first_name="Tom", last_name="Lane")
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    log_in(page, "alice", "alice-password-1")

    page.goto("/sessions/calendar/")
    page.get_by_role("link", name="Book a visit").click()
    page.get_by_label("Find a client by name").fill("doe")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="One visit").click()
    page.get_by_label("Date").fill(day)
    page.get_by_label("Start time").fill("10:00")
    page.get_by_role("button", name="Book").click()
    assert page.get_by_role("heading", name="Jane Doe").is_visible()
    assert page.get_by_text("Booked Jane Doe with Alice").is_visible()

    page.goto(f"/sessions/calendar/?week={day}")
    assert page.locator(".grid-visit", has_text="Jane Doe").is_visible()
    screenshot(page, "booking-calendar")

    page.goto("/sessions/appointments/book/?q=lane")
    page.get_by_role("link", name="One visit").click()
    page.get_by_label("Date").fill(day)
    page.get_by_label("Start time").fill("10:30")
    page.get_by_role("button", name="Book").click()
    assert page.get_by_text("Alice is already booked at that time: Jane Doe").is_visible()
    screenshot(page, "booking-clash")
    assert page.console_errors == []
