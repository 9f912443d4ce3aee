"""The visit's steps (sessions/visits/steps.py): what is done, what is offered, what is next."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sessions.visits.steps import (
    WHY_NOT_TODAY,
    WHY_NOT_YOURS,
    Step,
    VisitFacts,
    visit_steps,
)
from sessions.visits.transitions import VisitState

BOOKED_TODAY = VisitFacts(
    status=VisitState.BOOKED,
    on_clinic_today=True,
    screened=True,
    forbids_treatment=False,
    may_write=True,
    plan_accepted=False,
    note_started=False,
    note_signed=False,
    note_printed=False,
)


def _next(**changes):
    return visit_steps(replace(BOOKED_TODAY, **changes)).next


def test_a_routine_visit_goes_check_in_plan_run_sheet_note_sign_print():
    assert _next() == Step.CHECK_IN
    checked_in = {"status": VisitState.CHECKED_IN}
    assert _next(**checked_in) == Step.PLAN
    assert _next(**checked_in, plan_accepted=True) == Step.RUN_SHEET
    ran = {**checked_in, "plan_accepted": True, "note_started": True}
    assert _next(**ran) == Step.SIGN
    signed = {**ran, "status": VisitState.COMPLETED, "note_signed": True}
    assert _next(**signed) == Step.PRINT
    assert _next(**signed, note_printed=True) is None


def test_every_step_done_shows_every_tick():
    steps = visit_steps(
        replace(
            BOOKED_TODAY,
            status=VisitState.COMPLETED,
            plan_accepted=True,
            note_started=True,
            note_signed=True,
            note_printed=True,
        )
    )
    assert [s.step for s in steps.steps] == [
        Step.CHECK_IN,
        Step.PLAN,
        Step.RUN_SHEET,
        Step.NOTE,
        Step.SIGN,
        Step.PRINT,
        Step.COMPLETE,
    ]
    assert all(s.done for s in steps.steps)
    assert not any(s.available for s in steps.steps)


def test_planning_ahead_of_the_check_in_is_offered_but_the_check_in_comes_first():
    steps = visit_steps(BOOKED_TODAY)
    assert steps[Step.PLAN].available
    assert steps.next == Step.CHECK_IN


def test_the_run_sheet_is_not_next_before_the_check_in():
    assert _next(plan_accepted=True) == Step.CHECK_IN
    assert _next(plan_accepted=True, on_clinic_today=False) is None


def test_a_visit_on_another_day_cannot_be_checked_in_and_says_why():
    steps = visit_steps(replace(BOOKED_TODAY, on_clinic_today=False))
    assert not steps[Step.CHECK_IN].available
    assert steps[Step.CHECK_IN].why_not == WHY_NOT_TODAY


@pytest.mark.parametrize("status", [VisitState.BOOKED, VisitState.CHECKED_IN])
def test_while_treatment_is_forbidden_no_plan_or_run_sheet_and_the_referral_is_next(status):
    steps = visit_steps(
        replace(BOOKED_TODAY, status=status, forbids_treatment=True, plan_accepted=True)
    )
    offered = {s.step for s in steps.steps}
    assert Step.PLAN not in offered and Step.RUN_SHEET not in offered
    assert steps.next == Step.REFERRAL
    # The re-screen stays possible, as a secondary step.
    assert steps[Step.CHECK_IN].available == (status == VisitState.BOOKED)


def test_a_referred_visit_is_charted_then_signed():
    referred = {"status": VisitState.REFERRED, "forbids_treatment": True}
    assert _next(**referred) == Step.REFERRAL
    assert _next(**referred, note_started=True) == Step.SIGN
    steps = visit_steps(replace(BOOKED_TODAY, **referred))
    assert steps[Step.COMPLETE] is None  # a referral is its own end


@pytest.mark.parametrize("status", [VisitState.CANCELLED, VisitState.NO_SHOW])
def test_a_visit_not_held_has_no_next_step(status):
    steps = visit_steps(replace(BOOKED_TODAY, status=status))
    assert steps.next is None
    assert not any(s.available for s in steps.steps)


def test_the_manager_is_offered_no_clinical_step_and_is_told_why():
    manager = replace(BOOKED_TODAY, may_write=False, status=VisitState.CHECKED_IN)
    steps = visit_steps(manager)
    for step in (Step.PLAN, Step.NOTE, Step.SIGN):
        assert not steps[step].available and steps[step].why_not == WHY_NOT_YOURS
    assert steps.next is None
    # Reading is theirs: the run sheet of an accepted plan, the print of a signed note.
    assert visit_steps(replace(manager, plan_accepted=True)).next == Step.RUN_SHEET
    signed = replace(manager, status=VisitState.COMPLETED, note_started=True, note_signed=True)
    assert visit_steps(signed).next == Step.PRINT


def test_completed_is_never_a_button_signing_completes():
    steps = visit_steps(replace(BOOKED_TODAY, status=VisitState.CHECKED_IN, note_started=True))
    assert not steps[Step.COMPLETE].available


def test_a_first_visit_starts_with_the_intake_then_checks_in():
    first = replace(BOOKED_TODAY, intake_done=False, screened=False)
    assert _next(intake_done=False, screened=False) == Step.INTAKE
    assert visit_steps(first)[Step.CHECK_IN].available is False
    assert _next(intake_done=True) == Step.CHECK_IN
    # Not shown once complete, nor while treatment is forbidden.
    assert visit_steps(BOOKED_TODAY)[Step.INTAKE] is None
    forbidden = replace(BOOKED_TODAY, intake_done=False, forbids_treatment=True)
    assert visit_steps(forbidden)[Step.INTAKE] is None


def test_only_one_next_step_and_it_is_always_offered():
    for status in VisitState:
        for forbids in (False, True):
            for mine in (False, True):
                for plan in (False, True):
                    for note in (False, True):
                        facts = replace(
                            BOOKED_TODAY,
                            status=status,
                            forbids_treatment=forbids,
                            may_write=mine,
                            plan_accepted=plan,
                            note_started=note,
                        )
                        steps = visit_steps(facts)
                        if steps.next is not None:
                            state = steps[steps.next]
                            assert state.available and not state.done
                            if forbids:
                                assert steps.next not in (Step.PLAN, Step.RUN_SHEET)
