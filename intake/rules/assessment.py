"""Assessment tests and the working hypothesis (clinical rules §3, §3.1): what each reading
means, and what the tests together suggest. They guide the massage; they are not a diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from core.vocabulary import (
    Finding,
)


class HypothesisKind(models.TextChoices):
    """The working hypotheses of clinical rules §3.1."""

    ENTRAPMENT_PIRIFORMIS = "entrapment_piriformis", "Soft-tissue entrapment (piriformis)"
    NEURAL_COMPRESSION = "neural_compression", "Neural involvement, likely compression (disc)"
    IRRITATION_UNCLEAR = "irritation_unclear", "Nerve irritation, source unclear"
    MUSCULAR_HAMSTRING = "muscular_hamstring", "Muscular (hamstring / gluteus minimus referral)"
    UNDETERMINED = "undetermined", "Not enough findings yet"


# Clinical rules §3.1 "what massage does", and the scope statement for compression sources.
HYPOTHESIS_ADVICE = {
    HypothesisKind.ENTRAPMENT_PIRIFORMIS: (
        "Curative soft-tissue work on the deep rotators, glutes and hamstrings."
    ),
    HypothesisKind.NEURAL_COMPRESSION: (
        "Manage secondary spasm and guarding only; gentle neural mobilisation; no aggressive "
        "stretching; suggest medical follow-up. Disc herniation, stenosis, bone spurs and "
        "spondylolisthesis are outside massage scope: massage does not fix them."
    ),
    HypothesisKind.IRRITATION_UNCLEAR: "Cautious plan; reassess at the next visit.",
    HypothesisKind.MUSCULAR_HAMSTRING: (
        "Soft-tissue plan for the hamstrings and gluteus minimus (trigger-point referral)."
    ),
    HypothesisKind.UNDETERMINED: "General plan; complete the assessment tests to focus it.",
}

# Every record of the tests carries this (clinical rules §3).
NOT_A_DIAGNOSIS = "These tests guide the massage; they are not a medical diagnosis."


@dataclass(frozen=True)
class Hypothesis:
    """The result of `hypothesis_evaluate`: guides the massage, is not a medical diagnosis.

    `findings` tell the planner what to favour; `medical_follow_up` asks the plan to
    suggest it (and makes a referral letter available).
    """

    kind: HypothesisKind
    findings: frozenset[Finding] = frozenset({Finding.GENERAL})
    reasons: tuple[str, ...] = ()
    medical_follow_up: bool = False

    @property
    def advice(self) -> str:
        """What massage does for this hypothesis (clinical rules §3.1, third column)."""
        return HYPOTHESIS_ADVICE[self.kind]


# ---------------------------------------------------------------------------------------
# Assessment tests (clinical rules §3)


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"


class SlrPain(models.TextChoices):
    """Where the straight leg raise sends the pain (clinical rules §3, SLR "record")."""

    NONE = "none", "No pain up to 90°"
    HAMSTRING_ONLY = "hamstring_only", "Back of the thigh only (hamstring)"
    PAST_KNEE = "past_knee", "Down the leg, past the knee"


class PainQuality(models.TextChoices):
    STRETCH = "stretch", "Stretch / pulling"
    SHOOTING = "shooting", "Shooting / electric"


class ReadingResult(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"
    NOT_NEURAL = "not_neural", "Not neural (muscle tightness)"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


SLR_POSITIVE_MIN_ANGLE = 30
SLR_POSITIVE_MAX_ANGLE = 70

SLR_ANGLE_OUT_OF_RANGE = "The hip angle at pain onset must be between 0 and 90 degrees."
SLR_ANGLE_REQUIRED = "Give the hip angle at which the pain started."
SLR_QUALITY_REQUIRED = "Say whether the pain felt like a stretch or shooting/electric."
SLR_NO_PAIN_WITH_DETAILS = "No pain was recorded: leave the angle and the quality empty."
BRAGARD_REQUIRES_POSITIVE_SLR = (
    "Bragard's test is done only after a positive straight leg raise on the same side."
)


@dataclass(frozen=True)
class SlrFinding:
    """A straight leg raise as recorded (clinical rules §3): the angle and quality only when it hurt."""

    side: Side
    pain: SlrPain
    onset_angle: int | None = None
    quality: PainQuality | None = None

    def __post_init__(self) -> None:
        if self.pain == SlrPain.NONE:
            if self.onset_angle is not None or self.quality is not None:
                raise ValueError(SLR_NO_PAIN_WITH_DETAILS)
            return
        if self.onset_angle is None:
            raise ValueError(SLR_ANGLE_REQUIRED)
        if not 0 <= self.onset_angle <= 90:
            raise ValueError(SLR_ANGLE_OUT_OF_RANGE)
        if self.quality is None:
            raise ValueError(SLR_QUALITY_REQUIRED)


@dataclass(frozen=True)
class BragardFinding:
    """Bragard's test (clinical rules §3): did dorsiflexion bring the pain back."""

    side: Side
    pain_returned: bool


@dataclass(frozen=True)
class PiriformisFinding:
    """The piriformis test (clinical rules §3): buttock pain and/or radiating pain on adduction."""

    side: Side
    buttock_pain: bool
    radiating_pain: bool


@dataclass(frozen=True)
class Reading:
    """A test's interpretation: the result and one sentence saying why."""

    result: ReadingResult
    text: str


def slr_interpret(slr: SlrFinding) -> Reading:
    """Straight leg raise (clinical rules §3): positive is shooting pain past the knee
    between 30 and 70 degrees (sciatic nerve irritation, possibly disc). Pain only in the
    hamstring, or a stretch feeling, is tight hamstrings: not neural. Shooting pain past the
    knee outside 30-70 degrees does not meet the sign: inconclusive."""
    side = Side(slr.side).label.lower()
    if slr.pain == SlrPain.NONE:
        return Reading(ReadingResult.NEGATIVE, f"No pain on the {side} up to 90°.")
    at = f"at {slr.onset_angle}°"
    if slr.pain == SlrPain.HAMSTRING_ONLY:
        return Reading(
            ReadingResult.NOT_NEURAL,
            f"Pain only in the {side} hamstring {at}: tight hamstrings, not neural.",
        )
    if slr.quality == PainQuality.STRETCH:
        return Reading(
            ReadingResult.NOT_NEURAL,
            f"A stretch feeling past the {side} knee {at}: tightness, not neural.",
        )
    if SLR_POSITIVE_MIN_ANGLE <= slr.onset_angle <= SLR_POSITIVE_MAX_ANGLE:
        return Reading(
            ReadingResult.POSITIVE,
            f"Shooting pain past the {side} knee {at}: sciatic nerve irritation, possibly disc.",
        )
    return Reading(
        ReadingResult.INCONCLUSIVE,
        f"Shooting pain past the {side} knee {at}, outside 30-70°: inconclusive, retest.",
    )


def bragard_allowed(*, slr: SlrFinding | None, side: Side) -> bool:
    """Bragard's test follows a positive SLR on the same side only (clinical rules §3)."""
    return (
        slr is not None and slr.side == side and slr_interpret(slr).result == ReadingResult.POSITIVE
    )


def bragard_interpret(bragard: BragardFinding) -> Reading:
    """Bragard's (clinical rules §3): pain returning on dorsiflexion means neural involvement rather
    than muscle tightness."""
    side = Side(bragard.side).label.lower()
    if bragard.pain_returned:
        return Reading(
            ReadingResult.POSITIVE,
            f"Pain returned on {side} dorsiflexion: neural involvement, not muscle tightness.",
        )
    return Reading(
        ReadingResult.NEGATIVE, f"No pain on {side} dorsiflexion: neural tension not confirmed."
    )


def piriformis_interpret(piriformis: PiriformisFinding) -> Reading:
    """Piriformis test (clinical rules §3): buttock or radiating pain means the piriformis is tight and
    possibly entrapping the nerve."""
    side = Side(piriformis.side).label.lower()
    where = [
        label
        for label, present in (
            ("buttock pain", piriformis.buttock_pain),
            ("radiating pain", piriformis.radiating_pain),
        )
        if present
    ]
    if where:
        return Reading(
            ReadingResult.POSITIVE,
            f"{' and '.join(where).capitalize()} on the {side}: piriformis tight, possibly "
            "entrapping the nerve.",
        )
    return Reading(ReadingResult.NEGATIVE, f"No pain on the {side}.")


# Reasons the hypothesis gives when the tests do not fill a row of the table.
HYPOTHESIS_NO_TESTS = "No assessment tests recorded."
HYPOTHESIS_NEEDS_SLR = "Straight leg raise not done: it tells entrapment from compression."
HYPOTHESIS_NEEDS_PIRIFORMIS = (
    "Piriformis test not done: it tells hamstring tightness from piriformis entrapment."
)
HYPOTHESIS_SIDES_DIFFER = (
    "Straight leg raise and piriformis test were done on different sides: retest on the "
    "painful side."
)
HYPOTHESIS_ALL_NEGATIVE = "All tests negative and no hamstring pain: no pattern from the tests."
HYPOTHESIS_BRAGARD_NOT_DONE = "Bragard's test not done: the source of the irritation is unclear."


def hypothesis_evaluate(
    *,
    slr: SlrFinding | None,
    bragard: BragardFinding | None,
    piriformis: PiriformisFinding | None,
) -> Hypothesis:
    """The working hypothesis from the tests (clinical rules §3.1, "entrapment versus
    compression"). A positive SLR outranks the piriformis test (neural first):

    | SLR | Bragard | piriformis | hypothesis |
    | positive | positive | any | neural compression: {NEURAL}, medical follow-up |
    | positive (or shooting past the knee outside 30-70°) | negative / not done | any |
      irritation, source unclear: {NEURAL} (+ PIRIFORMIS if positive) |
    | negative or not neural | - | positive | entrapment: {PIRIFORMIS, GLUTEUS_MINIMUS} |
    | not neural (hamstring / stretch) | - | negative | muscular: {HAMSTRING, GLUTEUS_MINIMUS} |

    Anything else is UNDETERMINED with reasons saying which test is missing. A Bragard
    without a positive SLR on its side is a ValueError (the form refuses it first).
    """
    if bragard is not None and not bragard_allowed(slr=slr, side=bragard.side):
        raise ValueError(BRAGARD_REQUIRES_POSITIVE_SLR)
    slr_reading = slr_interpret(slr) if slr else None
    piri_reading = piriformis_interpret(piriformis) if piriformis else None
    piri_positive = piri_reading is not None and piri_reading.result == ReadingResult.POSITIVE
    readings = [r.text for r in (slr_reading, piri_reading) if r]

    if slr_reading is None:
        if piri_reading is None:
            return Hypothesis(HypothesisKind.UNDETERMINED, reasons=(HYPOTHESIS_NO_TESTS,))
        return Hypothesis(
            HypothesisKind.UNDETERMINED, reasons=(piri_reading.text, HYPOTHESIS_NEEDS_SLR)
        )

    if slr_reading.result == ReadingResult.POSITIVE and bragard is not None:
        bragard_reading = bragard_interpret(bragard)
        readings.insert(1, bragard_reading.text)
        if bragard_reading.result == ReadingResult.POSITIVE:
            return Hypothesis(
                HypothesisKind.NEURAL_COMPRESSION,
                findings=frozenset({Finding.NEURAL}),
                reasons=tuple(readings),
                medical_follow_up=True,
            )
    if slr_reading.result in (ReadingResult.POSITIVE, ReadingResult.INCONCLUSIVE):
        if slr_reading.result == ReadingResult.POSITIVE and bragard is None:
            readings.append(HYPOTHESIS_BRAGARD_NOT_DONE)
        findings = {Finding.NEURAL} | ({Finding.PIRIFORMIS} if piri_positive else set())
        return Hypothesis(
            HypothesisKind.IRRITATION_UNCLEAR, findings=frozenset(findings), reasons=tuple(readings)
        )

    # The SLR is negative or not neural from here on.
    if piri_reading is None:
        return Hypothesis(
            HypothesisKind.UNDETERMINED, reasons=(slr_reading.text, HYPOTHESIS_NEEDS_PIRIFORMIS)
        )
    if piriformis.side != slr.side:
        return Hypothesis(HypothesisKind.UNDETERMINED, reasons=(*readings, HYPOTHESIS_SIDES_DIFFER))
    if piri_positive:
        return Hypothesis(
            HypothesisKind.ENTRAPMENT_PIRIFORMIS,
            findings=frozenset({Finding.PIRIFORMIS, Finding.GLUTEUS_MINIMUS}),
            reasons=tuple(readings),
        )
    if slr_reading.result == ReadingResult.NOT_NEURAL:
        return Hypothesis(
            HypothesisKind.MUSCULAR_HAMSTRING,
            findings=frozenset({Finding.HAMSTRING, Finding.GLUTEUS_MINIMUS}),
            reasons=tuple(readings),
        )
    return Hypothesis(HypothesisKind.UNDETERMINED, reasons=(*readings, HYPOTHESIS_ALL_NEGATIVE))
