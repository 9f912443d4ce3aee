"""The progress report's recommendation (clinical rules §9.6): within massage scope."""

from __future__ import annotations

import pytest

from billing.rules.recommendation import (
    COMPRESSION_NOTE,
    RECOMMEND_CONTINUE,
    RECOMMEND_IMPROVING,
    RECOMMEND_NO_CHANGE,
    RECOMMEND_REFER,
    RECOMMEND_WORSE,
    VISITS_WITHOUT_CHANGE_FOR_REVIEW,
    recommendation_make,
)


def make(**changes):
    facts = dict(
        visits=3,
        treatment_forbidden=False,
        improved=False,
        worsened=False,
        neural_involvement=False,
    )
    return recommendation_make(**{**facts, **changes})


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"treatment_forbidden": True, "improved": True}, RECOMMEND_REFER),
        ({"worsened": True, "improved": True}, RECOMMEND_WORSE),
        ({"improved": True, "visits": 10}, RECOMMEND_IMPROVING),
        ({"visits": VISITS_WITHOUT_CHANGE_FOR_REVIEW}, RECOMMEND_NO_CHANGE.format(visits=6)),
        ({"visits": VISITS_WITHOUT_CHANGE_FOR_REVIEW - 1}, RECOMMEND_CONTINUE.format(visits=5)),
    ],
)
def test_the_recommendation_follows_safety_then_worsening_then_improvement(changes, text):
    assert make(**changes).text == text


def test_neural_involvement_says_massage_cannot_treat_compression():
    assert make(neural_involvement=True, improved=True).compression_note == COMPRESSION_NOTE
    assert make().compression_note == ""
