"""Screening rules (clinical rules §2.1-2.3): the questions, the triage they lead to, and the
plan modifications each relative contraindication imposes. Pure functions over plain data."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from django.db import models

from core.vocabulary import (
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

# Clinical rules §2: the answers a new screening may start from, as the last screening gave
# them, for the therapist to confirm. Only the lasting conditions and medications of §2.3:
# the red flags (§2.1) and the absolute contraindications of this visit (§2.2) are always
# asked afresh, with nothing pre-ticked.
CARRIED_QUESTIONS = RELATIVE_CONTRAINDICATION_QUESTIONS
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
    "Lighter pressure: moderate at most with broad tools, no elbow or knuckles and no "
    "sustained heavy trigger-point pressure; emphasise gentle stretching and education"
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
        # Clinical rules §2.3: "lighter pressure" is moderate at most, and never from a
        # point tool or held heavy on a trigger point, at every stage.
        add(
            condition,
            notes,
            excluded_positions=frozenset({Position.PRONE, Position.PRONE_FROG}),
            pressure_cap=Pressure.MODERATE,
            forbidden_tools=frozenset({Tool.ELBOW, Tool.KNUCKLES}),
            excluded_traits=frozenset({Trait.SUSTAINED_PRESSURE}),
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


def screening_carry_forward(
    answers: ScreeningAnswers, *, screened_on: date, today: date
) -> dict[str, bool | int]:
    """The answers a new screening starts from (clinical rules §2): the last screening's
    answers to `CARRIED_QUESTIONS`, by question name, and never a red flag or an absolute
    contraindication.

    A pregnancy carries its weeks counted on to `today`; one that would now be past
    `MAX_PREGNANCY_WEEKS` is not carried (the client has most likely given birth), so the
    question is asked afresh.
    """
    carried: dict[str, bool | int] = {q.name: getattr(answers, q.name) for q in CARRIED_QUESTIONS}
    if answers.pregnant:
        weeks = (answers.pregnancy_weeks or MIN_PREGNANCY_WEEKS) + (today - screened_on).days // 7
        if weeks > MAX_PREGNANCY_WEEKS:
            del carried["pregnant"]
        else:
            carried["pregnancy_weeks"] = weeks
    return carried
