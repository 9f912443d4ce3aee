"""The steps of one visit, what is done and what comes next (the visit workspace).

Pure: no ORM and no request. `sessions.visits.workspace` reads the facts of a visit into a
`VisitFacts` and asks `visit_steps` which steps are done, which this user may take now and
which one is next: the workspace offers that one, and only that one, as its primary button.

    (intake) -> checked in -> plan accepted -> run sheet -> note -> signed -> printed -> completed

The intake step (history, screening, tests: the guided first visit, `intake.guided`) shows
only while one of them is missing.

Signing the note completes the visit (`sessions.charting.services.note_sign`), so
"completed" is never a button of its own. While the client's safety status forbids treatment
(clinical rules §2.1-2.2) no plan and no run sheet are offered: the referral letter takes
their place and is the next step, the check-in re-screen stays possible beside it, and the
note records the refusal and the referral. A visit cancelled or missed has no next step.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sessions.visits.transitions import VisitState


class Step(StrEnum):
    INTAKE = "intake"
    CHECK_IN = "check_in"
    PLAN = "plan"
    RUN_SHEET = "run_sheet"
    REFERRAL = "referral"
    NOTE = "note"
    SIGN = "sign"
    PRINT = "print"
    COMPLETE = "complete"


STEP_LABELS = {
    Step.INTAKE: "Intake: history, screening and tests",
    Step.CHECK_IN: "Checked in",
    Step.PLAN: "Plan accepted",
    Step.RUN_SHEET: "Session run (run sheet)",
    Step.REFERRAL: "Referral letter",
    Step.NOTE: "Note written",
    Step.SIGN: "Note signed",
    Step.PRINT: "Note printed",
    Step.COMPLETE: "Visit completed",
}

# Why a step is not offered now, shown beside it.
WHY_NOT_YOURS = "The client's own therapist does this."
WHY_NOT_SCREENED = "Record the full screening first."
WHY_NOT_TODAY = "Check-in opens on the day of the visit."
WHY_VISIT_CLOSED = "The visit ended without treatment."
WHY_NO_PLAN = "Accept a plan first."
WHY_CHECK_IN_FIRST = "Check the client in first."
WHY_WRITE_FIRST = "Write the note first."
WHY_SIGN_FIRST = "Sign the note first."
WHY_SIGNING_COMPLETES = "Signing the note completes the visit."

# The client came: the visit may be charted (a refusal or a referral is charted too).
_ATTENDED = frozenset(
    {VisitState.CHECKED_IN, VisitState.COMPLETED, VisitState.REFUSED, VisitState.REFERRED}
)
_CHECKED_IN = frozenset({VisitState.CHECKED_IN, VisitState.COMPLETED, VisitState.REFERRED})
_NOT_HELD = frozenset({VisitState.CANCELLED, VisitState.NO_SHOW})


@dataclass(frozen=True)
class VisitFacts:
    """What is on record for one visit, as plain values."""

    status: VisitState
    on_clinic_today: bool
    screened: bool
    forbids_treatment: bool
    may_write: bool  # the client's own therapist (intake.access): the clinical steps are theirs
    plan_accepted: bool
    note_started: bool
    note_signed: bool
    note_printed: bool
    intake_done: bool = True  # an intake history, a screening and an assessment on file


@dataclass(frozen=True)
class StepState:
    step: Step
    done: bool
    available: bool  # this user may take it now
    why_not: str = ""

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]


@dataclass(frozen=True)
class VisitSteps:
    steps: tuple[StepState, ...]
    next: Step | None

    def __getitem__(self, step: Step) -> StepState | None:
        return next((s for s in self.steps if s.step == step), None)


def _state(step: Step, *, done: bool, allowed: bool, why_not: str) -> StepState:
    """A step taken by whoever may (`clinical`: the client's own therapist only)."""
    available = allowed and not done
    if available or done:
        return StepState(step, done=done, available=available)
    return StepState(step, done=False, available=False, why_not=why_not)


def visit_steps(facts: VisitFacts) -> VisitSteps:
    """The visit's steps in order, each done or not, offered or not (and why), and the next.

    The next step is the first one not done that this user may take now, with three rules:
    the run sheet comes next only once the client is checked in; while treatment is
    forbidden the referral letter is next (never a plan, a run sheet or massage); and a
    visit not held (cancelled, no-show) has none.
    """
    status, yours = facts.status, facts.may_write
    treating = not facts.forbids_treatment and status not in _NOT_HELD | {
        VisitState.REFUSED,
        VisitState.REFERRED,
    }

    def clinical(why: str) -> str:
        return why if yours else WHY_NOT_YOURS

    if status == VisitState.BOOKED and not facts.screened:
        why_check_in = WHY_NOT_SCREENED
    elif status == VisitState.BOOKED and not facts.on_clinic_today:
        why_check_in = WHY_NOT_TODAY
    else:
        why_check_in = WHY_VISIT_CLOSED
    steps = []
    if (
        not facts.intake_done
        and not facts.forbids_treatment
        and status in (VisitState.BOOKED, VisitState.CHECKED_IN)
    ):
        # A first visit: the guided intake comes first (shown only while it is incomplete).
        steps.append(
            _state(Step.INTAKE, done=False, allowed=yours, why_not=clinical(WHY_NOT_YOURS))
        )
    steps.append(
        _state(
            Step.CHECK_IN,
            done=status in _CHECKED_IN,
            allowed=yours
            and status == VisitState.BOOKED
            and facts.on_clinic_today
            and facts.screened,
            why_not=clinical(why_check_in),
        )
    )
    if treating:
        steps.append(
            _state(
                Step.PLAN,
                done=facts.plan_accepted,
                allowed=yours and status in (VisitState.BOOKED, VisitState.CHECKED_IN),
                why_not=clinical(WHY_VISIT_CLOSED),
            )
        )
        steps.append(
            _state(
                Step.RUN_SHEET,
                # Run: the plan was accepted and the visit charted or completed after it.
                done=facts.plan_accepted and (facts.note_started or status == VisitState.COMPLETED),
                # Reading the run sheet writes nothing: whoever reads the chart may open it.
                allowed=facts.plan_accepted,
                why_not=WHY_NO_PLAN,
            )
        )
    elif facts.forbids_treatment:
        steps.append(_state(Step.REFERRAL, done=False, allowed=True, why_not=""))
    steps += [
        _state(
            Step.NOTE,
            done=facts.note_started,
            allowed=yours and status in _ATTENDED,
            why_not=clinical(WHY_VISIT_CLOSED if status in _NOT_HELD else WHY_CHECK_IN_FIRST),
        ),
        _state(
            Step.SIGN,
            done=facts.note_signed,
            allowed=yours and facts.note_started,
            why_not=clinical(WHY_WRITE_FIRST),
        ),
        _state(
            Step.PRINT, done=facts.note_printed, allowed=facts.note_signed, why_not=WHY_SIGN_FIRST
        ),
    ]
    if status not in _NOT_HELD | {VisitState.REFUSED, VisitState.REFERRED}:
        steps.append(
            _state(
                Step.COMPLETE,
                done=status == VisitState.COMPLETED,
                allowed=False,
                why_not=WHY_SIGNING_COMPLETES,
            )
        )
    return VisitSteps(steps=tuple(steps), next=_next(steps, facts))


def _next(steps: list[StepState], facts: VisitFacts) -> Step | None:
    if facts.status in _NOT_HELD:
        return None
    for state in steps:
        if not state.available:
            continue
        if state.step == Step.CHECK_IN and facts.forbids_treatment:
            continue  # the re-screen stays possible, but never as the green next step
        if state.step == Step.RUN_SHEET and facts.status != VisitState.CHECKED_IN:
            continue
        if state.step == Step.REFERRAL and facts.note_started and facts.may_write:
            continue  # the letter is there; the note under way comes first
        return state.step
    return None
