"""Scoring: how much an item is worth to this client and stage, and how good a whole draft
is once timed (its items' worth, less what repositioning and a bent session shape cost).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.vocabulary import ExerciseData, Finding, Position, SessionPhase, Stage, TechniqueData
from intake.rules import Hypothesis, HypothesisKind
from sessions.planning.planner.timing import Slot

# Relevance weights (clinical rules §3.1 "what massage does"): a finding the assessment
# made, a finding the hypothesis calls for as secondary work, and general support.
PRIMARY_FINDING_WEIGHT = 10
SECONDARY_FINDING_WEIGHT = 5
GENERAL_WEIGHT = 3
# A technique whose first suitable stage is this one is the stage's new work (clinical
# rules §6); less than a primary finding, so the findings still lead.
NEW_THIS_STAGE_BONUS = 4
# Each further item on the same finding counts for less (x0.7): the session covers the
# chain (glutes, rotators, hamstrings, calves) rather than one muscle five ways.
REPEAT_DECAY = 0.7
# Draft scores: the items' relevance, less these per repositioning and per minute a block
# strays from the session shape (heavier than any relevance, so the shape is kept).
POSITION_CHANGE_PENALTY = 3
# Clinical rules §5: "all prone work together, then side-lying, then supine": going back
# up that order (side-lying warm-up, then prone work) costs extra.
BACKWARD_MOVE_PENALTY = 10
SHAPE_DEVIATION_PENALTY = 30

POSITION_ORDER = {position: index for index, position in enumerate(Position)}

# A technique's findings with their weights, and its new-this-stage bonus.
Profile = tuple[tuple[tuple[Finding, int], ...], int]


def finding_weights(*, hypothesis: Hypothesis) -> dict[Finding, int]:
    """How strongly the plan favours work on each finding (clinical rules §3.1 "what
    massage does").

    The assessment's own findings weigh most. Entrapment also calls for the glutes and
    hamstrings; a muscular hypothesis for hamstrings and gluteus minimus; neural involvement
    for neural mobilisation and guarding relief (general work); an unclear or missing
    hypothesis for general work.
    """
    weights = {Finding.GENERAL: GENERAL_WEIGHT}
    secondary = {
        HypothesisKind.ENTRAPMENT_PIRIFORMIS: (
            (Finding.PIRIFORMIS, PRIMARY_FINDING_WEIGHT),
            (Finding.GLUTEUS_MINIMUS, SECONDARY_FINDING_WEIGHT),
            (Finding.HAMSTRING, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.NEURAL_COMPRESSION: (
            (Finding.NEURAL, PRIMARY_FINDING_WEIGHT),
            (Finding.GENERAL, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.IRRITATION_UNCLEAR: (
            (Finding.NEURAL, SECONDARY_FINDING_WEIGHT),
            (Finding.GENERAL, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.MUSCULAR_HAMSTRING: (
            (Finding.HAMSTRING, PRIMARY_FINDING_WEIGHT),
            (Finding.GLUTEUS_MINIMUS, PRIMARY_FINDING_WEIGHT),
        ),
        HypothesisKind.UNDETERMINED: ((Finding.GENERAL, SECONDARY_FINDING_WEIGHT),),
    }
    for finding, weight in secondary.get(hypothesis.kind, ()):
        weights[finding] = max(weights.get(finding, 0), weight)
    for finding in hypothesis.findings:
        if finding != Finding.GENERAL:
            weights[finding] = max(weights.get(finding, 0), PRIMARY_FINDING_WEIGHT)
    return weights


def relevance(
    entry: TechniqueData | ExerciseData, weights: dict[Finding, int], stage: Stage
) -> int:
    score = sum(weights.get(finding, 0) for finding in entry.findings)
    if new_this_stage(entry, stage):
        score += NEW_THIS_STAGE_BONUS
    return score


def new_this_stage(entry: TechniqueData | ExerciseData, stage: Stage) -> bool:
    """Work that first suits this stage is the stage's emphasis."""
    return len(entry.stages) < len(Stage) and bool(entry.stages) and min(entry.stages) == stage


def finding_profile(technique: TechniqueData, weights: dict[Finding, int], stage: Stage) -> Profile:
    """What a technique can add to a block, worked out once per plan."""
    return (
        tuple((f, weights[f]) for f in sorted(technique.findings) if weights.get(f)),
        NEW_THIS_STAGE_BONUS if new_this_stage(technique, stage) else 0,
    )


def marginal_gain(profile: Profile, covered: dict[Finding, int]) -> float:
    """What a technique adds to a block whose items already cover `covered` (a count per
    finding): each finding already covered counts for less (REPEAT_DECAY) each time."""
    weighted, bonus = profile
    return bonus + sum(weight * REPEAT_DECAY ** covered.get(f, 0) for f, weight in weighted)


def draft_score(
    slots: Sequence[Slot], minutes: Sequence[int], budgets: dict[SessionPhase, int]
) -> float:
    """The timed items' relevance, less the repositionings (more for going backwards in the
    position order) and the minutes each block strays from its budget."""
    moves = [
        (before.position, after.position)
        for before, after in zip(slots, slots[1:], strict=False)
        if before.position is not None and before.position != after.position
    ]
    backwards = sum(1 for a, b in moves if POSITION_ORDER[b] < POSITION_ORDER[a])
    spent: dict[SessionPhase, int] = {}
    for slot, m in zip(slots, minutes, strict=True):
        spent[slot.phase] = spent.get(slot.phase, 0) + m
    deviation = sum(abs(spent.get(phase, 0) - budget) for phase, budget in budgets.items())
    score = sum(slot.relevance for slot in slots)
    score -= POSITION_CHANGE_PENALTY * len(moves) + BACKWARD_MOVE_PENALTY * backwards
    score -= SHAPE_DEVIATION_PENALTY * deviation
    return score
