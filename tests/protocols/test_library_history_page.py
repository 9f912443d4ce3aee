"""The manager sees who changed what in the library, and when (django-simple-history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protocols.history import NO_USER, library_changes
from protocols.models import Technique
from protocols.services import library_item_retire, technique_save
from protocols.vocabulary import Pressure
from tests.protocols.factories import ExerciseFactory, TechniqueFactory

pytestmark = pytest.mark.django_db


def _edit(manager_client, technique: Technique, **changes):
    data = {
        "name": technique.name,
        "phase": technique.phase,
        "anatomy": technique.anatomy,
        "position": technique.position,
        "tool": technique.tool,
        "min_pressure": technique.min_pressure,
        "max_pressure": technique.max_pressure,
        "min_minutes": technique.min_minutes,
        "default_minutes": technique.default_minutes,
        "max_minutes": technique.max_minutes,
        "steps": "\n".join(s.text for s in technique.steps.all()),
        "cautions": technique.cautions,
        "traits": technique.traits,
        "stages": technique.stages,
        "findings": technique.findings,
    }
    data.update(changes)
    response = manager_client.post(
        reverse("protocols:item_edit", args=("techniques", technique.slug)), data
    )
    assert response.status_code == 302


def test_history_shows_who_changed_which_fields_from_what_to_what(manager_client):
    technique = technique_save(
        technique=TechniqueFactory(name="Hubcap", slug="hubcap", max_pressure=Pressure.MODERATE),
        steps=["Find the bone.", "Hold."],
    )
    _edit(
        manager_client,
        technique,
        max_pressure=Pressure.DEEP,
        stages=[2, 3],
        steps="Find the bone.\nCircle slowly.",
    )
    response = manager_client.get(reverse("protocols:history"))
    changes = response.context["changes"]
    latest_technique = next(c for c in changes if c.item == "Hubcap")
    assert latest_technique.who == "Carol"
    assert latest_technique.action == "Changed"
    assert {(f.label, f.old, f.new) for f in latest_technique.changes} == {
        ("Usual pressure", "Moderate", "Deep"),
        (
            "Stages",
            "Week 1 · Firefighting, Week 2 · Decompression, Week 3 · Mobility, "
            "Week 4 · Strengthening and maintenance",
            "Week 2 · Decompression, Week 3 · Mobility",
        ),
    }
    step = next(c for c in changes if c.item == "Hubcap · step 2")
    assert [(f.label, f.old, f.new) for f in step.changes] == [("Text", "Hold.", "Circle slowly.")]
    page = response.content.decode()
    assert "<del>Moderate</del>" in page and "<ins>Deep</ins>" in page


def test_creation_without_a_user_shows_as_system_with_its_reason(manager_client):
    technique = TechniqueFactory(name="Tapotement")
    library_item_retire(item=technique, retired=True)
    retired, created = library_changes(models=[Technique])
    assert (retired.action, retired.reason, retired.who) == ("Changed", "Retired", NO_USER)
    assert [(f.label, f.old, f.new) for f in retired.changes] == [("Retired", "No", "Yes")]
    assert created.action == "Created"


def test_history_can_be_narrowed_to_one_kind_or_item(manager_client):
    technique_save(technique=TechniqueFactory(slug="a", name="A"), steps=["One."])
    TechniqueFactory(slug="b", name="B")
    ExerciseFactory(name="Bridge")
    url = reverse("protocols:history")
    assert {c.item for c in manager_client.get(url + "?kind=exercises").context["changes"]} == {
        "Bridge"
    }
    assert {
        c.item for c in manager_client.get(url + "?kind=techniques&slug=a").context["changes"]
    } == {
        "A",
        "A · step 1",
    }


def test_history_is_limited_to_the_latest_changes():
    for number in range(5):
        TechniqueFactory(slug=f"t{number}", name=f"T{number}")
    assert [c.item for c in library_changes(limit=3)] == ["T4", "T3", "T2"]
