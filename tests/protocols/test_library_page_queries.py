"""Every library page answers in a fixed number of queries, however big the library."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protocols.models import Technique
from protocols.services import technique_save
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
    TechniqueStepFactory,
)

pytestmark = pytest.mark.django_db

# Every request: session, user, the user's and the group's permissions (2), the manager
# check in the navigation, and the session save (BEGIN/UPDATE/COMMIT on SQLite, a
# savepoint, UPDATE and release on PostgreSQL inside the test's transaction).
REQUEST_OVERHEAD = 8
# Then each page's own queries:
PAGES = [
    ("protocols:technique_list", (), 1),
    # The technique, its steps, its latest change and its other versions.
    ("protocols:technique_detail", ("item-0",), 4),
    ("protocols:exercise_list", (), 1),
    ("protocols:exercise_detail", ("exercise-item-0",), 2),
    ("protocols:stage_list", (), 1),
    ("protocols:stage_detail", ("stage-item",), 4),
    ("protocols:template_list", (), 1),
    ("protocols:template_detail", ("template-item",), 3),
    # The techniques it may be a variant of, for the "Variant of" list.
    ("protocols:item_create", ("techniques",), 1),
    ("protocols:item_edit", ("techniques", "item-0"), 3),
    ("protocols:item_edit", ("exercises", "exercise-item-0"), 1),
    ("protocols:item_edit", ("stages", "stage-item"), 1),
    ("protocols:item_edit", ("templates", "template-item"), 1),
    # Two per model, and one for the line saying what the library was loaded with.
    ("protocols:history", (), 11),
    # Five queries for the five tables, but no page template, so no navigation check.
    ("protocols:library_export", (), 4),
    ("protocols:library_import", (), 0),
]


def _library(rows: int) -> None:
    SessionTemplateFactory(slug="template-item")
    CareStageFactory(slug="stage-item")
    for number in range(rows):
        technique = TechniqueFactory(slug=f"item-{number}")
        technique_save(technique=technique, steps=["Warm the area.", "Glide slowly."])
        ExerciseFactory(slug=f"exercise-item-{number}")
    first = Technique.objects.get(slug="item-0")
    first.default_minutes = 5
    first.save()
    TechniqueStepFactory(technique=first, order=3)


def _ids(pages):
    return [f"{name}{'-' + '-'.join(args) if args else ''}" for name, args, _ in pages]


@pytest.mark.parametrize("rows", [1, 12])
@pytest.mark.parametrize(("name", "args", "own"), PAGES, ids=_ids(PAGES))
def test_page_query_count_does_not_grow_with_the_library(
    manager_client, django_assert_num_queries, rows, name, args, own
):
    _library(rows)
    url = reverse(name, args=args)
    with django_assert_num_queries(REQUEST_OVERHEAD + own):
        response = manager_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 12])
def test_filtered_list_query_count_does_not_grow(therapist_client, django_assert_num_queries, rows):
    _library(rows)
    url = reverse("protocols:technique_list") + "?phase=warm_up&stage=2&pressure=2&target=glut"
    with django_assert_num_queries(REQUEST_OVERHEAD + 1):
        assert therapist_client.get(url).status_code == 200
