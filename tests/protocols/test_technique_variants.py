"""Versions of the same work (a side-lying version, week 1's gentler form) are linked to
their main version, so the planner never puts two of them in one plan."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from protocols.forms import NOT_A_VARIANT
from protocols.library import library_snapshot
from protocols.models import (
    VARIANT_HAS_VARIANTS_ERROR,
    VARIANT_OF_ITSELF_ERROR,
    VARIANT_OF_VARIANT_ERROR,
    Technique,
)
from protocols.services import technique_save
from protocols.transfer import library_export, library_import
from tests.protocols.factories import (
    SessionTemplateFactory,
    TechniqueFactory,
    library_wipe,
    technique_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def effleurage():
    main = TechniqueFactory(name="Gentle effleurage", slug="effleurage")
    return technique_save(technique=main, steps=["Warm the area.", "Glide slowly."])


@pytest.fixture
def side_lying(effleurage):
    variant = TechniqueFactory(
        name="Gentle effleurage, side-lying",
        slug="effleurage-side-lying",
        position="side_lying",
        variant_of="effleurage",
    )
    return technique_save(technique=variant, steps=["Pillow between the knees.", "Glide."])


def _variant_error(technique: Technique) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        technique.full_clean()
    return caught.value.message_dict["variant_of"]


def test_a_variant_names_its_main_version_and_shares_its_family(effleurage, side_lying):
    assert side_lying.family == effleurage.family == "effleurage"
    assert list(effleurage.other_versions()) == [side_lying]
    assert list(side_lying.other_versions()) == [effleurage]
    SessionTemplateFactory()
    data = {t.slug: t for t in library_snapshot().techniques}
    assert data["effleurage-side-lying"].variant_of == "effleurage"
    assert data["effleurage-side-lying"].family == data["effleurage"].family


def test_a_technique_cannot_be_a_variant_of_itself(effleurage):
    effleurage.variant_of = "effleurage"
    assert _variant_error(effleurage) == [VARIANT_OF_ITSELF_ERROR]


def test_the_database_refuses_a_technique_that_is_its_own_variant(effleurage):
    with pytest.raises(IntegrityError), transaction.atomic():
        Technique.objects.filter(pk=effleurage.pk).update(variant_of="effleurage")


def test_a_variant_of_a_variant_is_refused_naming_the_main_version(side_lying):
    third = TechniqueFactory.build(slug="effleurage-seated", variant_of="effleurage-side-lying")
    assert _variant_error(third) == [
        VARIANT_OF_VARIANT_ERROR % {"main": "Gentle effleurage, side-lying"}
    ]


def test_a_main_version_with_variants_cannot_become_a_variant(effleurage, side_lying):
    other = TechniqueFactory(slug="broad-myofascial-release")
    effleurage.variant_of = other.slug
    assert _variant_error(effleurage) == [
        VARIANT_HAS_VARIANTS_ERROR % {"variants": "“Gentle effleurage, side-lying”"}
    ]


def test_the_manager_links_a_new_version_from_the_technique_form(manager_client, effleurage):
    page = manager_client.get(reverse("protocols:item_create", args=["techniques"]))
    html = page.content.decode()
    assert 'for="id_variant_of"' in html and "Variant of" in html and NOT_A_VARIANT in html
    data = technique_form_data(
        effleurage,
        name="Gentle effleurage, seated",
        slug="effleurage-seated",
        position="seated",
        variant_of="effleurage",
    )
    response = manager_client.post(reverse("protocols:item_create", args=["techniques"]), data)
    assert response.status_code == 302
    seated = Technique.objects.get(slug="effleurage-seated")
    assert seated.variant_of == "effleurage"
    assert seated.history.first().variant_of == "effleurage"


def test_the_form_offers_only_main_versions_and_never_the_technique_itself(
    manager_client, effleurage, side_lying
):
    form = manager_client.get(
        reverse("protocols:item_edit", args=["techniques", "effleurage"])
    ).context["form"]
    assert [value for value, _ in form.fields["variant_of"].choices] == [""]
    new = manager_client.get(reverse("protocols:item_create", args=["techniques"])).context["form"]
    assert [value for value, _ in new.fields["variant_of"].choices] == ["", "effleurage"]


def test_linking_to_a_variant_by_hand_is_a_field_error_not_a_crash(manager_client, side_lying):
    data = technique_form_data(
        side_lying, name="Seated version", slug="seated", variant_of="effleurage-side-lying"
    )
    page = manager_client.post(reverse("protocols:item_create", args=["techniques"]), data)
    assert page.status_code == 200
    assert "variant_of" in page.context["form"].errors
    assert not Technique.objects.filter(slug="seated").exists()


def test_the_technique_page_lists_the_other_versions(therapist_client, effleurage, side_lying):
    html = therapist_client.get(effleurage.get_absolute_url()).content.decode()
    assert "Other versions" in html
    assert f'<a href="{side_lying.get_absolute_url()}">Gentle effleurage, side-lying</a>' in html
    Technique.objects.filter(pk=side_lying.pk).update(variant_of="")
    html = therapist_client.get(effleurage.get_absolute_url()).content.decode()
    assert "Other versions" not in html


def test_export_and_import_keep_the_link(effleurage, side_lying):
    text = library_export()
    item = next(i for i in json.loads(text) if i["fields"]["slug"] == "effleurage-side-lying")
    assert item["fields"]["variant_of"] == "effleurage"
    library_wipe()
    library_import(text=text, replace_existing=False)
    assert Technique.objects.get(slug="effleurage-side-lying").variant_of == "effleurage"


def test_a_variant_whose_main_version_is_missing_is_still_imported(effleurage, side_lying):
    """The manager may have skipped the file's main version (e.g. a name clash): the
    variant still comes in, and the planner still groups by the slug."""
    items = [i for i in json.loads(library_export()) if i["fields"].get("slug") != "effleurage"]
    items = [i for i in items if i["fields"].get("technique") != ["effleurage"]]
    library_wipe()
    result = library_import(text=json.dumps(items), replace_existing=False)
    assert not result.skipped
    assert Technique.objects.get(slug="effleurage-side-lying").variant_of == "effleurage"


# Migrating needs real transactions; the serialized rollback gives later transactional tests
# back the roles and permissions the flush removes (as tests/sessions' PostgreSQL ones do).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_loaded_before_variants_existed_gets_the_shipped_links():
    """`library_load` never changes existing rows, so a migration after the new field links
    the shipped versions itself, leaves other techniques alone and records the change."""
    before = [("protocols", "0003_care_stage_messages_and_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("protocols", "Technique")
        for slug in ("effleurage", "effleurage-side-lying", "sacral-friction-light", "own-work"):
            built = TechniqueFactory.build(slug=slug, name=slug)
            fields = [f for f in old._meta.concrete_fields if not f.primary_key]
            old.objects.create(**{f.attname: getattr(built, f.attname) for f in fields})
    finally:
        # Every later migration too, so the tests after this one find the whole schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    slugs = ("effleurage", "effleurage-side-lying", "sacral-friction-light", "own-work")
    links = dict(Technique.objects.filter(slug__in=slugs).values_list("slug", "variant_of"))
    assert links == {
        "effleurage": "",
        "effleurage-side-lying": "effleurage",
        # Its main version (sacral scoring and friction) is not in this database.
        "sacral-friction-light": "",
        "own-work": "",
    }
    record = Technique.history.filter(slug="effleurage-side-lying").earliest("history_date")
    assert record.history_type == "~"
    assert record.history_change_reason == "Linked to the other versions of the same work"
