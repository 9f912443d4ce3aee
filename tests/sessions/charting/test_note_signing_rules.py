import pytest

from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus
from sessions.charting.rules import (
    NOTE_NO_TREATMENT_NOTICE,
    NOTE_PLAN_TECHNIQUES_FORBIDDEN,
    NOTE_TECHNIQUES_FORBIDDEN,
    SIGN_NEEDS_ADVERSE_CHANGE,
    SIGN_NEEDS_ASSESSMENT,
    SIGN_NEEDS_PAIN_AFTER,
    SIGN_NEEDS_PAIN_BEFORE,
    SIGN_NEEDS_PLAN,
    SIGN_NEEDS_SUBJECTIVE,
    note_no_treatment_notice,
    note_plan_problem,
    note_sign_problems,
    note_techniques_problem,
)

COMPLETE = {
    "client_report": "Shooting pain down the left leg after sitting.",
    "changes_since_last_visit": "Sleeping better.",
    "pain_before": 6,
    "working_hypothesis": "Soft-tissue entrapment (piriformis).",
    "response_to_treatment": "Buttock pain eased.",
    "pain_after": 4,
    "adverse_response": "",
    "adverse_response_change": "",
    "frequency": "Twice a week for 2 weeks",
    "home_care_given": "Tennis-ball release",
    "referrals": "",
    "technique_count": 2,
    "safety_status": SafetyStatus.TREAT,
}
EMPTY = {
    **{name: "" for name, value in COMPLETE.items() if isinstance(value, str)},
    "pain_before": None,
    "pain_after": None,
    "technique_count": 0,
    "safety_status": SafetyStatus.TREAT,
}
# What a therapist writes when a red flag stops the visit: no techniques, no pain after.
REFUSAL = {
    **EMPTY,
    "client_report": "New numbness in the groin since Tuesday.",
    "pain_before": 7,
    "working_hypothesis": "Red flag (saddle anaesthesia): no massage today.",
    "referrals": "Sent to the emergency department today with the referral letter.",
    "safety_status": SafetyStatus.EMERGENCY,
}
FORBIDDING = sorted(STATUSES_FORBIDDING_TREATMENT)
ALLOWING = sorted(set(SafetyStatus) - STATUSES_FORBIDDING_TREATMENT)


def test_a_complete_note_may_be_signed():
    assert note_sign_problems(**COMPLETE) == []


def test_an_empty_note_cannot_be_signed_and_each_missing_part_is_named():
    assert note_sign_problems(**EMPTY) == [
        SIGN_NEEDS_SUBJECTIVE,
        SIGN_NEEDS_PAIN_BEFORE,
        SIGN_NEEDS_ASSESSMENT,
        SIGN_NEEDS_PLAN,
    ]


@pytest.mark.parametrize("status", list(SafetyStatus))
def test_a_note_of_a_refusal_and_referral_may_be_signed_whatever_the_status(status):
    assert note_sign_problems(**{**REFUSAL, "safety_status": status}) == []


@pytest.mark.parametrize(
    ("client_report", "changes_since_last_visit", "missing"),
    [
        ("", "", True),
        ("  ", "\n\t", True),
        ("Leg pain", "", False),
        ("", "Sleeping better", False),
        ("Leg pain", "Sleeping better", False),
    ],
)
def test_the_s_section_needs_some_text(client_report, changes_since_last_visit, missing):
    problems = note_sign_problems(
        **{
            **COMPLETE,
            "client_report": client_report,
            "changes_since_last_visit": changes_since_last_visit,
        }
    )
    assert problems == ([SIGN_NEEDS_SUBJECTIVE] if missing else [])


@pytest.mark.parametrize(("pain_before", "missing"), [(None, True), (0, False), (10, False)])
def test_the_pain_before_is_always_needed(pain_before, missing):
    problems = note_sign_problems(**{**COMPLETE, "pain_before": pain_before})
    assert problems == ([SIGN_NEEDS_PAIN_BEFORE] if missing else [])


@pytest.mark.parametrize(
    ("working_hypothesis", "response_to_treatment", "missing"),
    [
        ("", "", True),
        (" ", "  ", True),
        ("Piriformis", "", False),
        ("", "Eased", False),
        ("Piriformis", "Eased", False),
    ],
)
def test_the_a_section_needs_some_text(working_hypothesis, response_to_treatment, missing):
    problems = note_sign_problems(
        **{
            **COMPLETE,
            "working_hypothesis": working_hypothesis,
            "response_to_treatment": response_to_treatment,
        }
    )
    assert problems == ([SIGN_NEEDS_ASSESSMENT] if missing else [])


@pytest.mark.parametrize(
    ("frequency", "home_care_given", "referrals", "missing"),
    [
        ("", "", "", True),
        (" ", "\n", "  ", True),
        ("Weekly", "", "", False),
        ("", "Bridge", "", False),
        ("", "", "Physician soon", False),
        ("Weekly", "Bridge", "Physician soon", False),
    ],
)
def test_the_p_section_needs_some_text(frequency, home_care_given, referrals, missing):
    problems = note_sign_problems(
        **{
            **COMPLETE,
            "frequency": frequency,
            "home_care_given": home_care_given,
            "referrals": referrals,
        }
    )
    assert problems == ([SIGN_NEEDS_PLAN] if missing else [])


@pytest.mark.parametrize("technique_count", [0, 1, 3])
@pytest.mark.parametrize("pain_after", [None, 0, 5])
def test_the_pain_after_is_needed_only_when_techniques_were_done(technique_count, pain_after):
    problems = note_sign_problems(
        **{**COMPLETE, "technique_count": technique_count, "pain_after": pain_after}
    )
    needed = technique_count > 0 and pain_after is None
    assert problems == ([SIGN_NEEDS_PAIN_AFTER] if needed else [])


@pytest.mark.parametrize(
    ("adverse_response", "adverse_response_change", "missing"),
    [
        ("", "", False),
        ('A "zing" down the leg', "", True),
        ("More tingling", "  ", True),
        ('A "zing" during the hamstring pin', "Moved one inch lateral.", False),
        ("  ", "", False),
    ],
)
def test_an_adverse_response_needs_what_was_changed(
    adverse_response, adverse_response_change, missing
):
    problems = note_sign_problems(
        **{
            **COMPLETE,
            "adverse_response": adverse_response,
            "adverse_response_change": adverse_response_change,
        }
    )
    assert problems == ([SIGN_NEEDS_ADVERSE_CHANGE] if missing else [])


@pytest.mark.parametrize("status", list(SafetyStatus))
@pytest.mark.parametrize("technique_count", [0, 1, 4])
def test_techniques_are_refused_exactly_while_the_status_forbids_treatment(status, technique_count):
    problem = note_techniques_problem(safety_status=status, technique_count=technique_count)

    if technique_count and status in STATUSES_FORBIDDING_TREATMENT:
        assert problem == NOTE_TECHNIQUES_FORBIDDEN.format(status=status.label)
        assert status.label in problem
    else:
        assert problem is None


@pytest.mark.parametrize("status", FORBIDDING)
def test_a_note_listing_techniques_cannot_be_signed_while_treatment_is_forbidden(status):
    problems = note_sign_problems(**{**COMPLETE, "safety_status": status})
    assert problems == [NOTE_TECHNIQUES_FORBIDDEN.format(status=status.label)]


@pytest.mark.parametrize("status", ALLOWING)
def test_a_note_listing_techniques_may_be_signed_while_treatment_is_allowed(status):
    assert note_sign_problems(**{**COMPLETE, "safety_status": status}) == []


def test_the_status_may_be_given_as_stored_on_the_client():
    problems = note_sign_problems(**{**COMPLETE, "safety_status": "refer_now"})
    assert problems == [NOTE_TECHNIQUES_FORBIDDEN.format(status="Refer now: red flag")]


@pytest.mark.parametrize("status", list(SafetyStatus))
def test_no_plan_start_and_a_notice_exactly_while_treatment_is_forbidden(status):
    forbidden = status in STATUSES_FORBIDDING_TREATMENT

    plan_problem = note_plan_problem(safety_status=status)
    notice = note_no_treatment_notice(safety_status=status)

    if forbidden:
        assert plan_problem == NOTE_PLAN_TECHNIQUES_FORBIDDEN.format(status=status.label)
        assert notice == NOTE_NO_TREATMENT_NOTICE.format(status=status.label)
    else:
        assert plan_problem is None
        assert notice is None


def test_every_problem_is_listed_at_once_in_the_order_of_the_note():
    problems = note_sign_problems(
        **{
            **EMPTY,
            "adverse_response": "Tingling increased",
            "technique_count": 1,
            "safety_status": SafetyStatus.REFER_NOW,
        }
    )
    assert problems == [
        SIGN_NEEDS_SUBJECTIVE,
        SIGN_NEEDS_PAIN_BEFORE,
        SIGN_NEEDS_ASSESSMENT,
        SIGN_NEEDS_PAIN_AFTER,
        SIGN_NEEDS_ADVERSE_CHANGE,
        SIGN_NEEDS_PLAN,
        NOTE_TECHNIQUES_FORBIDDEN.format(status=SafetyStatus.REFER_NOW.label),
    ]
