"""No URL of the sessions app changes a signed note, whatever the method, data or role."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from sessions.models.note import SessionNote
from tests.sessions.factories import note_form_data, signed_note_create

pytestmark = pytest.mark.django_db


def _note_url_names() -> list[str]:
    """Every URL of the `sessions` namespace that addresses a note by id."""
    namespace = get_resolver().namespace_dict["sessions"][1]
    names = [
        pattern.name
        for pattern in namespace.url_patterns
        if isinstance(pattern, URLPattern) and "note_id" in pattern.pattern.converters
    ]
    assert {"note_detail", "note_edit", "note_sign", "note_amend"} <= set(names)
    return names


NOTE_URL_NAMES = _note_url_names()


def _snapshot(note: SessionNote) -> tuple:
    fresh = SessionNote.objects.get(pk=note.pk)
    fields = {f.attname: getattr(fresh, f.attname) for f in SessionNote._meta.concrete_fields}
    rows = list(
        fresh.techniques.order_by("order", "id").values_list(
            "id", "order", "technique_slug", "name", "minutes", "position", "pressure"
        )
    )
    return fields, rows


@pytest.fixture
def as_role(request, client, therapist, colleague, manager):
    users = {"owner": therapist, "colleague": colleague, "manager": manager, "anonymous": None}
    user = users[request.param]
    if user:
        client.force_login(user)
    return client


@pytest.mark.parametrize("as_role", ["owner", "colleague", "manager", "anonymous"], indirect=True)
@pytest.mark.parametrize("url_name", NOTE_URL_NAMES)
def test_a_signed_note_does_not_change(as_role, therapist, url_name):
    note = signed_note_create(client__therapist=therapist)
    before = _snapshot(note)
    url = reverse(f"sessions:{url_name}", args=[note.client_id, note.pk])

    responses = [
        as_role.get(url),
        as_role.post(url, note_form_data()),
        as_role.post(url, {"text": "Amended", **note_form_data(pain_after="0")}),
        as_role.post(url, {}),
    ]

    assert all(r.status_code < 500 for r in responses)
    assert _snapshot(note) == before


def test_the_edit_page_of_a_signed_note_redirects_with_the_reason(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])

    response = therapist_client.get(url, follow=True)

    assert response.redirect_chain[-1][0] == note.get_absolute_url()
    assert "This note is signed and can no longer be changed" in response.content.decode()


def test_an_edit_posted_to_a_signed_note_saves_nothing_and_says_why(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)
    before = _snapshot(note)
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])

    response = therapist_client.post(url, note_form_data())

    assert response.status_code == 409
    assert "This note was signed while you were editing it" in response.content.decode()
    assert _snapshot(note) == before
