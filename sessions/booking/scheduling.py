"""Clinic time and course-of-care series dates (clinical rules §6 "Frequency"): pure functions.

No ORM and no request: the booking services and forms turn these dates into appointments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

CLINIC_TIME_DOES_NOT_EXIST = (
    "{time} on {day} does not exist in the clinic's time zone ({zone}): the clocks go forward "
    "then. Pick another time."
)
# Kept for callers that still want to refuse a repeated time; `clinic_datetime` resolves it.
CLINIC_TIME_IS_AMBIGUOUS = (
    "{time} on {day} happens twice in the clinic's time zone ({zone}): the clocks go back "
    "then. Pick another time."
)


class ClinicTimeError(ValueError):
    """A wall-clock time that the clinic's time zone skips (the spring clock change)."""


def clinic_time_is_ambiguous(*, day: date, at: time, zone: tzinfo) -> bool:
    """True when wall-clock `at` on `day` happens twice in `zone` (the autumn clock change)."""
    naive = datetime.combine(day, at)
    return (
        naive.replace(tzinfo=zone, fold=0).utcoffset()
        != naive.replace(tzinfo=zone, fold=1).utcoffset()
    )


def clinic_datetime(*, day: date, at: time, zone: tzinfo) -> datetime:
    """The moment, in UTC, of wall-clock `at` on `day` in the clinic's `zone`.

    A time the spring change skips does not exist and is refused (ClinicTimeError): an
    appointment must mean one moment for the therapist and the client alike, and guessing
    would move it by an hour. A time the autumn change repeats is resolved explicitly to its
    first occurrence (fold=0, still summer time); the pages show such a time with its UTC
    offset (`clinic_clock`). The result is in UTC: every calculation with it is real time.
    """
    naive = datetime.combine(day, at)
    first = naive.replace(tzinfo=zone, fold=0)
    words = {"time": at.strftime("%H:%M"), "day": day.strftime("%a %d %b %Y"), "zone": str(zone)}
    moment = first.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != naive:
        raise ClinicTimeError(CLINIC_TIME_DOES_NOT_EXIST.format(**words))
    return moment


def visit_ends_at(*, starts_at: datetime, minutes: int) -> datetime:
    """The end of a visit of `minutes` real minutes (clinical rules §5: 30-90 minutes), in UTC.

    Computed in UTC, never on the wall clock: on a clock-change night a 90-minute visit from
    00:30 lasts 90 minutes, although the clock shows 03:00 (spring) or 01:00 (autumn) at its end.
    """
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValueError("A visit's start must be time-zone aware.")
    return starts_at.astimezone(UTC) + timedelta(minutes=minutes)


def clinic_clock(moment: datetime, *, zone: tzinfo) -> str:
    """'10:00' for `moment` in the clinic's `zone`; a wall-clock time that the autumn change
    repeats gets its UTC offset, '01:30 (UTC+01:00)', so the two occurrences differ."""
    local = moment.astimezone(zone)
    text = f"{local:%H:%M}"
    if clinic_time_is_ambiguous(day=local.date(), at=local.time().replace(tzinfo=None), zone=zone):
        offset = local.strftime("%z")
        text += f" (UTC{offset[:3]}:{offset[3:]})"
    return text


@dataclass(frozen=True)
class WorkingHours:
    """When the clinic's therapists see clients, wall-clock time in the clinic's zone
    (settings CLINIC_DAY_STARTS / CLINIC_DAY_ENDS)."""

    opens: time
    closes: time


FREE_SLOT_STEP_MINUTES = 30


def _wall_moment(day: date, at: time, zone: tzinfo) -> datetime:
    """`at` on `day` in `zone`, in UTC; a time in the spring gap is read with the offset
    before the change (for the day's bounds only: no visit starts there)."""
    return datetime.combine(day, at).replace(tzinfo=zone, fold=0).astimezone(UTC)


def free_slots(
    *,
    day: date,
    minutes: int,
    hours: WorkingHours,
    busy: Iterable[tuple[datetime, datetime]],
    zone: tzinfo,
    not_before: datetime | None = None,
    step_minutes: int = FREE_SLOT_STEP_MINUTES,
) -> list[datetime]:
    """The starts (UTC) of every visit of `minutes` real minutes that fits inside the working
    hours on `day` without touching any `busy` interval (UTC, half-open: back-to-back is
    fine), and starts after `not_before`.

    Candidates are every `step_minutes` from opening, counted in real time (so the grid
    stays on the clock across a clock change outside the hours), plus the moment each busy
    interval ends (a visit can follow the last one directly). A start whose wall-clock time
    the autumn change repeats is offered only as its first occurrence, which is what the
    booking form books for that time (`clinic_datetime`); the second would need an offset
    the form cannot take.
    """
    start, end = _wall_moment(day, hours.opens, zone), _wall_moment(day, hours.closes, zone)
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    busy = sorted((b_start.astimezone(UTC), b_end.astimezone(UTC)) for b_start, b_end in busy)
    candidates = set()
    moment = start
    while moment + length <= end:
        candidates.add(moment)
        moment += step
    candidates.update(b_end for _, b_end in busy if start <= b_end and b_end + length <= end)
    slots = []
    for moment in sorted(candidates):
        if not_before is not None and moment <= not_before:
            continue
        if any(b_start < moment + length and b_end > moment for b_start, b_end in busy):
            continue
        local = moment.astimezone(zone)
        if local.fold == 1 or local.replace(tzinfo=None).date() != day:
            continue
        slots.append(moment)
    return slots


def week_start(day: date) -> date:
    """The Monday of `day`'s week (the calendar shows Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class SeriesRequest:
    """A course of care to book (clinical rules §6): `per_week` visits a week on `weekdays` for `weeks`,
    then `then_visits` more visits, one every `then_every_weeks` weeks.

    `weekdays` are Python weekday numbers (Monday 0); there must be exactly `per_week` of them.
    """

    first_day: date
    weekdays: tuple[int, ...]
    per_week: int
    weeks: int
    then_every_weeks: int
    then_visits: int


SERIES_WEEKDAYS_COUNT = (
    "Pick exactly {per_week} day(s) of the week: the advice is {per_week} visit(s) a week."
)


def series_dates(request: SeriesRequest) -> list[date]:
    """The visit dates of a series, in order (clinical rules §6: e.g. 2 a week for 3 weeks, then every
    2-4 weeks).

    The intensive part is the next `per_week * weeks` dates on the chosen weekdays, counting
    from `first_day` itself; each taper visit falls `then_every_weeks` weeks after the one
    before it, starting from the last intensive visit.
    """
    weekdays = set(request.weekdays)
    if len(weekdays) != request.per_week or not weekdays <= set(range(7)):
        raise ValueError(SERIES_WEEKDAYS_COUNT.format(per_week=request.per_week))
    intensive: list[date] = []
    day = request.first_day
    while len(intensive) < request.per_week * request.weeks:
        if day.weekday() in weekdays:
            intensive.append(day)
        day += timedelta(days=1)
    dates = list(intensive)
    last = intensive[-1] if intensive else request.first_day
    for visit in range(1, request.then_visits + 1):
        dates.append(last + timedelta(weeks=request.then_every_weeks * visit))
    return dates


def weekdays_spread(*, first_day: date, per_week: int) -> tuple[int, ...]:
    """A sensible default choice of weekdays: `first_day`'s weekday, then spread across the
    working week (Monday-Friday) so visits are a few days apart: Monday and Thursday,
    Monday, Wednesday and Friday."""
    if per_week <= 0:
        return ()
    start = first_day.weekday() if first_day.weekday() < 5 else 0
    step = 5 / per_week
    return tuple(sorted({(start + math.ceil(i * step)) % 5 for i in range(min(per_week, 5))}))
