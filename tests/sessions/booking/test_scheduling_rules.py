"""Clinic wall-clock time and series dates (sessions/booking/scheduling.py): pure rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessions.booking.scheduling import (
    CLINIC_TIME_DOES_NOT_EXIST,
    SERIES_WEEKDAYS_COUNT,
    ClinicTimeError,
    SeriesRequest,
    clinic_clock,
    clinic_datetime,
    clinic_time_is_ambiguous,
    series_dates,
    visit_ends_at,
    week_start,
    weekdays_spread,
)

LONDON = ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI = 0, 1, 2, 3, 4


def test_a_clinic_time_is_the_wall_clock_time_in_the_clinic_zone():
    summer = clinic_datetime(day=date(2026, 7, 1), at=time(10), zone=LONDON)
    winter = clinic_datetime(day=date(2026, 1, 7), at=time(10), zone=LONDON)
    assert summer.astimezone(UTC).hour == 9
    assert winter.astimezone(UTC).hour == 10


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(ClinicTimeError) as refused:
        clinic_datetime(day=date(2026, 3, 29), at=time(1, 30), zone=LONDON)
    assert str(refused.value) == CLINIC_TIME_DOES_NOT_EXIST.format(
        time="01:30", day="Sun 29 Mar 2026", zone="Europe/London"
    )


def test_a_time_the_clocks_repeat_is_its_first_occurrence_shown_with_its_offset():
    moment = clinic_datetime(day=date(2026, 10, 25), at=time(1, 30), zone=LONDON)
    # 01:30 British Summer Time, the first time the clocks show 01:30 that night.
    assert moment == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert clinic_clock(moment, zone=LONDON) == "01:30 (UTC+01:00)"
    assert clinic_clock(moment + timedelta(hours=1), zone=LONDON) == "01:30 (UTC+00:00)"
    assert clinic_clock(moment + timedelta(hours=2), zone=LONDON) == "02:30"


def test_the_week_starts_on_monday():
    assert week_start(date(2026, 1, 15)) == date(2026, 1, 12)
    assert week_start(date(2026, 1, 12)) == date(2026, 1, 12)
    assert week_start(date(2026, 1, 18)) == date(2026, 1, 12)


def test_twice_a_week_for_three_weeks_then_every_two_weeks():
    """clinical rules §6: acute flare, 2 a week for 2-3 weeks, then taper every 2-4 weeks."""
    dates = series_dates(
        SeriesRequest(
            first_day=date(2026, 1, 12),
            weekdays=(MON, THU),
            per_week=2,
            weeks=3,
            then_every_weeks=2,
            then_visits=2,
        )
    )
    assert dates == [
        date(2026, 1, 12),
        date(2026, 1, 15),
        date(2026, 1, 19),
        date(2026, 1, 22),
        date(2026, 1, 26),
        date(2026, 1, 29),
        date(2026, 2, 12),
        date(2026, 2, 26),
    ]


def test_a_series_starting_midweek_counts_from_the_first_day():
    dates = series_dates(
        SeriesRequest(
            first_day=date(2026, 1, 14),
            weekdays=(MON, THU),
            per_week=2,
            weeks=1,
            then_every_weeks=3,
            then_visits=0,
        )
    )
    assert dates == [date(2026, 1, 15), date(2026, 1, 19)]


def test_the_weekdays_must_match_the_visits_per_week():
    with pytest.raises(ValueError) as refused:
        series_dates(
            SeriesRequest(
                first_day=date(2026, 1, 12),
                weekdays=(MON,),
                per_week=2,
                weeks=2,
                then_every_weeks=2,
                then_visits=0,
            )
        )
    assert str(refused.value) == SERIES_WEEKDAYS_COUNT.format(per_week=2)


@given(
    first_day=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    weekdays=st.sets(st.integers(0, 6), min_size=1, max_size=5),
    weeks=st.integers(1, 8),
    then_every_weeks=st.integers(1, 6),
    then_visits=st.integers(0, 10),
)
def test_a_series_has_every_visit_in_order_on_the_chosen_days(
    first_day, weekdays, weeks, then_every_weeks, then_visits
):
    request = SeriesRequest(
        first_day=first_day,
        weekdays=tuple(sorted(weekdays)),
        per_week=len(weekdays),
        weeks=weeks,
        then_every_weeks=then_every_weeks,
        then_visits=then_visits,
    )
    dates = series_dates(request)
    intensive = len(weekdays) * weeks
    assert len(dates) == intensive + then_visits
    assert dates[0] >= first_day
    assert all(a < b for a, b in zip(dates, dates[1:], strict=False))
    assert all(d.weekday() in weekdays for d in dates)
    # The intensive part fits in `weeks` weeks from the first day.
    assert dates[intensive - 1] < first_day + timedelta(weeks=weeks)
    taper = dates[intensive - 1 :]
    assert all((b - a).days == 7 * then_every_weeks for a, b in zip(taper, taper[1:], strict=False))


@pytest.mark.parametrize(
    ("first_day", "per_week", "expected"),
    [
        (date(2026, 1, 12), 2, (MON, THU)),
        (date(2026, 1, 12), 1, (MON,)),
        (date(2026, 1, 13), 2, (TUE, FRI)),
        (date(2026, 1, 17), 2, (MON, THU)),
        (date(2026, 1, 12), 3, (MON, WED, FRI)),
        (date(2026, 1, 12), 0, ()),
    ],
)
def test_default_weekdays_spread_over_the_working_week(first_day, per_week, expected):
    assert weekdays_spread(first_day=first_day, per_week=per_week) == expected


# --- clock changes: every local time on a change day --------------------------------------------

SPRING_2027, AUTUMN_2027 = date(2027, 3, 28), date(2027, 10, 31)
ZONES = [
    ZoneInfo(name)
    for name in (
        "Europe/London",
        "America/New_York",
        "Australia/Sydney",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "UTC",
    )
]


def _conversion_holds(day: date, at: time, zone) -> str:
    """Either the local time round-trips (and an ambiguous one is its first occurrence) or
    it is refused because the clocks skip it. Returns which."""
    naive = datetime.combine(day, at)
    try:
        moment = clinic_datetime(day=day, at=at, zone=zone)
    except ClinicTimeError as error:
        assert "clocks go forward" in str(error)
        # Refused only if the wall-clock time really does not exist.
        assert (
            naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
            != naive
        )
        return "gap"
    assert moment.tzinfo is UTC
    local = moment.astimezone(zone)
    assert local.replace(tzinfo=None) == naive
    if clinic_time_is_ambiguous(day=day, at=at, zone=zone):
        later = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
        assert moment < later
        return "ambiguous"
    return "plain"


@pytest.mark.parametrize(("day", "gap", "ambiguous"), [(SPRING_2027, 60, 0), (AUTUMN_2027, 0, 60)])
def test_every_minute_of_a_london_clock_change_day_round_trips_or_is_refused(day, gap, ambiguous):
    outcomes = [
        _conversion_holds(day, time(minute // 60, minute % 60), LONDON) for minute in range(1440)
    ]
    assert outcomes.count("gap") == gap
    assert outcomes.count("ambiguous") == ambiguous
    assert outcomes[60:120] == (["gap"] * 60 if gap else ["ambiguous"] * 60)


@given(
    moment=st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31)),
    zone=st.sampled_from(ZONES),
)
def test_any_local_time_round_trips_or_is_refused(moment, zone):
    _conversion_holds(moment.date(), moment.time(), zone)


@given(
    moment=st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2060, 12, 31),
        timezones=st.sampled_from(ZONES),
    ),
    minutes=st.integers(min_value=30, max_value=90),
)
def test_a_visit_lasts_its_minutes_in_real_time(moment, minutes):
    ends = visit_ends_at(starts_at=moment, minutes=minutes)
    assert ends.tzinfo is UTC
    assert ends - moment.astimezone(UTC) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("day", "expected_end"),
    [(SPRING_2027, "03:00"), (AUTUMN_2027, "01:00 (UTC+00:00)")],
)
def test_ninety_minutes_from_half_past_midnight_on_a_change_night(day, expected_end):
    starts = clinic_datetime(day=day, at=time(0, 30), zone=LONDON)
    ends = visit_ends_at(starts_at=starts, minutes=90)
    assert ends - starts == timedelta(minutes=90)
    assert clinic_clock(ends, zone=LONDON) == expected_end


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        visit_ends_at(starts_at=datetime(2027, 3, 28, 0, 30), minutes=90)
