"""The working hypothesis's primary target: the work every plan carries, at every stage
(clinical rules §6.2 "Target and intensity").

The hypothesis decides which tissue is treated; the stage decides how hard. So a plan for
neural involvement holds gentle neural mobilisation in week 1 as in week 4 (a slider in
week 1, flossing from week 2), and a hamstring plan holds hamstring work from week 1 on
(light, without stretching, in week 1). When no allowed technique can carry the target the
plan says so in one line, with the reason; so does a plan the therapist took it out of.
The stage also sets how long one item of the target's work runs (`TARGET_MAX_MINUTES`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from core.vocabulary import (
    Finding,
    Library,
    LibraryPhase,
    Restrictions,
    SessionPhase,
    Stage,
    TechniqueData,
    Trait,
)
from intake.rules import HypothesisKind
from sessions.planning.planner.candidates import first_of_each_slug
from sessions.planning.planner.messages import (
    TARGET_ALL_EXCLUDED,
    TARGET_DOES_NOT_FIT,
    TARGET_NONE_FOR_STAGE,
    TARGET_REMOVED,
)
from sessions.planning.planner.restrictions import technique_allowed, why_not_permitted
from sessions.planning.planner.types import Plan

# Clinical rules §3.1 "what massage does", first named tissue of each row. An undetermined
# hypothesis has no target: its plan is general and says so.
PRIMARY_TARGETS: dict[HypothesisKind, Finding] = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: Finding.PIRIFORMIS,
    HypothesisKind.NEURAL_COMPRESSION: Finding.NEURAL,
    HypothesisKind.IRRITATION_UNCLEAR: Finding.NEURAL,
    HypothesisKind.MUSCULAR_HAMSTRING: Finding.HAMSTRING,
}

# Work "for the nerve" moves it: a slider or flossing. Breathing and general work that
# settle the nervous system list the finding too, but do not mobilise the nerve.
NERVE_WORK = frozenset({Trait.NEURAL_MOBILISATION, Trait.NEURAL_SLIDER})

# Each finding as the tissue a plan's reasons name.
FINDING_TARGETS = {
    Finding.PIRIFORMIS: "deep rotators",
    Finding.HAMSTRING: "hamstrings",
    Finding.GLUTEUS_MINIMUS: "gluteus minimus",
    Finding.NEURAL: "sciatic nerve's glide",
    Finding.GENERAL: "surrounding tissue",
}
# The primary target as an item's reason names it, and as the missing line names its work.
TARGET_IN_REASON = {
    Finding.PIRIFORMIS: "the deep rotators",
    Finding.HAMSTRING: "the hamstrings",
    Finding.NEURAL: "the sciatic nerve, by gentle neural mobilisation",
}
TARGET_WORK = {
    Finding.PIRIFORMIS: "work for the deep rotators",
    Finding.HAMSTRING: "work for the hamstrings",
    Finding.NEURAL: "gentle neural mobilisation",
}

# Clinical rules §6.2 "Minutes": the longest one item of the target's work may run at each
# stage. Week 1 works the irritated tissue in short doses (the reference's 5 minutes of
# neural mobilisation, §5); a stage not listed leaves each technique's own range.
TARGET_MAX_MINUTES: dict[Stage, int] = {Stage.FIREFIGHTING: 5}


def primary_target(kind: HypothesisKind) -> Finding | None:
    """The tissue the hypothesis calls for first (clinical rules §3.1); None when undetermined."""
    return PRIMARY_TARGETS.get(HypothesisKind(kind))


def works_target(technique: TechniqueData, target: Finding | None) -> bool:
    """The technique treats the target: it lists the finding, is treatment rather than
    warm-up, and for the nerve it moves the nerve (clinical rules §3.1: "gentle neural
    mobilisation")."""
    if target is None or target not in technique.findings:
        return False
    if LibraryPhase(technique.phase).session_phase == SessionPhase.WARM_UP:
        return False
    return target != Finding.NEURAL or bool(technique.traits & NERVE_WORK)


def target_minutes_cap(
    technique: TechniqueData, *, target: Finding | None, stage: Stage
) -> int | None:
    """The most minutes `stage` gives this technique as the target's work (clinical rules
    §6.2 "Minutes"), never under its shortest time; None when its own range rules (not the
    target's work, or a stage without a limit)."""
    cap = TARGET_MAX_MINUTES.get(Stage(stage))
    if cap is None or not works_target(technique, target):
        return None
    return max(cap, technique.min_minutes)


def dosed_for_stage(
    technique: TechniqueData, *, target: Finding | None, stage: Stage
) -> TechniqueData:
    """The technique as the planner times it at this stage: the target's work held to the
    stage's minutes (`target_minutes_cap`), anything else as the library has it."""
    cap = target_minutes_cap(technique, target=target, stage=stage)
    if cap is None or technique.max_minutes <= cap:
        return technique
    return replace(technique, max_minutes=cap, default_minutes=min(technique.default_minutes, cap))


def items_for_target(plan: Plan, *, library: Library, target: Finding | None) -> list[str]:
    """The names of the plan's items that work the target, judged by the library's data."""
    techniques = {t.slug: t for t in first_of_each_slug(library.techniques)}
    return [
        item.name
        for item in plan.items
        if item.technique_slug in techniques
        and works_target(techniques[item.technique_slug], target)
    ]


def target_missing_line(
    *,
    library: Library,
    restrictions: Restrictions,
    stage: Stage,
    target: Finding,
    minutes: int,
) -> str:
    """The one line a plan without its target's work carries: the library has none for
    this stage, every such technique is excluded (each reason once), or the allowed ones
    do not fit the session."""
    name = TARGET_WORK[Finding(target)]
    for_target = [t for t in first_of_each_slug(library.techniques) if works_target(t, target)]
    in_stage = [t for t in for_target if stage in t.stages]
    if not in_stage:
        text = TARGET_NONE_FOR_STAGE.format(target=name, stage=Stage(stage).label)
    elif any(
        technique_allowed(technique=t, restrictions=restrictions, stage=stage) for t in in_stage
    ):
        text = TARGET_DOES_NOT_FIT.format(target=name, minutes=minutes)
    else:
        why = _unique(_why_excluded(restrictions, t) for t in in_stage)
        text = TARGET_ALL_EXCLUDED.format(target=name, why="; ".join(why))
    return text


def adjusted_target_missing(
    plan: Plan,
    *,
    proposed: Plan,
    library: Library,
    restrictions: Restrictions,
    target: Finding | None,
) -> str:
    """The missing-target line of a plan the therapist adjusted (clinical rules §6.2).

    None when it holds the target's work (the therapist may also have added it). When the
    proposal held some and the therapist took it out, the line says so and names what the
    proposal had: the therapist's judgment, on the record. Otherwise the proposal's own
    reason stands."""
    if target is None or items_for_target(plan, library=library, target=target):
        return ""
    removed = items_for_target(proposed, library=library, target=target)
    if removed:
        return TARGET_REMOVED.format(
            target=TARGET_WORK[Finding(target)], names=" and ".join(removed)
        )
    return proposed.target_missing or target_missing_line(
        library=library,
        restrictions=restrictions,
        stage=plan.stage,
        target=target,
        minutes=plan.minutes,
    )


def _why_excluded(restrictions: Restrictions, technique: TechniqueData) -> str:
    return why_not_permitted(
        restrictions,
        position=technique.position,
        tool=technique.tool,
        traits=technique.traits,
        min_pressure=technique.min_pressure,
    )


def _unique(texts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(text for text in texts if text))
