"""Week 1's gentle forms of the hypotheses' own work (clinical rules §6.2): shipped in the
fixture for new libraries, and added by a migration to a clinic's existing library."""

from __future__ import annotations

import importlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from protocols.models import Technique
from protocols.transfer import LIBRARY_FIXTURE, library_load
from tests.protocols.factories import TechniqueFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("protocols.migrations.0007_gentle_target_work")
BEFORE = [("protocols", "0006_text_limits")]
ADDED = {"hamstring-light-compression", "hamstring-light-side-lying", "sciatic-nerve-slider"}


def _fixture_items() -> list[dict]:
    return json.loads(LIBRARY_FIXTURE.read_text(encoding="utf-8"))


# Migrating needs real transactions; the serialized rollback gives later transactional tests
# back the roles and permissions the flush removes (as tests/protocols/test_technique_variants.py).
migrating = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _old_library(slugs_and_names: list[tuple[str, str]]) -> None:
    """Go back to before the migration, store these techniques, then migrate forward."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("protocols", "Technique")
        for slug, name in slugs_and_names:
            built = TechniqueFactory.build(slug=slug, name=name)
            fields = [f for f in old._meta.concrete_fields if not f.primary_key]
            old.objects.create(**{f.attname: getattr(built, f.attname) for f in fields})
    finally:
        # Every later migration too, so the tests after this one find the whole schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_fixture_ships_exactly_what_the_migration_adds():
    items = _fixture_items()
    for data in MIGRATION.TECHNIQUES:
        shipped = next(
            i["fields"]
            for i in items
            if i["model"] == "protocols.technique" and i["fields"]["slug"] == data["slug"]
        )
        expected = {key: value for key, value in data.items() if key != "steps"}
        assert {key: shipped[key] for key in expected} == expected
        assert shipped["retired"] is False
        steps = [
            i["fields"]["text"]
            for i in items
            if i["model"] == "protocols.techniquestep"
            and i["fields"]["technique"] == [data["slug"]]
        ]
        assert steps == list(data["steps"])


@migrating
def test_an_existing_library_gets_the_gentle_work_with_steps_links_and_history():
    _old_library(
        [
            ("posterior-thigh-stripping", "Deep tissue stripping of the posterior thigh"),
            ("sciatic-nerve-flossing-soft-tissue", "Sciatic nerve flossing with soft-tissue work"),
        ]
    )
    added = {t.slug: t for t in Technique.objects.filter(slug__in=ADDED)}
    assert set(added) == ADDED
    assert added["sciatic-nerve-slider"].variant_of == "sciatic-nerve-flossing-soft-tissue"
    assert added["sciatic-nerve-slider"].traits == ["neural_slider"]
    assert added["hamstring-light-compression"].variant_of == "posterior-thigh-stripping"
    assert added["hamstring-light-compression"].stages == [1, 2, 3, 4]
    assert added["hamstring-light-side-lying"].position == "side_lying"
    assert added["sciatic-nerve-slider"].steps.count() == 5
    record = Technique.history.filter(slug="sciatic-nerve-slider").earliest("history_date")
    assert record.history_type == "+"
    assert record.history_change_reason == MIGRATION.ADDED_REASON
    for technique in added.values():
        technique.full_clean()


@migrating
def test_the_managers_own_item_of_the_same_name_or_slug_is_left_alone():
    _old_library(
        [
            ("sciatic-nerve-slider", "Our own slider"),
            ("own-hamstring-work", "Light hamstring compression and broad stroking"),
        ]
    )
    assert Technique.objects.get(slug="sciatic-nerve-slider").name == "Our own slider"
    assert not Technique.objects.filter(slug="hamstring-light-compression").exists()
    # Its main version is not in this library: no dangling link.
    assert Technique.objects.get(slug="hamstring-light-side-lying").variant_of == ""


@migrating
def test_an_empty_database_is_left_to_the_library_load():
    _old_library([])
    assert not Technique.objects.exists()
    library_load()
    assert set(Technique.objects.filter(slug__in=ADDED).values_list("slug", flat=True)) == ADDED
    assert library_load().added == []
