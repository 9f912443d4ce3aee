"""The run sheet's timer arithmetic (sessions/visits/run_sheet_clock.py): what the page shows
at a moment, and each button's change, repeat-safe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sessions.visits.run_sheet_clock import (
    CLOCK_ITEM_OUT_OF_RANGE,
    ClockAction,
    ClockState,
    clock_act,
    clock_read,
)

MINUTES = [3, 4, 3]  # a 10-minute warm-up
T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def at(minutes: float = 0, seconds: float = 0) -> datetime:
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def act(state, action, when, item=None):
    return clock_act(state, action, minutes=MINUTES, now=when, item=item)


def read(state, when):
    return clock_read(state, minutes=MINUTES, now=when)


def test_a_timer_never_started_shows_the_whole_session_at_the_first_item():
    reading = read(ClockState(), at(5))
    assert (reading.started, reading.running, reading.item) == (False, False, 0)
    assert reading.item_left == timedelta(minutes=3)
    assert reading.total_left == timedelta(minutes=10)


def test_the_next_item_follows_when_the_current_one_runs_out():
    started = act(ClockState(), ClockAction.START, at())
    reading = read(started, at(3, 30))
    assert reading.item == 1
    assert reading.item_left == timedelta(minutes=3, seconds=30)
    assert reading.total_left == timedelta(minutes=6, seconds=30)


def test_a_pause_holds_the_time_and_a_resume_carries_on_from_it():
    paused = act(act(ClockState(), ClockAction.START, at()), ClockAction.PAUSE, at(1))
    assert read(paused, at(30)).total_left == timedelta(minutes=9)
    resumed = act(paused, ClockAction.START, at(30))
    assert resumed.paused_for == timedelta(minutes=29)
    assert read(resumed, at(31)).total_left == timedelta(minutes=8)


def test_next_gives_up_the_rest_of_the_item_and_the_next_one_runs_in_full():
    running = act(ClockState(), ClockAction.START, at())
    moved = act(running, ClockAction.GO, at(1), item=1)
    reading = read(moved, at(1))
    assert reading.item == 1
    assert reading.item_left == timedelta(minutes=4)
    assert reading.total_left == timedelta(minutes=7)


def test_going_back_runs_that_item_again_in_full():
    running = act(ClockState(), ClockAction.START, at())
    back = act(running, ClockAction.GO, at(5), item=0)
    reading = read(back, at(5))
    assert (reading.item, reading.item_left) == (0, timedelta(minutes=3))
    assert reading.total_left == timedelta(minutes=10)


def test_an_item_chosen_before_the_start_is_where_the_session_starts():
    chosen = act(ClockState(), ClockAction.GO, at(), item=2)
    started = act(chosen, ClockAction.START, at(1))
    assert read(started, at(2)).item == 2
    assert read(started, at(2)).total_left == timedelta(minutes=2)


def test_the_session_is_finished_when_the_last_item_runs_out():
    started = act(ClockState(), ClockAction.START, at())
    reading = read(started, at(12))
    assert reading.finished and reading.item == 3
    assert reading.total_left == timedelta(0)
    assert read(act(started, ClockAction.GO, at(1), item=3), at(1)).finished


def test_reset_forgets_everything():
    running = act(ClockState(), ClockAction.START, at())
    assert act(running, ClockAction.RESET, at(2)) == ClockState()


@pytest.mark.parametrize(
    ("action", "item"),
    [
        (ClockAction.START, None),
        (ClockAction.PAUSE, None),
        (ClockAction.GO, 1),
        (ClockAction.RESET, None),
    ],
)
def test_every_button_pressed_twice_changes_nothing_the_second_time(action, item):
    """A double tap, a retried request or the same press from a second device."""
    running = act(ClockState(), ClockAction.START, at())
    once = act(running, action, at(1), item=item)
    assert act(once, action, at(1, 5), item=item) == once


def test_pause_before_the_start_changes_nothing():
    assert act(ClockState(), ClockAction.PAUSE, at()) == ClockState()


@pytest.mark.parametrize("item", [-1, 4, None])
def test_an_item_not_on_the_sheet_is_refused(item):
    with pytest.raises(ValueError) as refused:
        act(ClockState(), ClockAction.GO, at(), item=item)
    expected = CLOCK_ITEM_OUT_OF_RANGE.format(item=item + 1 if item is not None else "?", count=3)
    assert str(refused.value) == expected
