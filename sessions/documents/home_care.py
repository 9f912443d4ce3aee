"""The client's home-care sheet (clinical rules §7, §2.1): what it lists, in plain words. Pure functions.

The exercises come from the accepted plan, and are checked again against what the client's
records allow today: an exercise the current restrictions exclude, that today's working
hypothesis rules out (clinical rules §7.1: no nerve exercises for a purely muscular
problem, say), or that the library no longer offers, never reaches the sheet. Each exercise's cautions are cut to the ones that
concern this client (`sheet_cautions`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from core.vocabulary import ExerciseData, Restrictions, Stage, Trait
from intake.rules import HypothesisKind
from intake.rules.screening import (
    OLDER_ADULT_AGE,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
    ScreeningAnswers,
)
from sessions.planning.planner import HomeCareItem, exercise_allowed, why_exercise_unsuited

HOME_CARE_NO_PLAN = (
    "No home-care sheet yet: accept a session plan first; the sheet lists that plan's home care."
)
HOME_CARE_BLOCKED = (
    "No home-care sheet: the latest screening says “{outcome}”. Print the referral letter instead."
)

STOP_RULE = "Stop if tingling or shooting pain increases."
STOP_RULE_EFFORT = "If you are gritting your teeth, you are working too hard."

# Clinical rules §2.1's red flags, as a client would say them.
RED_FLAGS_PLAIN = (
    "You cannot control your bladder or bowels, or you cannot pass urine.",
    "You feel numb between your legs, around your bottom or on your inner thighs "
    "(where you would sit on a saddle).",
    "Your leg or foot is weak, or getting weaker: for example your foot drags or slaps "
    "when you walk.",
    "Pain at night that does not ease, whatever position you lie in.",
    "A sudden, severe change: back or leg pain much worse than before, after a strain or "
    "a “pop” in your back.",
)
RED_FLAGS_ACTION = (
    "Go to an emergency department straight away, or call emergency services. Do not wait "
    "for your next massage appointment."
)

ICE_ONLY = (
    "Use ice, not heat, while the pain is sharp and new: 20 minutes at a time, up to 3 times a day."
)
HEAT_ONLY = (
    "Use gentle warmth, not ice, for tight, aching muscles: a warm (not hot) pack for "
    "15 to 20 minutes."
)
ICE_THEN_HEAT = (
    "Ice for the first 2 to 3 days of sharp, new pain (20 minutes, up to 3 times a day). "
    "After that, gentle warmth for tight, aching muscles."
)
NO_ICE_NO_HEAT = "No ice packs or heat packs for now. We will talk about them at your next visit."
ICE_HEAT_SKIN = (
    "Always wrap the pack in a thin towel, check your skin every 5 minutes, and never fall "
    "asleep on one."
)


def sheet_exercises(
    *,
    items: Sequence[HomeCareItem],
    library: Mapping[str, ExerciseData],
    restrictions: Restrictions,
    stage: Stage,
    kind: HypothesisKind,
) -> list[HomeCareItem]:
    """The plan's home care that may still be given (clinical rules §7 and §7.1, with §2.3
    and §6).

    An item stays only if the library still has the exercise, `exercise_allowed` (the
    planner's own rule) permits it under today's restrictions at the plan's stage, and
    today's working hypothesis `kind` suits it (`why_exercise_unsuited`, the planner's rule
    too).
    """
    kept = []
    for item in items:
        exercise = library.get(item.exercise_slug)
        if (
            exercise is not None
            and exercise_allowed(exercise=exercise, restrictions=restrictions, stage=stage)
            and not why_exercise_unsuited(exercise, kind=kind)
        ):
            kept.append(item)
    return kept


def ice_heat_advice(*, restrictions: Restrictions) -> tuple[str, ...]:
    """Ice or heat, as the restrictions allow (clinical rules §7: ice for the first 48-72 hours of
    sharp acute pain, heat for chronic tightness; clinical rules §6: in week 1, ice 20 minutes, three
    times a day). The skin check always applies: reduced sensation is common (clinical rules §2.3)."""
    ice = Trait.ICE not in restrictions.excluded_traits
    heat = Trait.HEAT not in restrictions.excluded_traits
    if ice and heat:
        advice = ICE_THEN_HEAT
    elif ice:
        advice = ICE_ONLY
    elif heat:
        advice = HEAT_ONLY
    else:
        return (NO_ICE_NO_HEAT,)
    return (advice, ICE_HEAT_SKIN)


# The conditions of clinical rules §2.3 a caution can be about: the relative-contraindication
# questions of the screening, and the older-adult row (from the date of birth).
OLDER_ADULT = "older_adult"
CONDITIONS = tuple(q.name for q in RELATIVE_CONTRAINDICATION_QUESTIONS) + (OLDER_ADULT,)

# The words by which a caution sentence of the library names a condition, lower case. A
# sentence naming none of them is general and is printed for every client.
CAUTION_CONDITION_WORDS: Mapping[str, tuple[str, ...]] = {
    "pregnant": ("pregnan",),
    "osteoporosis": ("osteoporosis", "fragile bones"),
    "clotting_disorder_or_anticoagulants": (
        "blood thinner",
        "anticoagulant",
        "clotting disorder",
        "bruise easily",
    ),
    "muscle_relaxants": ("muscle relaxant",),
    "diabetes_or_neuropathy": ("diabetes", "neuropathy", "reduced feeling", "reduced sensation"),
    "previous_back_surgery": ("back surgery", "back-surgery", "surgical scar"),
    "high_blood_pressure": ("blood pressure",),
    "athlete": ("athlete",),
    OLDER_ADULT: ("older adult", "over 65"),
}

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def client_conditions(*, answers: ScreeningAnswers, age: int) -> frozenset[str]:
    """The client's conditions of clinical rules §2.3 (names in `CONDITIONS`): each relative
    contraindication the screening answered yes, and `OLDER_ADULT` from 65 years of age."""
    conditions = {q.name for q in RELATIVE_CONTRAINDICATION_QUESTIONS if getattr(answers, q.name)}
    if age >= OLDER_ADULT_AGE:
        conditions.add(OLDER_ADULT)
    return frozenset(conditions)


def caution_conditions(sentence: str) -> frozenset[str]:
    """The conditions (`CONDITIONS`) a caution sentence names; empty for a general one."""
    text = sentence.lower()
    return frozenset(
        condition
        for condition, words in CAUTION_CONDITION_WORDS.items()
        if any(word in text for word in words)
    )


def sheet_cautions(*, cautions: str, conditions: frozenset[str]) -> str:
    """The sentences of an exercise's cautions that concern this client, in their order.

    Home care obeys the same restrictions as the plan (clinical rules §7 with §2.3): a
    caution about a condition (pregnancy, osteoporosis, blood thinners, diabetes...) is
    printed only for a client with that condition, and a sentence naming several is printed
    when the client has any of them. A sentence naming no condition (how to do the exercise
    safely, when to stop) is for everyone. Errs toward printing: a sentence whose condition
    is not recognised counts as general. The stop rule and the red-flag box (clinical rules
    §7) are on every sheet, outside these cautions.
    """
    kept = [
        sentence
        for sentence in _SENTENCE_END.split(cautions.strip())
        if sentence and (not (named := caution_conditions(sentence)) or named & conditions)
    ]
    return " ".join(kept)


def sheet_items_cautioned(
    *, items: Sequence[HomeCareItem], conditions: frozenset[str]
) -> list[HomeCareItem]:
    """The items with their cautions cut to this client's conditions (`sheet_cautions`)."""
    return [
        replace(item, cautions=sheet_cautions(cautions=item.cautions, conditions=conditions))
        for item in items
    ]
