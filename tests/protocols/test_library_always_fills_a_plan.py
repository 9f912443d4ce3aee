"""Whatever a client's relative contraindications (DOMAIN 2.3, all 512 combinations with and
without old age), every stage keeps usable work in every block of the session (DOMAIN 5)
and some home care (DOMAIN 7)."""

from __future__ import annotations

from itertools import product

import pytest

from intake.rules import ScreeningAnswers, screening_evaluate
from protocols.library import library_snapshot
from protocols.vocabulary import LibraryPhase, Restrictions, SessionPhase, Stage

CONDITIONS = (
    "pregnant",
    "osteoporosis",
    "clotting_disorder_or_anticoagulants",
    "muscle_relaxants",
    "diabetes_or_neuropathy",
    "previous_back_surgery",
    "high_blood_pressure",
    "athlete",
)


def _every_combination():
    for flags in product((False, True), repeat=len(CONDITIONS)):
        for age in (40, 70):
            answers = ScreeningAnswers(
                **dict(zip(CONDITIONS, flags, strict=True)), pregnancy_weeks=28
            )
            yield screening_evaluate(answers, age=age).restrictions


def _usable_minutes(library, restrictions: Restrictions, stage: Stage, block: SessionPhase) -> int:
    return sum(
        t.max_minutes
        for t in library.techniques
        if stage in t.stages
        and LibraryPhase(t.phase).session_phase == block
        and restrictions.permits(
            position=t.position, tool=t.tool, traits=t.traits, min_pressure=t.min_pressure
        )
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_library")
def test_every_block_can_be_filled_for_every_combination_and_stage():
    library = library_snapshot()
    reference = dict(library.template.phase_minutes)
    for restrictions in set(_every_combination()):
        for stage, block in product(Stage, reference):
            usable = _usable_minutes(library, restrictions, stage, block)
            assert usable >= reference[block], (stage, block, restrictions)


@pytest.mark.django_db
@pytest.mark.usefixtures("shipped_library")
def test_every_stage_keeps_home_care_for_every_combination():
    library = library_snapshot()
    for restrictions in set(_every_combination()):
        for stage in Stage:
            usable = [
                e
                for e in library.exercises
                if stage in e.stages
                and e.position not in restrictions.excluded_positions
                and not e.traits & restrictions.excluded_traits
            ]
            assert len(usable) >= 3, (stage, restrictions)
