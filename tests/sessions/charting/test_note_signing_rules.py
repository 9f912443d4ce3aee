import pytest

from sessions.charting.services import (
    SIGN_NEEDS_ADVERSE_CHANGE,
    SIGN_NEEDS_PAIN_AFTER,
    SIGN_NEEDS_PAIN_BEFORE,
    SIGN_NEEDS_TECHNIQUE,
    note_sign_problems,
)

COMPLETE = {
    "pain_before": 6,
    "pain_after": 4,
    "technique_count": 2,
    "adverse_response": "",
    "adverse_response_change": "",
}


def test_a_complete_note_may_be_signed():
    assert note_sign_problems(**COMPLETE) == []


def test_a_pain_of_zero_counts_as_recorded():
    assert note_sign_problems(**{**COMPLETE, "pain_before": 0, "pain_after": 0}) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"pain_before": None}, SIGN_NEEDS_PAIN_BEFORE),
        ({"pain_after": None}, SIGN_NEEDS_PAIN_AFTER),
        ({"technique_count": 0}, SIGN_NEEDS_TECHNIQUE),
        ({"adverse_response": 'A "zing" down the leg'}, SIGN_NEEDS_ADVERSE_CHANGE),
        (
            {"adverse_response": "More tingling", "adverse_response_change": "  "},
            SIGN_NEEDS_ADVERSE_CHANGE,
        ),
    ],
)
def test_each_missing_part_is_named(change, problem):
    assert note_sign_problems(**{**COMPLETE, **change}) == [problem]


def test_an_adverse_response_with_what_was_changed_may_be_signed():
    problems = note_sign_problems(
        **{
            **COMPLETE,
            "adverse_response": 'A "zing" during the hamstring pin',
            "adverse_response_change": "Moved one inch lateral.",
        }
    )
    assert problems == []


def test_every_problem_is_listed_at_once():
    problems = note_sign_problems(
        pain_before=None,
        pain_after=None,
        technique_count=0,
        adverse_response="Tingling increased",
        adverse_response_change="",
    )
    assert problems == [
        SIGN_NEEDS_PAIN_BEFORE,
        SIGN_NEEDS_PAIN_AFTER,
        SIGN_NEEDS_TECHNIQUE,
        SIGN_NEEDS_ADVERSE_CHANGE,
    ]
