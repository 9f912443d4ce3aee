"""Who may open which library page: therapists browse, the manager curates, anyone logged
out goes to the login page (clinical rules §1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
    TechniqueStepFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    technique = TechniqueFactory(slug="effleurage")
    TechniqueStepFactory(technique=technique, order=1)
    ExerciseFactory(slug="bridge")
    CareStageFactory(slug="firefighting")
    SessionTemplateFactory(slug="reference-60")
    SessionTemplateFactory(slug="spare")


BROWSE = [
    ("protocols:technique_list", ()),
    ("protocols:technique_detail", ("effleurage",)),
    ("protocols:exercise_list", ()),
    ("protocols:exercise_detail", ("bridge",)),
    ("protocols:stage_list", ()),
    ("protocols:stage_detail", ("firefighting",)),
    ("protocols:template_list", ()),
    ("protocols:template_detail", ("reference-60",)),
]
CURATE_GET = [
    ("protocols:item_create", ("techniques",)),
    ("protocols:item_create", ("exercises",)),
    ("protocols:item_create", ("stages",)),
    ("protocols:item_create", ("templates",)),
    ("protocols:item_edit", ("techniques", "effleurage")),
    ("protocols:item_edit", ("exercises", "bridge")),
    ("protocols:item_edit", ("stages", "firefighting")),
    ("protocols:item_edit", ("templates", "reference-60")),
    ("protocols:history", ()),
    ("protocols:library_export", ()),
    ("protocols:library_import", ()),
]
CURATE_POST = [
    ("protocols:item_create", ("techniques",), {}),
    ("protocols:item_edit", ("exercises", "bridge"), {}),
    ("protocols:item_retire", ("techniques", "effleurage"), {"retired": "1"}),
    ("protocols:item_retire", ("exercises", "bridge"), {"retired": "1"}),
    ("protocols:item_retire", ("stages", "firefighting"), {"retired": "1"}),
    ("protocols:item_retire", ("templates", "spare"), {"retired": "1"}),
    ("protocols:item_move", ("techniques", "effleurage"), {"direction": "down"}),
    ("protocols:item_move", ("exercises", "bridge"), {"direction": "down"}),
    ("protocols:item_move", ("stages", "firefighting"), {"direction": "down"}),
    ("protocols:item_move", ("templates", "spare"), {"direction": "up"}),
    ("protocols:library_import", (), {}),
]
ALL_GET = BROWSE + CURATE_GET


def _ids(pages):
    return [f"{name}{'-' + '-'.join(args) if args else ''}" for name, args, *_ in pages]


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args"), ALL_GET, ids=_ids(ALL_GET))
def test_anonymous_is_sent_to_login(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args", "data"), CURATE_POST, ids=_ids(CURATE_POST))
def test_anonymous_cannot_post(client, name, args, data):
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args"), BROWSE, ids=_ids(BROWSE))
def test_therapist_browses_the_library(therapist_client, name, args):
    assert therapist_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args"), CURATE_GET, ids=_ids(CURATE_GET))
def test_therapist_cannot_open_curating_pages(therapist_client, name, args):
    assert therapist_client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args", "data"), CURATE_POST, ids=_ids(CURATE_POST))
def test_therapist_cannot_change_anything(therapist_client, name, args, data):
    from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique

    response = therapist_client.post(reverse(name, args=args), data)
    assert response.status_code == 403
    models = (Technique, HomeCareExercise, CareStage, SessionTemplate)
    assert not any(model.objects.filter(retired=True).exists() for model in models)


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize(("name", "args"), ALL_GET, ids=_ids(ALL_GET))
def test_manager_opens_every_page(manager_client, name, args):
    assert manager_client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.usefixtures("library")
def test_a_logged_in_user_without_a_role_cannot_browse(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("eve", password="eve-password-1"))
    assert client.get(reverse("protocols:technique_list")).status_code == 403


@pytest.mark.usefixtures("library")
@pytest.mark.parametrize("url", ["/library/gadgets/new/", "/library/techniques/nope/edit/"])
def test_unknown_kinds_and_items_are_not_found(manager_client, url):
    assert manager_client.get(url).status_code == 404


@pytest.mark.usefixtures("library")
def test_writes_refuse_get(manager_client):
    url = reverse("protocols:item_retire", args=("techniques", "effleurage"))
    assert manager_client.get(url).status_code == 405


@pytest.mark.usefixtures("library")
def test_the_curating_links_show_only_for_the_manager(client, therapist, manager):
    add = reverse("protocols:item_create", args=("techniques",))
    client.force_login(therapist)
    assert add not in client.get(reverse("protocols:technique_list")).content.decode()
    client.force_login(manager)
    assert add in client.get(reverse("protocols:technique_list")).content.decode()
