"""Functional outcome measures (clinical rules §9.5): the PSFS score, changes against the
MCIDs at their boundaries, and when the PSFS is due."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.rules.outcomes import (
    PSFS_DUE_AGAIN,
    PSFS_DUE_AT_INTAKE,
    PSFS_NOT_DUE,
    outcome_change,
    psfs_average,
    psfs_due,
)


def test_the_psfs_score_is_the_mean_of_the_activities_to_one_decimal():
    assert psfs_average([3, 4, 4]) == Decimal("3.7")
    assert psfs_average([10]) == Decimal("10.0")


def test_a_psfs_needs_an_activity():
    with pytest.raises(ValueError):
        psfs_average([])


@pytest.mark.parametrize(
    ("baseline", "latest", "important", "worse"),
    [("3.0", "5.0", True, False), ("3.0", "4.9", False, False), ("6.0", "4.0", False, True)],
)
def test_psfs_change_against_its_two_point_mcid(baseline, latest, important, worse):
    change = outcome_change(kind="psfs", baseline=Decimal(baseline), latest=Decimal(latest))
    assert (change.important, change.worse_importantly) == (important, worse)


@pytest.mark.parametrize(
    ("baseline", "latest", "important"), [("40", "30", True), ("40", "31", False)]
)
def test_oswestry_improves_downwards_by_ten_points(baseline, latest, important):
    change = outcome_change(kind="odi", baseline=Decimal(baseline), latest=Decimal(latest))
    assert change.important is important
    assert change.improvement == Decimal(baseline) - Decimal(latest)


def test_the_psfs_is_due_at_intake_then_every_n_visits():
    assert psfs_due(has_baseline=False, visits_since_last=0, every=4).reason == PSFS_DUE_AT_INTAKE
    assert psfs_due(has_baseline=True, visits_since_last=4, every=4).reason == (
        PSFS_DUE_AGAIN.format(visits=4, every=4)
    )
    not_yet = psfs_due(has_baseline=True, visits_since_last=3, every=4)
    assert (not_yet.due, not_yet.reason) == (False, PSFS_NOT_DUE.format(left=1, every=4))


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=5))
def test_the_psfs_score_stays_within_its_activities(scores):
    assert min(scores) <= psfs_average(scores) <= max(scores)
