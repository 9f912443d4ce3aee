"""Dosage and booking advice read as plain sentences."""

from __future__ import annotations

import pytest

from protocols.rendering import dosage_text, frequency_text


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (dict(reps=10, sets=2, times_per_day=2), "10 repetitions · 2 sets · twice a day"),
        (dict(hold_seconds=30, sets=3, times_per_day=1), "Hold 30 seconds · 3 sets · once a day"),
        (dict(duration_minutes=20, times_per_day=3), "20 minutes · 3 times a day"),
        (dict(reps=1, hold_seconds=1, sets=1), "1 repetition · hold 1 second · 1 set"),
        (dict(reps=8, note="each side"), "8 repetitions · each side"),
        (dict(note="  whenever you lift "), "Whenever you lift"),
        (dict(), ""),
    ],
)
def test_dosage_reads_in_a_fixed_order(fields, expected):
    values = dict(
        reps=None, hold_seconds=None, duration_minutes=None, sets=None, times_per_day=None
    )
    values.update(fields)
    assert dosage_text(**values) == expected


@pytest.mark.parametrize(
    ("numbers", "note", "expected"),
    [
        ((2, 3, 2, 4), "", "2 visits a week for 3 weeks, then one visit every 2-4 weeks."),
        ((1, 1, 1, 1), "", "1 visit a week for 1 week, then one visit every week."),
        (
            (1, 10, 3, 3),
            "Reassess.",
            "1 visit a week for 10 weeks, then one visit every 3 weeks. Reassess.",
        ),
    ],
)
def test_frequency_reads_as_one_sentence(numbers, note, expected):
    per_week, weeks, low, high = numbers
    text = frequency_text(
        per_week=per_week,
        weeks=weeks,
        then_every_weeks_min=low,
        then_every_weeks_max=high,
        note=note,
    )
    assert text == expected
