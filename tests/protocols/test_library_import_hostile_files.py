"""A library file is matched by natural keys (slugs) only: ids in it are ignored. A malformed
file gets one message naming the item and the field, and changes nothing."""

from __future__ import annotations

import json

import pytest

from protocols.models import Technique, TechniqueStep
from protocols.transfer import (
    IMPORT_FIELDS_NOT_OBJECT_REASON,
    IMPORT_ITEM_FIELD_ERROR,
    IMPORT_MISSING_REASON,
    IMPORT_NATURAL_KEY_REASON,
    IMPORT_NOT_A_VALUE_REASON,
    IMPORT_NOT_JSON_ERROR,
    IMPORT_NOT_LIST_ERROR,
    IMPORT_NUL_REASON,
    IMPORT_TOO_LARGE_ERROR,
    LibraryImportError,
    library_export,
    library_import,
    library_load,
)

pytestmark = pytest.mark.django_db


def library_state() -> tuple:
    return (
        sorted(Technique.objects.values_list("id", "slug", "name", "cautions")),
        sorted(TechniqueStep.objects.values_list("id", "technique_id", "order", "text")),
    )


def exported_items() -> list[dict]:
    return json.loads(library_export())


def technique_item(items, slug) -> dict:
    return next(
        i for i in items if i["model"] == "protocols.technique" and i["fields"]["slug"] == slug
    )


def test_an_id_in_the_file_renames_nothing_and_moves_no_step():
    library_load()
    victim = Technique.objects.get(slug="tapotement-glutes")
    victim_steps = list(victim.steps.values_list("id", "order", "text"))
    items = exported_items()
    effleurage = technique_item(items, "effleurage")
    effleurage["fields"]["id"] = victim.pk
    effleurage["pk"] = victim.pk
    effleurage["fields"]["cautions"] = "Changed through the file."
    for item in items:
        if item["model"] == "protocols.techniquestep":
            item["fields"]["id"] = TechniqueStep.objects.filter(technique=victim).first().pk
    library_import(text=json.dumps(items), replace_existing=True)

    victim.refresh_from_db()
    assert victim.slug == "tapotement-glutes"
    assert list(victim.steps.values_list("id", "order", "text")) == victim_steps
    assert Technique.objects.get(slug="effleurage").cautions == "Changed through the file."


def test_ids_above_the_counter_do_not_break_the_next_added_technique(manager_client):
    library_load()
    items = exported_items()
    new = dict(technique_item(items, "effleurage"))
    new["fields"] = {
        **new["fields"],
        "id": Technique.objects.order_by("-pk").first().pk + 1,
        "slug": "from-the-file",
        "name": "From the file",
    }
    library_import(text=json.dumps([new]), replace_existing=False)
    imported = Technique.objects.get(slug="from-the-file")
    fields = {k: v for k, v in new["fields"].items() if k not in ("id", "slug", "name")}
    fields.update(slug="added-by-hand", name="Added by hand")
    Technique.objects.create(**{**fields, "variant_of": fields.get("variant_of") or ""})
    assert Technique.objects.get(slug="added-by-hand").pk > imported.pk


def field_error(item: str, field: str, reason: str) -> str:
    return IMPORT_ITEM_FIELD_ERROR % {"item": item, "field": field, "reason": reason}


MALFORMED = [
    (
        "fields not an object",
        [{"model": "protocols.technique", "fields": [1]}],
        field_error("Item 2 (protocols.technique)", "fields", IMPORT_FIELDS_NOT_OBJECT_REASON),
    ),
    (
        "no slug",
        [{"model": "protocols.technique", "fields": {"name": "A"}}],
        field_error("Item 2 (protocols.technique)", "slug", IMPORT_MISSING_REASON),
    ),
    (
        "a list where a slug goes",
        [{"model": "protocols.technique", "fields": {"slug": ["a"]}}],
        field_error("Item 2 (protocols.technique)", "slug", IMPORT_NOT_A_VALUE_REASON),
    ),
    (
        "a step's technique not a slug",
        [{"model": "protocols.techniquestep", "fields": {"technique": {"a": 1}, "order": 1}}],
        field_error("Item 2 (protocols.techniquestep)", "technique", IMPORT_NATURAL_KEY_REASON),
    ),
    (
        "a NUL byte",
        [{"model": "protocols.technique", "fields": {"slug": "effleurage", "cautions": "a\x00b"}}],
        field_error("Item 2 (protocols.technique) “effleurage”", "cautions", IMPORT_NUL_REASON),
    ),
    ("not a list of items", {"model": "protocols.technique"}, IMPORT_NOT_LIST_ERROR),
    ("an item not an object", ["x"], IMPORT_NOT_LIST_ERROR),
]


@pytest.mark.parametrize(
    ("content", "message"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED]
)
def test_a_malformed_item_gets_one_message_and_changes_nothing(content, message):
    library_load()
    before = library_state()
    good = technique_item(exported_items(), "effleurage")
    good["fields"]["cautions"] = "Would change if the file were half-imported."
    items = [good, *content] if isinstance(content, list) else content
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=json.dumps(items), replace_existing=True)
    assert str(caught.value) == message
    assert library_state() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, IMPORT_NOT_JSON_ERROR),
        ("not json at all", IMPORT_NOT_JSON_ERROR),
        ("[" + " " * (2 * 1024 * 1024) + "]", IMPORT_TOO_LARGE_ERROR),
    ],
    ids=["nested 100,000 deep", "not JSON", "too big"],
)
def test_a_file_that_is_not_a_library_export_gets_a_message(text, message):
    library_load()
    before = library_state()
    with pytest.raises(LibraryImportError) as caught:
        library_import(text=text, replace_existing=True)
    assert str(caught.value) == message
    assert library_state() == before


def test_the_import_page_shows_the_message_for_a_deeply_nested_file(manager_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("deep.json", b"[" * 100_000 + b"]" * 100_000)
    response = manager_client.post("/library/import/", {"file": upload, "mode": "replace"})
    assert response.status_code == 200
    assert IMPORT_NOT_JSON_ERROR in response.content.decode()
