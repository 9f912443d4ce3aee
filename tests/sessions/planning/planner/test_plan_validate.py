"""plan_validate names each broken invariant of an edited plan in words a therapist reads."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.vocabulary import (
    PRONE_POSITIONS,
    Position,
    Pressure,
    SessionPhase,
    Stage,
)
from sessions.planning.planner import (
    PLAN_ASSESSMENT_MINUTES,
    PLAN_ASSESSMENT_MISSING,
    PLAN_ASSESSMENT_NOT_FIRST_VISIT,
    PLAN_COLD_TISSUE,
    PLAN_DUPLICATE,
    PLAN_HOME_CARE_NOT_ALLOWED,
    PLAN_ITEM_MINUTES,
    PLAN_NO_WARM_UP,
    PLAN_NOT_ALLOWED,
    PLAN_POSITION_SPLIT,
    PLAN_PRESSURE_ABOVE_CAP,
    PLAN_PRONE_LIMIT,
    PLAN_SAME_WORK,
    PLAN_STAGE_UNSUITED,
    PLAN_TOTAL_MISMATCH,
    PLAN_TREATMENT_BLOCKED,
    PLAN_UNKNOWN_TECHNIQUE,
    PLAN_WRONG_PHASE,
    HomeCareItem,
    Plan,
    PlanItem,
    PlanPhase,
    plan_build,
    plan_validate,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY, technique


def proposed(triage=None, *, stage=Stage.MOBILITY, minutes=60, first_visit=False) -> Plan:
    plan = plan_build(
        triage=triage or cases.treat(),
        hypothesis=cases.SARAH,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=LIBRARY,
    )
    assert isinstance(plan, Plan)
    return plan


def edit(plan: Plan, phase: SessionPhase, change) -> Plan:
    """The plan with `change(items)` applied to one block's list of items."""
    phases = []
    for block in plan.phases:
        items = list(block.items)
        if block.phase == phase:
            change(items)
        phases.append(PlanPhase(phase=block.phase, items=tuple(items)))
    return replace(plan, phases=tuple(phases))


def check(plan: Plan, triage=None) -> list[str]:
    return plan_validate(
        plan, triage=triage or cases.treat(), hypothesis=cases.SARAH, library=LIBRARY
    )


def swapped_in(item: PlanItem, slug: str, pressure: Pressure) -> PlanItem:
    """`item`'s line, same minutes, with another technique of the library in it."""
    other = technique(slug)
    return replace(
        item,
        technique_slug=other.slug,
        name=other.name,
        position=other.position,
        tool=other.tool,
        pressure=pressure,
    )


def block(plan: Plan, phase: SessionPhase) -> list:
    return list(next(b for b in plan.phases if b.phase == phase).items)


def test_a_proposed_plan_is_valid():
    assert check(proposed()) == []


def test_moving_minutes_into_one_item_only_breaks_the_total():
    plan = proposed()
    first = block(plan, SessionPhase.TARGETED)[0]

    def longer(items):
        items[0] = replace(first, minutes=first.minutes + 1)

    assert check(edit(plan, SessionPhase.TARGETED, longer)) == [
        PLAN_TOTAL_MISMATCH.format(total=61, minutes=60)
    ]


def test_moving_minutes_between_items_beyond_a_techniques_range_names_the_range():
    plan = proposed()
    items = block(plan, SessionPhase.TARGETED)
    giver, taker = items[0], items[1]
    t = technique(taker.technique_slug)
    extra = t.max_minutes - taker.minutes + 1

    def move(items):
        items[0] = replace(giver, minutes=giver.minutes - extra)
        items[1] = replace(taker, minutes=taker.minutes + extra)

    messages = check(edit(plan, SessionPhase.TARGETED, move))
    assert (
        PLAN_ITEM_MINUTES.format(
            name=t.name, minutes=t.max_minutes + 1, lo=t.min_minutes, hi=t.max_minutes
        )
        in messages
    )


def test_deep_work_moved_before_the_warm_up_is_cold_tissue():
    plan = proposed()
    deep = next(i for i in block(plan, SessionPhase.TARGETED) if i.pressure == Pressure.DEEP)
    warm_up = block(plan, SessionPhase.WARM_UP)
    moved = edit(plan, SessionPhase.WARM_UP, lambda items: items.insert(0, deep))
    moved = edit(moved, SessionPhase.TARGETED, lambda items: items.remove(deep))
    messages = check(moved)
    assert PLAN_NO_WARM_UP in messages
    assert PLAN_COLD_TISSUE.format(name=deep.name, pressure="deep") in messages
    assert (
        PLAN_WRONG_PHASE.format(
            name=deep.name, expected="targeted intervention", actual="preparation and warm-up"
        )
        in messages
    )
    assert warm_up[0].pressure == Pressure.LIGHT


def test_reordering_across_a_position_block_splits_the_position():
    plan = proposed()
    items = block(plan, SessionPhase.TARGETED)
    frog = next(i for i in items if i.position == Position.PRONE_FROG)

    def reorder(items):
        items.remove(frog)
        items.insert(1, frog)

    assert check(edit(plan, SessionPhase.TARGETED, reorder)) == [
        PLAN_POSITION_SPLIT.format(position="Prone")
    ]


def test_swapping_in_an_excluded_technique_names_the_restriction():
    triage = cases.treat(cases.OSTEOPOROSIS)
    plan = proposed(triage, stage=Stage.MOBILITY)
    deep_rotator = technique("side-lying-deep-rotator-access")
    item = swapped_in(block(plan, SessionPhase.TARGETED)[-1], deep_rotator.slug, Pressure.MODERATE)
    edited = edit(plan, SessionPhase.TARGETED, lambda items: items.__setitem__(-1, item))
    messages = check(edited, triage)
    assert (
        PLAN_NOT_ALLOWED.format(
            name=deep_rotator.name, why="the elbow (olecranon) is not to be used"
        )
        in messages
    )
    assert (
        PLAN_PRESSURE_ABOVE_CAP.format(name=deep_rotator.name, pressure="moderate", cap="light")
        in messages
    )


def test_a_technique_that_does_not_suit_the_stage_is_named():
    plan = proposed(stage=Stage.DECOMPRESSION)
    frog = technique("frog-leg-position")
    last = block(plan, SessionPhase.TARGETED)[-1]
    item = replace(
        last,
        technique_slug=frog.slug,
        name=frog.name,
        position=last.position,
        pressure=Pressure.MODERATE,
    )
    messages = check(edit(plan, SessionPhase.TARGETED, lambda items: items.__setitem__(-1, item)))
    assert PLAN_STAGE_UNSUITED.format(name=frog.name, stage=Stage.DECOMPRESSION.label) in messages


def test_the_same_technique_twice_is_a_duplicate():
    plan = proposed()
    first = block(plan, SessionPhase.TARGETED)[0]
    edited = edit(plan, SessionPhase.TARGETED, lambda items: items.insert(0, first))
    assert PLAN_DUPLICATE.format(name=first.name) in check(edited)


def test_a_technique_no_longer_in_the_library_is_named():
    plan = proposed()
    gone = replace(
        block(plan, SessionPhase.TARGETED)[0], technique_slug="retired", name="Retired work"
    )
    edited = edit(plan, SessionPhase.TARGETED, lambda items: items.__setitem__(0, gone))
    assert PLAN_UNKNOWN_TECHNIQUE.format(name="Retired work") in check(edited)


def one_minute_over(plan: Plan, positions, limit: int) -> Plan:
    """The plan with minutes moved from seated work to work in `positions` until those
    positions together hold `limit` + 1 minutes; the total stays the same."""
    inside = [i for i in plan.items if i.position in positions]
    room = limit - sum(i.minutes for i in inside) + 1
    target = next(i for i in inside if technique(i.technique_slug).max_minutes - i.minutes >= room)
    donor = next(
        i
        for i in plan.items
        if i.position == Position.SEATED
        and i.minutes - technique(i.technique_slug).min_minutes >= room
    )
    phase_of = {i.technique_slug: b.phase for b in plan.phases for i in b.items}

    def give(items, who, delta):
        index = items.index(who)
        items[index] = replace(who, minutes=who.minutes + delta)

    edited = edit(plan, phase_of[target.technique_slug], lambda items: give(items, target, room))
    return edit(edited, phase_of[donor.technique_slug], lambda items: give(items, donor, -room))


def test_face_down_time_over_the_high_blood_pressure_limit_is_refused_naming_the_limit():
    """A therapist who lengthens the prone work of a plan for high blood pressure cannot
    accept it: prone and frog-leg minutes count together against one limit, even when
    neither position alone reaches it."""
    triage = cases.treat(cases.HIGH_BLOOD_PRESSURE)
    plan = proposed(triage, stage=Stage.MOBILITY, minutes=90)
    assert check(plan, triage) == []
    assert {Position.PRONE, Position.PRONE_FROG} <= {i.position for i in plan.items}
    edited = one_minute_over(plan, PRONE_POSITIONS, 20)
    for position in PRONE_POSITIONS:
        assert sum(i.minutes for i in edited.items if i.position == position) < 20
    assert check(edited, triage) == [PLAN_PRONE_LIMIT.format(minutes=21, limit=20)]
    assert check(edited, triage)[0] == (
        "Prone and frog-leg together: 21 minutes face-down, above this client's limit of 20 "
        "minutes in any prone position."
    )


def test_swapping_in_a_second_version_of_the_same_work_is_refused_naming_both():
    plan = proposed()
    integration = block(plan, SessionPhase.INTEGRATION)
    assert [i.technique_slug for i in integration][:1] == ["gentle-stretching"]
    movement = next(i for i in integration if i.technique_slug == "movement-re-education")
    swapped = swapped_in(movement, "gentle-side-lying-stretch", Pressure.LIGHT)

    def swap(items):
        items.remove(movement)
        items.insert(0, swapped)

    edited = edit(plan, SessionPhase.INTEGRATION, swap)
    assert check(edited) == [
        PLAN_SAME_WORK.format(
            name="Gentle assisted stretching, supine", other="Gentle assisted stretch, side-lying"
        )
    ]
    # The same swap in place of the supine version is fine: one version of the work.
    alone = edit(
        plan,
        SessionPhase.INTEGRATION,
        lambda items: items.__setitem__(0, replace(swapped, minutes=items[0].minutes)),
    )
    assert check(alone) == []


def test_a_first_visit_without_its_assessment_block_is_named():
    plan = proposed(first_visit=True)
    without = replace(plan, phases=plan.phases[1:])
    assert PLAN_ASSESSMENT_MISSING in check(without)
    assert PLAN_ASSESSMENT_NOT_FIRST_VISIT in check(replace(plan, first_visit=False))


def test_an_assessment_block_cut_too_short_is_named():
    plan = proposed(first_visit=True)
    assessment = plan.items[0]
    edited = edit(
        plan,
        SessionPhase.ASSESSMENT,
        lambda items: items.__setitem__(0, replace(assessment, minutes=10)),
    )
    assert PLAN_ASSESSMENT_MINUTES.format(minutes=10, lo=15, hi=20, total=60) in check(edited)


def test_stretching_home_care_in_week_one_is_named():
    plan = proposed(stage=Stage.FIREFIGHTING)
    stretch = HomeCareItem(
        exercise_slug="figure-4-stretch",
        name="Figure-4 piriformis stretch",
        purpose="",
        instructions="",
        dosage="",
        cautions="",
        reason="",
    )
    messages = check(replace(plan, home_care=(*plan.home_care, stretch)))
    assert (
        PLAN_HOME_CARE_NOT_ALLOWED.format(
            name="Figure-4 piriformis stretch", why="stretching is excluded"
        )
        in messages
    )


@pytest.mark.parametrize(
    "triage", [cases.refer_now("saddle_anaesthesia"), cases.do_not_treat("cardiovascular")]
)
def test_no_plan_is_valid_when_screening_blocks_treatment(triage):
    assert check(proposed(), triage) == [PLAN_TREATMENT_BLOCKED]
