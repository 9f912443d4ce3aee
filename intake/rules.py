"""Screening and assessment rules (clinical rules §2 and §3): pure functions over plain data.

No ORM and no request here: views and services turn records into these inputs, and the
planner consumes the `Triage` and `Hypothesis` these functions return.

- `screening_evaluate(answers, *, age)` -> `Triage` (clinical rules §2.1-2.3)
- `slr_interpret`, `bragard_interpret`, `piriformis_interpret` -> `Reading` (clinical rules §3)
- `hypothesis_evaluate(*, slr, bragard, piriformis)` -> `Hypothesis` (clinical rules §3.1)
- `age_on`, `pain_chronicity` (clinical rules §2.3 "older adult", 2.4 "acute vs chronic")
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db import models

from core.vocabulary import (
    Finding,
    Modification,
    Position,
    Pressure,
    Restrictions,
    Tool,
    Trait,
)


class TriageOutcome(models.TextChoices):
    """What screening allows today (clinical rules §2.1-2.3), most severe first."""

    REFER_NOW = "refer_now", "Refer now: do not treat"
    DO_NOT_TREAT = "do_not_treat", "Do not treat today"
    TREAT_WITH_MODIFICATIONS = "treat_modified", "Treat with modifications"
    TREAT = "treat", "Treat"


# What the therapist does next, per outcome (shown on the chart beside the reasons).
ACTION_EMERGENCY = "Emergency: send the client to the emergency department today. No massage."
ACTION_REFER = "Refer to a physician now. No massage until the client has been seen."
ACTION_DO_NOT_TREAT = (
    "No massage this visit. Reschedule once the condition has resolved or is cleared."
)
ACTION_TREAT_WITH_MODIFICATIONS = "Treat, respecting the modifications listed."
ACTION_TREAT = "No contraindications reported: treat."


@dataclass(frozen=True)
class Triage:
    """The result of `screening_evaluate`.

    `reasons` name the answers that led to the outcome, in words for the chart and the
    referral letter; `restrictions` is what a plan must respect (empty unless treating
    with modifications); `emergency` is True for suspected cauda equina (emergency
    department today) as opposed to "see a physician soon".
    """

    outcome: TriageOutcome
    reasons: tuple[str, ...] = ()
    restrictions: Restrictions = Restrictions()
    emergency: bool = False

    @property
    def blocks_treatment(self) -> bool:
        return self.outcome in (TriageOutcome.REFER_NOW, TriageOutcome.DO_NOT_TREAT)

    @property
    def action(self) -> str:
        """The next step in words: emergency department, physician, no massage, or treat."""
        if self.emergency:
            return ACTION_EMERGENCY
        return {
            TriageOutcome.REFER_NOW: ACTION_REFER,
            TriageOutcome.DO_NOT_TREAT: ACTION_DO_NOT_TREAT,
            TriageOutcome.TREAT_WITH_MODIFICATIONS: ACTION_TREAT_WITH_MODIFICATIONS,
            TriageOutcome.TREAT: ACTION_TREAT,
        }[self.outcome]


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
# Screening (clinical rules §2.1-2.3)


@dataclass(frozen=True)
class ScreeningQuestion:
    """One yes/no screening question: `name` is the `ScreeningAnswers` field (and the model
    field), `question` is asked aloud, `reason` names a yes on the chart and the letter."""

    name: str
    question: str
    reason: str


# Clinical rules §2.1. Asked explicitly: clients do not
# volunteer saddle numbness.
RED_FLAG_QUESTIONS = (
    ScreeningQuestion(
        "bladder_bowel_change",
        "New loss of bladder or bowel control, or difficulty passing urine?",
        "New loss of bladder or bowel control (or retention)",
    ),
    ScreeningQuestion(
        "saddle_anaesthesia",
        "Numbness in the groin, inner thighs or around the back passage (saddle area)?",
        "Saddle anaesthesia: numbness in the groin, inner thighs or perineum",
    ),
    ScreeningQuestion(
        "progressive_weakness",
        "Severe or worsening weakness in the legs (e.g. a foot drop getting worse)?",
        "Severe or progressive weakness in the legs",
    ),
    ScreeningQuestion(
        "night_pain",
        "Pain at night that does not ease with rest or any change of position?",
        "Unrelenting night pain",
    ),
    ScreeningQuestion(
        "suspected_sequestration",
        "Has a physician suspected a disc fragment has broken off (sequestration)?",
        "Suspected disc sequestration (a fragment broken off the disc)",
    ),
)

# Clinical rules §2.1: the first three red flags together point to cauda equina syndrome, and
# any one of them is reason enough to send the client to the emergency department today.
CAUDA_EQUINA_SIGNS = frozenset(
    {"bladder_bowel_change", "saddle_anaesthesia", "progressive_weakness"}
)
# Clinical rules §2.1: a suspected sequestration (a broken-off disc fragment) is an emergency
# too, so it goes to the emergency department like the cauda equina signs.
EMERGENCY_RED_FLAGS = CAUDA_EQUINA_SIGNS | {"suspected_sequestration"}

# Clinical rules §2.2. Suspected cauda equina is listed there too; it is the same
# emergency as the signs above, so a yes refers now rather than only cancelling the visit.
ABSOLUTE_CONTRAINDICATION_QUESTIONS = (
    ScreeningQuestion(
        "acute_inflammation",
        "Acute inflammatory condition in the treatment area (hot, red, swollen)?",
        "Acute inflammatory condition in the treatment area",
    ),
    ScreeningQuestion(
        "infection_or_wound",
        "Active infection, open wound or burn in the treatment area?",
        "Active infection, open wound or burn in the treatment area",
    ),
    ScreeningQuestion(
        "severe_cardiovascular",
        "Severe cardiovascular condition (e.g. unstable heart disease, suspected deep vein "
        "thrombosis)?",
        "Severe cardiovascular condition",
    ),
    ScreeningQuestion(
        "recent_surgery_without_clearance",
        "Recent surgery, without medical clearance for massage?",
        "Recent surgery without medical clearance",
    ),
    ScreeningQuestion(
        "suspected_cauda_equina",
        "Has a physician suspected cauda equina syndrome?",
        "Suspected cauda equina syndrome (reported by a physician)",
    ),
)
EMERGENCY_CONTRAINDICATIONS = frozenset({"suspected_cauda_equina"})

# Clinical rules §2.3. Age is not asked: it comes from the date of birth.
RELATIVE_CONTRAINDICATION_QUESTIONS = (
    ScreeningQuestion("pregnant", "Pregnant?", "Pregnancy"),
    ScreeningQuestion("osteoporosis", "Osteoporosis?", "Osteoporosis"),
    ScreeningQuestion(
        "clotting_disorder_or_anticoagulants",
        "Blood clotting disorder, or taking anticoagulants (blood thinners)?",
        "Clotting disorder or anticoagulants",
    ),
    ScreeningQuestion("muscle_relaxants", "Taking muscle relaxants?", "Muscle relaxants"),
    ScreeningQuestion(
        "diabetes_or_neuropathy",
        "Diabetes or peripheral neuropathy (reduced sensation)?",
        "Diabetes or peripheral neuropathy",
    ),
    ScreeningQuestion(
        "previous_back_surgery",
        "Previous back surgery or scarring in the lower back?",
        "Previous back surgery",
    ),
    ScreeningQuestion("high_blood_pressure", "High blood pressure?", "High blood pressure"),
    ScreeningQuestion(
        "athlete", "Competitive or regular athlete (training for a sport)?", "Athlete"
    ),
)

SCREENING_QUESTIONS = (
    RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS + RELATIVE_CONTRAINDICATION_QUESTIONS
)

MIN_PREGNANCY_WEEKS = 1
MAX_PREGNANCY_WEEKS = 42
OLDER_ADULT_AGE = 65
OLDER_ADULT_MAX_SESSION_MINUTES = 60
HIGH_BLOOD_PRESSURE_MAX_PRONE_MINUTES = 20
# From about 20 weeks lying flat on the back can press on the vena cava (supine hypotension).
PREGNANCY_SUPINE_CAUTION_WEEKS = 20

AGE_NEGATIVE = "Age cannot be negative."
DATE_OF_BIRTH_IN_FUTURE = "The date of birth cannot be in the future."

# Visible plan notes (`Modification.text`), one constant per modification (clinical rules §2.3).
NOTE_PREGNANCY_POSITION = "Side-lying only, no prone work"
NOTE_PREGNANCY_PRESSURE = (
    "Lighter pressure (moderate at most); emphasise gentle stretching and education"
)
NOTE_PREGNANCY_OBSTETRIC = "Coordinate with the obstetric provider"
NOTE_PREGNANCY_SUPINE = (
    "Do not leave the client lying flat on the back: supine work semi-reclined or with a "
    "wedge under the right hip"
)
NOTE_OSTEOPOROSIS = (
    "Gentle pressure only: no deep or heavy compression, no elbow or knuckles, no percussion"
)
NOTE_CLOTTING = (
    "No deep-tissue work, no vigorous friction, no sustained heavy trigger-point pressure "
    "(bruising and bleeding risk)"
)
NOTE_MUSCLE_RELAXANTS = (
    "Awareness: muscle relaxants dull guarding and feedback; moderate pressure at most, "
    "check responses more often"
)
NOTE_DIABETES = (
    "Reduced pressure: feedback is unreliable where sensation is reduced; check the skin "
    "before and after"
)
NOTE_BACK_SURGERY = (
    "Modified positioning (support with pillows); no direct work over the lumbar spine or "
    "scar until cleared"
)
NOTE_OLDER_ADULT = (
    "Gentler pressure (moderate at most) and a session of 60 minutes at most (fatigue)"
)
NOTE_OLDER_ADULT_TRANSFERS = "Fall-safe transfers: help the client on and off the table"
NOTE_HIGH_BLOOD_PRESSURE = (
    "Physician clearance recommended; avoid prolonged prone: at most "
    f"{HIGH_BLOOD_PRESSURE_MAX_PRONE_MINUTES} minutes face-down in all, prone and frog-leg together"
)
NOTE_ATHLETE = "Faster pain-reduction focus; add sport-specific movement notes"


@dataclass(frozen=True)
class ScreeningAnswers:
    """One screening's yes/no answers (clinical rules §2.1-2.3), one field per question above.

    `pregnancy_weeks` qualifies a yes to `pregnant`; it is ignored otherwise.
    """

    # Red flags (clinical rules §2.1)
    bladder_bowel_change: bool = False
    saddle_anaesthesia: bool = False
    progressive_weakness: bool = False
    night_pain: bool = False
    suspected_sequestration: bool = False
    # Absolute contraindications (clinical rules §2.2)
    acute_inflammation: bool = False
    infection_or_wound: bool = False
    severe_cardiovascular: bool = False
    recent_surgery_without_clearance: bool = False
    suspected_cauda_equina: bool = False
    # Relative contraindications (clinical rules §2.3)
    pregnant: bool = False
    pregnancy_weeks: int | None = None
    osteoporosis: bool = False
    clotting_disorder_or_anticoagulants: bool = False
    muscle_relaxants: bool = False
    diabetes_or_neuropathy: bool = False
    previous_back_surgery: bool = False
    high_blood_pressure: bool = False
    athlete: bool = False

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def _yes(answers: ScreeningAnswers, questions: tuple[ScreeningQuestion, ...]):
    return [q for q in questions if getattr(answers, q.name)]


def screening_evaluate(answers: ScreeningAnswers, *, age: int) -> Triage:
    """Triage from a screening (clinical rules §2.1 red flags, §2.2 absolute, §2.3 relative).

    The most severe level that applies wins. Any red flag: REFER_NOW, with every blocking
    answer as a reason; a cauda equina sign (bladder/bowel, saddle anaesthesia,
    progressive weakness, or a physician's suspicion of it) or a suspected disc
    sequestration (clinical rules §2.1: "a medical emergency") makes it an emergency
    (clinical rules §2.1: emergency department today). Else any absolute contraindication:
    DO_NOT_TREAT. Else each relative contraindication, and an age of 65 or more, adds
    its restrictions (merged with `Restrictions.__or__`, so adding a condition never
    loosens the plan): TREAT_WITH_MODIFICATIONS. Else TREAT.
    """
    if age < 0:
        raise ValueError(AGE_NEGATIVE)
    red_flags = _yes(answers, RED_FLAG_QUESTIONS)
    absolutes = _yes(answers, ABSOLUTE_CONTRAINDICATION_QUESTIONS)
    emergency = any(
        q.name in EMERGENCY_RED_FLAGS or q.name in EMERGENCY_CONTRAINDICATIONS
        for q in red_flags + absolutes
    )
    if red_flags or emergency:
        return Triage(
            outcome=TriageOutcome.REFER_NOW,
            reasons=tuple(q.reason for q in red_flags + absolutes),
            emergency=emergency,
        )
    if absolutes:
        return Triage(
            outcome=TriageOutcome.DO_NOT_TREAT, reasons=tuple(q.reason for q in absolutes)
        )
    conditions = relative_restrictions(answers, age=age)
    if not conditions:
        return Triage(outcome=TriageOutcome.TREAT)
    merged = Restrictions()
    for _, restrictions in conditions:
        merged = merged | restrictions
    return Triage(
        outcome=TriageOutcome.TREAT_WITH_MODIFICATIONS,
        reasons=tuple(condition for condition, _ in conditions),
        restrictions=merged,
    )


def relative_restrictions(answers: ScreeningAnswers, *, age: int) -> list[tuple[str, Restrictions]]:
    """Each relative contraindication present, named, with the restrictions it imposes
    (clinical rules §2.3 table, one branch per row; the older-adult row from `age`)."""
    out: list[tuple[str, Restrictions]] = []

    def add(condition: str, notes: tuple[str, ...], **limits) -> None:
        # The note reads "Side-lying only, no prone work: pregnancy, 24 weeks".
        named = condition[0].lower() + condition[1:]
        modifications = tuple(Modification(named, text) for text in notes)
        out.append((condition, Restrictions(notes=modifications, **limits)))

    if answers.pregnant:
        weeks = answers.pregnancy_weeks
        condition = f"Pregnancy, {weeks} weeks" if weeks else "Pregnancy"
        notes = (NOTE_PREGNANCY_POSITION, NOTE_PREGNANCY_PRESSURE, NOTE_PREGNANCY_OBSTETRIC)
        if weeks and weeks >= PREGNANCY_SUPINE_CAUTION_WEEKS:
            notes += (NOTE_PREGNANCY_SUPINE,)
        add(
            condition,
            notes,
            excluded_positions=frozenset({Position.PRONE, Position.PRONE_FROG}),
            pressure_cap=Pressure.MODERATE,
        )
    if answers.osteoporosis:
        add(
            "Osteoporosis",
            (NOTE_OSTEOPOROSIS,),
            pressure_cap=Pressure.LIGHT,
            forbidden_tools=frozenset({Tool.ELBOW, Tool.KNUCKLES}),
            excluded_traits=frozenset({Trait.SUSTAINED_PRESSURE, Trait.PERCUSSION}),
        )
    if answers.clotting_disorder_or_anticoagulants:
        add(
            "Clotting disorder or anticoagulants",
            (NOTE_CLOTTING,),
            pressure_cap=Pressure.MODERATE,
            excluded_traits=frozenset({Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}),
        )
    if answers.muscle_relaxants:
        add("Muscle relaxants", (NOTE_MUSCLE_RELAXANTS,), pressure_cap=Pressure.MODERATE)
    if answers.diabetes_or_neuropathy:
        add("Diabetes or peripheral neuropathy", (NOTE_DIABETES,), pressure_cap=Pressure.MODERATE)
    if answers.previous_back_surgery:
        add(
            "Previous back surgery",
            (NOTE_BACK_SURGERY,),
            excluded_traits=frozenset({Trait.LUMBAR_DIRECT}),
        )
    if age >= OLDER_ADULT_AGE:
        add(
            f"Older adult, age {age}",
            (NOTE_OLDER_ADULT, NOTE_OLDER_ADULT_TRANSFERS),
            pressure_cap=Pressure.MODERATE,
            max_session_minutes=OLDER_ADULT_MAX_SESSION_MINUTES,
        )
    if answers.high_blood_pressure:
        add(
            "High blood pressure",
            (NOTE_HIGH_BLOOD_PRESSURE,),
            max_prone_minutes=HIGH_BLOOD_PRESSURE_MAX_PRONE_MINUTES,
        )
    if answers.athlete:
        add("Athlete", (NOTE_ATHLETE,))
    return out


def age_on(*, date_of_birth: date, on: date) -> int:
    """Completed years on `on` (clinical rules §2.3's older-adult row is decided from this)."""
    if date_of_birth > on:
        raise ValueError(DATE_OF_BIRTH_IN_FUTURE)
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


# ---------------------------------------------------------------------------------------
# Pain history (clinical rules §2.4)


class Chronicity(models.TextChoices):
    ACUTE = "acute", "Acute (under 6 weeks)"
    CHRONIC = "chronic", "Chronic (6 weeks or more)"


ACUTE_UNDER_DAYS = 42
ONSET_IN_FUTURE = "The onset date cannot be in the future."


def pain_chronicity(*, onset: date, on: date) -> Chronicity:
    """Acute under about 6 weeks since onset, chronic after (clinical rules §2.4)."""
    if onset > on:
        raise ValueError(ONSET_IN_FUTURE)
    return Chronicity.ACUTE if (on - onset).days < ACUTE_UNDER_DAYS else Chronicity.CHRONIC


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


def restrictions_describe(restrictions: Restrictions) -> list[str]:
    """The hard limits of a restriction set in words, for the chart and printed notes
    (the `notes` are shown beside them, not repeated here)."""
    lines = []
    if restrictions.excluded_positions:
        names = [Position(p).label for p in Position if p in restrictions.excluded_positions]
        lines.append(f"No work in: {', '.join(names)}")
    if restrictions.pressure_cap < Pressure.DEEP:
        lines.append(f"Pressure at most: {Pressure(restrictions.pressure_cap).label}")
    if restrictions.forbidden_tools:
        names = [Tool(t).label for t in Tool if t in restrictions.forbidden_tools]
        lines.append(f"No tools: {', '.join(names)}")
    if restrictions.excluded_traits:
        names = [Trait(t).label for t in Trait if t in restrictions.excluded_traits]
        lines.append(f"Excluded: {', '.join(names)}")
    if restrictions.max_prone_minutes is not None:
        lines.append(
            f"Prone positions together: at most {restrictions.max_prone_minutes} minutes "
            "in all (prone and frog-leg)"
        )
    if restrictions.max_session_minutes:
        lines.append(f"Session at most {restrictions.max_session_minutes} minutes")
    return lines
