"""Week 1's gentle home care for the hypothesis's target (clinical rules §7, §7.1): shipped
in the fixture for new libraries, and added by migration 0008 to a clinic's existing one."""

from __future__ import annotations

import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from protocols.library import library_snapshot
from protocols.models import HomeCareExercise
from protocols.transfer import LIBRARY_FIXTURE, library_load
from tests.protocols.factories import ExerciseFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("protocols.migrations.0008_gentle_home_care")
BEFORE = [("protocols", "0007_gentle_target_work")]
ADDED = {"sciatic-nerve-slider-home", "hamstring-heel-slides"}

# Migrating needs real transactions; the serialized rollback gives later transactional tests
# back the roles and permissions the flush removes (as test_gentle_target_work.py).
migrating = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _old_library(slugs_and_names: list[tuple[str, str]]) -> None:
    """Go back to before the migration, store these exercises, then migrate forward."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("protocols", "HomeCareExercise")
        for slug, name in slugs_and_names:
            built = ExerciseFactory.build(slug=slug, name=name)
            fields = [f for f in old._meta.concrete_fields if not f.primary_key]
            old.objects.create(**{f.attname: getattr(built, f.attname) for f in fields})
    finally:
        # Every later migration too, so the tests after this one find the whole schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_fixture_ships_exactly_what_the_migration_adds():
    items = json.loads(LIBRARY_FIXTURE.read_text(encoding="utf-8"))
    for data in MIGRATION.EXERCISES:
        shipped = next(
            i["fields"]
            for i in items
            if i["model"] == "protocols.homecareexercise" and i["fields"]["slug"] == data["slug"]
        )
        assert {key: shipped[key] for key in data} == data
        assert shipped["retired"] is False


def test_the_slider_is_week_1_work_that_slides_and_the_heel_slides_do_not_stretch():
    library_load()
    exercises = {e.slug: e for e in library_snapshot().exercises}
    slider, heel_slides = exercises["sciatic-nerve-slider-home"], exercises["hamstring-heel-slides"]
    assert {str(t) for t in slider.traits} == {"neural_slider"}
    assert 1 in slider.stages and {str(f) for f in slider.findings} == {"neural"}
    assert heel_slides.traits == frozenset() and 1 in heel_slides.stages
    assert {str(f) for f in heel_slides.findings} == {"hamstring"}
    assert "10 repetitions" in slider.dosage
    assert "not flossing" in slider.cautions and "No stretch" in heel_slides.cautions


@migrating
def test_an_existing_library_gets_the_home_care_with_history():
    _old_library([("ice-pack", "Ice pack")])
    added = {e.slug: e for e in HomeCareExercise.objects.filter(slug__in=ADDED)}
    assert set(added) == ADDED
    assert added["sciatic-nerve-slider-home"].traits == ["neural_slider"]
    assert added["hamstring-heel-slides"].stages == [1, 2]
    record = HomeCareExercise.history.get(slug="sciatic-nerve-slider-home")
    assert record.history_type == "+"
    assert record.history_change_reason == MIGRATION.ADDED_REASON
    for exercise in added.values():
        exercise.full_clean()


@migrating
def test_the_managers_own_exercise_of_the_same_name_or_slug_is_left_alone():
    _old_library(
        [
            ("sciatic-nerve-slider-home", "Our own home slider"),
            ("own-heel-slides", "Heel slides for tight hamstrings"),
        ]
    )
    assert HomeCareExercise.objects.get(slug="sciatic-nerve-slider-home").name == (
        "Our own home slider"
    )
    assert not HomeCareExercise.objects.filter(slug="hamstring-heel-slides").exists()


@migrating
def test_an_empty_database_is_left_to_the_library_load():
    _old_library([])
    assert not HomeCareExercise.objects.exists()
    library_load()
    slugs = set(HomeCareExercise.objects.filter(slug__in=ADDED).values_list("slug", flat=True))
    assert slugs == ADDED
    assert library_load().added == []
