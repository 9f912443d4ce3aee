"""An adjusted plan keeps clinical rules §6.2: when the therapist takes the primary target's
work off, the plan says so in one line and warns before it is accepted (a warning, not a
block); when the therapist adds it, the line goes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.vocabulary import Position, Restrictions, SessionPhase, Stage
from intake.rules import Hypothesis
from sessions.planning.planner import (
    PLAN_TARGET_UNEXPLAINED,
    TARGET_REMOVED,
    Plan,
    PlanRow,
    plan_adjust,
    plan_alternatives,
    plan_build,
    plan_validate,
    plan_warnings,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.library import LIBRARY, technique
from tests.sessions.planning.planner.target_checks import TARGETS, for_target


def proposed(hypothesis: Hypothesis, *, triage=None, stage=Stage.FIREFIGHTING, library=LIBRARY):
    plan = plan_build(
        triage=triage or cases.treat(),
        hypothesis=hypothesis,
        stage=stage,
        minutes=60,
        first_visit=False,
        library=library,
    )
    assert isinstance(plan, Plan), plan
    return plan


def rows_of(plan: Plan) -> list[PlanRow]:
    return [
        PlanRow(phase=phase.phase, technique_slug=item.technique_slug, minutes=item.minutes)
        for phase in plan.phases
        for item in phase.items
    ]


def on_target(slug: str, hypothesis: Hypothesis) -> bool:
    return for_target(technique(slug), TARGETS[hypothesis.kind])


def without_target(plan: Plan, hypothesis: Hypothesis, triage) -> tuple[list[PlanRow], list[str]]:
    """The therapist swaps every item of the target's work for another allowed technique of
    the same block that is not the target's work: the rows, and the names taken out."""
    alternatives = plan_alternatives(
        plan=plan, triage=triage, hypothesis=hypothesis, library=LIBRARY
    )
    planned = {item.technique_slug for item in plan.items}
    rows, removed = [], []
    for row, item in zip(rows_of(plan), plan.items, strict=True):
        if not item.is_assessment and on_target(item.technique_slug, hypothesis):
            others = [t for t in alternatives[row.phase] if not on_target(t.slug, hypothesis)]
            # A fresh technique when the block has one left, else one already on the plan
            # (that repeat is another message; this test is about the target's).
            other = next((t for t in others if t.slug not in planned), others[0])
            planned.add(other.slug)
            removed.append(item.name)
            lo, hi = other.min_minutes, other.max_minutes
            row = replace(row, technique_slug=other.slug, minutes=min(max(row.minutes, lo), hi))
        rows.append(row)
    return rows, removed


TARGETED = {
    "piriformis-entrapment": (cases.SARAH, "work for the deep rotators"),
    "neural-compression": (cases.NEURAL, "gentle neural mobilisation"),
    "irritation-unclear": (cases.IRRITATION, "gentle neural mobilisation"),
    "muscular-hamstring": (cases.HAMSTRING_ONLY, "work for the hamstrings"),
}


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize(("hypothesis", "work"), TARGETED.values(), ids=TARGETED.keys())
def test_taking_the_targets_work_off_says_so_and_warns_without_blocking(hypothesis, work, stage):
    triage = cases.treat()
    plan = proposed(hypothesis, stage=stage)
    rows, removed = without_target(plan, hypothesis, triage)
    assert removed, "the proposal works the target"
    adjusted = plan_adjust(plan, rows=rows, triage=triage, hypothesis=hypothesis, library=LIBRARY)

    line = TARGET_REMOVED.format(target=work, names=" and ".join(removed))
    assert adjusted.target_missing == line
    assert line.startswith(f"No {work} on this plan: removed by the therapist")
    assert plan_warnings(adjusted, proposed=plan, hypothesis=hypothesis, library=LIBRARY) == [line]
    # A warning, not a block: nothing else in the swap breaks a rule, so nothing blocks it.
    validation = plan_validate(adjusted, triage=triage, hypothesis=hypothesis, library=LIBRARY)
    assert not [m for m in validation if "on this plan" in m]


def test_the_unchanged_proposal_warns_about_nothing():
    plan = proposed(cases.NEURAL)
    again = plan_adjust(
        plan, rows=rows_of(plan), triage=cases.treat(), hypothesis=cases.NEURAL, library=LIBRARY
    )
    assert again == plan
    assert plan_warnings(again, proposed=plan, hypothesis=cases.NEURAL, library=LIBRARY) == []


def test_putting_the_targets_work_back_clears_the_line():
    triage = cases.treat()
    plan = proposed(cases.NEURAL)
    rows, _ = without_target(plan, cases.NEURAL, triage)
    taken_out = plan_adjust(
        plan, rows=rows, triage=triage, hypothesis=cases.NEURAL, library=LIBRARY
    )
    back = plan_adjust(
        taken_out, rows=rows_of(plan), triage=triage, hypothesis=cases.NEURAL, library=LIBRARY
    )
    assert back.target_missing == ""


def test_a_proposal_without_the_target_keeps_its_own_reason_and_does_not_warn():
    """Nothing was taken out: the library's reason stands, and there is nothing to accept."""
    no_supine = Restrictions(excluded_positions=frozenset({Position.SUPINE}))
    triage = cases.treat(no_supine)
    plan = proposed(cases.NEURAL, triage=triage)
    assert plan.target_missing.startswith("No gentle neural mobilisation on this plan: every")
    adjusted = plan_adjust(
        plan, rows=rows_of(plan), triage=triage, hypothesis=cases.NEURAL, library=LIBRARY
    )
    assert adjusted.target_missing == plan.target_missing
    assert plan_warnings(adjusted, proposed=plan, hypothesis=cases.NEURAL, library=LIBRARY) == []


def test_the_therapist_adding_the_target_where_the_proposal_had_none_clears_the_line():
    """The proposal could not fit the slider (it was excluded by a limit since lifted, say):
    the therapist's own choice of it is work for the target, and the line goes."""
    plan = proposed(cases.NEURAL)
    slider = next(item for item in plan.items if item.technique_slug == "sciatic-nerve-slider")
    general = replace(
        plan,
        phases=tuple(
            replace(phase, items=tuple(i for i in phase.items if i is not slider))
            for phase in plan.phases
        ),
        target_missing="No gentle neural mobilisation on this plan: (a reason).",
    )
    adjusted = plan_adjust(
        general, rows=rows_of(plan), triage=cases.treat(), hypothesis=cases.NEURAL, library=LIBRARY
    )
    assert adjusted.target_missing == ""
    assert plan_warnings(adjusted, proposed=general, hypothesis=cases.NEURAL, library=LIBRARY) == []


def test_an_undetermined_hypothesis_has_no_target_to_take_out():
    triage = cases.treat()
    plan = proposed(cases.UNDETERMINED, stage=Stage.MOBILITY)
    rows = rows_of(plan)
    adjusted = plan_adjust(
        plan, rows=rows, triage=triage, hypothesis=cases.UNDETERMINED, library=LIBRARY
    )
    assert adjusted.target_missing == ""
    assert (
        plan_warnings(adjusted, proposed=plan, hypothesis=cases.UNDETERMINED, library=LIBRARY) == []
    )


def test_validation_names_a_plan_that_lost_its_target_without_a_line():
    """A plan edited outside `plan_adjust` (or a malformed one) that holds no target work and
    no line saying why breaks clinical rules §6.2."""
    plan = proposed(cases.HAMSTRING_ONLY)
    kept = tuple(
        replace(
            phase,
            items=tuple(
                i
                for i in phase.items
                if i.is_assessment or not on_target(i.technique_slug, cases.HAMSTRING_ONLY)
            ),
        )
        for phase in plan.phases
        if phase.phase != SessionPhase.ASSESSMENT
    )
    edited = replace(plan, phases=kept)
    messages = plan_validate(
        edited, triage=cases.treat(), hypothesis=cases.HAMSTRING_ONLY, library=LIBRARY
    )
    assert PLAN_TARGET_UNEXPLAINED.format(target="work for the hamstrings") in messages
    explained = replace(edited, target_missing="No work for the hamstrings on this plan: (why).")
    assert PLAN_TARGET_UNEXPLAINED.format(target="work for the hamstrings") not in plan_validate(
        explained, triage=cases.treat(), hypothesis=cases.HAMSTRING_ONLY, library=LIBRARY
    )
