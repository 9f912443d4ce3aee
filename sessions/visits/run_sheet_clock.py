"""The run sheet's timer, as arithmetic over plain values (no ORM, no request).

The timer is kept on the server (`sessions.models.RunSheetClock`) so that a reload, a trip to
the note and back, or the same run sheet opened on another device all show the same time.
What is stored is when the session started, when it was paused (if it is), how long it has
been paused in all, which item is current and at what point of the session's running time
that item began. Everything shown (the time left in the item and in the session, which item
is current once an item's minutes have run out) is worked out from those and the clock's
`now`, here on the server and the same way in `static/js/runsheet.js`.

`clock_act` is each button's change (start or resume, pause, go to an item, reset). Every
action names the state it leads to rather than a step from the current one ("go to item 3",
not "next"), so repeating it (a double tap, a retried request, two devices) changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

CLOCK_ITEM_OUT_OF_RANGE = "Item {item} is not on this run sheet: it has items 1 to {count}."

ZERO = timedelta(0)


class ClockAction(enum.StrEnum):
    """What a run-sheet button asks for; START also resumes a paused timer."""

    START = "start"
    PAUSE = "pause"
    GO = "go"
    RESET = "reset"


@dataclass(frozen=True, kw_only=True)
class ClockState:
    """The stored timer: `started_at` None means not started (then `item` is the item chosen
    to start with); `paused_at` set means paused; `paused_for` is the pauses already ended;
    `item_began` is the session's running time when the current item began."""

    started_at: datetime | None = None
    paused_at: datetime | None = None
    paused_for: timedelta = ZERO
    item: int = 0
    item_began: timedelta = ZERO

    @property
    def started(self) -> bool:
        return self.started_at is not None

    @property
    def running(self) -> bool:
        return self.started_at is not None and self.paused_at is None

    def elapsed(self, now: datetime) -> timedelta:
        """Running time so far: wall time since the start, less every pause."""
        if self.started_at is None:
            return ZERO
        until = self.paused_at or now
        return max(ZERO, until - self.started_at - self.paused_for)


@dataclass(frozen=True, kw_only=True)
class ClockReading:
    """What the run sheet shows at one moment. `item` equals the number of items once the
    session's time is up (`finished`)."""

    started: bool
    running: bool
    elapsed: timedelta
    item: int
    item_began: timedelta
    item_left: timedelta
    total_left: timedelta
    finished: bool


def _durations(minutes: Sequence[int]) -> list[timedelta]:
    return [timedelta(minutes=m) for m in minutes]


def _current(
    durations: list[timedelta], item: int, item_began: timedelta, elapsed: timedelta
) -> tuple[int, timedelta]:
    """The current item and when it began, after the items whose minutes have run out since
    `item` began: each next item begins when the one before it ends."""
    while item < len(durations) and elapsed - item_began >= durations[item]:
        item_began += durations[item]
        item += 1
    return item, item_began


def clock_read(state: ClockState, *, minutes: Sequence[int], now: datetime) -> ClockReading:
    """The timer at `now` for a run sheet whose items last `minutes` each, in order.

    The time left in the session is the current item's time left plus every later item's
    minutes: an item skipped with "Next" gives up its remaining time, one gone back to is
    run in full again.
    """
    durations = _durations(minutes)
    elapsed = state.elapsed(now)
    item, began = _current(durations, min(state.item, len(durations)), state.item_began, elapsed)
    if item >= len(durations):
        item_left = ZERO
        total_left = ZERO
    else:
        item_left = durations[item] - (elapsed - began) if state.started else durations[item]
        total_left = item_left + sum(durations[item + 1 :], ZERO)
    return ClockReading(
        started=state.started,
        running=state.running,
        elapsed=elapsed,
        item=item,
        item_began=began,
        item_left=item_left,
        total_left=total_left,
        finished=item >= len(durations),
    )


def clock_act(
    state: ClockState,
    action: ClockAction,
    *,
    minutes: Sequence[int],
    now: datetime,
    item: int | None = None,
) -> ClockState:
    """The stored timer after `action` at `now` (the same state when it changes nothing).

    START starts the session at the chosen item, or resumes a pause; PAUSE holds the time;
    GO makes `item` (0-based; the item count means "the end") the current one, beginning
    now; RESET forgets everything. ValueError (`CLOCK_ITEM_OUT_OF_RANGE`) for an item the
    run sheet does not have.
    """
    durations = _durations(minutes)
    elapsed = state.elapsed(now)
    current, began = _current(durations, min(state.item, len(durations)), state.item_began, elapsed)
    settled = replace(state, item=current, item_began=began) if state.started else state
    if action is ClockAction.RESET:
        return ClockState()
    if action is ClockAction.START:
        if not state.started:
            return ClockState(started_at=now, item=min(state.item, len(durations)))
        if state.paused_at is not None:
            pause = max(ZERO, now - state.paused_at)
            return replace(settled, paused_at=None, paused_for=state.paused_for + pause)
        return state
    if action is ClockAction.PAUSE:
        return replace(settled, paused_at=now) if state.running else state
    if item is None or not 0 <= item <= len(durations):
        raise ValueError(
            CLOCK_ITEM_OUT_OF_RANGE.format(
                item=(item + 1) if item is not None else "?", count=len(durations)
            )
        )
    if not state.started:
        return state if state.item == item else replace(state, item=item)
    if current == item:
        return state
    return replace(settled, item=item, item_began=elapsed)
