"""Documentation that gets paid, in a real browser (issue 19's "Done when"): a referred client's
codes entered and checked, a PSFS at intake, three charted visits, the manager's fees and a
payment, then the superbill and the progress report for the physician."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tests.billing.factories import billed_note_create
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import sarah
from tests.sessions.documents.pdf_text import pdf_text


def test_a_referred_client_through_three_visits_to_a_superbill_and_a_progress_report(
    page, therapist, manager
):
    client = sarah(therapist)
    log_in(page, "alice", "alice-password-1")

    # The referral, with a heading code first: refused with the code named.
    page.goto(f"/clients/{client.pk}/edit/")
    page.get_by_label("Physician").fill("Dr Jane Patel")
    codes = page.get_by_label("Diagnosis codes (ICD-10-CM)")
    codes.fill("M54.3, G57.02")
    page.get_by_role("button", name="Save client").click()
    assert page.get_by_text("M54.3 (Sciatica) is a heading, not a billable code").first.is_visible()
    page.get_by_label("Diagnosis codes (ICD-10-CM)").fill("m5432, G57.02")
    page.get_by_role("button", name="Save client").click()
    assert page.get_by_text("Sciatica, left side").is_visible()
    assert page.get_by_text("Lesion of sciatic nerve, left lower limb").is_visible()

    # The PSFS at intake, which the chart says is due.
    assert page.get_by_text("The PSFS is due: no score yet").is_visible()
    page.get_by_role("link", name="Record a PSFS").click()
    page.get_by_label("Activity 1", exact=True).fill("Sitting at work for an hour")
    page.get_by_label("Activity 1: rating (0-10)").fill("3")
    page.get_by_label("Activity 2", exact=True).fill("Putting on socks")
    page.get_by_label("Activity 2: rating (0-10)").fill("4")
    page.get_by_role("button", name="Record the PSFS").click()
    assert page.get_by_text("PSFS recorded: 3.5 out of 10.").is_visible()

    # Three charted visits (the note pages have their own journey), then the PSFS again.
    today = timezone.localdate()
    notes = [
        billed_note_create(
            client=client,
            visit_date=today - timedelta(days=14 - 7 * i),
            pain_before=7 - 2 * i,
            pain_after=5 - 2 * i,
        )
        for i in range(3)
    ]
    page.goto(f"/clients/{client.pk}/outcomes/psfs/new/")
    assert (
        page.get_by_label("Activity 1", exact=True).input_value() == "Sitting at work for an hour"
    )
    page.get_by_label("Activity 1: rating (0-10)").fill("6")
    page.get_by_label("Activity 2: rating (0-10)").fill("7")
    page.get_by_role("button", name="Record the PSFS").click()
    assert page.get_by_text("Clinically important improvement").first.is_visible()
    screenshot(page, "billing-chart-outcomes")

    # The manager takes a payment at the desk (the fee schedule is set up with the visits).
    page.context.clear_cookies()
    log_in(page, "carol", "carol-password-1")
    page.goto(f"/clients/{client.pk}/")
    page.get_by_role("link", name="Billing and superbills").click()
    assert page.get_by_text("33 min, 2 units × 30.00 = 60.00").first.is_visible()
    page.get_by_role("link", name="Record payment").first.click()
    page.get_by_label("Amount").fill("92.50")
    page.get_by_label("Method").select_option("card")
    page.get_by_role("button", name="Record payment").click()
    assert page.get_by_text("Payment of 92.50 recorded").is_visible()
    screenshot(page, "billing-client-page")

    superbill = page.request.get(f"/billing/clients/{client.pk}/superbill.pdf")
    text = pdf_text(superbill.body())
    assert "M54.32 Sciatica, left side" in text
    assert "Total charges 277.50" in text and "Paid 92.50" in text and "Balance due 185.00" in text

    page.goto(f"/clients/{client.pk}/")
    report = page.request.get(
        page.get_by_role("link", name="Progress report (PDF)").get_attribute("href")
    )
    text = pdf_text(report.body())
    assert "3 visits from" in text
    assert "Patient-Specific Functional Scale: 3.5" in text and "6.5" in text
    assert "A clinically important improvement." in text
    assert len(notes) == 3
    assert page.console_errors == []
