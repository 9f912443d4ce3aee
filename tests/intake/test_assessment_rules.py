"""Test interpretation (clinical rules §3) and the working hypothesis table (clinical rules §3.1)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.vocabulary import Finding
from intake import rules
from intake.rules import (
    BragardFinding,
    Chronicity,
    HypothesisKind,
    PainQuality,
    PiriformisFinding,
    ReadingResult,
    Side,
    SlrFinding,
    SlrPain,
    age_on,
    bragard_allowed,
    hypothesis_evaluate,
    pain_chronicity,
    piriformis_interpret,
    slr_interpret,
)

L, R = Side.LEFT, Side.RIGHT


def shooting(angle: int, side: Side = L) -> SlrFinding:
    return SlrFinding(side, SlrPain.PAST_KNEE, angle, PainQuality.SHOOTING)


def hamstring(side: Side = L) -> SlrFinding:
    return SlrFinding(side, SlrPain.HAMSTRING_ONLY, 60, PainQuality.STRETCH)


NO_PAIN = SlrFinding(L, SlrPain.NONE)
PIRI_POS = PiriformisFinding(L, buttock_pain=True, radiating_pain=False)
PIRI_NEG = PiriformisFinding(L, buttock_pain=False, radiating_pain=False)


@pytest.mark.parametrize(
    ("finding", "result"),
    [
        (shooting(30), ReadingResult.POSITIVE),
        (shooting(45), ReadingResult.POSITIVE),
        (shooting(70), ReadingResult.POSITIVE),
        (shooting(29), ReadingResult.INCONCLUSIVE),
        (shooting(71), ReadingResult.INCONCLUSIVE),
        (SlrFinding(L, SlrPain.PAST_KNEE, 45, PainQuality.STRETCH), ReadingResult.NOT_NEURAL),
        (SlrFinding(L, SlrPain.HAMSTRING_ONLY, 45, PainQuality.SHOOTING), ReadingResult.NOT_NEURAL),
        (hamstring(), ReadingResult.NOT_NEURAL),
        (NO_PAIN, ReadingResult.NEGATIVE),
    ],
)
def test_the_straight_leg_raise_is_positive_only_for_shooting_pain_past_the_knee_at_30_to_70(
    finding, result
):
    assert slr_interpret(finding).result == result


def test_a_positive_slr_reading_names_side_angle_and_meaning():
    assert slr_interpret(shooting(45, R)).text == (
        "Shooting pain past the right knee at 45°: sciatic nerve irritation, possibly disc."
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pain": SlrPain.PAST_KNEE, "quality": PainQuality.SHOOTING}, rules.SLR_ANGLE_REQUIRED),
        ({"pain": SlrPain.PAST_KNEE, "onset_angle": 45}, rules.SLR_QUALITY_REQUIRED),
        (
            {"pain": SlrPain.PAST_KNEE, "onset_angle": 120, "quality": PainQuality.SHOOTING},
            rules.SLR_ANGLE_OUT_OF_RANGE,
        ),
        (
            {"pain": SlrPain.PAST_KNEE, "onset_angle": -1, "quality": PainQuality.SHOOTING},
            rules.SLR_ANGLE_OUT_OF_RANGE,
        ),
        ({"pain": SlrPain.NONE, "onset_angle": 40}, rules.SLR_NO_PAIN_WITH_DETAILS),
    ],
)
def test_an_inconsistent_slr_record_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SlrFinding(L, **kwargs)


@pytest.mark.parametrize(
    ("buttock", "radiating", "result"),
    [
        (True, False, ReadingResult.POSITIVE),
        (False, True, ReadingResult.POSITIVE),
        (True, True, ReadingResult.POSITIVE),
        (False, False, ReadingResult.NEGATIVE),
    ],
)
def test_the_piriformis_test_is_positive_for_buttock_or_radiating_pain(buttock, radiating, result):
    assert piriformis_interpret(PiriformisFinding(R, buttock, radiating)).result == result


@pytest.mark.parametrize(
    ("slr", "side", "allowed"),
    [
        (shooting(45, L), L, True),
        (shooting(45, L), R, False),
        (shooting(80, L), L, False),
        (hamstring(L), L, False),
        (NO_PAIN, L, False),
        (None, L, False),
    ],
)
def test_bragard_follows_only_a_positive_slr_on_the_same_side(slr, side, allowed):
    assert bragard_allowed(slr=slr, side=side) == allowed


def test_a_bragard_without_a_positive_slr_is_refused_by_the_hypothesis():
    with pytest.raises(ValueError, match=rules.BRAGARD_REQUIRES_POSITIVE_SLR):
        hypothesis_evaluate(slr=hamstring(), bragard=BragardFinding(L, True), piriformis=None)


# clinical rules §3.1, one case per row and the edges around them.
@pytest.mark.parametrize(
    ("slr", "bragard", "piriformis", "kind", "findings", "follow_up"),
    [
        # piriformis positive, SLR negative: soft-tissue entrapment
        (NO_PAIN, None, PIRI_POS, HypothesisKind.ENTRAPMENT_PIRIFORMIS,
         {Finding.PIRIFORMIS, Finding.GLUTEUS_MINIMUS}, False),
        (hamstring(), None, PIRI_POS, HypothesisKind.ENTRAPMENT_PIRIFORMIS,
         {Finding.PIRIFORMIS, Finding.GLUTEUS_MINIMUS}, False),
        # SLR positive and Bragard positive: neural involvement, likely compression
        (shooting(45), BragardFinding(L, True), None, HypothesisKind.NEURAL_COMPRESSION,
         {Finding.NEURAL}, True),
        (shooting(45), BragardFinding(L, True), PIRI_POS, HypothesisKind.NEURAL_COMPRESSION,
         {Finding.NEURAL}, True),
        # SLR positive past the knee, Bragard negative: irritation, source unclear
        (shooting(45), BragardFinding(L, False), PIRI_NEG, HypothesisKind.IRRITATION_UNCLEAR,
         {Finding.NEURAL}, False),
        (shooting(45), BragardFinding(L, False), PIRI_POS, HypothesisKind.IRRITATION_UNCLEAR,
         {Finding.NEURAL, Finding.PIRIFORMIS}, False),
        (shooting(45), None, None, HypothesisKind.IRRITATION_UNCLEAR, {Finding.NEURAL}, False),
        (shooting(80), None, PIRI_NEG, HypothesisKind.IRRITATION_UNCLEAR, {Finding.NEURAL}, False),
        # all negative, pain only in the hamstring: muscular
        (hamstring(), None, PIRI_NEG, HypothesisKind.MUSCULAR_HAMSTRING,
         {Finding.HAMSTRING, Finding.GLUTEUS_MINIMUS}, False),
        # not enough to fill a row
        (None, None, None, HypothesisKind.UNDETERMINED, {Finding.GENERAL}, False),
        (None, None, PIRI_POS, HypothesisKind.UNDETERMINED, {Finding.GENERAL}, False),
        (hamstring(), None, None, HypothesisKind.UNDETERMINED, {Finding.GENERAL}, False),
        (NO_PAIN, None, PIRI_NEG, HypothesisKind.UNDETERMINED, {Finding.GENERAL}, False),
        (hamstring(R), None, PIRI_POS, HypothesisKind.UNDETERMINED, {Finding.GENERAL}, False),
    ],
)  # fmt: skip
def test_every_row_of_the_hypothesis_table(slr, bragard, piriformis, kind, findings, follow_up):
    hypothesis = hypothesis_evaluate(slr=slr, bragard=bragard, piriformis=piriformis)
    assert hypothesis.kind == kind
    assert hypothesis.findings == findings
    assert hypothesis.medical_follow_up == follow_up
    assert hypothesis.reasons
    assert hypothesis.advice == rules.HYPOTHESIS_ADVICE[kind]


def test_the_seed_case_sarah_is_piriformis_entrapment_with_the_readings_as_reasons():
    """Sarah, the demo case: right buttock pain to the knee, piriformis positive, SLR negative."""
    hypothesis = hypothesis_evaluate(
        slr=SlrFinding(R, SlrPain.NONE),
        bragard=None,
        piriformis=PiriformisFinding(R, buttock_pain=True, radiating_pain=True),
    )
    assert hypothesis.kind == HypothesisKind.ENTRAPMENT_PIRIFORMIS
    assert hypothesis.reasons == (
        "No pain on the right up to 90°.",
        "Buttock pain and radiating pain on the right: piriformis tight, possibly entrapping "
        "the nerve.",
    )


def test_missing_tests_are_named_in_the_reasons():
    assert hypothesis_evaluate(slr=None, bragard=None, piriformis=None).reasons == (
        rules.HYPOTHESIS_NO_TESTS,
    )
    assert (
        rules.HYPOTHESIS_NEEDS_SLR
        in hypothesis_evaluate(slr=None, bragard=None, piriformis=PIRI_POS).reasons
    )
    assert (
        rules.HYPOTHESIS_BRAGARD_NOT_DONE
        in hypothesis_evaluate(slr=shooting(50), bragard=None, piriformis=None).reasons
    )


def test_compression_advice_says_the_source_is_outside_massage_scope():
    advice = rules.HYPOTHESIS_ADVICE[HypothesisKind.NEURAL_COMPRESSION]
    assert "outside massage scope" in advice


slr_strategy = st.one_of(
    st.none(),
    st.builds(SlrFinding, st.sampled_from(Side), st.just(SlrPain.NONE)),
    st.builds(
        SlrFinding,
        st.sampled_from(Side),
        st.sampled_from([SlrPain.HAMSTRING_ONLY, SlrPain.PAST_KNEE]),
        st.integers(0, 90),
        st.sampled_from(PainQuality),
    ),
)
piriformis_strategy = st.one_of(
    st.none(), st.builds(PiriformisFinding, st.sampled_from(Side), st.booleans(), st.booleans())
)


@given(slr_strategy, st.booleans(), st.booleans(), piriformis_strategy)
def test_a_positive_slr_always_outranks_the_piriformis_test(slr, do_bragard, returned, piri):
    bragard = (
        BragardFinding(slr.side, returned)
        if do_bragard and bragard_allowed(slr=slr, side=slr.side if slr else L)
        else None
    )
    hypothesis = hypothesis_evaluate(slr=slr, bragard=bragard, piriformis=piri)
    neural = slr is not None and slr_interpret(slr).result in (
        ReadingResult.POSITIVE,
        ReadingResult.INCONCLUSIVE,
    )
    assert (Finding.NEURAL in hypothesis.findings) == neural
    assert hypothesis.medical_follow_up == (hypothesis.kind == HypothesisKind.NEURAL_COMPRESSION)
    if neural:
        assert hypothesis.kind in (
            HypothesisKind.NEURAL_COMPRESSION,
            HypothesisKind.IRRITATION_UNCLEAR,
        )


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1960, 6, 15), date(2025, 6, 14), 64),
        (date(1960, 6, 15), date(2025, 6, 15), 65),
        (date(2000, 2, 29), date(2021, 2, 28), 20),
        (date(2000, 2, 29), date(2021, 3, 1), 21),
    ],
)
def test_age_counts_completed_years_on_the_screening_date(born, on, age):
    assert age_on(date_of_birth=born, on=on) == age


def test_a_date_of_birth_after_the_screening_is_refused():
    with pytest.raises(ValueError, match=rules.DATE_OF_BIRTH_IN_FUTURE):
        age_on(date_of_birth=date(2030, 1, 1), on=date(2026, 1, 1))


@pytest.mark.parametrize(
    ("days", "chronicity"),
    [(0, Chronicity.ACUTE), (41, Chronicity.ACUTE), (42, Chronicity.CHRONIC)],
)
def test_pain_is_acute_under_six_weeks_and_chronic_after(days, chronicity):
    on = date(2026, 3, 1)
    assert pain_chronicity(onset=on.fromordinal(on.toordinal() - days), on=on) == chronicity
