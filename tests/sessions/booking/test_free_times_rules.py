"""The therapist's free times for a day (sessions/booking/scheduling.py `free_slots`): pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from sessions.booking.scheduling import WorkingHours, clinic_clock, clinic_datetime, free_slots

LONDON = ZoneInfo("Europe/London")
DAY = date(2027, 6, 14)  # a Monday in summer time (UTC+1)
NINE_TO_FIVE = WorkingHours(opens=time(9, 0), closes=time(17, 0))


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return clinic_datetime(day=day, at=time(hour, minute), zone=LONDON)


def clocks(slots) -> list[str]:
    return [clinic_clock(moment, zone=LONDON) for moment in slots]


def slots(minutes=60, busy=(), hours=NINE_TO_FIVE, day=DAY, **kwargs):
    return free_slots(day=day, minutes=minutes, hours=hours, busy=busy, zone=LONDON, **kwargs)


def test_an_empty_day_offers_every_half_hour_that_fits_before_closing():
    assert clocks(slots()) == [f"{h:02d}:{m:02d}" for h in range(9, 16) for m in (0, 30)] + [
        "16:00"
    ]


def test_a_visit_takes_its_time_and_the_next_visit_may_follow_it_directly():
    busy = [(at(10, 0), at(10, 45))]
    found = clocks(slots(busy=busy))
    assert "10:00" not in found and "10:30" not in found
    assert "09:00" in found  # 09:00-10:00 ends as the visit starts: back to back
    assert "09:30" not in found  # 09:30-10:30 would overlap it
    assert "10:45" in found  # straight after the visit ends
    assert "11:00" in found


def test_the_length_decides_which_gaps_fit():
    busy = [(at(9, 0), at(10, 0)), (at(10, 30), at(17, 0))]
    assert clocks(slots(minutes=30, busy=busy)) == ["10:00"]
    assert clocks(slots(minutes=45, busy=busy)) == []


def test_times_already_past_are_not_offered():
    assert clocks(slots(not_before=at(15, 10))) == ["15:30", "16:00"]
    assert clocks(slots(not_before=at(15, 30))) == ["16:00"]


def test_the_slots_are_in_utc_and_real_minutes():
    first = slots()[0]
    assert first.tzinfo == UTC
    assert first == datetime(2027, 6, 14, 8, 0, tzinfo=UTC)


SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)
SMALL_HOURS = WorkingHours(opens=time(0, 0), closes=time(4, 0))


def test_the_spring_gap_offers_no_time_that_does_not_exist():
    # 00:00 GMT to 04:00 BST is three real hours; 01:00-02:00 does not exist.
    assert clocks(slots(day=SPRING, hours=SMALL_HOURS)) == [
        "00:00",
        "00:30",
        "02:00",
        "02:30",
        "03:00",
    ]


def test_a_ninety_minute_visit_across_the_spring_change_is_ninety_real_minutes():
    busy = [(at(0, 30, SPRING), at(0, 30, SPRING) + timedelta(minutes=90))]  # ends 03:00 BST
    found = clocks(slots(day=SPRING, hours=SMALL_HOURS, minutes=30, busy=busy))
    assert found == ["00:00", "03:00", "03:30"]


def test_the_autumn_repeat_is_offered_once_as_the_form_books_it():
    found = slots(day=AUTUMN, hours=SMALL_HOURS)
    assert clocks(found) == [
        "00:00",
        "00:30",
        "01:00 (UTC+01:00)",
        "01:30 (UTC+01:00)",
        "02:00",
        "02:30",
        "03:00",
    ]
    # Every offered time books exactly the moment offered.
    for moment in found:
        local = moment.astimezone(LONDON)
        assert clinic_datetime(day=AUTUMN, at=local.time(), zone=LONDON) == moment


def test_ordinary_hours_on_the_clock_change_days_stay_on_the_clock():
    for day in (SPRING, AUTUMN):
        found = slots(day=day)
        assert clocks(found)[:2] == ["09:00", "09:30"]
        assert found[0] == clinic_datetime(day=day, at=time(9, 0), zone=LONDON)


@given(
    starts=st.lists(st.integers(min_value=0, max_value=16 * 4), max_size=6),
    minutes=st.sampled_from([30, 45, 60, 90]),
)
def test_no_offered_time_overlaps_a_visit_or_leaves_the_working_hours(starts, minutes):
    busy = [
        (at(9) + timedelta(minutes=15 * s), at(9) + timedelta(minutes=15 * s + 50)) for s in starts
    ]
    for moment in slots(minutes=minutes, busy=busy):
        end = moment + timedelta(minutes=minutes)
        assert at(9) <= moment and end <= at(17)
        assert all(not (b0 < end and b1 > moment) for b0, b1 in busy)
