from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intake.rules import (
    BragardFinding,
    Hypothesis,
    HypothesisKind,
    PainQuality,
    PiriformisFinding,
    Side,
    SlrFinding,
    SlrPain,
    Triage,
    TriageOutcome,
)
from sessions.documents import referral
from sessions.documents.referral import (
    Urgency,
    assessment_observations,
    history_observations,
    referral_decide,
)

NO_HYPOTHESIS = Hypothesis(HypothesisKind.UNDETERMINED)
FOLLOW_UP = Hypothesis(HypothesisKind.NEURAL_COMPRESSION, medical_follow_up=True)
CAUDA = Triage(TriageOutcome.REFER_NOW, reasons=("Saddle anaesthesia",), emergency=True)
NIGHT_PAIN = Triage(TriageOutcome.REFER_NOW, reasons=("Unrelenting night pain",))
INFECTION = Triage(TriageOutcome.DO_NOT_TREAT, reasons=("Active infection",))
TREAT = Triage(TriageOutcome.TREAT)
MODIFIED = Triage(TriageOutcome.TREAT_WITH_MODIFICATIONS, reasons=("Pregnancy",))


@pytest.mark.parametrize(
    ("triage", "hypothesis", "urgency", "reasons", "treatment", "ask"),
    [
        (
            CAUDA,
            NO_HYPOTHESIS,
            Urgency.EMERGENCY_TODAY,
            CAUDA.reasons,
            referral.TREATMENT_EMERGENCY,
            referral.REQUEST_EMERGENCY,
        ),
        (
            CAUDA,
            FOLLOW_UP,
            Urgency.EMERGENCY_TODAY,
            CAUDA.reasons,
            referral.TREATMENT_EMERGENCY,
            referral.REQUEST_EMERGENCY,
        ),
        (
            NIGHT_PAIN,
            NO_HYPOTHESIS,
            Urgency.PHYSICIAN_SOON,
            NIGHT_PAIN.reasons,
            referral.TREATMENT_REFERRED,
            referral.REQUEST_REFERRED,
        ),
        (
            INFECTION,
            FOLLOW_UP,
            Urgency.PHYSICIAN_SOON,
            INFECTION.reasons,
            referral.TREATMENT_NOT_TODAY,
            referral.REQUEST_CLEARANCE,
        ),
        (
            TREAT,
            FOLLOW_UP,
            Urgency.PHYSICIAN_SOON,
            (referral.FOLLOW_UP_REASON,),
            referral.TREATMENT_WITHIN_SCOPE,
            referral.REQUEST_FOLLOW_UP,
        ),
        (
            MODIFIED,
            FOLLOW_UP,
            Urgency.PHYSICIAN_SOON,
            (referral.FOLLOW_UP_REASON,),
            referral.TREATMENT_WITHIN_SCOPE,
            referral.REQUEST_FOLLOW_UP,
        ),
    ],
)
def test_when_a_letter_is_due_and_how_urgent(triage, hypothesis, urgency, reasons, treatment, ask):
    result = referral_decide(triage=triage, hypothesis=hypothesis, screened=True)

    assert result == referral.Referral(urgency, reasons, treatment, ask)


@pytest.mark.parametrize("triage", [TREAT, MODIFIED])
def test_no_letter_when_treating_without_a_follow_up(triage):
    assert referral_decide(triage=triage, hypothesis=NO_HYPOTHESIS, screened=True) is None


def test_no_letter_before_a_screening_even_though_intake_says_do_not_treat():
    not_screened = Triage(TriageOutcome.DO_NOT_TREAT, reasons=("No screening recorded yet",))

    assert referral_decide(triage=not_screened, hypothesis=FOLLOW_UP, screened=False) is None


@given(
    outcome=st.sampled_from(TriageOutcome),
    emergency=st.booleans(),
    follow_up=st.booleans(),
    kind=st.sampled_from(HypothesisKind),
)
def test_a_letter_is_due_exactly_when_treatment_is_blocked_or_follow_up_is_suggested(
    outcome, emergency, follow_up, kind
):
    triage = Triage(outcome, reasons=("x",), emergency=emergency)
    result = referral_decide(
        triage=triage, hypothesis=Hypothesis(kind, medical_follow_up=follow_up), screened=True
    )

    due = emergency or triage.blocks_treatment or follow_up
    assert (result is not None) == due
    if result is not None:
        assert result.emergency == emergency
        assert result.reasons


@pytest.mark.parametrize(
    ("slr", "expected"),
    [
        (
            SlrFinding(Side.LEFT, SlrPain.NONE),
            "Straight leg raise, left: no pain up to 90° of hip flexion.",
        ),
        (
            SlrFinding(Side.RIGHT, SlrPain.HAMSTRING_ONLY, 60, PainQuality.STRETCH),
            "Straight leg raise, right: pain in the back of the thigh only, from 60° of hip flexion, described as stretch / pulling.",
        ),
        (
            SlrFinding(Side.LEFT, SlrPain.PAST_KNEE, 45, PainQuality.SHOOTING),
            "Straight leg raise, left: pain travelling down the leg past the knee, from 45° of hip flexion, described as shooting / electric.",
        ),
    ],
)
def test_the_slr_is_worded_as_an_observation(slr, expected):
    assert assessment_observations(slr=slr, bragard=None, piriformis=None) == [expected]


@pytest.mark.parametrize(
    ("bragard", "piriformis", "expected"),
    [
        (
            BragardFinding(Side.LEFT, True),
            None,
            "Bragard's test, left: with the leg lowered until the pain stopped, the pain returned on passive dorsiflexion of the foot.",
        ),
        (
            BragardFinding(Side.LEFT, False),
            None,
            "Bragard's test, left: with the leg lowered until the pain stopped, the pain did not return on passive dorsiflexion of the foot.",
        ),
        (
            None,
            PiriformisFinding(Side.RIGHT, True, True),
            "Piriformis test, right: buttock pain and pain radiating down the leg on passive adduction of the flexed hip.",
        ),
        (
            None,
            PiriformisFinding(Side.RIGHT, False, True),
            "Piriformis test, right: pain radiating down the leg on passive adduction of the flexed hip.",
        ),
        (
            None,
            PiriformisFinding(Side.RIGHT, False, False),
            "Piriformis test, right: no pain on passive adduction of the flexed hip.",
        ),
    ],
)
def test_bragard_and_piriformis_are_worded_as_observations(bragard, piriformis, expected):
    assert assessment_observations(slr=None, bragard=bragard, piriformis=piriformis) == [expected]


@pytest.mark.parametrize(
    "slr",
    [
        SlrFinding(Side.LEFT, SlrPain.PAST_KNEE, 45, PainQuality.SHOOTING),
        SlrFinding(Side.LEFT, SlrPain.PAST_KNEE, 80, PainQuality.SHOOTING),
        SlrFinding(Side.LEFT, SlrPain.HAMSTRING_ONLY, 50, PainQuality.STRETCH),
    ],
)
def test_observations_never_name_a_diagnosis(slr):
    lines = assessment_observations(
        slr=slr,
        bragard=BragardFinding(Side.LEFT, True),
        piriformis=PiriformisFinding(Side.LEFT, True, True),
    )

    text = " ".join(lines).lower()
    for word in ("disc", "herniat", "diagnos", "irritation", "entrap", "positive", "sciatica"):
        assert word not in text


def test_the_clients_report_in_their_terms():
    lines = history_observations(
        location="Left buttock to the calf.",
        side="Both",
        radiates_past_knee=True,
        characters=["Burning", "Tingling"],
        pain_now=6,
        pain_worst=9,
        pain_best=3,
        onset=date(2026, 1, 5),
        aggravating="  Sitting more than an hour.  ",
    )

    assert lines == [
        "Pain reported: Left buttock to the calf (both sides), reaching past the knee.",
        "Described as burning, tingling.",
        "Intensity now 6/10, at worst 9/10, at best 3/10.",
        "It began around 5 January 2026.",
        "Made worse by: Sitting more than an hour.",
    ]


def test_an_empty_report_leaves_out_what_was_not_said():
    lines = history_observations(
        location="Right buttock",
        side="Right",
        radiates_past_knee=False,
        characters=[],
        pain_now=2,
        pain_worst=4,
        pain_best=0,
        onset=date(2026, 2, 1),
        aggravating="",
    )

    assert lines == [
        "Pain reported: Right buttock (right side), not reaching past the knee.",
        "Intensity now 2/10, at worst 4/10, at best 0/10.",
        "It began around 1 February 2026.",
    ]
