"""Home care that follows the working hypothesis (clinical rules §7.1): what the client is
given to do at home serves the same primary target as the session (§6.2), at the stage's
intensity (§6), within every restriction of the screening (§2.3).
"""

from __future__ import annotations

from collections.abc import Iterable

from core.vocabulary import ExerciseData, Finding, Restrictions, Stage, Trait
from intake.rules import HypothesisKind
from sessions.planning.planner.candidates import first_of_each_slug
from sessions.planning.planner.messages import (
    WHY_HOME_FLOSSING_UNCLEAR,
    WHY_HOME_NERVE_MUSCULAR,
    WHY_HOME_NERVE_UNDETERMINED,
)
from sessions.planning.planner.restrictions import exercise_allowed
from sessions.planning.planner.scoring import relevance
from sessions.planning.planner.targets import NERVE_WORK, primary_target

HOME_CARE_MAX = 5

# Clinical rules §7.1: the nerve exercises a client may do at home, by hypothesis. Where
# the nerve is trapped (entrapment) or involved, sliders and flossing as the stage allows
# (week 1 excludes flossing for every client, §6); an irritated nerve of unclear source
# only slides, unsupervised, until the source is clearer; a purely muscular presentation
# gets none (the nerve is not the problem), and neither does an undetermined one (none
# until the tests show the nerve is involved: the rules err toward lighter work).
HOME_NERVE_WORK: dict[HypothesisKind, frozenset[Trait]] = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: NERVE_WORK,
    HypothesisKind.NEURAL_COMPRESSION: NERVE_WORK,
    HypothesisKind.IRRITATION_UNCLEAR: frozenset({Trait.NEURAL_SLIDER}),
    HypothesisKind.MUSCULAR_HAMSTRING: frozenset(),
    HypothesisKind.UNDETERMINED: frozenset(),
}
_WHY_NOT = {
    HypothesisKind.IRRITATION_UNCLEAR: WHY_HOME_FLOSSING_UNCLEAR,
    HypothesisKind.MUSCULAR_HAMSTRING: WHY_HOME_NERVE_MUSCULAR,
    HypothesisKind.UNDETERMINED: WHY_HOME_NERVE_UNDETERMINED,
}


def why_exercise_unsuited(exercise: ExerciseData, *, kind: HypothesisKind) -> str:
    """Why the working hypothesis rules this exercise out at home (clinical rules §7.1), in
    words; empty when it suits. Only nerve exercises depend on the hypothesis."""
    kind = HypothesisKind(kind)
    nerve = exercise.traits & NERVE_WORK
    if not nerve or nerve <= HOME_NERVE_WORK[kind]:
        return ""
    return _WHY_NOT[kind]


def exercise_works_target(exercise: ExerciseData, target: Finding | None) -> bool:
    """The exercise serves the primary target: it lists the finding, and for the nerve it
    moves the nerve; a nerve exercise is never a muscle's work, whatever else it lists."""
    if target is None or target not in exercise.findings:
        return False
    return (target == Finding.NEURAL) == bool(exercise.traits & NERVE_WORK)


def home_care_select(
    *,
    exercises: Iterable[ExerciseData],
    restrictions: Restrictions,
    kind: HypothesisKind,
    stage: Stage,
    weights: dict[Finding, int],
) -> list[ExerciseData]:
    """Up to HOME_CARE_MAX exercises for this client and stage, in the library's order
    (clinical rules §7, §7.1).

    Only exercises the restrictions and the stage allow (`exercise_allowed`: §2.3 and the
    stage's limits of §6, so no flossing and no stretching in week 1) and the hypothesis
    suits (`why_exercise_unsuited`). The most relevant one for the primary target is always
    among them when there is one; the rest are the most relevant of the others.
    """
    allowed = [
        e
        for e in first_of_each_slug(exercises)
        if exercise_allowed(exercise=e, restrictions=restrictions, stage=stage)
        and not why_exercise_unsuited(e, kind=kind)
    ]
    ranked = sorted(allowed, key=lambda e: (-relevance(e, weights, stage), e.order, e.slug))
    target = primary_target(kind)
    first = next((e for e in ranked if exercise_works_target(e, target)), None)
    if first is not None:
        ranked = [first] + [e for e in ranked if e is not first]
    return sorted(ranked[:HOME_CARE_MAX], key=lambda e: (e.order, e.slug))
