"""The run sheet's timer: one write, `run_sheet_clock_act`, for every button (start or resume,
pause, go to an item, reset). The arithmetic is in `sessions.visits.run_sheet_clock`."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from intake.services import client_safety_if_forbidding
from sessions.models import Appointment, RunSheetClock, SessionPlan
from sessions.visits.run_sheet_clock import ClockAction, ClockReading, clock_act, clock_read

CLOCK_NEEDS_CHECK_IN = (
    "Check {client} in first: the red-flag questions are asked before the session, and the "
    "timer starts after that."
)
CLOCK_VISIT_CLOSED = "This visit is {status}: the run sheet's timer does not run."
CLOCK_FORBIDDEN = "{status}: no massage today, so the run sheet's timer does not run."

# What moves the session on. Pausing and resetting stop the clock, which is always allowed.
_MOVING = {ClockAction.START, ClockAction.GO}


def plan_item_minutes(session_plan: SessionPlan) -> list[int]:
    """Each item's minutes, in the order the run sheet shows them."""
    return [item.minutes for item in session_plan.plan.items]


def run_sheet_clock_read(
    *, session_plan: SessionPlan, clock: RunSheetClock | None = None, now: datetime | None = None
) -> ClockReading:
    """The timer of `session_plan` now (not started when it has none yet)."""
    if clock is None:
        clock = RunSheetClock.objects.filter(session_plan=session_plan).first()
    state = clock.state if clock else RunSheetClock().state
    return clock_read(state, minutes=plan_item_minutes(session_plan), now=now or timezone.now())


def _refuse_moving(appointment: Appointment) -> None:
    """Start and Go need a checked-in visit whose client may be treated today (clinical
    rules §2.1: the red flags are asked at check-in; §2.1-2.2: nothing runs while the
    status forbids)."""
    if appointment.status == Appointment.Status.BOOKED:
        raise ValidationError(
            CLOCK_NEEDS_CHECK_IN.format(client=appointment.client.full_name), code="check_in"
        )
    if appointment.status != Appointment.Status.CHECKED_IN:
        raise ValidationError(
            CLOCK_VISIT_CLOSED.format(status=appointment.get_status_display()), code="closed"
        )
    forbidden = client_safety_if_forbidding(client=appointment.client)
    if forbidden is not None:
        raise ValidationError(
            CLOCK_FORBIDDEN.format(status=forbidden.status.label), code="forbidden"
        )


def run_sheet_clock_act(
    *,
    session_plan: SessionPlan,
    action: ClockAction,
    by: User,
    item: int | None = None,
    now: datetime | None = None,
) -> ClockReading:
    """Apply a run-sheet button to the plan's timer and return the timer as it now reads.

    One transaction: the plan's row is locked (PostgreSQL; SQLite's IMMEDIATE transaction
    serialises writers: docs/engineering-notes.md "SQLite settings"), the appointment and the
    timer are read again inside it, and the row is saved only when the action changes it, so
    a repeated press changes nothing. ValidationError for a visit not checked in, closed, or
    whose client may not be treated (Start and Go only), and for an item not on the sheet.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = SessionPlan.objects.select_for_update().get(pk=session_plan.pk)
        if action in _MOVING:
            appointment = Appointment.objects.select_related("client").get(pk=locked.appointment_id)
            _refuse_moving(appointment)
        clock, _ = RunSheetClock.objects.get_or_create(session_plan=locked)
        minutes = plan_item_minutes(session_plan)
        try:
            state = clock_act(clock.state, action, minutes=minutes, now=now, item=item)
        except ValueError as error:
            raise ValidationError(str(error), code="item") from error
        if state != clock.state:
            clock.state_set(state)
            clock.updated_by = by
            clock.save()
    return clock_read(state, minutes=minutes, now=now)
