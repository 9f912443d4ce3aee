"""The manager downloads the library as a file and uploads one back."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from protocols.forms import (
    IMPORT_FILE_NOT_TEXT_ERROR,
    IMPORT_FILE_TOO_LARGE_ERROR,
    IMPORT_MAX_BYTES,
)
from protocols.models import Technique
from protocols.services import technique_save
from protocols.transfer import IMPORT_NOT_JSON_ERROR, IMPORT_REASON, library_export
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
    library_wipe,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_library():
    SessionTemplateFactory(slug="reference-60")
    CareStageFactory(slug="firefighting")
    technique_save(technique=TechniqueFactory(slug="effleurage"), steps=["Warm.", "Glide."])
    TechniqueFactory(slug="retired-one", retired=True)
    ExerciseFactory(slug="bridge")


def _upload(text: str, name: str = "library.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/json")


@pytest.mark.usefixtures("small_library")
def test_export_wipe_import_through_the_pages_gives_the_identical_library(manager_client, manager):
    download = manager_client.get(reverse("protocols:library_export"))
    assert download["Content-Type"] == "application/json; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="library-')
    exported = download.content.decode()

    library_wipe()
    response = manager_client.post(
        reverse("protocols:library_import"), {"file": _upload(exported), "mode": "replace"}
    )

    assert response["Location"] == reverse("protocols:technique_list")
    assert library_export() == exported
    record = Technique.history.get(slug="effleurage")
    assert (record.history_user, record.history_change_reason) == (manager, IMPORT_REASON)


@pytest.mark.usefixtures("small_library")
def test_adding_only_missing_items_keeps_the_managers_edits(manager_client):
    exported = library_export()
    Technique.objects.filter(slug="effleurage").update(cautions="Edited here.")
    response = manager_client.post(
        reverse("protocols:library_import"),
        {"file": _upload(exported), "mode": "missing"},
        follow=True,
    )
    assert "Library imported: 0 added, 0 updated" in response.content.decode()
    assert Technique.objects.get(slug="effleurage").cautions == "Edited here."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{oops", IMPORT_NOT_JSON_ERROR),
        (b"\xff\xfe\x00garbage", IMPORT_FILE_NOT_TEXT_ERROR),
        (b" " * (IMPORT_MAX_BYTES + 1), IMPORT_FILE_TOO_LARGE_ERROR),
    ],
)
def test_a_bad_file_is_reported_at_the_file_field(manager_client, content, message):
    upload = SimpleUploadedFile("library.json", content, content_type="application/json")
    response = manager_client.post(
        reverse("protocols:library_import"), {"file": upload, "mode": "replace"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]


def test_an_invalid_item_imports_nothing_and_names_the_item(manager_client):
    items = [
        {
            "model": "protocols.technique",
            "fields": {
                "name": "Broken",
                "slug": "broken",
                "phase": "warm_up",
                "anatomy": "Back",
                "position": "prone",
                "tool": "palm",
                "min_pressure": 1,
                "max_pressure": 1,
                "default_minutes": 3,
                "min_minutes": 2,
                "max_minutes": 5,
                "cautions": "",
                "traits": [],
                "stages": [1],
                "findings": ["general"],
            },
        }
    ]
    response = manager_client.post(
        reverse("protocols:library_import"),
        {"file": _upload(json.dumps(items)), "mode": "replace"},
    )
    assert response.context["form"].errors["file"] == [
        "Technique “Broken”: cautions: This field cannot be blank."
    ]
    assert not Technique.objects.exists()


def test_the_import_needs_a_file_and_a_mode(manager_client):
    response = manager_client.post(reverse("protocols:library_import"), {})
    assert response.context["form"].errors == {
        "file": ["This field is required."],
        "mode": ["This field is required."],
    }
