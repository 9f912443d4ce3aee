"""The run sheet in the treatment room: each item counts down, Next moves on, and
the session total follows; all from static/js/runsheet.js under the CSP."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.vocabulary import Stage
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)


def _seconds(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


def test_the_run_sheet_counts_down_item_by_item(page, therapist):
    library_into_database()
    appointment = AppointmentFactory(
        client=sarah(therapist), starts_at=clinic_time(1, 10), minutes=45
    )
    plan = accepted_plan_create(
        appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
    ).plan
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{appointment.pk}/run-sheet/")

    items = page.locator("[data-runsheet-item]")
    first, second = items.nth(0), items.nth(1)
    total = page.locator("[data-runsheet-total]")
    expect(items).to_have_count(len(plan.items))
    expect(first.locator("[data-runsheet-countdown]")).to_have_text(f"{plan.items[0].minutes}:00")
    expect(total).to_have_text("45:00")

    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.wait_for_timeout(2100)
    left = _seconds(first.locator("[data-runsheet-countdown]").inner_text())
    assert plan.items[0].minutes * 60 - 4 <= left < plan.items[0].minutes * 60
    assert _seconds(total.inner_text()) < 45 * 60

    page.get_by_role("button", name="Next item").click()
    expect(second).to_have_class(re.compile("runsheet-item-current"))
    expect(first).to_have_class(re.compile("runsheet-item-done"))
    expect(page.locator("[data-runsheet-status]")).to_contain_text(plan.items[1].name)
    screenshot(page, "run-sheet")

    page.get_by_role("button", name="Pause").click()
    paused = total.inner_text()
    page.wait_for_timeout(1200)
    expect(total).to_have_text(paused)
    assert page.console_errors == []
