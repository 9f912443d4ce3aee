"""Intake before the visit (issue 20), at phone size: booking -> the link arrives by email at
a real SMTP server -> the client fills everything, the body pain map by tapping -> the
therapist sees it awaiting review on Today -> accepts -> the chart and the note PDF show the
pain map. A red-flag answer shows the alert on Today before any review, and the client is
told to get medical help now."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import HealthHistory
from tests.e2e.axe import axe_violations, violations_text
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import ClientFactory
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import SessionNoteFactory

PHONE = {"width": 390, "height": 844}


def _phone(page, live_server):
    context = page.context.browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(15_000)
    return context.new_page()


def _book_and_send(page, name: str, day: str, time: str) -> None:
    page.goto(f"/sessions/appointments/book/?q={name}")
    page.get_by_role("link", name="One visit").click()
    page.get_by_label("Date").fill(day)
    page.get_by_role("textbox", name="Start time").fill(time)
    page.get_by_role("button", name="Book").click()
    page.get_by_role("button", name="Send an intake link").click()
    expect(page.get_by_role("heading", name="Intake form link")).to_be_visible()
    expect(page.locator(".intake-qr svg")).to_be_visible()


def _fill_the_form(client_page, *, red_flag: str | None = None) -> None:
    radios = client_page.locator("input[type=radio][name^=red_flag_][value=no]")
    for n in range(radios.count()):
        radios.nth(n).check()
    if red_flag:
        client_page.locator(f"input[name=red_flag_{red_flag}][value=yes]").check()
    client_page.get_by_label("When did it start?").fill("2026-01-10")
    client_page.locator("input[name=pain_now][value='6']").check()
    client_page.locator("input[name=pain_worst][value='8']").check()
    client_page.locator("input[name=pain_best][value='2']").check()
    client_page.get_by_label("Activity 1", exact=True).fill("Sitting through a film")
    client_page.get_by_label("How well can you do activity 1 today?", exact=False).select_option(
        "3"
    )
    client_page.get_by_label("Medicines you take", exact=False).fill("Ibuprofen")
    client_page.locator("input[name=pregnant][value=no]").check()
    # The pain map: tap the right buttock (pain), then choose tingling and tap the right calf.
    client_page.locator("svg path[data-region=buttock_right]").click()
    client_page.get_by_text("Tingling / pins and needles", exact=True).first.click()
    client_page.locator("svg path[data-region=calf_right]").click()
    expect(client_page.locator("input[value='calf_right:tingling']")).to_be_checked()
    expect(client_page.locator("input[value='buttock_right:pain']")).to_be_checked()
    client_page.get_by_label("I agree to massage therapy", exact=False).check()
    client_page.get_by_label("Type your full name to sign").fill("Sarah Mitchell")


def test_intake_before_the_visit_at_phone_size(page, live_server, therapist, smtp_server):
    sarah = ClientFactory(
        therapist=therapist, first_name="Sarah", last_name="Mitchell", email="sarah@example.org"
    )
    ClientFactory(
        therapist=therapist, first_name="Rick", last_name="Flagg", email="rick@example.org"
    )
    page.set_viewport_size(PHONE)
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    log_in(page, "alice", "alice-password-1")
    _book_and_send(page, "mitchell", day, "10:00")
    screenshot(page, "intake-link-issued")

    (mail,) = smtp_server.to("sarah@example.org")
    client_page = _phone(page, live_server)
    client_page.goto(mail.link())
    expect(client_page.get_by_role("heading", name="Hello Sarah", exact=False)).to_be_visible()
    violations = axe_violations(client_page)
    assert not violations, violations_text("intake form", violations)
    _fill_the_form(client_page)
    screenshot(client_page, "intake-form-filled")
    client_page.get_by_role("button", name="Send my answers").click()
    expect(client_page.get_by_role("heading", name="Thank you, Sarah")).to_be_visible()
    assert not axe_violations(client_page)
    # Sent once: the link now says so.
    client_page.goto(mail.link())
    expect(client_page.get_by_text("This form has already been sent.")).to_be_visible()
    assert not HealthHistory.objects.filter(client=sarah).exists()

    page.goto("/sessions/today/")
    expect(page.get_by_text("Sarah Mitchell sent their intake form.")).to_be_visible()
    page.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Intake form from Sarah Mitchell")).to_be_visible()
    screenshot(page, "intake-review")
    violations = axe_violations(page)
    assert not violations, violations_text("intake review", violations)
    page.get_by_role("button", name="Accept into the chart").click()
    expect(page.get_by_text("The client's answers are now in the chart.")).to_be_visible()
    expect(page.get_by_role("heading", name="Body pain map")).to_be_visible()
    expect(page.locator(".pain-map-list li", has_text="Calf, right: tingling")).to_be_visible()
    screenshot(page, "intake-chart-pain-map")
    violations = axe_violations(page)
    assert not violations, violations_text("chart with the pain map", violations)
    page.goto(reverse("intake:health_history_edit", args=[sarah.pk]))
    expect(page.locator("input[value='calf_right:tingling']")).to_be_checked()
    violations = axe_violations(page)
    assert not violations, violations_text("history form with the pain map", violations)
    history = HealthHistory.objects.get(client=sarah)
    assert history.pain_side == "right" and history.radiates_past_knee

    note = SessionNoteFactory(client=sarah, therapist=therapist)
    pdf = page.request.get(reverse("sessions:note_pdf", args=[sarah.pk, note.pk]))
    assert pdf.status == 200
    assert "Calf, right: tingling" in pdf_text(pdf.body())

    # A red flag: the client is told at once, Today shows it before any review.
    _book_and_send(page, "flagg", day, "11:00")
    (rick_mail,) = smtp_server.to("rick@example.org")
    client_page.goto(rick_mail.link())
    _fill_the_form(client_page, red_flag="saddle_anaesthesia")
    client_page.get_by_label("Type your full name to sign").fill("Rick Flagg")
    client_page.get_by_role("button", name="Send my answers").click()
    expect(client_page.get_by_role("heading", name="Please get medical help now")).to_be_visible()
    screenshot(client_page, "intake-red-flag-client")
    page.goto("/sessions/today/")
    expect(page.get_by_text("Red flag: Rick Flagg reported", exact=False)).to_be_visible()
    screenshot(page, "intake-red-flag-today")
    violations = axe_violations(page)
    assert not violations, violations_text("Today with the intake alert", violations)
    assert page.console_errors == []
