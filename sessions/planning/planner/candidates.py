"""The library as the planner reads it: one entry per slug, in the library's order, and the
care stage it has for a stage.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from core.vocabulary import (
    CareStageData,
    ExerciseData,
    Library,
    LibraryPhase,
    Restrictions,
    SessionPhase,
    Stage,
    TechniqueData,
)
from sessions.planning.planner.restrictions import technique_allowed

Entry = TypeVar("Entry", TechniqueData, ExerciseData)

LIBRARY_PHASE_ORDER = {phase: index for index, phase in enumerate(LibraryPhase)}


def library_order(technique: TechniqueData) -> tuple[int, int, str]:
    """Sort key: the library's blocks in order, then its own order within a block."""
    return (LIBRARY_PHASE_ORDER[technique.phase], technique.order, technique.slug)


def allowed_techniques(
    library: Library, *, restrictions: Restrictions, stage: Stage
) -> dict[SessionPhase, list[TechniqueData]]:
    """The techniques this client may have at this stage, per treatment block (warm-up,
    targeted, integration), each block in the library's order."""
    allowed: dict[SessionPhase, list[TechniqueData]] = {
        SessionPhase.WARM_UP: [],
        SessionPhase.TARGETED: [],
        SessionPhase.INTEGRATION: [],
    }
    for technique in sorted(first_of_each_slug(library.techniques), key=library_order):
        if technique_allowed(technique=technique, restrictions=restrictions, stage=stage):
            allowed[LibraryPhase(technique.phase).session_phase].append(technique)
    return allowed


def first_of_each_slug(entries: Iterable[Entry]) -> list[Entry]:
    """The first technique (or exercise) of each slug: a library is keyed by slug."""
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.slug, entry)
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
