"""The library as the planner reads it: one entry per slug, in the library's order, and the
care stage it has for a stage.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.vocabulary import (
    CareStageData,
    ExerciseData,
    Library,
    LibraryPhase,
    Stage,
    TechniqueData,
)

LIBRARY_PHASE_ORDER = {phase: index for index, phase in enumerate(LibraryPhase)}


def library_order(technique: TechniqueData) -> tuple[int, int, str]:
    """Sort key: the library's blocks in order, then its own order within a block."""
    return (LIBRARY_PHASE_ORDER[technique.phase], technique.order, technique.slug)


def unique_techniques(techniques: Iterable[TechniqueData]) -> list[TechniqueData]:
    """The first technique of each slug: a library is keyed by slug."""
    seen: dict[str, TechniqueData] = {}
    for technique in techniques:
        seen.setdefault(technique.slug, technique)
    return list(seen.values())


def unique_exercises(exercises: Iterable[ExerciseData]) -> list[ExerciseData]:
    seen: dict[str, ExerciseData] = {}
    for exercise in exercises:
        seen.setdefault(exercise.slug, exercise)
    return list(seen.values())


def longest_of_each_family(techniques: Iterable[TechniqueData]) -> list[TechniqueData]:
    """One technique per family, the one that can run longest: a plan holds one version
    of each work, so the others add no capacity."""
    longest: dict[str, TechniqueData] = {}
    for technique in techniques:
        kept = longest.get(technique.family)
        if kept is None or technique.max_minutes > kept.max_minutes:
            longest[technique.family] = technique
    return list(longest.values())


def care_stage(library: Library, stage: Stage) -> CareStageData | None:
    return next((data for data in library.stages if data.stage == stage), None)
