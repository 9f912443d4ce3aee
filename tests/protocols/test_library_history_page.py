"""The manager sees who changed what in the library, and when (django-simple-history)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.vocabulary import Pressure
from protocols.history import NO_USER, library_history
from protocols.models import HomeCareExercise, Technique
from protocols.services import library_item_retire, technique_save
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
    retired, created = library_history(models=[Technique]).changes
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
    assert [c.item for c in library_history(limit=3).changes] == ["T4", "T3", "T2"]


def _exercises(count: int) -> None:
    for number in range(count):
        ExerciseFactory(name=f"E{number}")


def _items(history) -> list[str]:
    return [c.item for c in history.changes]


def test_the_history_pages_back_in_time_without_missing_a_change():
    _exercises(5)
    first = library_history(limit=2)
    second = library_history(limit=2, before=first.older_than)
    third = library_history(limit=2, before=second.older_than)
    assert (_items(first), _items(second), _items(third)) == (["E4", "E3"], ["E2", "E1"], ["E0"])
    assert third.older_than is None


def test_changes_made_at_the_same_moment_stay_on_one_page():
    _exercises(5)
    moment = HomeCareExercise.history.get(name="E3").history_date
    HomeCareExercise.history.filter(name="E2").update(history_date=moment)
    first = library_history(limit=2)
    assert sorted(_items(first)) == ["E2", "E3", "E4"]
    assert _items(library_history(limit=2, before=first.older_than)) == ["E1", "E0"]


def test_the_history_page_links_to_older_changes_and_back(manager_client, monkeypatch):
    monkeypatch.setattr("protocols.views.HISTORY_LIMIT", 2)
    _exercises(3)
    url = reverse("protocols:history")
    first = manager_client.get(url + "?kind=exercises")
    assert [c.item for c in first.context["changes"]] == ["E2", "E1"]
    older = first.context["older_url"]
    assert older and "before=" in older and "kind=exercises" in older
    second = manager_client.get(url + older)
    assert [c.item for c in second.context["changes"]] == ["E0"]
    assert second.context["older_url"] == "" and second.context["newest_url"]
    assert "Newest changes" in second.content.decode()


@pytest.mark.parametrize("before", ["yesterday", "2026-13-40T00:00", "2026-01-01T10:00"])
def test_a_before_that_is_not_an_aware_time_shows_the_newest_changes(manager_client, before):
    _exercises(1)
    response = manager_client.get(reverse("protocols:history"), {"before": before})
    assert response.status_code == 200
    assert [c.item for c in response.context["changes"]] == ["E0"]
