"""Clinical rules §6.2 "Minutes": in week 1 each item of the primary target's work runs 5
minutes at most (or its technique's shortest time, if longer); from week 2 each technique's
own range is the rule, and work that is not the target's keeps its own range at every stage."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.vocabulary import Stage
from sessions.planning.planner import (
    PLAN_TARGET_MINUTES,
    TARGET_MAX_MINUTES,
    Plan,
    PlanPhase,
    dosed_for_stage,
    plan_build,
    plan_validate,
    target_minutes_cap,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY, technique
from tests.sessions.planning.planner.target_checks import TARGETS, for_target
from tests.sessions.planning.planner.test_clinical_cases_by_target import CONDITIONS

WEEK_1_MOST = 5
TARGETED = {
    "piriformis-entrapment": cases.SARAH,
    "neural-compression": cases.NEURAL,
    "irritation-unclear": cases.IRRITATION,
    "muscular-hamstring": cases.HAMSTRING_ONLY,
}


def build(triage, hypothesis, *, stage, minutes=60, first_visit=False) -> Plan | None:
    result = plan_build(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=LIBRARY,
    )
    return result if isinstance(result, Plan) else None


def target_items(plan: Plan, hypothesis):
    target = TARGETS[hypothesis.kind]
    return [
        item
        for item in plan.items
        if not item.is_assessment and for_target(technique(item.technique_slug), target)
    ]


def test_the_rule_is_written_once_week_1_only():
    assert TARGET_MAX_MINUTES == {Stage.FIREFIGHTING: WEEK_1_MOST}


@pytest.mark.parametrize("minutes", [30, 60, 90])
@pytest.mark.parametrize("condition", CONDITIONS.values(), ids=CONDITIONS.keys())
@pytest.mark.parametrize("hypothesis", TARGETED.values(), ids=TARGETED.keys())
def test_week_1_works_the_target_in_short_doses(hypothesis, condition, minutes):
    """Long sessions included: the minutes go elsewhere, never into the target's work."""
    triage = cases.treat(*condition)
    limit = triage.restrictions.max_session_minutes or 90
    plan = build(triage, hypothesis, stage=Stage.FIREFIGHTING, minutes=min(minutes, limit))
    assert plan is not None
    worked = target_items(plan, hypothesis)
    assert worked, "the target is worked"
    for item in worked:
        assert item.minutes <= max(WEEK_1_MOST, technique(item.technique_slug).min_minutes)


def test_from_week_2_the_target_may_run_its_techniques_full_range():
    """The side-lying static compression reaches past 5 minutes once week 1 is over: the
    stage's minutes are lifted, not the technique's range."""
    longest = {}
    for stage in (Stage.FIREFIGHTING, Stage.DECOMPRESSION, Stage.MOBILITY):
        plan = build(cases.treat(cases.pregnancy(24)), cases.SARAH, stage=stage, minutes=90)
        assert plan is not None
        longest[stage] = max(item.minutes for item in target_items(plan, cases.SARAH))
    assert longest[Stage.FIREFIGHTING] <= WEEK_1_MOST
    assert max(longest[Stage.DECOMPRESSION], longest[Stage.MOBILITY]) > WEEK_1_MOST


def test_work_that_is_not_the_targets_keeps_its_own_range_in_week_1():
    """For neural involvement the rotators' static compression is not the target's work."""
    hubcap = technique("hubcap-static-compression-side-lying")
    assert hubcap.max_minutes > WEEK_1_MOST
    neural = TARGETS[cases.NEURAL.kind]
    assert target_minutes_cap(hubcap, target=neural, stage=Stage.FIREFIGHTING) is None
    assert dosed_for_stage(hubcap, target=neural, stage=Stage.FIREFIGHTING) is hubcap
    piriformis = TARGETS[cases.SARAH.kind]
    dosed = dosed_for_stage(hubcap, target=piriformis, stage=Stage.FIREFIGHTING)
    assert dosed.max_minutes == WEEK_1_MOST
    assert dosed.default_minutes <= WEEK_1_MOST
    assert dosed_for_stage(hubcap, target=piriformis, stage=Stage.DECOMPRESSION) is hubcap


def test_a_technique_whose_shortest_time_is_longer_keeps_its_shortest():
    slider = replace(technique("sciatic-nerve-slider"), min_minutes=6, max_minutes=9)
    cap = target_minutes_cap(slider, target=TARGETS[cases.NEURAL.kind], stage=Stage.FIREFIGHTING)
    assert cap == 6


def test_validation_names_week_1_target_work_that_runs_too_long():
    plan = build(cases.treat(), cases.NEURAL, stage=Stage.FIREFIGHTING)
    slider = next(i for i in plan.items if i.technique_slug == "sciatic-nerve-slider")
    other = next(
        i for i in plan.items if i.technique_slug != slider.technique_slug and i.minutes > 1
    )
    longer = {
        id(slider): replace(slider, minutes=6),
        id(other): replace(other, minutes=other.minutes - 1),
    }
    edited = replace(
        plan,
        phases=tuple(
            PlanPhase(phase=p.phase, items=tuple(longer.get(id(i), i) for i in p.items))
            for p in plan.phases
        ),
    )
    messages = plan_validate(edited, triage=cases.treat(), hypothesis=cases.NEURAL, library=LIBRARY)
    assert (
        PLAN_TARGET_MINUTES.format(
            name=slider.name, minutes=6, stage="Week 1 · Firefighting", cap=WEEK_1_MOST
        )
        in messages
    )
    week_2 = replace(edited, stage=Stage.DECOMPRESSION)
    assert not [
        m
        for m in plan_validate(
            week_2, triage=cases.treat(), hypothesis=cases.NEURAL, library=LIBRARY
        )
        if "primary target's work" in m
    ]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hypothesis=st.sampled_from(list(TARGETED.values())),
    conditions=st.lists(st.sampled_from(list(CONDITIONS.values())), max_size=3),
    minutes=st.integers(6, 18).map(lambda n: n * 5),
    first_visit=st.booleans(),
)
def test_every_week_1_plan_keeps_the_targets_minutes(hypothesis, conditions, minutes, first_visit):
    triage = cases.treat(*(c for condition in conditions for c in condition))
    limit = triage.restrictions.max_session_minutes or 90
    plan = build(
        triage,
        hypothesis,
        stage=Stage.FIREFIGHTING,
        minutes=min(minutes, limit),
        first_visit=first_visit,
    )
    assert plan is not None, "week 1 always has a plan for these screenings"
    for item in target_items(plan, hypothesis):
        assert item.minutes <= max(WEEK_1_MOST, technique(item.technique_slug).min_minutes)
    assert plan_validate(plan, triage=triage, hypothesis=hypothesis, library=LIBRARY) == []
