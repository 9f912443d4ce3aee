"""The therapist's adjustments: which techniques may be swapped in, and the plan with the
lines the therapist left on the adjust page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from core.vocabulary import Library, SessionPhase, TechniqueData
from intake.rules import Hypothesis, Triage
from sessions.planning.planner.candidates import allowed_techniques, care_stage, first_of_each_slug
from sessions.planning.planner.context import PlanContext
from sessions.planning.planner.items import assessment_item, technique_item
from sessions.planning.planner.messages import PLAN_ITEM_SWAPPED
from sessions.planning.planner.restrictions import plan_restrictions
from sessions.planning.planner.targets import adjusted_target_missing
from sessions.planning.planner.types import ASSESSMENT_SLUG, Plan, PlanItem, PlanPhase


@dataclass(frozen=True, kw_only=True)
class PlanRow:
    """One line of a plan as the therapist left it on the adjust page."""

    phase: SessionPhase
    technique_slug: str
    minutes: int


def plan_alternatives(
    *, plan: Plan, triage: Triage, hypothesis: Hypothesis, library: Library
) -> dict[SessionPhase, list[TechniqueData]]:
    """The techniques a therapist may swap in, per block: allowed for this client and stage
    (the same rules as `plan_build`), in the library's order."""
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    return allowed_techniques(library, restrictions=restrictions, stage=plan.stage)


def plan_adjust(
    plan: Plan,
    *,
    rows: Sequence[PlanRow],
    triage: Triage,
    hypothesis: Hypothesis,
    library: Library,
) -> Plan:
    """The plan with the therapist's lines, in the order given (not validated: see
    `plan_validate`). A technique kept from the proposal keeps its reason and cautions; a
    swapped-in one is built the way `plan_build` builds items (pressure held to the cap,
    cautions added) and says it was the therapist's choice. A slug the library no longer
    has stays as a line `plan_validate` will name. When the lines left hold no work for
    the hypothesis's primary target the plan says why (`adjusted_target_missing`)."""
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    stage_data = care_stage(library, plan.stage)
    context = PlanContext(
        triage=triage,
        hypothesis=hypothesis,
        stage=plan.stage,
        minutes=plan.minutes,
        first_visit=plan.first_visit,
        library=library,
        acute=plan.acute,
        restrictions=restrictions,
        # A stage the library no longer has: the goal the plan was made with.
        goal=stage_data.goal if stage_data else plan.stage_goal,
    )
    proposed = {item.technique_slug: item for item in plan.items}
    techniques = {t.slug: t for t in first_of_each_slug(library.techniques)}
    phases: dict[SessionPhase, list[PlanItem]] = {}
    for row in rows:
        if row.technique_slug == ASSESSMENT_SLUG:
            item = assessment_item(row.minutes)
        elif row.technique_slug in proposed:
            item = replace(proposed[row.technique_slug], minutes=row.minutes)
        elif row.technique_slug in techniques:
            built = technique_item(
                context,
                phase=row.phase,
                technique=techniques[row.technique_slug],
                minutes=row.minutes,
            )
            item = replace(built, reason=f"{PLAN_ITEM_SWAPPED}. {built.reason}")
        else:
            item = PlanItem(
                technique_slug=row.technique_slug,
                name=row.technique_slug,
                minutes=row.minutes,
                position=None,
                tool=None,
                pressure=None,
                holds="",
                cautions=(),
                reason="",
            )
        phases.setdefault(row.phase, []).append(item)
    adjusted = replace(
        plan,
        phases=tuple(PlanPhase(phase=phase, items=tuple(items)) for phase, items in phases.items()),
    )
    return replace(
        adjusted,
        target_missing=adjusted_target_missing(
            adjusted,
            proposed=plan,
            library=library,
            restrictions=restrictions,
            target=context.target,
        ),
    )
