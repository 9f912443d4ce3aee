"""`manage.py library_load` adds what is missing and never overwrites the manager's work."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from protocols.models import HomeCareExercise, Technique, TechniqueStep
from protocols.transfer import LIBRARY_FIXTURE, LOAD_REASON, library_load

pytestmark = pytest.mark.django_db

FIXTURE_ITEMS = json.loads(LIBRARY_FIXTURE.read_text(encoding="utf-8"))


def _counts() -> tuple[int, int, int]:
    return (
        Technique.objects.count(),
        TechniqueStep.objects.count(),
        HomeCareExercise.objects.count(),
    )


def test_a_fresh_database_gets_every_fixture_item():
    result = library_load()
    assert len(result.added) == len(FIXTURE_ITEMS)
    assert not result.skipped


def test_loading_twice_adds_nothing_the_second_time():
    library_load()
    before = _counts()
    result = library_load()
    assert result.added == [] and result.updated == []
    assert _counts() == before


def test_a_managers_edits_survive_a_reload():
    library_load()
    technique = Technique.objects.get(slug="effleurage")
    technique.default_minutes = 5
    technique.cautions = "Clinic rule: ask about skin allergies to the oil first."
    technique.save()
    technique.steps.filter(order=5).delete()
    TechniqueStep.objects.filter(technique=technique, order=1).update(text="Our own first step.")
    Technique.objects.filter(slug="tapotement-glutes").update(retired=True)

    library_load()

    technique.refresh_from_db()
    assert technique.default_minutes == 5
    assert technique.cautions == "Clinic rule: ask about skin allergies to the oil first."
    assert list(technique.steps.values_list("order", flat=True)) == [1, 2, 3, 4]
    assert technique.steps.get(order=1).text == "Our own first step."
    assert Technique.objects.get(slug="tapotement-glutes").retired


def test_an_item_missing_from_the_database_is_added_with_its_steps():
    library_load()
    Technique.objects.filter(slug="frog-leg-position").delete()
    result = library_load()
    assert result.added == [
        "Technique “Frog-leg position: quadratus femoris and adductor magnus”"
    ] + [
        f"Technique step “Frog-leg position: quadratus femoris and adductor magnus · step {n}”"
        for n in range(1, 6)
    ]
    assert Technique.objects.get(slug="frog-leg-position").steps.count() == 5


def test_an_item_clashing_with_the_managers_own_is_skipped_and_reported():
    Technique.objects.create(
        name="Gentle effleurage",
        slug="our-effleurage",
        phase="warm_up",
        anatomy="Back",
        position="prone",
        tool="palm",
        min_pressure=1,
        max_pressure=1,
        default_minutes=3,
        min_minutes=2,
        max_minutes=5,
        cautions="Our own.",
        stages=[1],
        findings=["general"],
    )
    result = library_load()
    assert result.skipped == [
        "Technique “Gentle effleurage”: name: Technique with this Name already exists."
    ]
    assert not Technique.objects.filter(slug="effleurage").exists()
    assert not TechniqueStep.objects.filter(technique__slug="effleurage").exists()
    assert Technique.objects.filter(slug="effleurage-side-lying").exists()


def test_loading_is_recorded_in_the_history():
    library_load()
    record = Technique.history.get(slug="effleurage")
    assert record.history_type == "+"
    assert record.history_change_reason == LOAD_REASON


def test_the_command_reports_what_it_did():
    out = StringIO()
    call_command("library_load", stdout=out)
    call_command("library_load", stdout=out)
    techniques = sum(1 for i in FIXTURE_ITEMS if i["model"] != "protocols.techniquestep")
    assert out.getvalue().splitlines() == [
        f"Library library.json: {len(FIXTURE_ITEMS)} added, 0 already present and left as they are.",
        f"Library library.json: 0 added, {techniques} already present and left as they are.",
    ]


def test_the_command_help_promises_not_to_overwrite():
    from protocols.management.commands.library_load import Command

    assert "never changed" in Command.help and "twice adds nothing" in Command.help


def test_plain_loaddata_reads_the_fixture_too():
    call_command("loaddata", str(LIBRARY_FIXTURE), verbosity=0)
    assert Technique.objects.count() == sum(
        1 for i in FIXTURE_ITEMS if i["model"] == "protocols.technique"
    )
    assert TechniqueStep.objects.count() == sum(
        1 for i in FIXTURE_ITEMS if i["model"] == "protocols.techniquestep"
    )
