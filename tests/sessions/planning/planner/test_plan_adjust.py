"""The pure side of adjusting: alternatives, rebuilt lines, and the stage of the n-th visit."""

from __future__ import annotations

import pytest

from core.vocabulary import Pressure, SessionPhase, Stage, Trait
from sessions.planning.planner import (
    PLAN_ITEM_SWAPPED,
    PLAN_UNKNOWN_TECHNIQUE,
    Plan,
    PlanRow,
    plan_adjust,
    plan_alternatives,
    plan_build,
    plan_validate,
    stage_for_visit,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY, technique


def proposed(triage, *, stage=Stage.MOBILITY) -> Plan:
    plan = plan_build(
        triage=triage,
        hypothesis=cases.SARAH,
        stage=stage,
        minutes=60,
        first_visit=False,
        library=LIBRARY,
    )
    assert isinstance(plan, Plan)
    return plan


def rows_of(plan: Plan) -> list[PlanRow]:
    return [
        PlanRow(phase=phase.phase, technique_slug=item.technique_slug, minutes=item.minutes)
        for phase in plan.phases
        for item in phase.items
    ]


@pytest.mark.parametrize(
    ("visit", "per_week", "stage"),
    [
        (1, 2, Stage.FIREFIGHTING),
        (2, 2, Stage.FIREFIGHTING),
        (3, 2, Stage.DECOMPRESSION),
        (6, 2, Stage.MOBILITY),
        (7, 2, Stage.STRENGTHENING),
        (30, 2, Stage.STRENGTHENING),
        (1, 1, Stage.FIREFIGHTING),
        (3, 1, Stage.MOBILITY),
        (0, 0, Stage.FIREFIGHTING),
    ],
)
def test_the_nth_visit_falls_in_its_week_of_the_course(visit, per_week, stage):
    assert stage_for_visit(visit_number=visit, per_week=per_week) == stage


def test_alternatives_follow_the_same_rules_as_the_planner():
    triage = cases.treat(cases.ANTICOAGULANTS)
    plan = proposed(triage)
    alternatives = plan_alternatives(
        plan=plan, triage=triage, hypothesis=cases.SARAH, library=LIBRARY
    )
    offered = [t for ts in alternatives.values() for t in ts]
    assert offered
    assert all(not t.traits & {Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE} for t in offered)
    assert all(Stage.MOBILITY in t.stages for t in offered)
    assert {t.slug for t in alternatives[SessionPhase.WARM_UP]} >= {"gentle-effleurage"}


def test_the_unchanged_rows_give_back_the_same_plan():
    triage = cases.treat()
    plan = proposed(triage)
    again = plan_adjust(
        plan, rows=rows_of(plan), triage=triage, hypothesis=cases.SARAH, library=LIBRARY
    )
    assert again == plan


def test_a_swapped_in_technique_is_built_like_the_planners_own_items():
    triage = cases.treat(cases.pregnancy(24))
    plan = proposed(triage)
    planned = {item.technique_slug for item in plan.items}
    alternatives = plan_alternatives(
        plan=plan, triage=triage, hypothesis=cases.SARAH, library=LIBRARY
    )
    newcomer = next(t for t in alternatives[SessionPhase.TARGETED] if t.slug not in planned)
    rows = rows_of(plan)
    index = next(i for i, row in enumerate(rows) if row.phase == SessionPhase.TARGETED)
    rows[index] = PlanRow(
        phase=SessionPhase.TARGETED, technique_slug=newcomer.slug, minutes=rows[index].minutes
    )
    adjusted = plan_adjust(plan, rows=rows, triage=triage, hypothesis=cases.SARAH, library=LIBRARY)
    swapped = adjusted.items[index]
    assert swapped.technique_slug == newcomer.slug
    assert swapped.reason.startswith(PLAN_ITEM_SWAPPED)
    assert swapped.pressure == min(newcomer.max_pressure, Pressure.MODERATE)
    assert swapped.cautions[0] == technique(newcomer.slug).cautions


def test_a_technique_retired_from_the_library_is_named_by_validation():
    triage = cases.treat()
    plan = proposed(triage)
    rows = rows_of(plan)
    rows[3] = PlanRow(
        phase=rows[3].phase, technique_slug="retired-technique", minutes=rows[3].minutes
    )
    adjusted = plan_adjust(plan, rows=rows, triage=triage, hypothesis=cases.SARAH, library=LIBRARY)
    messages = plan_validate(adjusted, triage=triage, hypothesis=cases.SARAH, library=LIBRARY)
    assert PLAN_UNKNOWN_TECHNIQUE.format(name="retired-technique") in messages
