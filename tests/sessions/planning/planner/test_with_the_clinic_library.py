"""The planner on the clinic's own library (fixtures/library.json), as `bin/setup` loads it."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.vocabulary import Position, Pressure, Stage
from intake.rules import ScreeningAnswers, screening_evaluate
from protocols.library import library_snapshot
from protocols.transfer import library_load
from sessions.planning.planner import Plan, plan_build, plan_validate
from tests.sessions.planning.planner import cases
from tests.sessions.planning.planner.invariants import violations
from tests.sessions.planning.planner.target_checks import (
    ages,
    check_primary_target,
    check_relative_contraindications,
    screenings,
)

# The library is loaded once for the module (see the fixture); the mark sets up the database.
pytestmark = pytest.mark.django_db

SCREENINGS = {
    "no condition": (ScreeningAnswers(), 42),
    "pregnancy, 24 weeks": (ScreeningAnswers(pregnant=True, pregnancy_weeks=24), 31),
    "osteoporosis at 72": (ScreeningAnswers(osteoporosis=True), 72),
    "anticoagulants": (ScreeningAnswers(clotting_disorder_or_anticoagulants=True), 58),
    "high blood pressure": (ScreeningAnswers(high_blood_pressure=True), 55),
}


@pytest.fixture(scope="module")
def clinic_library(django_db_setup, django_db_blocker):
    """The shipped library as plain data, loaded once and rolled back (tests need no database)."""
    with django_db_blocker.unblock(), transaction.atomic():
        library_load()
        snapshot = library_snapshot()
        transaction.set_rollback(True)
    return snapshot


@pytest.mark.parametrize("screening", sorted(SCREENINGS))
@pytest.mark.parametrize(
    "hypothesis",
    [cases.SARAH_TESTS, cases.NEURAL, cases.HAMSTRING_ONLY],
    ids=["sarah", "neural", "hamstring"],
)
def test_every_stage_and_usual_length_gives_a_valid_plan(clinic_library, screening, hypothesis):
    answers, age = SCREENINGS[screening]
    triage = screening_evaluate(answers, age=age)
    for stage in Stage:
        for minutes in (30, 45, 60):
            for first_visit in (True, False):
                plan = plan_build(
                    triage=triage,
                    hypothesis=hypothesis,
                    stage=stage,
                    minutes=minutes,
                    first_visit=first_visit,
                    library=clinic_library,
                )
                assert isinstance(plan, Plan), (stage, minutes, first_visit, plan)
                assert (
                    plan_validate(
                        plan, triage=triage, hypothesis=hypothesis, library=clinic_library
                    )
                    == []
                )
                assert (
                    violations(plan, triage=triage, hypothesis=hypothesis, library=clinic_library)
                    == []
                )


def test_sarahs_week_one_uses_the_clinics_static_hubcap_and_light_sacral_work(clinic_library):
    triage = screening_evaluate(ScreeningAnswers(), age=42)
    plan = plan_build(
        triage=triage,
        hypothesis=cases.SARAH_TESTS,
        stage=Stage.FIREFIGHTING,
        minutes=60,
        first_visit=True,
        library=clinic_library,
    )
    slugs = {item.technique_slug for item in plan.items}
    assert {"hubcap-static-compression", "sacral-friction-light"} <= slugs
    assert {item.pressure for item in plan.items if item.pressure} == {Pressure.LIGHT}


def test_a_pregnant_client_stays_off_her_front_with_the_clinics_library(clinic_library):
    triage = screening_evaluate(ScreeningAnswers(pregnant=True, pregnancy_weeks=24), age=31)
    plan = plan_build(
        triage=triage,
        hypothesis=cases.SARAH_TESTS,
        stage=Stage.MOBILITY,
        minutes=60,
        first_visit=False,
        library=clinic_library,
    )
    assert not {item.position for item in plan.items} & {Position.PRONE, Position.PRONE_FROG}


def sarahs_plan(library, triage, *, stage: Stage, minutes: int) -> Plan:
    plan = plan_build(
        triage=triage,
        hypothesis=cases.SARAH_TESTS,
        stage=stage,
        minutes=minutes,
        first_visit=False,
        library=library,
    )
    assert isinstance(plan, Plan), plan
    return plan


@pytest.mark.parametrize("screening", sorted(SCREENINGS))
def test_a_long_plan_holds_one_version_of_each_work(clinic_library, screening):
    answers, age = SCREENINGS[screening]
    triage = screening_evaluate(answers, age=age)
    by_slug = {t.slug: t for t in clinic_library.techniques}
    for stage in Stage:
        # The older-adult limit (60 minutes) is the longest such a client can book.
        plan = sarahs_plan(clinic_library, triage, stage=stage, minutes=90 if age < 65 else 60)
        families = [by_slug[i.technique_slug].family for i in plan.items]
        assert len(families) == len(set(families)), (stage, families)


def test_pregnancy_gets_the_side_lying_effleurage_instead_of_the_prone_one(clinic_library):
    triage = screening_evaluate(ScreeningAnswers(pregnant=True, pregnancy_weeks=24), age=31)
    plan = sarahs_plan(clinic_library, triage, stage=Stage.MOBILITY, minutes=90)
    slugs = [item.technique_slug for item in plan.items]
    assert "effleurage-side-lying" in slugs and "effleurage" not in slugs


@pytest.mark.parametrize(
    ("hypothesis", "slug"),
    [(cases.NEURAL, "sciatic-nerve-slider"), (cases.HAMSTRING_ONLY, "hamstring-light-compression")],
    ids=["neural", "hamstring"],
)
def test_week_one_works_the_hypothesis_target_with_the_clinics_gentle_versions(
    clinic_library, hypothesis, slug
):
    """Clinical rules §6.2: neural involvement gets the slider (not flossing), hamstring
    tightness light hamstring work (no stretch), both light, in week 1."""
    plan = plan_build(
        triage=screening_evaluate(ScreeningAnswers(), age=42),
        hypothesis=hypothesis,
        stage=Stage.FIREFIGHTING,
        minutes=60,
        first_visit=True,
        library=clinic_library,
    )
    item = next(i for i in plan.items if i.technique_slug == slug)
    assert item.pressure == Pressure.LIGHT
    assert "primary target" in item.reason and "week 1 intensity" in item.reason
    assert "sciatic-nerve-flossing-soft-tissue" not in {i.technique_slug for i in plan.items}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    screening=screenings,
    age=ages,
    hypothesis=st.sampled_from(
        [cases.SARAH_TESTS, cases.NEURAL, cases.IRRITATION, cases.HAMSTRING_ONLY]
    ),
)
def test_every_screening_and_stage_keeps_its_limits_and_the_target_with_the_clinics_library(
    clinic_library, screening, age, hypothesis
):
    triage = screening_evaluate(screening, age=age)
    for stage in Stage:
        plan = plan_build(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=60,
            first_visit=False,
            library=clinic_library,
        )
        assert isinstance(plan, Plan), (stage, plan)
        check_relative_contraindications(plan, triage)
        assert (
            check_primary_target(plan, triage=triage, hypothesis=hypothesis, library=clinic_library)
            == "target worked"
        ), (stage, plan.notes)
