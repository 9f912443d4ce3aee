"""Export the library as a file and import it back, all or nothing."""

from __future__ import annotations

import json

import pytest

from protocols.models import MINUTES_ORDER_ERROR, Technique, TechniqueStep
from protocols.transfer import (
    IMPORT_FOREIGN_MODEL_ERROR,
    IMPORT_ITEM_FIELD_ERROR,
    IMPORT_NOT_JSON_ERROR,
    IMPORT_NOT_LIST_ERROR,
    IMPORT_ORPHAN_STEP_ERROR,
    IMPORT_REASON,
    IMPORT_UNKNOWN_FIELD_REASON,
    LibraryImportError,
    library_export,
    library_import,
    library_load,
)
from tests.protocols.factories import library_wipe

pytestmark = pytest.mark.django_db


def test_export_wipe_import_gives_back_the_identical_library():
    library_load()
    Technique.objects.filter(slug="tapotement-glutes").update(retired=True, order=5)
    exported = library_export()

    library_wipe()
    assert Technique.objects.count() == 0
    library_import(text=exported, replace_existing=True)

    assert library_export() == exported


def test_export_is_a_natural_key_fixture_without_database_ids():
    library_load()
    items = json.loads(library_export())
    assert all("pk" not in item for item in items)
    step = next(i for i in items if i["model"] == "protocols.techniquestep")
    assert step["fields"]["technique"] == ["effleurage"]


def test_replacing_import_restores_the_files_values_and_steps():
    library_load()
    exported = library_export()
    technique = Technique.objects.get(slug="effleurage")
    technique.default_minutes = 5
    technique.save()
    technique.steps.get(order=5).delete()
    TechniqueStep.objects.create(technique=technique, order=6, text="An extra step.")

    result = library_import(text=exported, replace_existing=True)

    technique.refresh_from_db()
    assert technique.default_minutes == 3
    assert list(technique.steps.values_list("order", flat=True)) == [1, 2, 3, 4, 5]
    assert "Technique “Gentle effleurage”" in result.updated
    assert technique.history.first().history_change_reason == IMPORT_REASON


def test_importing_an_unchanged_library_changes_nothing():
    library_load()
    history_rows = Technique.history.count()
    result = library_import(text=library_export(), replace_existing=True)
    assert result.added == result.updated == []
    assert Technique.history.count() == history_rows


def test_ids_in_a_file_are_ignored_items_match_by_slug():
    library_load()
    other = Technique.objects.get(slug="effleurage")
    items = json.loads(library_export())
    item = next(i for i in items if i["fields"].get("slug") == "bridge")
    item["pk"] = other.pk
    library_import(text=json.dumps(items), replace_existing=True)
    assert Technique.objects.get(pk=other.pk).slug == "effleurage"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", IMPORT_NOT_JSON_ERROR),
        ('{"model": "protocols.technique"}', IMPORT_NOT_LIST_ERROR),
        (
            '[{"model": "auth.user", "fields": {"username": "eve"}}]',
            IMPORT_FOREIGN_MODEL_ERROR % {"model": "auth.user"},
        ),
    ],
)
def test_a_file_that_is_not_a_library_export_is_refused(text, message):
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=text, replace_existing=True)
    assert str(caught.value) == message


def test_one_bad_item_stops_the_whole_import_and_names_the_item():
    library_load()
    items = json.loads(library_export())
    library_wipe()
    bad = next(i for i in items if i["fields"].get("slug") == "heat-application")
    bad["fields"]["default_minutes"] = 1
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=json.dumps(items), replace_existing=True)
    assert str(caught.value) == (
        f"Technique “Heat application”: default_minutes: {MINUTES_ORDER_ERROR}"
    )
    assert Technique.objects.count() == 0


def test_steps_without_their_technique_are_refused():
    text = json.dumps(
        [
            {
                "model": "protocols.techniquestep",
                "fields": {"technique": ["nope"], "order": 1, "text": "x"},
            }
        ]
    )
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=text, replace_existing=True)
    assert str(caught.value) == IMPORT_ORPHAN_STEP_ERROR % {"technique": "nope"}


def test_an_unknown_field_is_refused():
    text = json.dumps([{"model": "protocols.technique", "fields": {"slug": "x", "colour": 1}}])
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=text, replace_existing=True)
    assert str(caught.value) == IMPORT_ITEM_FIELD_ERROR % {
        "item": "Item 1 (protocols.technique) “x”",
        "field": "colour",
        "reason": IMPORT_UNKNOWN_FIELD_REASON,
    }


def test_steps_listed_before_their_technique_are_still_imported():
    library_load()
    items = json.loads(library_export())
    library_wipe()
    items.reverse()
    library_import(text=json.dumps(items), replace_existing=True)
    assert Technique.objects.get(slug="effleurage").steps.count() == 5
