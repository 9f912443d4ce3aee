"""Therapists find techniques by phase, position, target, week and pressure, and read
printable pages for techniques, exercises, stages and the template."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.vocabulary import LibraryPhase, Position, Pressure, Stage
from protocols.services import technique_save
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def techniques():
    return {
        "effleurage": TechniqueFactory(
            slug="effleurage",
            phase=LibraryPhase.WARM_UP,
            position=Position.SIDE_LYING,
            anatomy="Gluteals",
            min_pressure=Pressure.LIGHT,
            stages=[1, 2, 3, 4],
        ),
        "frog": TechniqueFactory(
            slug="frog",
            phase=LibraryPhase.ADVANCED_POSITIONING,
            position=Position.PRONE_FROG,
            anatomy="Quadratus femoris",
            min_pressure=Pressure.MODERATE,
            max_pressure=Pressure.DEEP,
            stages=[3, 4],
        ),
        "pin": TechniqueFactory(
            slug="pin",
            name="Hamstring pin and stretch",
            phase=LibraryPhase.HAMSTRINGS,
            position=Position.PRONE,
            anatomy="Biceps femoris",
            min_pressure=Pressure.MODERATE,
            max_pressure=Pressure.DEEP,
            stages=[2, 3, 4],
        ),
    }


@pytest.mark.usefixtures("techniques")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"effleurage", "frog", "pin"}),
        ("?phase=warm_up", {"effleurage"}),
        ("?position=prone_frog", {"frog"}),
        ("?target=femoris", {"frog", "pin"}),
        ("?target=hamstring", {"pin"}),
        ("?stage=2", {"effleurage", "pin"}),
        ("?stage=1", {"effleurage"}),
        ("?pressure=1", {"effleurage"}),
        ("?pressure=2&stage=3", {"effleurage", "frog", "pin"}),
        ("?phase=hamstrings&position=prone_frog", set()),
        ("?stage=9&phase=nonsense", {"effleurage", "frog", "pin"}),
    ],
)
def test_technique_filters(therapist_client, query, expected):
    response = therapist_client.get(reverse("protocols:technique_list") + query)
    assert {t.slug for t in response.context["techniques"]} == expected


def test_no_match_says_so(therapist_client, techniques):
    response = therapist_client.get(reverse("protocols:technique_list") + "?target=scalp")
    assert "No technique matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", {"ice", "plank"}), ("?stage=1", {"ice"}), ("?position=prone", {"plank"})],
)
def test_exercise_filters(therapist_client, query, expected):
    ExerciseFactory(slug="ice", stages=[1], position=Position.SIDE_LYING)
    ExerciseFactory(slug="plank", stages=[Stage.STRENGTHENING], position=Position.PRONE)
    response = therapist_client.get(reverse("protocols:exercise_list") + query)
    assert {e.slug for e in response.context["exercises"]} == expected


def test_technique_page_has_numbered_steps_cautions_and_a_print_button(therapist_client):
    technique = technique_save(
        technique=TechniqueFactory(
            slug="hubcap", holds="30-60 s", cautions="Static only in week 1."
        ),
        steps=["Find the trochanter.", "Hold still."],
    )
    page = therapist_client.get(technique.get_absolute_url()).content.decode()
    assert '<ol class="library-steps">' in page
    assert page.index("Find the trochanter.") < page.index("Hold still.")
    assert "Static only in week 1." in page
    assert "30-60 s" in page
    assert "data-print" in page and "js/protocols.js" in page
    assert "style=" not in page


def test_exercise_page_reads_for_the_client(therapist_client):
    exercise = ExerciseFactory(
        slug="bridge",
        instructions="Lie on your back.\nLift your hips.",
        reps=10,
        sets=3,
        times_per_day=1,
    )
    page = therapist_client.get(exercise.get_absolute_url()).content.decode()
    assert "<li>Lie on your back.</li>" in page
    assert "10 repetitions · 3 sets · once a day" in page
    assert "Stop if tingling or shooting pain increases." in page


def test_stage_page_lists_that_weeks_techniques_and_home_care(therapist_client, techniques):
    stage = CareStageFactory(slug="decompression", stage=Stage.DECOMPRESSION, name="Decompression")
    ExerciseFactory(name="Seated nerve flossing", stages=[2])
    ExerciseFactory(name="Ice pack", stages=[1])
    response = therapist_client.get(stage.get_absolute_url())
    assert {t.slug for t in response.context["techniques"]} == {"effleurage", "pin"}
    assert [e.name for e in response.context["exercises"]] == ["Seated nerve flossing"]
    assert (
        "2 visits a week for 3 weeks, then one visit every 2-4 weeks." in response.content.decode()
    )


def test_template_page_shows_the_split_and_which_template_is_in_use(therapist_client):
    used = SessionTemplateFactory(slug="reference-60", order=10)
    spare = SessionTemplateFactory(slug="spare", order=20)
    response = therapist_client.get(used.get_absolute_url())
    assert response.context["in_use"]
    assert "1 · Preparation and warm-up (at least 5)" in response.content.decode()
    assert not therapist_client.get(spare.get_absolute_url()).context["in_use"]
