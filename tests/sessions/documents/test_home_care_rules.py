import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import Position, Restrictions, Stage, Trait
from sessions.documents import home_care
from sessions.documents.home_care import ice_heat_advice, sheet_exercises
from sessions.planning.planner import HomeCareItem
from tests.sessions.planning.planner.library import LIBRARY

BY_SLUG = {exercise.slug: exercise for exercise in LIBRARY.exercises}


def _item(slug: str) -> HomeCareItem:
    exercise = BY_SLUG.get(slug)
    return HomeCareItem(
        exercise_slug=slug,
        name=exercise.name if exercise else slug,
        purpose="",
        instructions="",
        dosage="",
        cautions="",
        reason="",
    )


NOTHING_EXCLUDED = Restrictions()


def _kept(slugs, restrictions=NOTHING_EXCLUDED, stage=Stage.STRENGTHENING):
    items = [_item(slug) for slug in slugs]
    kept = sheet_exercises(items=items, library=BY_SLUG, restrictions=restrictions, stage=stage)
    return [item.exercise_slug for item in kept]


def test_permitted_exercises_are_kept_in_the_plans_order():
    assert _kept(["bridge", "dead-bug", "cat-cow"]) == ["bridge", "dead-bug", "cat-cow"]


def test_an_excluded_position_drops_the_exercise():
    no_prone = Restrictions(excluded_positions=frozenset({Position.PRONE}))
    assert _kept(["modified-plank", "bridge"], no_prone) == ["bridge"]


def test_an_excluded_trait_drops_the_exercise():
    no_stretch = Restrictions(excluded_traits=frozenset({Trait.STRETCH}))
    assert _kept(["cat-cow", "figure-4-stretch", "bridge"], no_stretch) == ["bridge"]


def test_an_exercise_of_another_stage_is_dropped():
    assert _kept(["ice-pack", "heat-pack"], stage=Stage.STRENGTHENING) == ["heat-pack"]


def test_an_exercise_the_library_no_longer_has_is_dropped():
    assert _kept(["retired-exercise", "bridge"]) == ["bridge"]


@given(
    slugs=st.lists(st.sampled_from(sorted(BY_SLUG)), unique=True),
    positions=st.frozensets(st.sampled_from(Position)),
    traits=st.frozensets(st.sampled_from(Trait)),
    stage=st.sampled_from(Stage),
)
def test_no_excluded_exercise_ever_reaches_the_sheet(slugs, positions, traits, stage):
    restrictions = Restrictions(excluded_positions=positions, excluded_traits=traits)

    for slug in _kept(slugs, restrictions, stage):
        exercise = BY_SLUG[slug]
        assert exercise.position not in positions
        assert not exercise.traits & traits
        assert stage in exercise.stages


@pytest.mark.parametrize(
    ("excluded", "advice"),
    [
        (frozenset(), (home_care.ICE_THEN_HEAT, home_care.ICE_HEAT_SKIN)),
        (frozenset({Trait.HEAT}), (home_care.ICE_ONLY, home_care.ICE_HEAT_SKIN)),
        (frozenset({Trait.ICE}), (home_care.HEAT_ONLY, home_care.ICE_HEAT_SKIN)),
        (frozenset({Trait.ICE, Trait.HEAT}), (home_care.NO_ICE_NO_HEAT,)),
    ],
)
def test_ice_and_heat_follow_the_restrictions(excluded, advice):
    assert ice_heat_advice(restrictions=Restrictions(excluded_traits=excluded)) == advice


def test_the_red_flag_box_covers_the_five_red_flags_of_domain_2_1():
    text = " ".join(home_care.RED_FLAGS_PLAIN).lower()

    assert len(home_care.RED_FLAGS_PLAIN) == 5
    for words in ("bladder or bowels", "saddle", "weak", "at night", "sudden, severe"):
        assert words in text
