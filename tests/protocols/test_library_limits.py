"""The library's limits: steps per technique (form, service, import), text per step, and the
number of items in a library file."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from core.limits import IMPORT_ITEMS_MAX, LONG_TEXT_MAX, STEP_TEXT_MAX, TECHNIQUE_STEPS_MAX
from protocols.services import STEPS_TOO_MANY, technique_save
from protocols.transfer import (
    IMPORT_TOO_MANY_ITEMS_ERROR,
    IMPORT_TOO_MANY_STEPS_ERROR,
    LibraryImportError,
    library_export,
    library_import,
)
from tests.protocols.factories import TechniqueFactory, technique_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def effleurage():
    technique = TechniqueFactory(
        name="Gentle effleurage", slug="effleurage", cautions="Light pressure only."
    )
    return technique_save(technique=technique, steps=["Warm the area.", "Glide slowly."])


def _post(manager_client, technique, **changes):
    return manager_client.post(
        reverse("protocols:item_edit", args=("techniques", technique.slug)),
        technique_form_data(technique, **changes),
    )


def test_a_technique_with_more_steps_than_the_limit_is_refused_by_the_form(
    manager_client, effleurage
):
    steps = "\n".join(f"Step {n}." for n in range(TECHNIQUE_STEPS_MAX + 1))

    response = _post(manager_client, effleurage, steps=steps)

    assert response.status_code == 200
    assert response.context["form"].errors["steps"] == [
        STEPS_TOO_MANY.format(count=TECHNIQUE_STEPS_MAX + 1)
    ]
    assert effleurage.steps.count() == 2


def test_a_technique_with_exactly_the_step_limit_is_saved(manager_client, effleurage):
    steps = "\n".join(f"Step {n}." for n in range(TECHNIQUE_STEPS_MAX))

    response = _post(manager_client, effleurage, steps=steps)

    assert response.status_code == 302
    assert effleurage.steps.count() == TECHNIQUE_STEPS_MAX


def test_a_step_over_its_limit_is_refused_by_the_form_naming_the_step(manager_client, effleurage):
    response = _post(manager_client, effleurage, steps="Warm.\n" + "x" * (STEP_TEXT_MAX + 1))

    assert "Steps: step 2 has 1,001 characters, at most 1,000." in response.content.decode()
    assert effleurage.steps.count() == 2


def test_cautions_over_the_limit_are_refused_by_name(manager_client, effleurage):
    response = _post(manager_client, effleurage, cautions="x" * (LONG_TEXT_MAX + 1))

    assert response.context["form"].errors["cautions"] == [
        f"Cautions: at most 4,000 characters (this has {LONG_TEXT_MAX + 1:,})."
    ]


def test_the_service_refuses_more_steps_than_the_limit(effleurage):
    with pytest.raises(ValidationError):
        technique_save(technique=effleurage, steps=["x"] * (TECHNIQUE_STEPS_MAX + 1))
    assert effleurage.steps.count() == 2


def _export_with_steps(technique, count) -> list[dict]:
    items = [i for i in json.loads(library_export()) if i["model"] != "protocols.techniquestep"]
    items += [
        {
            "model": "protocols.techniquestep",
            "fields": {"technique": [technique.slug], "order": n, "text": f"Step {n}."},
        }
        for n in range(1, count + 1)
    ]
    return items


def test_an_import_with_more_steps_than_the_limit_is_refused_naming_the_technique(effleurage):
    items = _export_with_steps(effleurage, TECHNIQUE_STEPS_MAX + 1)

    with pytest.raises(LibraryImportError) as caught:
        library_import(text=json.dumps(items), replace_existing=True)

    assert str(caught.value) == IMPORT_TOO_MANY_STEPS_ERROR % {
        "technique": "effleurage",
        "count": f"{TECHNIQUE_STEPS_MAX + 1}",
    }
    assert effleurage.steps.count() == 2


def test_an_import_with_exactly_the_step_limit_is_accepted(effleurage):
    items = _export_with_steps(effleurage, TECHNIQUE_STEPS_MAX)

    library_import(text=json.dumps(items), replace_existing=True)

    assert effleurage.steps.count() == TECHNIQUE_STEPS_MAX


def test_an_import_with_more_items_than_the_limit_is_refused():
    items = [{"model": "protocols.carestage", "fields": {}}] * (IMPORT_ITEMS_MAX + 1)

    with pytest.raises(LibraryImportError) as caught:
        library_import(text=json.dumps(items), replace_existing=True)

    assert str(caught.value) == IMPORT_TOO_MANY_ITEMS_ERROR % {"count": "2,001"}


def test_the_import_page_shows_the_step_limit_message(manager_client, effleurage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    items = _export_with_steps(effleurage, TECHNIQUE_STEPS_MAX + 1)
    upload = SimpleUploadedFile("library.json", json.dumps(items).encode(), "application/json")

    response = manager_client.post(
        reverse("protocols:library_import"), {"file": upload, "mode": "replace"}, follow=True
    )

    assert escape("Technique “effleurage” has 101 steps") in response.content.decode()
