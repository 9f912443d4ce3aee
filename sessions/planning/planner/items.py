"""The lines of a plan: the assessment block, a timed technique, the home-care exercises."""

from __future__ import annotations

from core.vocabulary import Position, SessionPhase, TechniqueData, Tool
from sessions.planning.planner.context import PlanContext
from sessions.planning.planner.home_care import home_care_select
from sessions.planning.planner.messages import (
    ASSESSMENT_CAUTION,
    ASSESSMENT_NAME,
    ASSESSMENT_REASON,
)
from sessions.planning.planner.types import ASSESSMENT_SLUG, HomeCareItem, PlanItem
from sessions.planning.planner.wording import home_care_reason, item_cautions, item_reason


def assessment_item(minutes: int) -> PlanItem:
    """The first-visit assessment block (the initial assessment protocol)."""
    return PlanItem(
        technique_slug=ASSESSMENT_SLUG,
        name=ASSESSMENT_NAME,
        minutes=minutes,
        position=None,
        tool=None,
        pressure=None,
        holds="",
        cautions=(ASSESSMENT_CAUTION,),
        reason=ASSESSMENT_REASON,
    )


def technique_item(
    context: PlanContext, *, phase: SessionPhase, technique: TechniqueData, minutes: int
) -> PlanItem:
    """A technique on the plan: its pressure held to the cap, with cautions and reason."""
    pressure = context.pressure(technique)
    return PlanItem(
        technique_slug=technique.slug,
        name=technique.name,
        minutes=minutes,
        position=Position(technique.position),
        tool=Tool(technique.tool),
        pressure=pressure,
        holds=technique.holds,
        cautions=item_cautions(context, technique, pressure),
        reason=item_reason(context, phase, technique),
    )


def home_care_items(context: PlanContext) -> tuple[HomeCareItem, ...]:
    """The home care for this client and stage (`home_care_select`, clinical rules §7.1),
    each with why it is on the sheet."""
    chosen = home_care_select(
        exercises=context.library.exercises,
        restrictions=context.restrictions,
        kind=context.hypothesis.kind,
        stage=context.stage,
        weights=context.weights,
    )
    return tuple(
        HomeCareItem(
            exercise_slug=e.slug,
            name=e.name,
            purpose=e.purpose,
            instructions=e.instructions,
            dosage=e.dosage,
            cautions=e.cautions,
            reason=home_care_reason(context, e),
        )
        for e in chosen
    )
