"""The 8-minute rule (clinical rules §9.3): units from a visit's timed minutes, at its
boundaries, shared among several codes, and its invariants under Hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing.rules.units import CodeUnits, units_by_code, units_for_minutes


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (15, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (53, 4)],
)
def test_total_minutes_to_units_at_the_boundaries(minutes, units):
    assert units_for_minutes(minutes) == units


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError, match="negative"):
        units_for_minutes(-1)


def test_one_code_gets_all_the_units():
    assert units_by_code({"97140": 38}) == [CodeUnits("97140", 38, 3)]


def test_a_code_under_eight_minutes_bills_nothing_alone():
    assert units_by_code({"97112": 7}) == [CodeUnits("97112", 7, 0)]


def test_two_short_codes_that_add_up_bill_one_unit_to_the_longer():
    # 7 + 8 = 15 minutes: one unit, to the code with more minutes.
    assert units_by_code({"97112": 7, "97140": 8}) == [
        CodeUnits("97112", 7, 0),
        CodeUnits("97140", 8, 1),
    ]


def test_whole_units_first_then_the_largest_remainder():
    # 33 + 7 = 40 minutes: 3 units. 97140 has two whole units (3 over), 97112 none (7 over):
    # the third unit goes to 97112.
    assert units_by_code({"97140": 33, "97112": 7}) == [
        CodeUnits("97140", 33, 2),
        CodeUnits("97112", 7, 1),
    ]


def test_three_codes_of_a_typical_hour():
    # 20 + 20 + 15 = 55 minutes: 4 units; two whole units from 97140 and 97124 leave 5 and 5
    # over with 97110's 15 already whole; the fourth unit goes to the first tied code.
    assert units_by_code({"97124": 20, "97140": 20, "97110": 15}) == [
        CodeUnits("97124", 20, 2),
        CodeUnits("97140", 20, 1),
        CodeUnits("97110", 15, 1),
    ]


def test_a_tie_goes_to_the_code_with_more_minutes():
    # 10 + 25 = 35 minutes: 2 units; 97140 has one whole unit, and both have 10 minutes over.
    assert units_by_code({"97112": 10, "97140": 25}) == [
        CodeUnits("97112", 10, 0),
        CodeUnits("97140", 25, 2),
    ]


minutes_by_code = st.dictionaries(
    st.sampled_from(["97110", "97112", "97124", "97140", "97530"]),
    st.integers(min_value=0, max_value=90),
    max_size=5,
)


@given(st.integers(min_value=0, max_value=600))
def test_units_grow_with_minutes_and_stay_within_half_a_unit(minutes):
    units = units_for_minutes(minutes)
    assert units_for_minutes(minutes + 1) >= units
    if units:
        assert 15 * units - 7 <= minutes <= 15 * units + 7


@given(minutes_by_code)
def test_the_codes_share_exactly_the_visits_units(minutes):
    shared = units_by_code(minutes)
    assert sum(c.units for c in shared) == units_for_minutes(sum(minutes.values()))
    assert [c.code for c in shared] == list(minutes)
    for c in shared:
        assert minutes[c.code] // 15 <= c.units <= minutes[c.code] // 15 + 1
        if c.minutes == 0:
            assert c.units == 0
