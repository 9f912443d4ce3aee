"""Validation: every invariant `plan_build` promises, checked on any plan (also one a
therapist adjusted), one message per violation; and the warnings a therapist may accept
(`plan_warnings`)."""

from __future__ import annotations

from core.vocabulary import (
    PRONE_POSITIONS,
    Finding,
    Library,
    LibraryPhase,
    Position,
    Pressure,
    Restrictions,
    SessionPhase,
    SessionTemplateData,
    Stage,
)
from intake.rules import Hypothesis, Triage
from sessions.planning.planner.candidates import first_of_each_slug
from sessions.planning.planner.home_care import why_exercise_unsuited
from sessions.planning.planner.messages import (
    PLAN_ASSESSMENT_MINUTES,
    PLAN_ASSESSMENT_MISSING,
    PLAN_ASSESSMENT_NOT_FIRST_VISIT,
    PLAN_COLD_TISSUE,
    PLAN_DUPLICATE,
    PLAN_EMPTY_PHASE,
    PLAN_HOME_CARE_HYPOTHESIS,
    PLAN_HOME_CARE_NOT_ALLOWED,
    PLAN_HOME_CARE_STAGE,
    PLAN_HOME_CARE_UNKNOWN,
    PLAN_ITEM_MINUTES,
    PLAN_LENGTH_NOT_BOOKABLE,
    PLAN_LENGTH_RESTRICTED,
    PLAN_NO_WARM_UP,
    PLAN_NOT_ALLOWED,
    PLAN_PHASE_ORDER,
    PLAN_POSITION_SPLIT,
    PLAN_PRESSURE_ABOVE_CAP,
    PLAN_PRESSURE_OUT_OF_RANGE,
    PLAN_PRONE_LIMIT,
    PLAN_SAME_WORK,
    PLAN_STAGE_UNSUITED,
    PLAN_TARGET_MINUTES,
    PLAN_TARGET_UNEXPLAINED,
    PLAN_TOTAL_MISMATCH,
    PLAN_TREATMENT_BLOCKED,
    PLAN_UNKNOWN_TECHNIQUE,
    PLAN_WRONG_PHASE,
)
from sessions.planning.planner.restrictions import (
    plan_restrictions,
    why_exercise_not_permitted,
    why_not_permitted,
)
from sessions.planning.planner.shape import assessment_minutes_range, session_length_bookable
from sessions.planning.planner.targets import (
    TARGET_WORK,
    items_for_target,
    primary_target,
    target_minutes_cap,
)
from sessions.planning.planner.types import ASSESSMENT_SLUG, Plan


def plan_validate(
    plan: Plan, *, triage: Triage, hypothesis: Hypothesis, library: Library
) -> list[str]:
    """Every invariant `plan_build` promises, checked on any plan; one message per violation.

    Used on a therapist's adjusted plan before it can be accepted, and by the tests on every
    generated plan. Techniques are judged by the current library's data (clinical rules
    §2.3, §5, §6).
    """
    if triage.blocks_treatment:
        return [PLAN_TREATMENT_BLOCKED]
    errors: list[str] = []
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    template = library.template
    if not session_length_bookable(template=template, minutes=plan.minutes):
        errors.append(PLAN_LENGTH_NOT_BOOKABLE.format(minutes=plan.minutes))
    limit = restrictions.max_session_minutes
    if limit is not None and plan.minutes > limit:
        errors.append(PLAN_LENGTH_RESTRICTED.format(limit=limit))
    total = sum(item.minutes for item in plan.items)
    if total != plan.minutes:
        errors.append(PLAN_TOTAL_MISMATCH.format(total=total, minutes=plan.minutes))
    target = primary_target(hypothesis.kind)
    errors += _validate_blocks(plan, template)
    errors += _validate_items(plan, restrictions, library, target)
    errors += _validate_target(plan, library, target)
    errors += _validate_warm_up(plan)
    errors += _validate_positions(plan, restrictions)
    errors += _validate_home_care(plan, restrictions, library, hypothesis)
    return errors


def plan_warnings(
    plan: Plan, *, proposed: Plan, hypothesis: Hypothesis, library: Library
) -> list[str]:
    """What an adjusted plan does that is the therapist's to decide, said before it is
    accepted: not errors, since the therapist's judgment may be right for this client.

    Clinical rules §6.2: every plan carries work for the hypothesis's primary target. A
    therapist who takes it out (removes or swaps every item of it) is warned in the words
    the plan then records (`Plan.target_missing`)."""
    target = primary_target(hypothesis.kind)
    if target is None or items_for_target(plan, library=library, target=target):
        return []
    if not items_for_target(proposed, library=library, target=target):
        return []
    return [plan.target_missing] if plan.target_missing else []


def _validate_blocks(plan: Plan, template: SessionTemplateData) -> list[str]:
    errors = []
    order = list(SessionPhase)
    indexes = [order.index(phase.phase) for phase in plan.phases]
    if indexes != sorted(set(indexes)):
        errors.append(PLAN_PHASE_ORDER)
    for phase in plan.phases:
        if not phase.items:
            errors.append(PLAN_EMPTY_PHASE.format(phase=phase.label.lower()))
    has_assessment = any(phase.phase == SessionPhase.ASSESSMENT for phase in plan.phases)
    if plan.first_visit:
        items = plan.items
        if not items or not items[0].is_assessment:
            errors.append(PLAN_ASSESSMENT_MISSING)
        else:
            lo, hi = assessment_minutes_range(template=template, minutes=plan.minutes)
            if not lo <= items[0].minutes <= hi:
                errors.append(
                    PLAN_ASSESSMENT_MINUTES.format(
                        minutes=items[0].minutes, lo=lo, hi=hi, total=plan.minutes
                    )
                )
    elif has_assessment:
        errors.append(PLAN_ASSESSMENT_NOT_FIRST_VISIT)
    return errors


def _validate_items(
    plan: Plan, restrictions: Restrictions, library: Library, target: Finding | None
) -> list[str]:
    errors = []
    techniques = {t.slug: t for t in first_of_each_slug(library.techniques)}
    seen: set[str] = set()
    families: dict[str, str] = {}
    stage_label = Stage(plan.stage).label
    for phase in plan.phases:
        for item in phase.items:
            if item.is_assessment or phase.phase == SessionPhase.ASSESSMENT:
                if item.is_assessment != (phase.phase == SessionPhase.ASSESSMENT):
                    errors.append(
                        PLAN_WRONG_PHASE.format(
                            name=item.name,
                            expected=SessionPhase.ASSESSMENT.label.lower(),
                            actual=phase.label.lower(),
                        )
                    )
                if item.is_assessment and ASSESSMENT_SLUG in seen:
                    errors.append(PLAN_DUPLICATE.format(name=item.name))
                seen.add(item.technique_slug)
                continue
            technique = techniques.get(item.technique_slug)
            if technique is None:
                errors.append(PLAN_UNKNOWN_TECHNIQUE.format(name=item.name))
                continue
            name = technique.name
            if technique.slug in seen:
                errors.append(PLAN_DUPLICATE.format(name=name))
            elif technique.family in families:
                errors.append(PLAN_SAME_WORK.format(name=name, other=families[technique.family]))
            seen.add(technique.slug)
            families.setdefault(technique.family, name)
            expected = LibraryPhase(technique.phase).session_phase
            if expected != phase.phase:
                errors.append(
                    PLAN_WRONG_PHASE.format(
                        name=name, expected=expected.label.lower(), actual=phase.label.lower()
                    )
                )
            if not technique.min_minutes <= item.minutes <= technique.max_minutes:
                errors.append(
                    PLAN_ITEM_MINUTES.format(
                        name=name,
                        minutes=item.minutes,
                        lo=technique.min_minutes,
                        hi=technique.max_minutes,
                    )
                )
            cap = target_minutes_cap(technique, target=target, stage=plan.stage)
            if cap is not None and item.minutes > cap:
                errors.append(
                    PLAN_TARGET_MINUTES.format(
                        name=name, minutes=item.minutes, stage=stage_label, cap=cap
                    )
                )
            if plan.stage not in technique.stages:
                errors.append(PLAN_STAGE_UNSUITED.format(name=name, stage=stage_label))
            why = why_not_permitted(
                restrictions,
                position=item.position or technique.position,
                tool=item.tool or technique.tool,
                traits=technique.traits,
                min_pressure=technique.min_pressure,
            )
            if why:
                errors.append(PLAN_NOT_ALLOWED.format(name=name, why=why))
            pressure = item.pressure or technique.max_pressure
            if pressure > restrictions.pressure_cap:
                errors.append(
                    PLAN_PRESSURE_ABOVE_CAP.format(
                        name=name,
                        pressure=Pressure(pressure).label.lower(),
                        cap=Pressure(restrictions.pressure_cap).label.lower(),
                    )
                )
            if not technique.min_pressure <= pressure <= technique.max_pressure:
                errors.append(
                    PLAN_PRESSURE_OUT_OF_RANGE.format(
                        name=name,
                        pressure=Pressure(pressure).label.lower(),
                        lo=Pressure(technique.min_pressure).label.lower(),
                        hi=Pressure(technique.max_pressure).label.lower(),
                    )
                )
    return errors


def _validate_target(plan: Plan, library: Library, target: Finding | None) -> list[str]:
    """A plan without work for the primary target says why (clinical rules §6.2)."""
    if target is None or plan.target_missing:
        return []
    if items_for_target(plan, library=library, target=target):
        return []
    return [PLAN_TARGET_UNEXPLAINED.format(target=TARGET_WORK[Finding(target)])]


def _validate_warm_up(plan: Plan) -> list[str]:
    """The treatment opens with a light warm-up item; nothing moderate or deep before a warm-up."""
    errors = []
    treatment = [
        (phase.phase, item)
        for phase in plan.phases
        for item in phase.items
        if phase.phase != SessionPhase.ASSESSMENT and not item.is_assessment
    ]
    if not treatment:
        return [PLAN_NO_WARM_UP]
    first_phase, first_item = treatment[0]
    if first_phase != SessionPhase.WARM_UP or first_item.pressure != Pressure.LIGHT:
        errors.append(PLAN_NO_WARM_UP)
    warmed = False
    for phase, item in treatment:
        if item.pressure is not None and item.pressure > Pressure.LIGHT and not warmed:
            errors.append(
                PLAN_COLD_TISSUE.format(
                    name=item.name, pressure=Pressure(item.pressure).label.lower()
                )
            )
        if phase == SessionPhase.WARM_UP:
            warmed = True
    return errors


def _validate_positions(plan: Plan, restrictions: Restrictions) -> list[str]:
    """One contiguous block per position (clinical rules §5); no more minutes in all prone
    positions together than the prone limit (clinical rules §2.3)."""
    errors = []
    blocks: list[Position] = []
    totals: dict[Position, int] = {}
    for item in plan.items:
        if item.position is None:
            continue
        totals[item.position] = totals.get(item.position, 0) + item.minutes
        if not blocks or blocks[-1] != item.position:
            blocks.append(item.position)
    for position in Position:
        if blocks.count(position) > 1:
            errors.append(PLAN_POSITION_SPLIT.format(position=position.label))
    prone = sum(totals.get(position, 0) for position in PRONE_POSITIONS)
    if restrictions.max_prone_minutes is not None and prone > restrictions.max_prone_minutes:
        errors.append(PLAN_PRONE_LIMIT.format(minutes=prone, limit=restrictions.max_prone_minutes))
    return errors


def _validate_home_care(
    plan: Plan, restrictions: Restrictions, library: Library, hypothesis: Hypothesis
) -> list[str]:
    """Home care within the restrictions, the stage and the hypothesis (clinical rules §7.1)."""
    errors = []
    exercises = {e.slug: e for e in first_of_each_slug(library.exercises)}
    for entry in plan.home_care:
        exercise = exercises.get(entry.exercise_slug)
        if exercise is None:
            errors.append(PLAN_HOME_CARE_UNKNOWN.format(name=entry.name))
            continue
        if plan.stage not in exercise.stages:
            errors.append(
                PLAN_HOME_CARE_STAGE.format(name=exercise.name, stage=Stage(plan.stage).label)
            )
        why = why_exercise_not_permitted(restrictions, exercise)
        if why:
            errors.append(PLAN_HOME_CARE_NOT_ALLOWED.format(name=exercise.name, why=why))
        unsuited = why_exercise_unsuited(exercise, kind=hypothesis.kind)
        if unsuited:
            errors.append(PLAN_HOME_CARE_HYPOTHESIS.format(name=exercise.name, why=unsuited))
    return errors
