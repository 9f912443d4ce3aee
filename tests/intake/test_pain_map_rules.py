"""The body pain map's regions and what marks imply (clinical rules §2.5)."""

from __future__ import annotations

import pytest

from intake.rules.pain_map import (
    MARK_CODES,
    PAIN_MAP_UNKNOWN_MARK,
    REGIONS,
    marks_clean,
    pain_map_summarise,
)


def test_the_map_has_the_sciatic_regions_and_the_three_dermatomes_on_both_sides():
    codes = {r.code for r in REGIONS}
    for name in ("buttock", "hamstring", "calf", "sole", "shin_inner", "shin_outer"):
        assert {f"{name}_left", f"{name}_right"} <= codes
    assert {r.dermatome for r in REGIONS} >= {"L4", "L5", "S1"}
    assert len(MARK_CODES) == len(REGIONS) * 3


def test_nothing_marked_says_nothing():
    summary = pain_map_summarise([])
    assert summary.side == "" and not summary.radiates_past_knee and summary.dermatomes == ()


def test_buttock_only_stays_above_the_knee():
    summary = pain_map_summarise(["buttock_left:pain", "hamstring_left:pain"])
    assert summary.side == "left"
    assert not summary.radiates_past_knee


def test_numbness_below_the_knee_radiates_past_it():
    summary = pain_map_summarise(["shin_outer_right:numbness"])
    assert summary.side == "right"
    assert summary.radiates_past_knee
    assert summary.dermatomes == ("L5",)


def test_both_sides_marked_is_both():
    assert pain_map_summarise(["calf_left:pain", "buttock_right:tingling"]).side == "both"


def test_an_unknown_mark_is_refused_by_name():
    with pytest.raises(ValueError, match="liver_left:pain"):
        marks_clean(["liver_left:pain"])
    assert "{code}" in PAIN_MAP_UNKNOWN_MARK


def test_marks_come_back_in_map_order_without_repeats():
    assert marks_clean(["calf_left:pain", "buttock_right:pain", "calf_left:pain"]) == [
        "buttock_right:pain",
        "calf_left:pain",
    ]


def test_left_and_right_outlines_mirror_each_other():
    by_code = {r.code: r for r in REGIONS}
    assert by_code["calf_left"].path != by_code["calf_right"].path
