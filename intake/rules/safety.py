"""The client's safety status across visits (clinical rules §2.1-2.3): one derived value.

A screening says what it found that day; the safety status says what holds now, over the
client's whole screening history and the medical clearances recorded for them:
- a red flag, once raised, stays raised until a physician's clearance is recorded after it
  (clinical rules §2.1: no massage until the client has been seen). A later screening, a
  check-in re-screen included, can raise a flag but never lower one;
- an absolute contraindication (§2.2) holds while the latest screening records it: a new full
  screening that records it resolved lowers it;
- the relative contraindications (§2.3) are the latest screening's.

Pure functions over plain data: no ORM, no request. `intake.services` turns the records into
events and stores the result on the client so list pages read it without a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from django.db import models

from intake.rules.screening import (
    EMERGENCY_RED_FLAGS,
    RED_FLAG_QUESTIONS,
    ScreeningAnswers,
    Triage,
    TriageOutcome,
    screening_evaluate,
)


class SafetyStatus(models.TextChoices):
    """What the client's records allow now, from least to most severe after NOT_SCREENED."""

    NOT_SCREENED = "not_screened", "Not screened yet"
    TREAT = "treat", "Treat"
    TREAT_WITH_MODIFICATIONS = "treat_modified", "Treat with modifications"
    DO_NOT_TREAT = "do_not_treat", "Do not treat today"
    REFER_NOW = "refer_now", "Refer now: red flag"
    EMERGENCY = "emergency", "Emergency: suspected cauda equina"


# The statuses under which no massage is given (a plan, run sheet or massage note is refused).
STATUSES_FORBIDDING_TREATMENT = frozenset(
    {SafetyStatus.DO_NOT_TREAT, SafetyStatus.REFER_NOW, SafetyStatus.EMERGENCY}
)

SAFETY_NOT_SCREENED_ACTION = "Screen the client before planning a session."
SAFETY_RED_FLAG_HOLDS = (
    "A red flag stays until a medical clearance is recorded: a later screening cannot lower it."
)


_RED_FLAG_REASON = {q.name: q.reason for q in RED_FLAG_QUESTIONS}
_NO_RED_FLAGS = {q.name: False for q in RED_FLAG_QUESTIONS}


@dataclass(frozen=True, kw_only=True)
class ScreeningEvent:
    """A screening as the rule needs it: its answers and the client's age that day, and when it
    happened (its date, then when it was recorded) to order it among the other events."""

    answers: ScreeningAnswers
    age: int
    on: date = date.min
    recorded_at: datetime = datetime.min


@dataclass(frozen=True, kw_only=True)
class ClearanceEvent:
    """A physician's medical clearance: every red flag raised before it is lowered."""

    on: date = date.min
    recorded_at: datetime = datetime.min


@dataclass(frozen=True, kw_only=True)
class Safety:
    """The result of `safety_evaluate`.

    `triage` is what planning, charting and the referral letter act on: the latest screening's
    triage, replaced by a refer-now triage naming the open red flags while any is open.
    `open_red_flags` are the question names still raised (none once cleared).
    """

    status: SafetyStatus
    triage: Triage | None
    open_red_flags: tuple[str, ...] = ()

    @property
    def forbids_treatment(self) -> bool:
        return self.status in STATUSES_FORBIDDING_TREATMENT

    @property
    def screened(self) -> bool:
        return self.status != SafetyStatus.NOT_SCREENED

    @property
    def open_red_flag_reasons(self) -> tuple[str, ...]:
        """The open red flags in words, for the chart, check-in and booking warnings."""
        return tuple(_RED_FLAG_REASON[name] for name in self.open_red_flags)


def safety_evaluate(history: Iterable[ScreeningEvent | ClearanceEvent]) -> Safety:
    """The safety status from the client's screenings and clearances, in any order: they are
    taken by date, then by when they were recorded (events that tie keep their given order).

    Clinical rules §2.1-2.3. No screening: NOT_SCREENED. A red flag raised by any screening
    after the latest clearance: REFER_NOW, or EMERGENCY when one of the open flags (or the
    latest screening) is a sign of cauda equina or a suspected sequestration (§2.1: emergency
    department today). Otherwise the latest screening decides (its absolute
    contraindications: DO_NOT_TREAT; an emergency contraindication: EMERGENCY; its relative
    ones: TREAT_WITH_MODIFICATIONS; none: TREAT).
    """
    open_flags: dict[str, str] = {}
    latest: ScreeningEvent | None = None
    for event in sorted(history, key=_when):
        if isinstance(event, ClearanceEvent):
            open_flags.clear()
            if latest is not None:
                # The physician cleared what that screening flagged; the rest of it stands.
                latest = replace(latest, answers=replace(latest.answers, **_NO_RED_FLAGS))
            continue
        latest = event
        for question in RED_FLAG_QUESTIONS:
            if getattr(event.answers, question.name):
                open_flags.setdefault(question.name, _RED_FLAG_REASON[question.name])
    if latest is None:
        return Safety(status=SafetyStatus.NOT_SCREENED, triage=None)
    return _safety_from(screening_evaluate(latest.answers, age=latest.age), open_flags)


def _safety_from(latest: Triage, open_flags: dict[str, str]) -> Safety:
    if open_flags:
        emergency = latest.emergency or bool(set(open_flags) & EMERGENCY_RED_FLAGS)
        reasons = tuple(open_flags.values()) + tuple(
            reason for reason in latest.reasons if reason not in open_flags.values()
        )
        return Safety(
            status=SafetyStatus.EMERGENCY if emergency else SafetyStatus.REFER_NOW,
            triage=Triage(outcome=TriageOutcome.REFER_NOW, reasons=reasons, emergency=emergency),
            open_red_flags=tuple(open_flags),
        )
    return Safety(status=_status_of(latest), triage=latest)


def _when(event: ScreeningEvent | ClearanceEvent) -> tuple[date, datetime]:
    # Naive and aware times do not compare: the defaults stand for "no time given".
    recorded_at = event.recorded_at
    if recorded_at.tzinfo is not None:
        recorded_at = recorded_at.astimezone(UTC).replace(tzinfo=None)
    return event.on, recorded_at


def _status_of(triage: Triage) -> SafetyStatus:
    if triage.outcome == TriageOutcome.REFER_NOW:
        return SafetyStatus.EMERGENCY if triage.emergency else SafetyStatus.REFER_NOW
    return SafetyStatus(triage.outcome.value)


CLIENT_REPORTED = "Reported by the client on the intake form, not yet reviewed"


def safety_with_client_reports(safety: Safety, reported: Iterable[str]) -> Safety:
    """The safety status with the red flags a client reported on the intake form that the
    therapist has not reviewed yet (clinical rules §2.6): each counts as an open red flag, as
    if screened, until the therapist screens the client. A report never lowers anything."""
    new = [name for name in dict.fromkeys(reported) if name not in safety.open_red_flags]
    if not new:
        return safety
    open_flags = {name: _RED_FLAG_REASON[name] for name in safety.open_red_flags}
    for name in new:
        open_flags[name] = f"{_RED_FLAG_REASON[name]} ({CLIENT_REPORTED.lower()})"
    latest = safety.triage or Triage(outcome=TriageOutcome.REFER_NOW)
    return _safety_from(latest, open_flags)
