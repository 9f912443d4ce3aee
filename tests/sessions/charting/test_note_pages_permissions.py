"""Owner and manager see a client's notes; a colleague gets 404; anonymous users log in."""

import pytest
from django.urls import reverse

from tests.sessions.factories import (
    SessionNoteFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(therapist):
    return SessionNoteFactory(client__therapist=therapist)


def _read_urls(note):
    args = [note.client_id, note.pk]
    return [
        reverse("sessions:note_list", args=[note.client_id]),
        reverse("sessions:note_create", args=[note.client_id]),
        reverse("sessions:note_detail", args=args),
        reverse("sessions:note_edit", args=args),
    ]


def test_the_owner_sees_every_page(therapist_client, note):
    for url in _read_urls(note):
        assert therapist_client.get(url).status_code == 200, url


def test_a_colleague_gets_404_everywhere(colleague_client, note):
    for url in _read_urls(note):
        assert colleague_client.get(url).status_code == 404, url


def test_anonymous_users_are_sent_to_log_in(client, note):
    for url in _read_urls(note):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_the_manager_reads_notes_but_cannot_edit_someone_elses_draft(manager_client, note):
    args = [note.client_id, note.pk]
    assert (
        manager_client.get(reverse("sessions:note_list", args=[note.client_id])).status_code == 200
    )
    assert manager_client.get(reverse("sessions:note_detail", args=args)).status_code == 200
    assert manager_client.get(reverse("sessions:note_edit", args=args)).status_code == 403


def test_a_note_is_only_found_under_its_own_client(therapist_client, therapist, note):
    other = SessionNoteFactory(client__therapist=therapist)

    url = reverse("sessions:note_detail", args=[other.client_id, note.pk])

    assert therapist_client.get(url).status_code == 404


def test_the_write_urls_refuse_get(therapist_client, note):
    args = [note.client_id, note.pk]
    for name in ("sessions:note_sign", "sessions:note_amend"):
        assert therapist_client.get(reverse(name, args=args)).status_code == 405
