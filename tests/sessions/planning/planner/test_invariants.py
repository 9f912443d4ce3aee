"""Property tests: for every input, a valid plan or a clear refusal."""

from __future__ import annotations

import json
from dataclasses import replace

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from core.vocabulary import PRONE_POSITIONS, Pressure, Stage, Trait
from intake.rules import Triage, TriageOutcome
from sessions.planning.planner import (
    HomeCareItem,
    Plan,
    PlanItem,
    PlanPhase,
    Refusal,
    RefusalKind,
    plan_build,
    plan_from_dict,
    plan_restrictions,
    plan_to_dict,
    plan_validate,
)
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.invariants import violations
from tests.sessions.planning.planner.library import LIBRARY
from tests.sessions.planning.planner.strategies import (
    hypotheses,
    lengths_within,
    libraries,
    minutes,
    plannable_libraries,
    restrictions,
    stages,
    treating_triages,
    triages,
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(triage, hypothesis, stage, length, first_visit, library, acute):
    return plan_build(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=length,
        first_visit=first_visit,
        library=library,
        acute=acute,
    )


@SETTINGS
@given(triages(), hypotheses, stages, minutes, st.booleans(), libraries(), st.booleans())
def test_every_input_gives_a_plan_or_a_well_formed_refusal_and_the_same_one_every_time(
    triage, hypothesis, stage, length, first_visit, library, acute
):
    """Any input at all (refused by screening, too long, a library that cannot fill the
    session): the planner answers, the same each time, and a refusal says why and what next.
    The plans themselves are checked by the next test."""
    result = build(triage, hypothesis, stage, length, first_visit, library, acute)
    assert build(triage, hypothesis, stage, length, first_visit, library, acute) == result
    assert isinstance(result, Plan | Refusal)
    if isinstance(result, Plan):
        event("plan")
        assert triage.outcome in (TriageOutcome.TREAT, TriageOutcome.TREAT_WITH_MODIFICATIONS)
    else:
        event(f"refusal: {result.kind}")
        assert result.reasons and all(result.reasons)
        assert result.next_step
        if triage.outcome in (TriageOutcome.REFER_NOW, TriageOutcome.DO_NOT_TREAT):
            assert result.reasons == triage.reasons


@SETTINGS
@given(
    treating_triages(),
    hypotheses,
    stages,
    st.booleans(),
    plannable_libraries(),
    st.booleans(),
    st.data(),
)
def test_every_plannable_input_gives_a_valid_plan_and_the_same_one_every_time(
    triage, hypothesis, stage, first_visit, library, acute, data
):
    length = data.draw(lengths_within(triage.restrictions), label="length")
    result = build(triage, hypothesis, stage, length, first_visit, library, acute)
    assume(isinstance(result, Plan))
    assert build(triage, hypothesis, stage, length, first_visit, library, acute) == result
    assert triage.outcome in (TriageOutcome.TREAT, TriageOutcome.TREAT_WITH_MODIFICATIONS)
    assert violations(result, triage=triage, hypothesis=hypothesis, library=library) == []
    assert plan_validate(result, triage=triage, hypothesis=hypothesis, library=library) == []
    assert sum(item.minutes for item in result.items) == length
    rules = plan_restrictions(triage=triage, hypothesis=hypothesis, stage=stage, acute=acute)
    assert all(item.pressure <= rules.pressure_cap for item in result.items if item.pressure)
    assert result.frequency == next(
        (s.acute_frequency if acute else s.chronic_frequency)
        for s in library.stages
        if s.stage == stage
    )
    # The snapshot of an accepted plan is its JSON form: nothing may be lost on the way.
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(result)))) == result


@SETTINGS
@given(
    restrictions(),
    st.integers(0, 40),
    hypotheses,
    stages,
    st.booleans(),
    st.sampled_from(["random", "full"]),
    plannable_libraries(),
    st.data(),
)
def test_no_plan_spends_more_minutes_face_down_than_the_prone_limit(
    rules, limit, hypothesis, stage, first_visit, which, random_library, data
):
    """clinical rules §2.3 (high blood pressure: avoid prolonged prone): whatever else restricts the
    plan, prone and frog-leg minutes added together never exceed the prone limit."""
    length = data.draw(lengths_within(rules), label="length")
    triage = Triage(
        outcome=TriageOutcome.TREAT_WITH_MODIFICATIONS,
        reasons=("High blood pressure",),
        restrictions=replace(rules, max_prone_minutes=limit),
    )
    library = LIBRARY if which == "full" else random_library
    result = build(triage, hypothesis, stage, length, first_visit, library, True)
    assume(isinstance(result, Plan))
    face_down = sum(item.minutes for item in result.items if item.position in PRONE_POSITIONS)
    event("some prone work" if face_down else "no prone work")
    assert face_down <= limit
    assert plan_validate(result, triage=triage, hypothesis=hypothesis, library=library) == []


@SETTINGS
@given(
    treating_triages(),
    hypotheses,
    stages,
    st.booleans(),
    plannable_libraries(),
    st.booleans(),
    st.data(),
)
def test_no_plan_holds_two_versions_of_the_same_work(
    triage, hypothesis, stage, first_visit, library, acute, data
):
    """A family is a main technique and its variants (side-lying, week 1's gentler form):
    whatever the restrictions allow, a plan holds one of them at most."""
    length = data.draw(lengths_within(triage.restrictions), label="length")
    result = build(triage, hypothesis, stage, length, first_visit, library, acute)
    assume(isinstance(result, Plan))
    by_slug = {t.slug: t for t in reversed(library.techniques)}
    chosen = [by_slug[item.technique_slug] for item in result.items if not item.is_assessment]
    families = [t.family for t in chosen]
    event("a variant on the plan" if any(t.variant_of for t in chosen) else "no variant")
    assert len(families) == len(set(families))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hypotheses, minutes, st.booleans(), plannable_libraries(), st.booleans())
def test_week_one_never_stretches_or_frictions_vigorously_in_clinic_or_at_home(
    hypothesis, length, first_visit, library, acute
):
    result = build(
        cases.treat(), hypothesis, Stage.FIREFIGHTING, length, first_visit, library, acute
    )
    assume(isinstance(result, Plan))
    by_slug = {t.slug: t for t in reversed(library.techniques)}
    forbidden = {Trait.STRETCH, Trait.AGGRESSIVE_STRETCH, Trait.VIGOROUS_FRICTION}
    for item in result.items:
        if not item.is_assessment:
            assert not by_slug[item.technique_slug].traits & forbidden
            assert item.pressure == Pressure.LIGHT
    exercises = {e.slug: e for e in reversed(library.exercises)}
    for entry in result.home_care:
        assert not exercises[entry.exercise_slug].traits & forbidden


# The clinical rules §2.3 conditions a client can have, any combination of which the full library
# must be able to plan for at every stage, length and visit (never refusing for want of work).
CONDITIONS = [
    cases.OSTEOPOROSIS,
    cases.ANTICOAGULANTS,
    cases.MUSCLE_RELAXANTS,
    cases.DIABETES_NEUROPATHY,
    cases.BACK_SURGERY,
    cases.HIGH_BLOOD_PRESSURE,
    cases.ATHLETE,
    cases.pregnancy(24),
    cases.older_adult(72),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(CONDITIONS), max_size=3),
    hypotheses,
    stages,
    minutes,
    st.booleans(),
    st.booleans(),
)
def test_the_full_library_plans_for_up_to_three_conditions_at_any_length(
    conditions, hypothesis, stage, length, first_visit, acute
):
    triage = cases.treat(*conditions)
    result = build(triage, hypothesis, stage, length, first_visit, LIBRARY, acute)
    limit = triage.restrictions.max_session_minutes
    if limit is not None and length > limit:
        assert isinstance(result, Refusal)
        assert result.kind == RefusalKind.SESSION_LENGTH
        return
    assert isinstance(result, Plan), result
    assert violations(result, triage=triage, hypothesis=hypothesis, library=LIBRARY) == []


def _item_for(technique, pressure_cap):
    return PlanItem(
        technique_slug=technique.slug,
        name=technique.name,
        minutes=technique.default_minutes,
        position=technique.position,
        tool=technique.tool,
        pressure=Pressure(min(technique.max_pressure, pressure_cap)),
        holds="",
        cautions=(),
        reason="Swapped in by a test.",
    )


@st.composite
def mutations(draw, plan: Plan, library):
    """A therapist-like edit of a valid plan (or a bigger one): it may or may not break it."""
    phases = [list(phase.items) for phase in plan.phases]
    kind = draw(
        st.sampled_from(
            ["minutes", "move", "swap", "remove", "duplicate", "length", "stage", "visit", "home"]
        )
    )
    p = draw(st.integers(0, len(phases) - 1))
    i = draw(st.integers(0, len(phases[p]) - 1))
    changes = {}
    if kind == "minutes":
        phases[p][i] = replace(
            phases[p][i], minutes=max(1, phases[p][i].minutes + draw(st.integers(-5, 5)))
        )
    elif kind == "move":
        q = draw(st.integers(0, len(phases) - 1))
        item = phases[p].pop(i)
        phases[q].insert(draw(st.integers(0, len(phases[q]))), item)
    elif kind == "swap":
        technique = draw(st.sampled_from(library.techniques))
        phases[p][i] = replace(
            _item_for(technique, draw(pressures_st)), minutes=phases[p][i].minutes
        )
    elif kind == "remove":
        phases[p].pop(i)
    elif kind == "duplicate":
        phases[p].insert(i, phases[p][i])
    elif kind == "length":
        changes["minutes"] = draw(st.integers(6, 18)) * 5
    elif kind == "stage":
        changes["stage"] = draw(stages)
    elif kind == "visit":
        changes["first_visit"] = not plan.first_visit
    elif kind == "home" and library.exercises:
        exercise = draw(st.sampled_from(library.exercises))
        changes["home_care"] = (
            *plan.home_care,
            HomeCareItem(
                exercise_slug=exercise.slug,
                name=exercise.name,
                purpose="",
                instructions="",
                dosage="",
                cautions="",
                reason="",
            ),
        )
    new_phases = tuple(
        PlanPhase(phase=phase.phase, items=tuple(items))
        for phase, items in zip(plan.phases, phases, strict=True)
    )
    return replace(plan, phases=new_phases, **changes)


pressures_st = st.sampled_from(list(Pressure))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(CONDITIONS), max_size=2),
    hypotheses,
    stages,
    minutes,
    st.booleans(),
    st.data(),
)
def test_plan_validate_flags_an_edited_plan_exactly_when_an_invariant_breaks(
    conditions, hypothesis, stage, length, first_visit, data
):
    triage = cases.treat(*conditions)
    plan = build(triage, hypothesis, stage, length, first_visit, LIBRARY, True)
    assume(isinstance(plan, Plan))
    edited = data.draw(mutations(plan, LIBRARY))
    broken = violations(edited, triage=triage, hypothesis=hypothesis, library=LIBRARY)
    messages = plan_validate(edited, triage=triage, hypothesis=hypothesis, library=LIBRARY)
    event("broken" if broken else "still valid")
    assert bool(messages) == bool(broken), (broken, messages)
