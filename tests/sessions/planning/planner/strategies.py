"""Hypothesis strategies: random restrictions, hypotheses, triages and whole libraries."""

from __future__ import annotations

from hypothesis import strategies as st

from core.vocabulary import (
    CareStageData,
    ExerciseData,
    Finding,
    FrequencyAdvice,
    Library,
    LibraryPhase,
    Modification,
    Position,
    Pressure,
    Restrictions,
    SessionPhase,
    SessionTemplateData,
    Stage,
    TechniqueData,
    Tool,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind, Triage, TriageOutcome
from tests.sessions.planning.planner.library import EXERCISES, STAGES, TECHNIQUES, TEMPLATE

pressures = st.sampled_from(list(Pressure))
stages = st.sampled_from(list(Stage))
minutes = st.integers(min_value=6, max_value=18).map(lambda n: n * 5)
findings = st.frozensets(st.sampled_from(list(Finding)), min_size=1)
# Main versions a generated technique may be a variant of: other generated ones, realistic
# ones, and a slug no technique has (its variants are still one family).
variant_of = st.sampled_from(["", "", "", "g0", "g1", "gentle-effleurage", "hubcap-release", "x"])


@st.composite
def restrictions(draw) -> Restrictions:
    return Restrictions(
        excluded_positions=draw(st.frozensets(st.sampled_from(list(Position)), max_size=2)),
        forbidden_tools=draw(st.frozensets(st.sampled_from(list(Tool)), max_size=2)),
        excluded_traits=draw(st.frozensets(st.sampled_from(list(Trait)), max_size=3)),
        pressure_cap=draw(pressures),
        max_session_minutes=draw(st.none() | st.integers(30, 90)),
        max_prone_minutes=draw(st.none() | st.integers(0, 60)),
        notes=(Modification("Generated", "A generated restriction."),),
    )


TREATING = [TriageOutcome.TREAT, TriageOutcome.TREAT_WITH_MODIFICATIONS]


@st.composite
def triages(draw, outcomes=TREATING * 4 + [TriageOutcome.REFER_NOW, TriageOutcome.DO_NOT_TREAT]):
    """Mostly treating (refusals by screening are simple and tested on their own);
    `treating_triages` only ever treats."""
    outcome = draw(st.sampled_from(outcomes))
    treating = outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    return Triage(
        outcome=outcome,
        reasons=("A generated reason",),
        restrictions=draw(restrictions()) if treating else Restrictions(),
        emergency=draw(st.booleans()),
    )


def treating_triages():
    return triages(outcomes=TREATING)


def lengths_within(rules: Restrictions):
    """A session length the restrictions allow (30 to 90 minutes, in steps of 5)."""
    longest = 18 if rules.max_session_minutes is None else min(18, rules.max_session_minutes // 5)
    return st.integers(6, longest).map(lambda n: n * 5)


hypotheses = st.builds(
    Hypothesis,
    kind=st.sampled_from(list(HypothesisKind)),
    findings=findings,
    reasons=st.just(("A generated finding",)),
    medical_follow_up=st.booleans(),
)


@st.composite
def techniques(draw, slug: str) -> TechniqueData:
    low, high = sorted((draw(pressures), draw(pressures)))
    lo = draw(st.integers(1, 12))
    hi = draw(st.integers(lo, 20))
    return TechniqueData(
        slug=slug,
        name=f"Technique {slug}",
        phase=draw(st.sampled_from(list(LibraryPhase))),
        position=draw(st.sampled_from(list(Position))),
        tool=draw(st.sampled_from(list(Tool))),
        min_pressure=low,
        max_pressure=high,
        default_minutes=draw(st.integers(lo, hi)),
        min_minutes=lo,
        max_minutes=hi,
        traits=draw(st.frozensets(st.sampled_from(list(Trait)), max_size=3)),
        stages=draw(st.frozensets(stages, min_size=1)),
        findings=draw(findings),
        order=draw(st.integers(0, 5)),
        variant_of=draw(variant_of.filter(lambda main: main != slug)),
    )


@st.composite
def exercises(draw, slug: str) -> ExerciseData:
    return ExerciseData(
        slug=slug,
        name=f"Exercise {slug}",
        purpose="Generated",
        instructions="Generated",
        dosage="Once",
        position=draw(st.sampled_from(list(Position))),
        traits=draw(st.frozensets(st.sampled_from(list(Trait)), max_size=3)),
        stages=draw(st.frozensets(stages, min_size=1)),
        findings=draw(findings),
        order=draw(st.integers(0, 5)),
    )


@st.composite
def templates(draw) -> SessionTemplateData:
    return SessionTemplateData(
        name="Generated",
        reference_minutes=draw(st.sampled_from([45, 60, 75])),
        assessment_minutes=draw(st.integers(5, 20)),
        phase_minutes=(
            (SessionPhase.WARM_UP, draw(st.integers(0, 20))),
            (SessionPhase.TARGETED, draw(st.integers(0, 40))),
            (SessionPhase.INTEGRATION, draw(st.integers(0, 20))),
        ),
        min_warm_up_minutes=draw(st.integers(1, 10)),
    )


@st.composite
def libraries(draw) -> Library:
    """A random library: generated entries, often mixed with some of the realistic ones."""
    count = draw(st.integers(0, 15))
    generated = [draw(techniques(f"g{i}")) for i in range(count)]
    if draw(st.booleans()):
        real = list(TECHNIQUES)
    else:
        real = draw(st.lists(st.sampled_from(TECHNIQUES), unique_by=lambda t: t.slug, max_size=30))
    generated_exercises = [draw(exercises(f"x{i}")) for i in range(draw(st.integers(0, 8)))]
    real_exercises = draw(
        st.lists(st.sampled_from(EXERCISES), unique_by=lambda e: e.slug, max_size=10)
    )
    frequency = FrequencyAdvice(1, 2, 2, 4, "Generated")
    care_stages = tuple(
        CareStageData(s, s.label, "Generated goal", "", "", frequency, frequency)
        for s in draw(st.frozensets(stages, min_size=3))
    )
    return Library(
        techniques=tuple(draw(st.permutations(generated + real))),
        exercises=tuple(generated_exercises + real_exercises),
        template=draw(templates()),
        stages=draw(st.sampled_from([care_stages, STAGES])),
    )


@st.composite
def plannable_libraries(draw) -> Library:
    """A library the planner can fill a session from: every realistic technique, exercise and
    care stage and the realistic template, with generated entries shuffled in among them
    (generated ones may share a family with realistic ones, or be variants of each other)."""
    generated = [draw(techniques(f"g{i}")) for i in range(draw(st.integers(0, 15)))]
    generated_exercises = [draw(exercises(f"x{i}")) for i in range(draw(st.integers(0, 8)))]
    return Library(
        techniques=tuple(draw(st.permutations(generated + list(TECHNIQUES)))),
        exercises=tuple(draw(st.permutations(generated_exercises + list(EXERCISES)))),
        template=TEMPLATE,
        stages=STAGES,
    )
