"""Intake records: the database keeps them consistent, the services write them, the latest governs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from intake import rules, services
from intake.models import Assessment, HealthHistory, Screening
from intake.rules import (
    BragardFinding,
    Chronicity,
    HypothesisKind,
    PainQuality,
    PiriformisFinding,
    ScreeningAnswers,
    Side,
    SlrFinding,
    SlrPain,
    TriageOutcome,
)
from intake.rules.safety import SafetyStatus
from tests.intake.factories import (
    AssessmentFactory,
    ClientFactory,
    HealthHistoryFactory,
    MedicalClearanceFactory,
    ScreeningFactory,
    positive_slr,
)

pytestmark = pytest.mark.django_db


def refused_by_database(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_the_screening_model_asks_exactly_the_questions_the_rules_know():
    model_fields = {f.name for f in Screening._meta.get_fields()}
    assert set(ScreeningAnswers.field_names()) <= model_fields


def test_a_screening_with_a_forgotten_answer_is_refused_by_the_database():
    client = ClientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Screening.objects.create(
            client=client, recorded_by=client.therapist, screened_on=date(2026, 2, 1)
        )


@pytest.mark.parametrize(
    "kwargs",
    [{"pregnant": False, "pregnancy_weeks": 20}, {"pregnant": True, "pregnancy_weeks": 43}],
)
def test_pregnancy_weeks_are_refused_without_a_pregnancy_or_beyond_42(kwargs):
    refused_by_database(ScreeningFactory, **kwargs)


@pytest.mark.parametrize("field", ["pain_now", "pain_worst", "pain_best"])
def test_pain_above_10_is_refused_by_the_database(field):
    refused_by_database(HealthHistoryFactory, **{field: 11, "pain_worst": 11} | {field: 11})


def test_best_pain_above_worst_pain_is_refused_by_the_database():
    refused_by_database(HealthHistoryFactory, pain_best=8, pain_worst=6)


@pytest.mark.parametrize(
    "kwargs",
    [
        positive_slr(slr_onset_angle=120),
        positive_slr(slr_onset_angle=None),
        positive_slr(slr_quality=""),
        {"slr_side": "", "slr_pain": SlrPain.NONE},
        {"slr_pain": SlrPain.NONE, "slr_onset_angle": 40},
        {"piriformis_buttock_pain": None},
    ],
)
def test_inconsistent_tests_are_refused_by_the_database(kwargs):
    refused_by_database(AssessmentFactory, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        positive_slr(bragard_side=Side.RIGHT, bragard_pain_returned=True),
        positive_slr(slr_onset_angle=75, bragard_side=Side.LEFT, bragard_pain_returned=True),
        {"bragard_side": Side.RIGHT, "bragard_pain_returned": True},
        positive_slr(bragard_side=Side.LEFT),
    ],
)
def test_bragard_without_a_positive_slr_on_the_same_side_is_refused_by_the_database(kwargs):
    refused_by_database(AssessmentFactory, **kwargs)


def test_bragard_after_a_positive_slr_on_the_same_side_is_stored():
    assessment = AssessmentFactory(
        **positive_slr(bragard_side=Side.LEFT, bragard_pain_returned=True)
    )
    assert assessment.evaluate().kind == HypothesisKind.NEURAL_COMPRESSION


def test_full_clean_reports_the_same_rules_before_the_database_does():
    client = ClientFactory()
    assessment = Assessment(
        client=client,
        recorded_by=client.therapist,
        assessed_on=date(2026, 2, 1),
        **positive_slr(slr_onset_angle=120),
    )
    with pytest.raises(ValidationError):
        assessment.full_clean()


def test_screening_record_stores_every_answer_and_the_triage_reads_them_back(therapist):
    client = ClientFactory(therapist=therapist)
    answers = ScreeningAnswers(pregnant=True, pregnancy_weeks=24, osteoporosis=True)
    screening = services.screening_record(
        client=client, recorded_by=therapist, screened_on=date(2026, 2, 1), answers=answers
    )
    screening.refresh_from_db()
    assert screening.answers() == answers
    assert screening.evaluate().reasons == ("Pregnancy, 24 weeks", "Osteoporosis")
    assert screening.history.count() == 1


def test_screening_record_drops_weeks_when_not_pregnant(therapist):
    screening = services.screening_record(
        client=ClientFactory(therapist=therapist),
        recorded_by=therapist,
        screened_on=date(2026, 2, 1),
        answers=ScreeningAnswers(pregnancy_weeks=12),
    )
    assert screening.pregnancy_weeks is None


def test_age_is_counted_from_the_date_of_birth_on_the_screening_date():
    client = ClientFactory(date_of_birth=date(1961, 3, 10))
    before = ScreeningFactory(client=client, screened_on=date(2026, 3, 9))
    on_birthday = ScreeningFactory(client=client, screened_on=date(2026, 3, 10))
    assert before.evaluate().outcome == TriageOutcome.TREAT
    assert on_birthday.evaluate().reasons == ("Older adult, age 65",)


def test_without_records_the_state_forbids_treatment_and_has_no_hypothesis():
    state = services.client_clinical_state(client=ClientFactory())
    assert state.triage == services.TRIAGE_NOT_SCREENED
    assert state.triage.blocks_treatment
    assert state.hypothesis.kind == HypothesisKind.UNDETERMINED
    assert (state.screening, state.assessment, state.health_history) == (None, None, None)
    assert state.acute


def test_the_latest_screening_governs_by_date_then_by_entry():
    client = ClientFactory()
    ScreeningFactory(client=client, screened_on=date(2026, 2, 3), infection_or_wound=True)
    ScreeningFactory(client=client, screened_on=date(2026, 2, 1), osteoporosis=True)
    assert services.client_clinical_state(client=client).triage.blocks_treatment
    latest = ScreeningFactory(client=client, screened_on=date(2026, 2, 3))
    state = services.client_clinical_state(client=client)
    assert state.screening == latest
    assert state.triage.outcome == TriageOutcome.TREAT


def test_a_red_flag_holds_over_a_later_clean_screening_until_a_clearance():
    client = ClientFactory()
    ScreeningFactory(client=client, screened_on=date(2026, 2, 1), saddle_anaesthesia=True)
    ScreeningFactory(client=client, screened_on=date(2026, 2, 3))
    state = services.client_clinical_state(client=client)
    assert state.triage.emergency
    assert state.safety.status == SafetyStatus.EMERGENCY
    client.refresh_from_db()
    assert client.safety_status == SafetyStatus.EMERGENCY
    MedicalClearanceFactory(client=client, cleared_on=date(2026, 2, 4))
    assert services.client_clinical_state(client=client).triage.outcome == TriageOutcome.TREAT
    client.refresh_from_db()
    assert client.safety_status == SafetyStatus.TREAT


def test_the_state_gives_safety_hypothesis_and_chronicity_in_six_queries(
    django_assert_num_queries,
):
    client = ClientFactory()
    ScreeningFactory(client=client, pregnant=True, pregnancy_weeks=30)
    AssessmentFactory(client=client)
    HealthHistoryFactory(client=client, onset_date=date(2026, 1, 1))
    with django_assert_num_queries(6):
        state = services.client_clinical_state(client=client, on=date(2026, 1, 20))
    assert state.triage.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert state.hypothesis.kind == HypothesisKind.ENTRAPMENT_PIRIFORMIS
    assert state.chronicity == Chronicity.ACUTE
    assert services.client_clinical_state(client=client, on=date(2026, 3, 1)).acute is False


def test_assessment_record_stores_the_findings_and_gives_them_back(therapist):
    client = ClientFactory(therapist=therapist)
    slr = SlrFinding(Side.LEFT, SlrPain.PAST_KNEE, 40, PainQuality.SHOOTING)
    bragard = BragardFinding(Side.LEFT, pain_returned=False)
    piriformis = PiriformisFinding(Side.LEFT, buttock_pain=True, radiating_pain=False)
    assessment = services.assessment_record(
        client=client,
        recorded_by=therapist,
        assessed_on=date(2026, 2, 2),
        slr=slr,
        bragard=bragard,
        piriformis=piriformis,
    )
    assessment.refresh_from_db()
    assert (assessment.slr, assessment.bragard, assessment.piriformis) == (slr, bragard, piriformis)
    assert assessment.evaluate().kind == HypothesisKind.IRRITATION_UNCLEAR
    assert [name for name, _ in assessment.readings()] == [
        "Straight leg raise",
        "Bragard's test",
        "Piriformis test",
    ]


def test_assessment_record_refuses_bragard_after_a_negative_slr_and_saves_nothing(therapist):
    client = ClientFactory(therapist=therapist)
    with pytest.raises(ValueError, match=rules.BRAGARD_REQUIRES_POSITIVE_SLR):
        services.assessment_record(
            client=client,
            recorded_by=therapist,
            assessed_on=date(2026, 2, 2),
            slr=SlrFinding(Side.LEFT, SlrPain.NONE),
            bragard=BragardFinding(Side.LEFT, pain_returned=True),
            piriformis=None,
        )
    assert not Assessment.objects.exists()


def test_health_history_save_creates_then_updates_one_record_with_its_history():
    client = ClientFactory()
    fields = {
        "pain_location": "Left buttock",
        "pain_side": HealthHistory.PainSide.LEFT,
        "radiates_past_knee": True,
        "pain_character": [HealthHistory.Character.ELECTRIC],
        "pain_now": 6,
        "pain_worst": 8,
        "pain_best": 3,
        "onset_date": date(2025, 11, 1),
    }
    services.health_history_save(client=client, **fields)
    history = services.health_history_save(client=client, **(fields | {"pain_now": 4}))
    assert HealthHistory.objects.get(client=client).pain_now == 4
    assert history.history.count() == 2
    assert history.pain_character_labels() == ["Electric / shooting"]


def test_health_history_save_refuses_an_unknown_pain_character():
    with pytest.raises(ValidationError):
        services.health_history_save(
            client=ClientFactory(),
            pain_location="Left buttock",
            pain_side=HealthHistory.PainSide.LEFT,
            radiates_past_knee=True,
            pain_character=["stabbing"],
            pain_now=6,
            pain_worst=8,
            pain_best=3,
            onset_date=date(2025, 11, 1),
        )


def test_the_red_flag_recheck_carries_other_answers_over_and_now_governs(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, osteoporosis=True, screened_on=date(2026, 2, 1))
    red_flags = {q.name: False for q in rules.RED_FLAG_QUESTIONS} | {"night_pain": True}
    recheck = services.screening_recheck_red_flags(
        client=client, recorded_by=therapist, screened_on=date(2026, 2, 8), red_flags=red_flags
    )
    assert recheck.osteoporosis and recheck.night_pain
    state = services.client_clinical_state(client=client)
    assert state.screening == recheck
    assert state.triage.outcome == TriageOutcome.REFER_NOW


def test_the_red_flag_recheck_needs_every_answer_and_an_earlier_screening(therapist):
    client = ClientFactory(therapist=therapist)
    all_no = {q.name: False for q in rules.RED_FLAG_QUESTIONS}
    with pytest.raises(ValueError, match=services.SCREENING_NONE_TO_RECHECK):
        services.screening_recheck_red_flags(
            client=client, recorded_by=therapist, screened_on=date(2026, 2, 8), red_flags=all_no
        )
    ScreeningFactory(client=client)
    all_no.pop("night_pain")
    with pytest.raises(ValueError, match=services.RED_FLAG_ANSWERS_INCOMPLETE):
        services.screening_recheck_red_flags(
            client=client, recorded_by=therapist, screened_on=date(2026, 2, 8), red_flags=all_no
        )
