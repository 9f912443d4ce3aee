"""The manager sees who changed what in the library, and when (django-simple-history)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.vocabulary import Pressure
from protocols.history import NO_USER, library_history
from protocols.models import HomeCareExercise, Technique, TechniqueStep
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


# ---- The library as shipped, and moves --------------------------------------------------------


def test_the_library_as_loaded_is_one_line_not_a_row_per_item(manager_client):
    call_command("library_load", verbosity=0)
    history = library_history()
    assert history.changes == []
    counts = dict(history.loaded.counts)
    assert counts["techniques"] == Technique.objects.count()
    assert counts["technique steps"] == TechniqueStep.objects.count()
    assert history.loaded.summary.startswith("Library loaded: ")
    page = manager_client.get(reverse("protocols:history")).content.decode()
    assert page.count("library-action-loaded") == 1
    assert "library-action-created" not in page and NO_USER not in page


def test_a_managers_change_after_the_load_is_listed_above_the_load(manager_client):
    call_command("library_load", verbosity=0)
    technique = Technique.objects.order_by("order").first()
    _edit(manager_client, technique, cautions="Ask about the hip first.")
    response = manager_client.get(reverse("protocols:history"))
    (change,) = response.context["changes"]
    assert (change.who, change.action, change.item) == ("Carol", "Changed", technique.name)
    page = response.content.decode()
    assert page.index("Ask about the hip first.") < page.index("Library loaded:")


def test_the_load_line_waits_for_the_last_page(monkeypatch):
    call_command("library_load", verbosity=0)
    _exercises(3)
    first = library_history(limit=2)
    assert first.loaded is None and first.older_than is not None
    assert library_history(limit=2, before=first.older_than).loaded is not None


def _move(manager_client, technique, direction="up"):
    response = manager_client.post(
        reverse("protocols:item_move", args=("techniques", technique.slug)),
        {"direction": direction},
    )
    assert response.status_code == 302


def _three_in_order():
    return [
        TechniqueFactory(slug=slug, name=name, order=order)
        for slug, name, order in (("a", "Alpha", 10), ("b", "Bravo", 20), ("c", "Charlie", 30))
    ]


def test_a_move_reads_moved_from_one_position_to_another(manager_client):
    _alpha, _bravo, charlie = _three_in_order()
    _move(manager_client, charlie)
    moves = [c for c in library_history().changes if c.who == "Carol"]
    assert {(c.item, c.action, c.summary) for c in moves} == {
        ("Charlie", "Moved", "moved from position 3 to 2"),
        ("Bravo", "Moved", "moved from position 2 to 3"),
    }
    assert all(c.changes == () and c.reason == "" for c in moves)
    page = manager_client.get(reverse("protocols:history")).content.decode()
    assert "Moved from position 3 to 2" in page


def test_items_only_renumbered_by_a_move_get_no_line_of_their_own(manager_client):
    for number, order in enumerate((10, 15, 17, 40)):
        TechniqueFactory(slug=f"t{number}", name=f"T{number}", order=order)
    _move(manager_client, Technique.objects.get(slug="t3"))  # 40 up past 17
    moves = [c for c in library_history().changes if c.who == "Carol"]
    # T1 15 -> 20 keeps its place; T3 and T2 swap: 4 -> 3 and 3 -> 4.
    assert [(c.item, c.summary) for c in moves] == [
        ("T3", "moved from position 4 to 3 (1 other item renumbered, in the same places)"),
        ("T2", "moved from position 3 to 4"),
    ] or [(c.item, c.summary) for c in moves] == [
        ("T2", "moved from position 3 to 4"),
        ("T3", "moved from position 4 to 3 (1 other item renumbered, in the same places)"),
    ]


def test_two_moves_read_as_two_moves(manager_client):
    _alpha, _bravo, charlie = _three_in_order()
    _move(manager_client, charlie)
    first = set(Technique.history.values_list("history_id", flat=True))
    _move(manager_client, charlie)
    # A second later, as a person clicks again.
    second = Technique.history.exclude(history_id__in=first)
    for record in second:
        Technique.history.filter(history_id=record.history_id).update(
            history_date=record.history_date + timedelta(seconds=1)
        )
    summaries = [(c.item, c.summary) for c in library_history().changes if c.who == "Carol"]
    assert sorted(summaries) == sorted(
        [
            ("Charlie", "moved from position 3 to 2"),
            ("Bravo", "moved from position 2 to 3"),
            ("Charlie", "moved from position 2 to 1"),
            ("Alpha", "moved from position 1 to 2"),
        ]
    )


def test_a_change_of_order_together_with_another_field_is_a_change(manager_client):
    technique = TechniqueFactory(slug="a", name="Alpha", order=10)
    technique.order = 20
    technique.cautions = "New caution."
    technique.save()
    (latest, _created) = library_history().changes
    assert latest.action == "Changed" and latest.summary == ""
