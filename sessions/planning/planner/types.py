"""The planner's answers as data: a `Plan` (phases of timed items, home care, advice) or a
`Refusal` saying why there is none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from core.vocabulary import (
    FrequencyAdvice,
    Modification,
    Position,
    Pressure,
    SessionPhase,
    Stage,
    Tool,
)
from intake.rules import HypothesisKind

ASSESSMENT_SLUG = "initial-assessment"


class RefusalKind(models.TextChoices):
    """Why there is no plan: the screening's outcome, the length, or the library."""

    REFER_NOW = "refer_now", "Refer now: do not treat"
    DO_NOT_TREAT = "do_not_treat", "Do not treat today"
    SESSION_LENGTH = "session_length", "Session length not possible"
    LIBRARY_CANNOT_FILL = "library_cannot_fill", "The library cannot fill this plan"


@dataclass(frozen=True, kw_only=True)
class Refusal:
    """No plan: what blocks it, in words for the therapist, and what to do next.

    `referral` is True when the next step is a physician (the page offers the referral
    letter); `emergency` when that physician is the emergency department today.
    """

    kind: RefusalKind
    reasons: tuple[str, ...]
    next_step: str
    referral: bool = False
    emergency: bool = False


@dataclass(frozen=True, kw_only=True)
class PlanItem:
    """One timed line of the run sheet. The assessment block has no position, tool or pressure."""

    technique_slug: str
    name: str
    minutes: int
    position: Position | None
    tool: Tool | None
    pressure: Pressure | None
    holds: str
    cautions: tuple[str, ...]
    reason: str

    @property
    def is_assessment(self) -> bool:
        return self.technique_slug == ASSESSMENT_SLUG


@dataclass(frozen=True, kw_only=True)
class PlanPhase:
    phase: SessionPhase
    items: tuple[PlanItem, ...]

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def label(self) -> str:
        return SessionPhase(self.phase).label


@dataclass(frozen=True, kw_only=True)
class HomeCareItem:
    """One home-care exercise chosen for the client and stage (clinical rules §7)."""

    exercise_slug: str
    name: str
    purpose: str
    instructions: str
    dosage: str
    cautions: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RunSheetRow:
    """A plan item with its clock times and whether the client changes position before it."""

    phase: SessionPhase
    item: PlanItem
    starts_at: int
    ends_at: int
    position_change: bool
    first_in_phase: bool
    phase_minutes: int


@dataclass(frozen=True, kw_only=True)
class Plan:
    """A proposed (or adjusted) session plan. Items are in the order they are done.

    `notes` are the modifications the plan respects throughout (screening, stage,
    hypothesis); `target_missing` is the one line saying why the plan holds no work for the
    hypothesis's primary target (clinical rules §6.2), empty when it holds some or the
    hypothesis has no target.
    """

    minutes: int
    stage: Stage
    first_visit: bool
    acute: bool
    hypothesis_kind: HypothesisKind
    phases: tuple[PlanPhase, ...]
    home_care: tuple[HomeCareItem, ...]
    frequency: FrequencyAdvice
    notes: tuple[Modification, ...]
    stage_goal: str
    medical_follow_up: bool
    target_missing: str = ""

    @property
    def items(self) -> tuple[PlanItem, ...]:
        return tuple(item for phase in self.phases for item in phase.items)

    def run_sheet(self) -> list[RunSheetRow]:
        """The items with clock minutes from the start, position changes marked."""
        rows: list[RunSheetRow] = []
        clock = 0
        previous: Position | None = None
        for phase in self.phases:
            for index, item in enumerate(phase.items):
                changes = item.position is not None and item.position != previous
                rows.append(
                    RunSheetRow(
                        phase=phase.phase,
                        item=item,
                        starts_at=clock,
                        ends_at=clock + item.minutes,
                        position_change=changes,
                        first_in_phase=index == 0,
                        phase_minutes=phase.minutes,
                    )
                )
                clock += item.minutes
                if item.position is not None:
                    previous = item.position
        return rows
