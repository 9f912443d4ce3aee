"""Building a plan: the screening and the length first, then the best draft the search
finds, made into a `Plan`; or a `Refusal` saying why there is none."""

from __future__ import annotations

from core.vocabulary import CareStageData, Library, SessionPhase, Stage
from intake.rules import Hypothesis, HypothesisKind, Triage, TriageOutcome
from sessions.planning.planner.candidates import care_stage
from sessions.planning.planner.context import PlanContext
from sessions.planning.planner.items import assessment_item, home_care_items, technique_item
from sessions.planning.planner.messages import (
    REFUSAL_LENGTH_NOT_BOOKABLE,
    REFUSAL_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_DO_NOT_TREAT,
    REFUSAL_NEXT_STEP_EMERGENCY,
    REFUSAL_NEXT_STEP_LENGTH,
    REFUSAL_NEXT_STEP_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_LIBRARY,
    REFUSAL_NEXT_STEP_REFER,
    REFUSAL_NO_STAGE,
    REFUSAL_NO_WARM_UP,
)
from sessions.planning.planner.restrictions import plan_restrictions
from sessions.planning.planner.search import Draft, Search
from sessions.planning.planner.shape import SESSION_STEP_MINUTES, session_length_bookable
from sessions.planning.planner.targets import target_missing_line
from sessions.planning.planner.types import Plan, PlanPhase, Refusal, RefusalKind


def plan_build(
    *,
    triage: Triage,
    hypothesis: Hypothesis,
    stage: Stage,
    minutes: int,
    first_visit: bool,
    library: Library,
    acute: bool = True,
) -> Plan | Refusal:
    """The session plan for this client and visit, or why there is none (clinical rules
    §2-7).

    A red flag or absolute contraindication refuses with the triage's reasons and the next
    step. Otherwise the work is chosen by the findings (clinical rules §3.1) and the stage
    (§6), within every restriction (§2.3), timed to the booked minutes in the session shape
    of §5, ordered warm-up first and grouped by position. When the library cannot satisfy
    every invariant the answer is a refusal saying why, never a broken plan.
    """
    refusal = _screening_refusal(triage)
    if refusal:
        return refusal
    template = library.template
    if not session_length_bookable(template=template, minutes=minutes):
        return Refusal(
            kind=RefusalKind.SESSION_LENGTH,
            reasons=(
                REFUSAL_LENGTH_NOT_BOOKABLE.format(
                    minutes=minutes,
                    shortest=template.min_session_minutes,
                    longest=template.max_session_minutes,
                    step=SESSION_STEP_MINUTES,
                ),
            ),
            next_step=REFUSAL_NEXT_STEP_LENGTH.format(
                shortest=template.min_session_minutes,
                longest=template.max_session_minutes,
                step=SESSION_STEP_MINUTES,
            ),
        )
    restrictions = plan_restrictions(triage=triage, hypothesis=hypothesis, stage=stage, acute=acute)
    limit = restrictions.max_session_minutes
    if limit is not None and minutes > limit:
        return Refusal(
            kind=RefusalKind.SESSION_LENGTH,
            reasons=(REFUSAL_LENGTH_RESTRICTED.format(limit=limit, minutes=minutes),),
            next_step=REFUSAL_NEXT_STEP_LENGTH_RESTRICTED.format(limit=limit),
        )
    stage_data = care_stage(library, stage)
    if stage_data is None:
        return _library_refusal(REFUSAL_NO_STAGE.format(stage=Stage(stage).label))

    context = PlanContext(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=library,
        acute=acute,
        restrictions=restrictions,
        goal=stage_data.goal,
    )
    search = Search.create(context)
    if not search.warm_up_positions():
        return _library_refusal(REFUSAL_NO_WARM_UP)
    best = search.best_draft()
    if best is None:
        return _library_refusal(search.why_unfillable())
    return _plan_from(context, stage_data, best)


def _plan_from(context: PlanContext, stage_data: CareStageData, draft: Draft) -> Plan:
    phases: list[PlanPhase] = []
    for phase in SessionPhase:
        items = tuple(
            assessment_item(minutes)
            if slot.technique is None
            else technique_item(
                context, phase=slot.phase, technique=slot.technique, minutes=minutes
            )
            for slot, minutes in zip(draft.slots, draft.minutes, strict=True)
            if slot.phase == phase
        )
        if items:
            phases.append(PlanPhase(phase=phase, items=items))
    hypothesis = context.hypothesis
    return Plan(
        minutes=context.minutes,
        stage=Stage(context.stage),
        first_visit=context.first_visit,
        acute=context.acute,
        hypothesis_kind=HypothesisKind(hypothesis.kind),
        phases=tuple(phases),
        home_care=home_care_items(context),
        frequency=(stage_data.acute_frequency if context.acute else stage_data.chronic_frequency),
        notes=context.restrictions.notes,
        stage_goal=context.stage_goal,
        medical_follow_up=hypothesis.medical_follow_up
        or hypothesis.kind == HypothesisKind.NEURAL_COMPRESSION,
        target_missing=_target_missing(context, draft),
    )


def _target_missing(context: PlanContext, draft: Draft) -> str:
    """The one line saying why the plan holds no work for the hypothesis's primary target
    (clinical rules §6.2); empty when it holds some or the hypothesis has no target."""
    if context.target is None or draft.on_target:
        return ""
    return target_missing_line(
        library=context.library,
        restrictions=context.restrictions,
        stage=context.stage,
        target=context.target,
        minutes=context.minutes,
    )


# The screening outcomes that stop the plan: the refusal's kind and its next step when it
# is not an emergency.
_SCREENING_REFUSALS = {
    TriageOutcome.REFER_NOW: (RefusalKind.REFER_NOW, REFUSAL_NEXT_STEP_REFER),
    TriageOutcome.DO_NOT_TREAT: (RefusalKind.DO_NOT_TREAT, REFUSAL_NEXT_STEP_DO_NOT_TREAT),
}


def _screening_refusal(triage: Triage) -> Refusal | None:
    """Red flags refer now; absolute contraindications stop this visit (clinical rules
    §2.1, §2.2)."""
    if triage.outcome not in _SCREENING_REFUSALS:
        return None
    kind, next_step = _SCREENING_REFUSALS[triage.outcome]
    return Refusal(
        kind=kind,
        reasons=triage.reasons,
        next_step=REFUSAL_NEXT_STEP_EMERGENCY if triage.emergency else next_step,
        referral=True,
        emergency=triage.emergency,
    )


def _library_refusal(reason: str) -> Refusal:
    return Refusal(
        kind=RefusalKind.LIBRARY_CANNOT_FILL, reasons=(reason,), next_step=REFUSAL_NEXT_STEP_LIBRARY
    )
