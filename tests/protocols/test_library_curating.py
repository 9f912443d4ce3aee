"""The clinic manager curates the library in the browser; therapists see the result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.vocabulary import Stage
from protocols.forms import SLUG_RESERVED_ERROR, STEPS_REQUIRED_ERROR
from protocols.library import library_snapshot
from protocols.models import (
    MINUTES_ORDER_ERROR,
    PRESSURE_ORDER_ERROR,
    STAGE_TAKEN_ERROR,
    CareStage,
    HomeCareExercise,
    SessionTemplate,
    Technique,
)
from protocols.services import LAST_TEMPLATE_ERROR, technique_save
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
    technique_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def effleurage():
    technique = TechniqueFactory(
        name="Gentle effleurage", slug="effleurage", cautions="Light pressure only."
    )
    return technique_save(technique=technique, steps=["Warm the area.", "Glide slowly."])


def _edit_url(kind: str, slug: str) -> str:
    return reverse("protocols:item_edit", args=(kind, slug))


def test_managers_change_to_minutes_and_cautions_reaches_therapists(
    client, manager, therapist, effleurage
):
    client.force_login(manager)
    response = client.post(
        _edit_url("techniques", "effleurage"),
        technique_form_data(
            effleurage, default_minutes=5, cautions="Ask about oil allergies first."
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == effleurage.get_absolute_url()

    client.force_login(therapist)
    page = client.get(effleurage.get_absolute_url()).content.decode()
    assert "Ask about oil allergies first." in page
    assert "5 (from 2 to 6)" in page
    SessionTemplateFactory()
    (technique,) = library_snapshot().techniques
    assert (technique.default_minutes, technique.cautions) == (5, "Ask about oil allergies first.")


def test_the_change_is_recorded_with_who_made_it(manager_client, manager, effleurage):
    manager_client.post(
        _edit_url("techniques", "effleurage"), technique_form_data(effleurage, default_minutes=5)
    )
    record = effleurage.history.first()
    assert record.history_user == manager
    assert record.diff_against(record.prev_record).changed_fields == ["default_minutes"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"default_minutes": 9}, "default_minutes", MINUTES_ORDER_ERROR),
        ({"min_pressure": 3, "max_pressure": 1}, "max_pressure", PRESSURE_ORDER_ERROR),
        ({"steps": "  \n \n"}, "steps", STEPS_REQUIRED_ERROR),
        ({"stages": []}, "stages", "This field is required."),
        ({"cautions": ""}, "cautions", "This field is required."),
        ({"default_minutes": "ten"}, "default_minutes", "Enter a whole number."),
        (
            {"traits": ["cupping"]},
            "traits",
            "Select a valid choice. cupping is not one of the available choices.",
        ),
    ],
)
def test_bad_input_is_reported_at_the_field_and_nothing_is_saved(
    manager_client, effleurage, changes, field, message
):
    response = manager_client.post(
        _edit_url("techniques", "effleurage"), technique_form_data(effleurage, **changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert "Nothing was saved" in response.content.decode()
    effleurage.refresh_from_db()
    assert effleurage.default_minutes == 4
    assert effleurage.steps.count() == 2


def test_editing_steps_renumbers_and_drops_the_extra_ones(manager_client, effleurage):
    manager_client.post(
        _edit_url("techniques", "effleurage"),
        technique_form_data(effleurage, steps="Warm the area.\n\n  Glide very slowly.  \nFinish."),
    )
    assert list(effleurage.steps.values_list("order", "text")) == [
        (1, "Warm the area."),
        (2, "Glide very slowly."),
        (3, "Finish."),
    ]
    manager_client.post(
        _edit_url("techniques", "effleurage"), technique_form_data(effleurage, steps="Only one.")
    )
    assert list(effleurage.steps.values_list("order", "text")) == [(1, "Only one.")]


def test_adding_a_technique_makes_the_slug_and_puts_it_last(manager_client, effleurage):
    data = technique_form_data(effleurage, name="Side-lying breathing", steps="Breathe.")
    response = manager_client.post(reverse("protocols:item_create", args=("techniques",)), data)
    technique = Technique.objects.get(slug="side-lying-breathing")
    assert response["Location"] == technique.get_absolute_url()
    assert technique.order > effleurage.order
    assert [s.text for s in technique.steps.all()] == ["Breathe."]


def test_a_taken_name_or_reserved_slug_is_refused(manager_client, effleurage):
    url = reverse("protocols:item_create", args=("techniques",))
    taken = manager_client.post(url, technique_form_data(effleurage))
    assert taken.context["form"].errors["name"] == ["Technique with this Name already exists."]
    reserved = manager_client.post(url, technique_form_data(effleurage, name="New", slug="new"))
    assert reserved.context["form"].errors["slug"] == [SLUG_RESERVED_ERROR]


def test_the_slug_cannot_be_changed_once_saved(manager_client, effleurage):
    manager_client.post(
        _edit_url("techniques", "effleurage"), technique_form_data(effleurage, slug="renamed")
    )
    assert Technique.objects.filter(slug="effleurage").exists()


def test_retiring_hides_an_item_from_lists_and_plans_but_keeps_its_page(manager_client, effleurage):
    SessionTemplateFactory()
    url = reverse("protocols:item_retire", args=("techniques", "effleurage"))
    response = manager_client.post(url, {"retired": "1"})
    assert response["Location"] == effleurage.get_absolute_url()
    effleurage.refresh_from_db()
    assert effleurage.retired
    assert library_snapshot().techniques == ()
    listed = manager_client.get(reverse("protocols:technique_list")).context["techniques"]
    assert listed == []
    shown = manager_client.get(reverse("protocols:technique_list") + "?retired=on")
    assert shown.context["techniques"] == [effleurage]
    assert manager_client.get(effleurage.get_absolute_url()).status_code == 200

    manager_client.post(url, {"retired": "0"})
    effleurage.refresh_from_db()
    assert not effleurage.retired
    assert effleurage.history.first().history_change_reason == "Restored"


def test_the_last_active_template_cannot_be_retired(manager_client):
    template = SessionTemplateFactory(slug="only")
    response = manager_client.post(
        reverse("protocols:item_retire", args=("templates", "only")), {"retired": "1"}, follow=True
    )
    assert LAST_TEMPLATE_ERROR in response.content.decode()
    template.refresh_from_db()
    assert not template.retired


def test_a_second_active_stage_for_the_same_week_is_refused(manager_client):
    CareStageFactory(stage=Stage.FIREFIGHTING, slug="week-one")
    existing = CareStageFactory.build(stage=Stage.FIREFIGHTING, name="Another week one")
    data = {
        field: getattr(existing, field)
        for field in (
            "stage",
            "name",
            "goal",
            "in_clinic",
            "home_care",
            "acute_per_week",
            "acute_weeks",
            "acute_then_every_weeks_min",
            "acute_then_every_weeks_max",
            "chronic_per_week",
            "chronic_weeks",
            "chronic_then_every_weeks_min",
            "chronic_then_every_weeks_max",
        )
    }
    response = manager_client.post(reverse("protocols:item_create", args=("stages",)), data)
    assert response.context["form"].errors["stage"] == [STAGE_TAKEN_ERROR]
    assert CareStage.objects.count() == 1


def test_restoring_a_stage_that_would_clash_is_refused(manager_client):
    CareStageFactory(stage=Stage.MOBILITY, slug="current")
    CareStageFactory(stage=Stage.MOBILITY, slug="old", retired=True)
    response = manager_client.post(
        reverse("protocols:item_retire", args=("stages", "old")), {"retired": "0"}, follow=True
    )
    assert STAGE_TAKEN_ERROR in response.content.decode()
    assert CareStage.objects.get(slug="old").retired


def test_exercise_edit_without_any_dose_is_refused_at_the_dose_note(manager_client):
    exercise = ExerciseFactory(slug="bridge")
    data = {
        "name": exercise.name,
        "purpose": exercise.purpose,
        "position": exercise.position,
        "instructions": exercise.instructions,
        "cautions": exercise.cautions,
        "stages": [1],
        "findings": ["general"],
        "sets": 2,
    }
    response = manager_client.post(_edit_url("exercises", "bridge"), data)
    assert (
        "Give at least repetitions, a hold, minutes or a dosage note."
        in (response.context["form"].errors["dosage_note"])
    )
    data["reps"] = 12
    assert manager_client.post(_edit_url("exercises", "bridge"), data).status_code == 302
    assert HomeCareExercise.objects.get(slug="bridge").dosage.startswith("12 repetitions · 2 sets")


def test_template_edit_reports_an_impossible_split(manager_client):
    SessionTemplateFactory(slug="reference-60")
    data = {
        "name": "Reference",
        "reference_minutes": 60,
        "assessment_minutes": 15,
        "warm_up_minutes": 10,
        "targeted_minutes": 40,
        "integration_minutes": 15,
        "min_warm_up_minutes": 5,
        "min_session_minutes": 30,
        "max_session_minutes": 90,
    }
    response = manager_client.post(_edit_url("templates", "reference-60"), data)
    assert response.context["form"].errors["integration_minutes"] == [
        "Warm-up, targeted work and integration together exceed the reference length."
    ]
    assert SessionTemplate.objects.get(slug="reference-60").targeted_minutes == 20


@pytest.mark.parametrize(
    ("direction", "expected"), [("up", ["b", "a", "c"]), ("down", ["a", "c", "b"])]
)
def test_moving_swaps_with_the_neighbour(manager_client, direction, expected):
    for order, slug in enumerate("abc"):
        TechniqueFactory(slug=slug, name=slug.upper(), order=order)
    response = manager_client.post(
        reverse("protocols:item_move", args=("techniques", "b")), {"direction": direction}
    )
    assert response["Location"] == reverse("protocols:technique_list")
    assert list(Technique.objects.values_list("slug", flat=True)) == expected
    assert list(Technique.objects.values_list("order", flat=True)) == [10, 20, 30]


def test_moving_the_first_item_up_changes_nothing(manager_client):
    TechniqueFactory(slug="a", order=10)
    TechniqueFactory(slug="b", order=20)
    manager_client.post(
        reverse("protocols:item_move", args=("techniques", "a")), {"direction": "up"}
    )
    assert list(Technique.objects.values_list("slug", flat=True)) == ["a", "b"]


def test_an_unknown_move_direction_is_not_found(manager_client):
    TechniqueFactory(slug="a")
    url = reverse("protocols:item_move", args=("techniques", "a"))
    assert manager_client.post(url, {"direction": "sideways"}).status_code == 404
