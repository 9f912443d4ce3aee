"""A visit's state changes: one service per transition of `sessions.visits.transitions`.

Each one, in one transaction: lock the appointment's row (`select_for_update()`; a no-op on
SQLite, where the IMMEDIATE transaction already serialises writers, so the re-read below is
what sees the other writer's change: docs/engineering-notes.md "SQLite settings"), re-read
it, ask the transition table whether the action is allowed from the state it is in *now*,
and save only the fields the transition changes (`update_fields`). A copy read before the
transaction decides nothing: an action that another user's change has overtaken is refused
with a message naming that change, who made it and when (the appointment's history).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.staff import staff_display_name
from intake.models import Screening
from intake.rules import Triage
from intake.services import client_safety, screening_of_the_day, screening_recheck_red_flags
from sessions.booking.services import appointment_save_without_clash, appointment_when
from sessions.models import Appointment
from sessions.visits.transitions import VisitAction, VisitState, transition_target

APPOINTMENT_RESCHEDULE_NOT_ALLOWED = (
    "This appointment is {status}: only a booked appointment can be rescheduled."
)
APPOINTMENT_CANCEL_NOT_ALLOWED = (
    "This appointment is {status}: only a booked appointment can be cancelled."
)
APPOINTMENT_NO_SHOW_NOT_ALLOWED = (
    "This appointment is {status}: only a booked appointment can be marked as a no-show."
)
APPOINTMENT_NO_SHOW_TOO_EARLY = "A no-show can be recorded only once the appointment has started."
APPOINTMENT_CHECK_IN_NOT_ALLOWED = (
    "This appointment is {status}: only a booked appointment can be checked in."
)
APPOINTMENT_CHECK_IN_WRONG_DAY = "A client can be checked in only on the day of the appointment."
APPOINTMENT_COMPLETE_NOT_ALLOWED = (
    "This appointment is {status}: only a checked-in appointment can be completed."
)
APPOINTMENT_REFUSE_NOT_ALLOWED = (
    "This appointment is {status}: only a checked-in client can decline treatment."
)
APPOINTMENT_REFER_NOT_ALLOWED = (
    "This appointment is {status}: only a checked-in visit can end in a referral."
)
CHECK_IN_SCREENED_BLOCKED_REASON = (
    "Not treated: the screening of {day} says \u201c{outcome}\u201d. See that screening."
)
CHECK_IN_NOT_SCREENED_TODAY = (
    "{client} has no screening recorded today: ask the red-flag questions before checking in."
)
CHECK_IN_BLOCKED_REASON = (
    "Not treated: the check-in re-screen of {day} says \u201c{outcome}\u201d. See that screening."
)

# An action overtaken by someone else's change: what changed, who changed it, when, and what
# was therefore not done.
VISIT_CHANGED_MEANWHILE = "This visit was {change} by {who} at {at}: {consequence}"
VISIT_MOVED_MEANWHILE = "moved to {when}"
VISIT_CHANGED_BY_NOBODY_KNOWN = "someone"

_NOT_ALLOWED = {
    VisitAction.RESCHEDULE: APPOINTMENT_RESCHEDULE_NOT_ALLOWED,
    VisitAction.CANCEL: APPOINTMENT_CANCEL_NOT_ALLOWED,
    VisitAction.NO_SHOW: APPOINTMENT_NO_SHOW_NOT_ALLOWED,
    VisitAction.CHECK_IN: APPOINTMENT_CHECK_IN_NOT_ALLOWED,
    VisitAction.COMPLETE: APPOINTMENT_COMPLETE_NOT_ALLOWED,
    VisitAction.REFUSE: APPOINTMENT_REFUSE_NOT_ALLOWED,
    VisitAction.REFER: APPOINTMENT_REFER_NOT_ALLOWED,
}
# How the change that overtook an action is named ("This visit was ... by ...").
VISIT_CHANGE_WORDS = {
    VisitState.CANCELLED: "cancelled",
    VisitState.NO_SHOW: "marked as a no-show",
    VisitState.CHECKED_IN: "checked in",
    VisitState.COMPLETED: "marked completed",
    VisitState.REFUSED: "closed as treatment declined",
    VisitState.REFERRED: "closed with a referral",
}
# What the overtaken action therefore did not do.
VISIT_NOT_DONE_WORDS = {
    VisitAction.RESCHEDULE: "nothing was moved.",
    VisitAction.CANCEL: "it was not cancelled.",
    VisitAction.NO_SHOW: "it was not marked as a no-show.",
    VisitAction.CHECK_IN: "the client was not checked in and no re-screen was recorded.",
    VisitAction.COMPLETE: "it was not marked completed.",
    VisitAction.REFUSE: "nothing was recorded.",
    VisitAction.REFER: "nothing was recorded.",
}


# --- the common steps ----------------------------------------------------------------------------


def _locked(appointment: Appointment) -> Appointment:
    """The appointment's row as it is now, locked until the transaction ends (PostgreSQL)."""
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


def _last_change(current: Appointment) -> tuple[str, str]:
    """(who, at what clinic time) the appointment was last changed, from its history."""
    record = current.history.order_by("-history_date", "-history_id").first()
    if record is None:
        return VISIT_CHANGED_BY_NOBODY_KNOWN, f"{timezone.localtime(current.updated_at):%H:%M}"
    user = record.history_user
    who = staff_display_name(user) if user is not None else VISIT_CHANGED_BY_NOBODY_KNOWN
    local = timezone.localtime(record.history_date)
    at = f"{local:%H:%M}" if local.date() == timezone.localdate() else f"{local:%a %d %b %H:%M}"
    return who, at


def visit_changed_message(*, current: Appointment, action: VisitAction, change: str) -> str:
    """'This visit was cancelled by Carol Manager at 10:42: nothing was moved.'"""
    who, at = _last_change(current)
    return VISIT_CHANGED_MEANWHILE.format(
        change=change, who=who, at=at, consequence=VISIT_NOT_DONE_WORDS[action]
    )


def _target_or_refuse(
    appointment: Appointment, current: Appointment, action: VisitAction
) -> VisitState:
    """The state `action` leads to from the row's current state, or a ValidationError: a
    visit still booked names the rule; one that has moved on names the change that did it.

    A visit moved to another time since the caller read it is refused too: the user acted
    on the visit at the time they saw.
    """
    target = transition_target(state=current.status, action=action)
    if target is not None:
        if (current.starts_at, current.minutes) != (appointment.starts_at, appointment.minutes):
            raise ValidationError(
                visit_changed_message(
                    current=current,
                    action=action,
                    change=VISIT_MOVED_MEANWHILE.format(when=appointment_when(current)),
                ),
                code="changed",
            )
        return target
    if current.status == VisitState.BOOKED:
        message = _NOT_ALLOWED[action].format(status=current.get_status_display())
        raise ValidationError(message, code="status")
    raise ValidationError(
        visit_changed_message(
            current=current, action=action, change=VISIT_CHANGE_WORDS[VisitState(current.status)]
        ),
        code="changed",
    )


def _apply(
    appointment: Appointment, current: Appointment, *, by: User | None, **fields
) -> Appointment:
    """Save `fields` on the locked row (and only them), then bring the caller's copy up to date."""
    for name, value in fields.items():
        setattr(current, name, value)
    if by is not None:
        current._history_user = by
    current.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(appointment, name, getattr(current, name))
    return appointment


# --- one service per transition ------------------------------------------------------------------


def appointment_reschedule(
    *, appointment: Appointment, starts_at: datetime, minutes: int, by: User | None = None
) -> Appointment:
    """booked -> booked at another time; the same overlap rules apply (its old slot is free).

    Refused if, since `appointment` was read, the visit left the booked state or was moved.
    """
    with transaction.atomic():
        current = _locked(appointment)
        _target_or_refuse(appointment, current, VisitAction.RESCHEDULE)
        current.times_set(starts_at=starts_at, minutes=minutes)
        if by is not None:
            current._history_user = by
        appointment_save_without_clash(
            current, update_fields=["starts_at", "minutes", "ends_at", "updated_at"]
        )
    for name in ("starts_at", "minutes", "ends_at", "updated_at"):
        setattr(appointment, name, getattr(current, name))
    return appointment


def appointment_cancel(
    *, appointment: Appointment, reason: str = "", by: User | None = None
) -> Appointment:
    """booked -> cancelled: the slot is free again for the therapist and the client."""
    with transaction.atomic():
        current = _locked(appointment)
        target = _target_or_refuse(appointment, current, VisitAction.CANCEL)
        return _apply(
            appointment, current, by=by, status=target, cancellation_reason=reason.strip()
        )


def appointment_mark_no_show(
    *, appointment: Appointment, now: datetime | None = None, by: User | None = None
) -> Appointment:
    """booked -> no-show: the client did not come; frees the slot and keeps the record."""
    with transaction.atomic():
        current = _locked(appointment)
        target = _target_or_refuse(appointment, current, VisitAction.NO_SHOW)
        if current.starts_at > (now or timezone.now()):
            raise ValidationError(APPOINTMENT_NO_SHOW_TOO_EARLY, code="too_early")
        return _apply(appointment, current, by=by, status=target)


def _check_in_locked(
    appointment: Appointment, current: Appointment, now: datetime | None
) -> VisitState:
    target = _target_or_refuse(appointment, current, VisitAction.CHECK_IN)
    if timezone.localdate(current.starts_at) != timezone.localdate(now or timezone.now()):
        raise ValidationError(APPOINTMENT_CHECK_IN_WRONG_DAY, code="wrong_day")
    return target


def appointment_check_in(
    *, appointment: Appointment, now: datetime | None = None, by: User | None = None
) -> Appointment:
    """booked -> checked in: the client has arrived, on the appointment's day (clinic time).

    Only the status change: the check-in page goes through `appointment_check_in_rescreen`,
    which asks the red-flag questions first.
    """
    with transaction.atomic():
        current = _locked(appointment)
        target = _check_in_locked(appointment, current, now)
        return _apply(appointment, current, by=by, status=target)


@dataclass(frozen=True)
class CheckInResult:
    """What the check-in re-screen found: the new screening, its triage, and whether the
    client was checked in for treatment (False: treatment is forbidden and the visit ended in
    a referral)."""

    screening: Screening
    triage: Triage
    checked_in: bool


def appointment_check_in_rescreen(
    *,
    appointment: Appointment,
    recorded_by: User,
    red_flags: Mapping[str, bool],
    now: datetime | None = None,
) -> CheckInResult:
    """booked -> checked in, with the 30-second re-screen (clinical rules §2.1 red flags);
    then checked in -> referred when the client's safety forbids treatment.

    The red-flag answers become a new screening (intake's `screening_recheck_red_flags`,
    the other answers carried over). What decides is the client's safety status after it, not
    this screening alone: a red flag raised earlier and not yet cleared still holds, whatever
    today's answers. If treatment is forbidden (refer now, or an absolute contraindication:
    both come with a physician and a referral letter, §2.1-2.2) the client did come and was
    screened, so the visit is not "cancelled": it ends as "referred", with the reason, and
    frees the rest of its slot. One transaction, after the row is locked: never a screening
    without its consequence, and none for a visit someone else closed meanwhile.
    """
    with transaction.atomic():
        current = _locked(appointment)
        checked_in = _check_in_locked(appointment, current, now)
        try:
            screening = screening_recheck_red_flags(
                client=appointment.client,
                recorded_by=recorded_by,
                screened_on=timezone.localdate(now or timezone.now()),
                red_flags=red_flags,
            )
        except ValueError as error:
            raise ValidationError(str(error), code="screening") from error
        triage = client_safety(client=appointment.client).triage
        _apply(appointment, current, by=recorded_by, status=checked_in)
        if triage.blocks_treatment:
            reason = CHECK_IN_BLOCKED_REASON.format(
                day=f"{screening.screened_on:%d %b %Y}", outcome=triage.outcome.label
            )
            _refer_locked(appointment, current, reason=reason, by=recorded_by)
            return CheckInResult(screening=screening, triage=triage, checked_in=False)
    return CheckInResult(screening=screening, triage=triage, checked_in=True)


def appointment_check_in_screened_today(
    *, appointment: Appointment, by: User, now: datetime | None = None
) -> CheckInResult:
    """booked -> checked in without asking the red flags again, because a screening dated
    today already asked them (clinical rules §2.1: asked at check-in, unless the client was
    screened earlier the same day); then checked in -> referred when the client's safety
    forbids treatment, exactly as after a re-screen.

    ValidationError (`CHECK_IN_NOT_SCREENED_TODAY`) when no screening is dated today, read
    again inside the transaction after the appointment's row is locked.
    """
    with transaction.atomic():
        current = _locked(appointment)
        checked_in = _check_in_locked(appointment, current, now)
        today = timezone.localdate(now or timezone.now())
        screening = screening_of_the_day(client=appointment.client, day=today)
        if screening is None:
            raise ValidationError(
                CHECK_IN_NOT_SCREENED_TODAY.format(client=appointment.client.full_name),
                code="not_screened_today",
            )
        triage = client_safety(client=appointment.client).triage
        _apply(appointment, current, by=by, status=checked_in)
        if triage.blocks_treatment:
            reason = CHECK_IN_SCREENED_BLOCKED_REASON.format(
                day=f"{screening.screened_on:%d %b %Y}", outcome=triage.outcome.label
            )
            _refer_locked(appointment, current, reason=reason, by=by)
            return CheckInResult(screening=screening, triage=triage, checked_in=False)
    return CheckInResult(screening=screening, triage=triage, checked_in=True)


def appointment_complete(*, appointment: Appointment, by: User | None = None) -> Appointment:
    """checked in -> completed: the session took place."""
    with transaction.atomic():
        current = _locked(appointment)
        target = _target_or_refuse(appointment, current, VisitAction.COMPLETE)
        return _apply(appointment, current, by=by, status=target)


def appointment_refuse(
    *, appointment: Appointment, reason: str = "", by: User | None = None
) -> Appointment:
    """checked in -> refused: the client arrived and declined treatment (their right at any
    point); the reason is kept and the rest of the slot is free."""
    with transaction.atomic():
        current = _locked(appointment)
        target = _target_or_refuse(appointment, current, VisitAction.REFUSE)
        return _apply(appointment, current, by=by, status=target, not_treated_reason=reason.strip())


def _refer_locked(
    appointment: Appointment, current: Appointment, *, reason: str, by: User | None
) -> Appointment:
    target = _target_or_refuse(appointment, current, VisitAction.REFER)
    return _apply(appointment, current, by=by, status=target, not_treated_reason=reason.strip())


def appointment_refer(
    *, appointment: Appointment, reason: str, by: User | None = None
) -> Appointment:
    """checked in -> referred: treatment is forbidden today (clinical rules §2.1-2.2) and the
    client is sent to a physician; the reason is kept and the rest of the slot is free."""
    with transaction.atomic():
        current = _locked(appointment)
        return _refer_locked(appointment, current, reason=reason, by=by)
