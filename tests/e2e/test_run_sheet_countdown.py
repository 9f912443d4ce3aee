"""The run sheet in the treatment room, in a real browser: each item counts down, Next moves
on and brings the item into view, the timer is kept on the server (a reload, the note and
back, a second device show the same time), pause holds it, reset asks first; all from
static/js/runsheet.js under the CSP."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from core.vocabulary import Stage
from sessions.models import Appointment, RunSheetClock
from tests.e2e.browser import log_in, screenshot
from tests.intake.factories import sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)

TABLET = {"width": 768, "height": 1024}


def _seconds(text: str) -> int:
    minutes, seconds = text.split(":")
    return int(minutes) * 60 + int(seconds)


def _checked_in_visit(therapist, minutes=45):
    library_into_database()
    appointment = AppointmentFactory(
        client=sarah(therapist),
        starts_at=clinic_time(0, 0, 5),
        minutes=minutes,
        status=Appointment.Status.CHECKED_IN,
    )
    plan = accepted_plan_create(
        appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
    ).plan
    return appointment, plan


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_the_run_sheet_counts_down_item_by_item(page, therapist):
    appointment, plan = _checked_in_visit(therapist)
    page.set_viewport_size(TABLET)
    log_in(page, "alice", "alice-password-1")
    url = f"/sessions/appointments/{appointment.pk}/run-sheet/"
    page.goto(url)

    items = page.locator("[data-runsheet-item]")
    first, second = items.nth(0), items.nth(1)
    total = page.locator("[data-runsheet-total]")
    bar = page.locator("[data-runsheet-bar]")
    expect(items).to_have_count(len(plan.items))
    expect(first.locator("[data-runsheet-countdown]")).to_have_text(f"{plan.items[0].minutes}:00")
    expect(total).to_have_text("45:00")
    expect(bar).to_contain_text(plan.items[0].name)

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
    expect(bar).to_contain_text(plan.items[1].name)
    # The server followed: the second item is current there too.
    expect(page.locator("[data-runsheet-error]")).to_be_hidden()
    page.wait_for_function(
        "() => !document.querySelector('[data-runsheet-error]').textContent", timeout=5000
    )

    # Several Nexts down the list: the current item is always on screen, under the bar.
    for _ in range(len(plan.items) - 3):
        page.get_by_role("button", name="Next item").click()
    current = items.nth(len(plan.items) - 2)
    expect(current).to_have_class(re.compile("runsheet-item-current"))
    page.wait_for_timeout(800)  # the smooth scroll
    assert _in_view(page, current)
    assert _in_view(page, bar)
    screenshot(page, "run-sheet-tablet")

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    paused = total.inner_text()
    page.wait_for_timeout(1200)
    expect(total).to_have_text(paused)
    assert page.console_errors == []


def test_the_time_survives_a_reload_the_note_and_a_second_device(page, browser, therapist):
    appointment, plan = _checked_in_visit(therapist)
    log_in(page, "alice", "alice-password-1")
    url = f"/sessions/appointments/{appointment.pk}/run-sheet/"
    page.goto(url)
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Next item").click()
    expect(page.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )
    page.wait_for_timeout(1500)

    # A reload: still running, on the second item, not back at 45:00.
    page.reload()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )
    assert _seconds(page.locator("[data-runsheet-total]").inner_text()) < 45 * 60 - 60

    # To the note and back.
    # (one click starts the note for this visit and opens it)
    page.get_by_role("button", name="Write the note").click()
    page.wait_for_url(re.compile(r"/notes/\d+/edit/"))
    page.go_back()
    expect(page.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )

    # Paused here, the other device shows the same paused time.
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-runsheet]').dataset && "
        "!document.querySelector('[data-runsheet-error]').textContent"
    )
    page.wait_for_timeout(300)
    shown = page.locator("[data-runsheet-total]").inner_text()
    tablet = browser.new_context(base_url=page.url.split("/sessions/")[0], viewport=TABLET)
    other = tablet.new_page()
    log_in(other, "alice", "alice-password-1")
    other.goto(url)
    expect(other.get_by_role("button", name="Resume")).to_be_visible()
    expect(other.locator("[data-runsheet-total]")).to_have_text(shown)
    expect(other.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )
    tablet.close()
    assert page.console_errors == []


def test_reset_asks_first_and_resets_on_the_server(page, therapist):
    appointment, plan = _checked_in_visit(therapist)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{appointment.pk}/run-sheet/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Next item").click()
    expect(page.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )

    # Reset asks; keeping the time changes nothing.
    page.get_by_text("Reset…").click()
    expect(page.get_by_text("Reset the timer to 45:00")).to_be_visible()
    screenshot(page, "run-sheet-reset-asks")
    page.get_by_role("button", name="Keep the time").click()
    expect(page.get_by_role("button", name="Reset the timer")).to_be_hidden()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    page.get_by_text("Reset…").click()
    page.get_by_role("button", name="Reset the timer").click()
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    expect(page.locator("[data-runsheet-total]")).to_have_text("45:00")
    expect(page.locator("[data-runsheet-item]").nth(0)).to_have_class(
        re.compile("runsheet-item-current")
    )
    page.wait_for_timeout(500)
    assert RunSheetClock.objects.get().started_at is None
    page.reload()
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    assert page.console_errors == []


def test_the_chime_is_made_in_the_page_and_its_mute_is_remembered(page, therapist):
    appointment, plan = _checked_in_visit(therapist)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Count the tones the page makes, and say whether a wake lock was asked for.
    page.add_init_script(
        """
        window.__tones = 0;
        const Original = window.AudioContext;
        window.AudioContext = function () {
          const context = new Original();
          const make = context.createOscillator.bind(context);
          context.createOscillator = () => { window.__tones += 1; return make(); };
          return context;
        };
        window.__locks = 0;
        if (navigator.wakeLock) {
          const request = navigator.wakeLock.request.bind(navigator.wakeLock);
          navigator.wakeLock.request = (kind) => { window.__locks += 1; return request(kind); };
        }
        """
    )
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{appointment.pk}/run-sheet/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Next item").click()
    page.wait_for_function("() => window.__tones >= 2")
    # The screen is kept awake while the timer runs, where the browser can.
    if page.evaluate("'wakeLock' in navigator"):
        assert page.evaluate("window.__locks") >= 1

    mute = page.get_by_role("button", name="Mute chime")
    expect(mute).to_have_attribute("aria-pressed", "false")
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    tones = page.evaluate("window.__tones")
    page.get_by_role("button", name="Next item").click()
    expect(page.locator("[data-runsheet-item]").nth(2)).to_have_class(
        re.compile("runsheet-item-current")
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__tones") == tones

    page.reload()
    expect(page.get_by_role("button", name="Mute chime")).to_have_attribute("aria-pressed", "true")
    # No sound file and nothing from another host.
    origin = page.url.split("/sessions/")[0]
    assert [url for url in requests if not url.startswith(origin)] == []
    assert not [url for url in requests if re.search(r"\.(mp3|ogg|wav)$", url)]
    assert page.console_errors == []


def test_without_a_wake_lock_or_web_audio_the_timer_still_runs(page, therapist):
    appointment, plan = _checked_in_visit(therapist)
    page.add_init_script(
        "delete Navigator.prototype.wakeLock; delete window.AudioContext;"
        "delete window.webkitAudioContext;"
    )
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/sessions/appointments/{appointment.pk}/run-sheet/")
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Next item").click()
    expect(page.locator("[data-runsheet-item]").nth(1)).to_have_class(
        re.compile("runsheet-item-current")
    )
    expect(page.get_by_role("button", name="Mute chime")).to_be_hidden()
    assert page.console_errors == []
