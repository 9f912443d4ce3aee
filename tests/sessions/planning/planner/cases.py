"""Clients as the planner sees them: triage and hypothesis values for the case table.

The relative contraindications follow clinical rules §2.3 ("what the plan must do"), built the way
intake's screening rules express them; red flags (2.1) and absolute contraindications
(2.2) block treatment with the answers that triggered them.
"""

from __future__ import annotations

from functools import reduce

from core.vocabulary import (
    Finding,
    Modification,
    Position,
    Pressure,
    Restrictions,
    Tool,
    Trait,
)
from intake.rules import (
    Hypothesis,
    HypothesisKind,
    PiriformisFinding,
    Side,
    SlrFinding,
    SlrPain,
    Triage,
    TriageOutcome,
    hypothesis_evaluate,
)

RED_FLAGS = {
    "bladder_bowel": ("New loss of bladder or bowel control", True),
    "saddle_anaesthesia": ("Numbness in the groin, inner thighs or perineum", True),
    "progressive_weakness": ("Severe or progressive weakness in the legs", True),
    "night_pain": ("Unrelenting night pain", False),
    "sequestration": ("Suspected disc sequestration", True),
}

ABSOLUTE_CONTRAINDICATIONS = {
    "acute_inflammation": "Acute inflammatory condition in the treatment area",
    "infection_wound_burn": "Active infection, open wound or burn in the treatment area",
    "cardiovascular": "Severe cardiovascular condition",
    "recent_surgery": "Recent surgery without medical clearance",
    "cauda_equina": "Suspected cauda equina syndrome",
}


def pregnancy(weeks: int) -> Restrictions:
    """Clinical rules §2.3: lighter pressure is moderate at most, no point tools (elbow,
    knuckles) and no sustained heavy trigger-point pressure."""
    return Restrictions(
        excluded_positions=frozenset({Position.PRONE, Position.PRONE_FROG}),
        forbidden_tools=frozenset({Tool.ELBOW, Tool.KNUCKLES}),
        excluded_traits=frozenset({Trait.SUSTAINED_PRESSURE}),
        pressure_cap=Pressure.MODERATE,
        notes=(
            Modification(
                f"Pregnancy, {weeks} weeks",
                "Side-lying only, no prone work; lighter pressure, no elbow or knuckles; "
                "gentle stretching and education; coordinate with the obstetric provider.",
            ),
        ),
    )


OSTEOPOROSIS = Restrictions(
    forbidden_tools=frozenset({Tool.ELBOW}),
    pressure_cap=Pressure.LIGHT,
    notes=(Modification("Osteoporosis", "Gentle pressure only; no elbow work."),),
)
ANTICOAGULANTS = Restrictions(
    excluded_traits=frozenset({Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}),
    pressure_cap=Pressure.MODERATE,
    notes=(
        Modification(
            "Anticoagulants",
            "No deep tissue, no vigorous friction, no sustained heavy trigger-point pressure.",
        ),
    ),
)
MUSCLE_RELAXANTS = Restrictions(
    pressure_cap=Pressure.MODERATE,
    notes=(Modification("Muscle relaxants", "Moderate pressure; check responses more often."),),
)
DIABETES_NEUROPATHY = Restrictions(
    pressure_cap=Pressure.MODERATE,
    notes=(
        Modification(
            "Diabetes with peripheral neuropathy",
            "Reduced pressure: feedback is unreliable where sensation is reduced; check the skin.",
        ),
    ),
)
BACK_SURGERY = Restrictions(
    excluded_traits=frozenset({Trait.LUMBAR_DIRECT}),
    notes=(
        Modification("Previous back surgery", "Modified positioning; no direct work on the scar."),
    ),
)


def older_adult(age: int) -> Restrictions:
    return Restrictions(
        pressure_cap=Pressure.MODERATE,
        max_session_minutes=60,
        notes=(
            Modification(
                f"Older adult, {age}",
                "Gentler pressure, a shorter session; fall-safe transfers.",
            ),
        ),
    )


HIGH_BLOOD_PRESSURE = Restrictions(
    max_prone_minutes=20,
    notes=(
        Modification(
            "High blood pressure", "Physician clearance recommended; avoid prolonged prone."
        ),
    ),
)
ATHLETE = Restrictions(
    notes=(Modification("Athlete", "Faster pain-reduction focus; sport-specific movement notes."),)
)


def treat(*restrictions: Restrictions) -> Triage:
    if not restrictions:
        return Triage(outcome=TriageOutcome.TREAT)
    merged = reduce(lambda a, b: a | b, restrictions)
    return Triage(
        outcome=TriageOutcome.TREAT_WITH_MODIFICATIONS,
        reasons=tuple(n.condition for n in merged.notes),
        restrictions=merged,
    )


def refer_now(flag: str) -> Triage:
    reason, emergency = RED_FLAGS[flag]
    return Triage(outcome=TriageOutcome.REFER_NOW, reasons=(reason,), emergency=emergency)


def do_not_treat(condition: str) -> Triage:
    return Triage(
        outcome=TriageOutcome.DO_NOT_TREAT,
        reasons=(ABSOLUTE_CONTRAINDICATIONS[condition],),
        emergency=condition == "cauda_equina",
    )


SARAH = Hypothesis(
    kind=HypothesisKind.ENTRAPMENT_PIRIFORMIS,
    findings=frozenset({Finding.PIRIFORMIS}),
    reasons=("Piriformis test positive (buttock pain)", "Straight leg raise negative"),
)
NEURAL = Hypothesis(
    kind=HypothesisKind.NEURAL_COMPRESSION,
    findings=frozenset({Finding.NEURAL}),
    reasons=("SLR positive at 45 degrees, shooting past the knee", "Bragard's positive"),
    medical_follow_up=True,
)
IRRITATION = Hypothesis(
    kind=HypothesisKind.IRRITATION_UNCLEAR,
    findings=frozenset({Finding.NEURAL}),
    reasons=("SLR positive past the knee", "Bragard's negative"),
)
HAMSTRING_ONLY = Hypothesis(
    kind=HypothesisKind.MUSCULAR_HAMSTRING,
    findings=frozenset({Finding.HAMSTRING, Finding.GLUTEUS_MINIMUS}),
    reasons=("All tests negative", "Pain only in the hamstring"),
)
UNDETERMINED = Hypothesis(kind=HypothesisKind.UNDETERMINED)

# Sarah's tests as intake reads them (the hypothesis `SARAH` spells out by hand).
SARAH_TESTS = hypothesis_evaluate(
    slr=SlrFinding(side=Side.RIGHT, pain=SlrPain.NONE),
    bragard=None,
    piriformis=PiriformisFinding(side=Side.RIGHT, buttock_pain=True, radiating_pain=True),
)
