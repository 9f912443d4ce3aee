import json
import re

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import Position, Restrictions, Stage, Trait
from intake.rules import HypothesisKind
from intake.rules.screening import ScreeningAnswers
from sessions.documents import home_care
from sessions.documents.home_care import (
    caution_conditions,
    client_conditions,
    ice_heat_advice,
    sheet_cautions,
    sheet_exercises,
    sheet_items_cautioned,
)
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


def _kept(
    slugs,
    restrictions=NOTHING_EXCLUDED,
    stage=Stage.STRENGTHENING,
    kind=HypothesisKind.NEURAL_COMPRESSION,
):
    items = [_item(slug) for slug in slugs]
    kept = sheet_exercises(
        items=items, library=BY_SLUG, restrictions=restrictions, stage=stage, kind=kind
    )
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


NERVE_EXERCISES = ["seated-nerve-flossing", "sciatic-nerve-glide", "sciatic-nerve-slider-home"]


@pytest.mark.parametrize(
    ("kind", "kept"),
    [
        (HypothesisKind.ENTRAPMENT_PIRIFORMIS, NERVE_EXERCISES),
        (HypothesisKind.NEURAL_COMPRESSION, NERVE_EXERCISES),
        (HypothesisKind.IRRITATION_UNCLEAR, ["sciatic-nerve-slider-home"]),
        (HypothesisKind.MUSCULAR_HAMSTRING, []),
        (HypothesisKind.UNDETERMINED, []),
    ],
)
def test_todays_hypothesis_decides_which_nerve_exercises_reach_the_sheet(kind, kept):
    """Clinical rules §7.1: a plan accepted when the nerve was involved, printed after the
    tests pointed to the muscle, leaves its nerve exercises off."""
    assert _kept([*NERVE_EXERCISES, "bridge"], kind=kind) == [*kept, "bridge"]


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


# Cautions: the ones for this client's conditions, and the general ones (clinical rules §7, §2.3).

GENERAL = "Move slowly and stop if the leg pain comes on."
GENERAL_AFTER = "Keep breathing."
# One sentence per condition, as the library writes them.
ABOUT = {
    "pregnant": "Later in pregnancy do this on your side.",
    "osteoporosis": "Not if you have fragile bones.",
    "clotting_disorder_or_anticoagulants": "Not if you take blood thinners or bruise easily.",
    "muscle_relaxants": "On muscle relaxants, ask your therapist first.",
    "diabetes_or_neuropathy": "If your skin has reduced feeling (for example with diabetes), "
    "check it often.",
    "previous_back_surgery": "After back surgery, keep off the scar.",
    "high_blood_pressure": "With high blood pressure, do not hold your breath.",
    "athlete": "As an athlete, wait a day after hard training.",
    home_care.OLDER_ADULT: "As an older adult, keep a chair within reach.",
}
EVERY_CAUTION = " ".join([GENERAL, *ABOUT.values(), GENERAL_AFTER])
SHIPPED_EXERCISES = [
    item["fields"]
    for item in json.loads((settings.BASE_DIR / "fixtures" / "library.json").read_text())
    if item["model"] == "protocols.homecareexercise"
]


def test_every_condition_has_its_words_and_a_sample():
    assert set(home_care.CAUTION_CONDITION_WORDS) == set(home_care.CONDITIONS) == set(ABOUT)


@pytest.mark.parametrize("condition", home_care.CONDITIONS)
def test_each_sample_sentence_names_exactly_its_condition(condition):
    assert caution_conditions(ABOUT[condition]) == {condition}


@pytest.mark.parametrize("condition", home_care.CONDITIONS)
def test_a_client_with_one_condition_gets_its_caution_and_the_general_ones(condition):
    kept = sheet_cautions(cautions=EVERY_CAUTION, conditions=frozenset({condition}))

    assert kept == f"{GENERAL} {ABOUT[condition]} {GENERAL_AFTER}"


def test_a_client_without_conditions_gets_only_the_general_cautions():
    assert sheet_cautions(cautions=EVERY_CAUTION, conditions=frozenset()) == (
        f"{GENERAL} {GENERAL_AFTER}"
    )


def test_a_client_with_every_condition_gets_every_caution():
    everything = frozenset(home_care.CONDITIONS)
    assert sheet_cautions(cautions=EVERY_CAUTION, conditions=everything) == EVERY_CAUTION


@pytest.mark.parametrize(
    ("conditions", "kept"),
    [
        (frozenset(), False),
        (frozenset({"osteoporosis"}), True),
        (frozenset({"clotting_disorder_or_anticoagulants"}), True),
        (frozenset({"osteoporosis", "clotting_disorder_or_anticoagulants"}), True),
        (frozenset({"pregnant"}), False),
    ],
)
def test_a_sentence_naming_two_conditions_is_for_a_client_with_either(conditions, kept):
    sentence = "Not if you take blood thinners or have fragile bones."

    result = sheet_cautions(cautions=f"{GENERAL} {sentence}", conditions=conditions)

    assert result == (f"{GENERAL} {sentence}" if kept else GENERAL)


@pytest.mark.parametrize("cautions", ["", "   "])
def test_no_cautions_stay_none(cautions):
    assert sheet_cautions(cautions=cautions, conditions=frozenset(home_care.CONDITIONS)) == ""


@pytest.mark.parametrize(
    "question", [name for name in home_care.CONDITIONS if name != home_care.OLDER_ADULT]
)
def test_each_relative_contraindication_answered_yes_is_a_condition(question):
    answers = ScreeningAnswers(**{question: True})
    assert client_conditions(answers=answers, age=40) == {question}


@pytest.mark.parametrize(("age", "older"), [(40, False), (64, False), (65, True), (80, True)])
def test_the_older_adult_condition_comes_from_the_age(age, older):
    conditions = client_conditions(answers=ScreeningAnswers(), age=age)
    assert conditions == ({home_care.OLDER_ADULT} if older else set())


def test_red_flags_and_absolute_contraindications_are_not_caution_conditions():
    answers = ScreeningAnswers(night_pain=True, infection_or_wound=True)
    assert client_conditions(answers=answers, age=30) == frozenset()


@pytest.mark.parametrize("exercise", SHIPPED_EXERCISES, ids=lambda e: e["slug"])
def test_the_shipped_cautions_lose_nothing_for_a_client_with_every_condition(exercise):
    cautions = " ".join(exercise["cautions"].split())
    everything = frozenset(home_care.CONDITIONS)
    assert sheet_cautions(cautions=cautions, conditions=everything) == cautions


@pytest.mark.parametrize("exercise", SHIPPED_EXERCISES, ids=lambda e: e["slug"])
def test_the_shipped_cautions_for_a_client_without_conditions_name_none(exercise):
    kept = sheet_cautions(cautions=exercise["cautions"], conditions=frozenset()).lower()

    for words in home_care.CAUTION_CONDITION_WORDS.values():
        assert not any(word in kept for word in words)


@pytest.mark.parametrize(
    ("slug", "condition", "sentence"),
    [
        ("heat-pack", "pregnant", "Not on the belly in pregnancy."),
        ("heat-pack", "diabetes_or_neuropathy", "If your skin has reduced feeling"),
        ("ice-pack", "diabetes_or_neuropathy", "If your skin has reduced feeling"),
        ("tennis-ball-piriformis-release", "clotting_disorder_or_anticoagulants", "blood thinners"),
        ("foam-roll-glutes", "osteoporosis", "fragile bones"),
        ("modified-plank", "pregnant", "Not during pregnancy."),
        ("dead-bug", "pregnant", "Later in pregnancy"),
    ],
)
def test_a_shipped_condition_caution_is_printed_only_with_the_condition(slug, condition, sentence):
    exercise = next(e for e in SHIPPED_EXERCISES if e["slug"] == slug)

    with_it = sheet_cautions(cautions=exercise["cautions"], conditions=frozenset({condition}))
    without = sheet_cautions(cautions=exercise["cautions"], conditions=frozenset())

    assert sentence in with_it
    assert sentence not in without
    assert without  # the general advice of every shipped exercise stays


@given(
    exercise=st.sampled_from(SHIPPED_EXERCISES),
    fewer=st.frozensets(st.sampled_from(home_care.CONDITIONS)),
    more=st.frozensets(st.sampled_from(home_care.CONDITIONS)),
)
def test_more_conditions_never_print_fewer_cautions(exercise, fewer, more):
    small = sheet_cautions(cautions=exercise["cautions"], conditions=fewer)
    large = sheet_cautions(cautions=exercise["cautions"], conditions=fewer | more)

    assert _sentences(small) <= _sentences(large) <= _sentences(exercise["cautions"])


def _sentences(text: str) -> set[str]:
    return set(re.split(r"(?<=[.!?])\s+", text.strip())) - {""}


def test_the_items_keep_everything_but_their_cautions():
    item = _item("bridge")
    item = HomeCareItem(**{**item.__dict__, "cautions": EVERY_CAUTION})

    [cut] = sheet_items_cautioned(items=[item], conditions=frozenset({"pregnant"}))

    assert cut.cautions == f"{GENERAL} {ABOUT['pregnant']} {GENERAL_AFTER}"
    assert {**cut.__dict__, "cautions": ""} == {**item.__dict__, "cautions": ""}
