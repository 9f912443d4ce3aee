"""The visit's lifecycle as a pure table (sessions/visits/transitions.py): every (state,
action) pair."""

from __future__ import annotations

import itertools

import pytest

from sessions.models import OCCUPYING_STATUSES, Appointment
from sessions.visits.transitions import (
    FINAL_STATES,
    OCCUPYING_STATES,
    VisitAction,
    VisitState,
    transition_sources,
    transition_target,
)

S, A = VisitState, VisitAction
ALLOWED = {
    (S.BOOKED, A.RESCHEDULE): S.BOOKED,
    (S.BOOKED, A.CANCEL): S.CANCELLED,
    (S.BOOKED, A.NO_SHOW): S.NO_SHOW,
    (S.BOOKED, A.CHECK_IN): S.CHECKED_IN,
    (S.CHECKED_IN, A.COMPLETE): S.COMPLETED,
    (S.CHECKED_IN, A.REFUSE): S.REFUSED,
    (S.CHECKED_IN, A.REFER): S.REFERRED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(VisitState, VisitAction)))
def test_every_state_and_action(state, action):
    assert transition_target(state=state, action=action) == ALLOWED.get((state, action))


def test_a_checked_in_visit_is_not_cancelled_and_final_states_stay_final():
    assert transition_target(state="checked_in", action="cancel") is None
    assert {S.COMPLETED, S.CANCELLED, S.NO_SHOW, S.REFUSED, S.REFERRED} == FINAL_STATES
    for state, action in itertools.product(FINAL_STATES, VisitAction):
        assert transition_target(state=state, action=action) is None


def test_unknown_states_and_actions_are_refused_not_errors():
    assert transition_target(state="lost", action="cancel") is None
    assert transition_target(state="booked", action="teleport") is None


def test_sources():
    assert transition_sources("complete") == (S.CHECKED_IN,)
    assert transition_sources("cancel") == (S.BOOKED,)


def test_the_table_and_the_model_name_the_same_states():
    assert {str(value) for value in Appointment.Status.values} == {str(s) for s in VisitState}
    assert {str(s) for s in OCCUPYING_STATUSES} == {str(s) for s in OCCUPYING_STATES}
