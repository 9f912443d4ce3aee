"""What a session note may record and what it needs before it is signed (clinical rules §8,
with §2.1-2.2). Pure functions over the note's plain values: no ORM, no request.

`sessions.charting.services` reads the note and the client's safety status now, and refuses
to save or sign whatever these rules object to; the note form shows the same messages.
"""

from __future__ import annotations

from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus

# A note for a client who may not be treated records the refusal and the referral, not massage.
NOTE_TECHNIQUES_FORBIDDEN = (
    "The client's safety status is “{status}”: no massage may be given, so this note cannot "
    "list techniques. Remove the technique rows and record the refusal and the referral in "
    "the note instead (for example under Referrals)."
)
NOTE_NO_TREATMENT_NOTICE = (
    "The client's safety status is “{status}”: no massage may be given. This note records the "
    "refusal and the referral; it cannot list techniques."
)
NOTE_PLAN_TECHNIQUES_FORBIDDEN = (
    "The client's safety status is “{status}”: no massage may be given, so the note cannot "
    "start from a plan's techniques. Start it without a plan and record the refusal and the "
    "referral."
)

SIGN_NEEDS_SUBJECTIVE = (
    "S · Subjective is empty: write the client report (or the changes since the last visit) "
    "before signing."
)
SIGN_NEEDS_PAIN_BEFORE = "Record the pain before the session (0-10) before signing."
SIGN_NEEDS_ASSESSMENT = (
    "A · Assessment is empty: write the working hypothesis or the response to treatment "
    "before signing."
)
SIGN_NEEDS_PAIN_AFTER = (
    "Techniques are listed: record the pain after the session (0-10) before signing."
)
SIGN_NEEDS_PLAN = (
    "P · Plan is empty: write the frequency, the home care given or the referrals before signing."
)
SIGN_NEEDS_ADVERSE_CHANGE = (
    "An adverse response is recorded: say what was changed in response before signing."
)


def note_techniques_problem(
    *, safety_status: SafetyStatus | str, technique_count: int
) -> str | None:
    """Why the note may not list its techniques now, or None (clinical rules §2.1-2.2).

    While the client's safety status forbids treatment (do not treat, refer now, emergency)
    no massage is given, so a note cannot list techniques done; it still records what the
    client reported, what was seen, and the referral. Without technique rows nothing is
    refused, whatever the status.
    """
    status = SafetyStatus(safety_status)
    if technique_count and status in STATUSES_FORBIDDING_TREATMENT:
        return NOTE_TECHNIQUES_FORBIDDEN.format(status=status.label)
    return None


def note_no_treatment_notice(*, safety_status: SafetyStatus | str) -> str | None:
    """What the note page says up front while the client's status forbids treatment, or None."""
    status = SafetyStatus(safety_status)
    if status in STATUSES_FORBIDDING_TREATMENT:
        return NOTE_NO_TREATMENT_NOTICE.format(status=status.label)
    return None


def note_plan_problem(*, safety_status: SafetyStatus | str) -> str | None:
    """Why a note may not start from an accepted plan (its techniques) now, or None."""
    status = SafetyStatus(safety_status)
    if status in STATUSES_FORBIDDING_TREATMENT:
        return NOTE_PLAN_TECHNIQUES_FORBIDDEN.format(status=status.label)
    return None


def note_sign_problems(
    *,
    client_report: str,
    changes_since_last_visit: str,
    pain_before: int | None,
    working_hypothesis: str,
    response_to_treatment: str,
    pain_after: int | None,
    adverse_response: str,
    adverse_response_change: str,
    frequency: str,
    home_care_given: str,
    referrals: str,
    technique_count: int,
    safety_status: SafetyStatus | str,
) -> list[str]:
    """What keeps a note from being signed, as messages in the order of the note; empty when
    it may be signed.

    A signed note is the legal and insurance record of the visit (clinical rules §8), so it
    needs its minimum content: some text in S (the client report or the changes since the
    last visit), the pain before, some text in A (the working hypothesis or the response to
    treatment) and some text in P (frequency, home care given or referrals). The pain after
    is needed only when treatment was given (the note lists techniques): a visit where no
    massage was given, a refusal and referral, has no "after". An adverse response (a "zing",
    more tingling) needs what the therapist changed. And a note listing techniques cannot be
    signed while the client's status forbids treatment (`note_techniques_problem`).
    """
    problems = []
    if not _text(client_report, changes_since_last_visit):
        problems.append(SIGN_NEEDS_SUBJECTIVE)
    if pain_before is None:
        problems.append(SIGN_NEEDS_PAIN_BEFORE)
    if not _text(working_hypothesis, response_to_treatment):
        problems.append(SIGN_NEEDS_ASSESSMENT)
    if technique_count and pain_after is None:
        problems.append(SIGN_NEEDS_PAIN_AFTER)
    if adverse_response.strip() and not adverse_response_change.strip():
        problems.append(SIGN_NEEDS_ADVERSE_CHANGE)
    if not _text(frequency, home_care_given, referrals):
        problems.append(SIGN_NEEDS_PLAN)
    forbidden = note_techniques_problem(
        safety_status=safety_status, technique_count=technique_count
    )
    if forbidden:
        problems.append(forbidden)
    return problems


def _text(*values: str) -> bool:
    return any(value.strip() for value in values)
