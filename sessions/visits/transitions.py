"""A visit's lifecycle (clinical rules §1, §2.1-2.2, §5): which status each action leads to.

Pure: no ORM and no request. The states are the `Appointment.Status` values; the services in
`sessions.visits.services` ask `transition_target` inside their transaction, on the row they
have just locked and re-read, and refuse when it answers None.

    booked      --reschedule-->  booked
    booked      --cancel------>  cancelled
    booked      --no_show----->  no_show
    booked      --check_in---->  checked_in
    checked_in  --complete---->  completed
    checked_in  --refuse------>  refused    (the client declines treatment after arriving)
    checked_in  --refer------->  referred   (the check-in re-screen forbids treatment, §2.1-2.2)

Cancelled, no-show, completed, refused and referred are final. A checked-in visit is not
cancelled: the client came, so it ends as completed, refused or referred.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class VisitState(StrEnum):
    """The values `Appointment.status` takes."""

    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"
    REFUSED = "refused"
    REFERRED = "referred"


class VisitAction(StrEnum):
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    NO_SHOW = "no_show"
    CHECK_IN = "check_in"
    COMPLETE = "complete"
    REFUSE = "refuse"
    REFER = "refer"


TRANSITIONS: Mapping[tuple[VisitState, VisitAction], VisitState] = {
    (VisitState.BOOKED, VisitAction.RESCHEDULE): VisitState.BOOKED,
    (VisitState.BOOKED, VisitAction.CANCEL): VisitState.CANCELLED,
    (VisitState.BOOKED, VisitAction.NO_SHOW): VisitState.NO_SHOW,
    (VisitState.BOOKED, VisitAction.CHECK_IN): VisitState.CHECKED_IN,
    (VisitState.CHECKED_IN, VisitAction.COMPLETE): VisitState.COMPLETED,
    (VisitState.CHECKED_IN, VisitAction.REFUSE): VisitState.REFUSED,
    (VisitState.CHECKED_IN, VisitAction.REFER): VisitState.REFERRED,
}

# The states whose visits hold their time slot (the no-double-booking rule). A refused or
# referred visit ends early and frees the rest of its slot, as a cancelled one does.
OCCUPYING_STATES = frozenset({VisitState.BOOKED, VisitState.CHECKED_IN, VisitState.COMPLETED})

FINAL_STATES = frozenset(
    state for state in VisitState if not any(source == state for source, _ in TRANSITIONS)
)


def transition_target(*, state: str, action: str) -> VisitState | None:
    """The state `action` leads to from `state`, or None when the table does not allow it."""
    try:
        return TRANSITIONS.get((VisitState(state), VisitAction(action)))
    except ValueError:
        return None


def transition_sources(action: str) -> tuple[VisitState, ...]:
    """The states from which `action` is allowed, in the table's order."""
    return tuple(source for source, act in TRANSITIONS if act == VisitAction(action))
