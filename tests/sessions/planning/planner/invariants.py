"""The planner's invariants, written out a second time and plainly, for the tests.

Independent of `plan_validate` (which the tests compare against this): each check
returns a short violation code so a test can say which invariant broke.
"""

from __future__ import annotations

import math

from core.vocabulary import (
    PRONE_POSITIONS,
    Library,
    LibraryPhase,
    Pressure,
    SessionPhase,
    Stage,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind, Triage
from sessions.planning.planner import ASSESSMENT_SLUG, Plan, plan_restrictions
from tests.sessions.planning.planner.target_checks import MOVES_THE_NERVE, TARGETS, for_target

# Clinical rules §6.2 "Minutes": in week 1 one item of the target's work runs 5 minutes at
# most (or its technique's shortest time, if longer).
WEEK_1_TARGET_MINUTES = 5
# Clinical rules §7.1: the nerve exercises each hypothesis allows at home.
HOME_NERVE = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: MOVES_THE_NERVE,
    HypothesisKind.NEURAL_COMPRESSION: MOVES_THE_NERVE,
    HypothesisKind.IRRITATION_UNCLEAR: {Trait.NEURAL_SLIDER},
    HypothesisKind.MUSCULAR_HAMSTRING: set(),
    HypothesisKind.UNDETERMINED: set(),
}

PHASE_ORDER = [
    SessionPhase.ASSESSMENT,
    SessionPhase.WARM_UP,
    SessionPhase.TARGETED,
    SessionPhase.INTEGRATION,
]


def violations(
    plan: Plan, *, triage: Triage, hypothesis: Hypothesis, library: Library
) -> list[str]:
    rules = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    techniques = {}
    for t in library.techniques:
        techniques.setdefault(t.slug, t)
    exercises = {}
    for e in library.exercises:
        exercises.setdefault(e.slug, e)
    found: list[str] = []
    rows = [(phase.phase, item) for phase in plan.phases for item in phase.items]
    items = [item for _, item in rows]
    target = TARGETS.get(hypothesis.kind)
    on_target = [
        item
        for item in items
        if item.technique_slug in techniques and for_target(techniques[item.technique_slug], target)
    ]
    if target is not None and not on_target and not plan.target_missing:
        found.append("target-unexplained")

    if sum(item.minutes for item in items) != plan.minutes:
        found.append("total")
    if not (30 <= plan.minutes <= 90 and plan.minutes % 5 == 0):
        found.append("length")
    if rules.max_session_minutes and plan.minutes > rules.max_session_minutes:
        found.append("length-limit")

    phases = [phase.phase for phase in plan.phases]
    if [PHASE_ORDER.index(p) for p in phases] != sorted({PHASE_ORDER.index(p) for p in phases}):
        found.append("phase-order")
    if any(not phase.items for phase in plan.phases):
        found.append("empty-phase")

    assessments = [i for i, (_, item) in enumerate(rows) if item.technique_slug == ASSESSMENT_SLUG]
    if plan.first_visit:
        if assessments[:1] != [0] or rows[0][0] != SessionPhase.ASSESSMENT:
            found.append("assessment-missing")
        else:
            scale = plan.minutes / library.template.reference_minutes
            lo = max(1, math.floor(library.template.assessment_minutes * scale))
            hi = max(lo, math.ceil(library.template.assessment_minutes * 4 / 3 * scale))
            if not lo <= rows[0][1].minutes <= hi:
                found.append("assessment-minutes")
    elif SessionPhase.ASSESSMENT in phases:
        found.append("assessment-later-visit")
    if len(assessments) > 1:
        found.append("duplicate")
    for phase, item in rows:
        if (phase == SessionPhase.ASSESSMENT) != (item.technique_slug == ASSESSMENT_SLUG):
            found.append("wrong-phase")

    slugs = [item.technique_slug for _, item in rows if item.technique_slug != ASSESSMENT_SLUG]
    if len(slugs) != len(set(slugs)):
        found.append("duplicate")
    # A family: a main technique and those naming it as `variant_of`; one per plan.
    known = [techniques[slug] for slug in set(slugs) if slug in techniques]
    families = [t.variant_of or t.slug for t in known]
    if len(families) != len(set(families)):
        found.append("same-work")
    for phase, item in rows:
        if item.technique_slug == ASSESSMENT_SLUG:
            continue
        t = techniques.get(item.technique_slug)
        if t is None:
            found.append("unknown")
            continue
        if LibraryPhase(t.phase).session_phase != phase:
            found.append("wrong-phase")
        if not t.min_minutes <= item.minutes <= t.max_minutes:
            found.append("item-minutes")
        if (
            plan.stage == Stage.FIREFIGHTING
            and target is not None
            and for_target(t, target)
            and item.minutes > max(WEEK_1_TARGET_MINUTES, t.min_minutes)
        ):
            found.append("target-minutes")
        if plan.stage not in t.stages:
            found.append("stage")
        if item.position in rules.excluded_positions or (
            item.position in PRONE_POSITIONS and rules.max_prone_minutes == 0
        ):
            found.append("position-excluded")
        if item.tool in rules.forbidden_tools:
            found.append("tool")
        if t.traits & rules.excluded_traits:
            found.append("trait")
        if t.min_pressure > rules.pressure_cap or item.pressure > rules.pressure_cap:
            found.append("pressure-cap")
        if not t.min_pressure <= item.pressure <= t.max_pressure:
            found.append("pressure-range")

    treatment = [(p, item) for p, item in rows if p != SessionPhase.ASSESSMENT]
    if (
        not treatment
        or treatment[0][0] != SessionPhase.WARM_UP
        or treatment[0][1].pressure != Pressure.LIGHT
    ):
        found.append("warm-up-first")
    for index, (_, item) in enumerate(treatment):
        warmed = any(p == SessionPhase.WARM_UP for p, _ in treatment[:index])
        if item.pressure and item.pressure > Pressure.LIGHT and not warmed:
            found.append("cold-tissue")

    positions = [item.position for item in items if item.position is not None]
    for position in set(positions):
        first = positions.index(position)
        last = len(positions) - 1 - positions[::-1].index(position)
        if any(p != position for p in positions[first : last + 1]):
            found.append("position-split")
    face_down = sum(item.minutes for item in items if item.position in PRONE_POSITIONS)
    if rules.max_prone_minutes is not None and face_down > rules.max_prone_minutes:
        found.append("prone-limit")

    for entry in plan.home_care:
        e = exercises.get(entry.exercise_slug)
        if e is None:
            found.append("home-unknown")
            continue
        if plan.stage not in e.stages:
            found.append("home-stage")
        if e.position in rules.excluded_positions or e.traits & rules.excluded_traits:
            found.append("home-restricted")
        if plan.stage == Stage.FIREFIGHTING and e.traits & {
            Trait.STRETCH,
            Trait.AGGRESSIVE_STRETCH,
        }:
            found.append("home-stretch-week-1")
        if e.traits & (MOVES_THE_NERVE - HOME_NERVE[hypothesis.kind]):
            found.append("home-nerve-for-hypothesis")
    return sorted(set(found))
