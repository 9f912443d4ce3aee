"""The manager's audit page: read-only, filterable, and there is nothing that deletes."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.models import AuditEvent
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("audit_log")


def _event(*, user, client, action=AuditEvent.Action.VIEW):
    return AuditEvent.objects.create(
        user=user,
        action=action,
        client_id=client.pk,
        object_type="intake.client",
        object_id=client.pk,
        url_name="sessions:note_list",
        path=f"/sessions/clients/{client.pk}/notes/",
        method="GET" if action == AuditEvent.Action.VIEW else "POST",
        status=200,
        ip_address="10.1.2.3",
    )


@pytest.fixture
def trail(therapist, colleague):
    jane = ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")
    tom = ClientFactory(therapist=colleague, first_name="Tom", last_name="Lane")
    _event(user=therapist, client=jane)
    _event(user=therapist, client=jane, action=AuditEvent.Action.CHANGE)
    _event(user=colleague, client=tom, action=AuditEvent.Action.PRINT)
    return jane, tom


def _rows(response) -> str:
    return response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _count(rows: str) -> int:
    return rows.count('<tr class="audit-row">')


def test_the_manager_sees_who_did_what_to_whom(manager_client, trail):
    response = manager_client.get(AUDIT_URL)
    assert response.status_code == 200
    rows = _rows(response)
    assert _count(rows) == 3
    for text in ("Jane Doe", "Tom Lane", "Alice", "Bob", "Viewed", "Changed", "Printed"):
        assert text in rows
    assert "10.1.2.3" in rows


def test_the_manager_filters_by_client_user_and_action(manager_client, trail, therapist):
    jane, tom = trail
    rows = _rows(manager_client.get(AUDIT_URL, {"client": jane.pk}))
    assert _count(rows) == 2 and "Tom Lane" not in rows
    rows = _rows(manager_client.get(AUDIT_URL, {"user": therapist.pk, "action": "change"}))
    assert _count(rows) == 1 and "Changed" in rows


def test_a_client_no_longer_on_file_is_still_listed_by_id(manager_client, therapist):
    gone = ClientFactory(therapist=therapist)
    _event(user=therapist, client=gone)
    gone_id = gone.pk
    gone.delete()
    assert f"client {gone_id} (no longer on file)" in _rows(manager_client.get(AUDIT_URL))


def test_a_filter_value_that_is_not_a_choice_shows_a_message_not_an_error(manager_client, trail):
    response = manager_client.get(AUDIT_URL, {"client": "999999", "action": "delete"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_therapists_cannot_open_the_audit_page(therapist_client):
    assert therapist_client.get(AUDIT_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(AUDIT_URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_audit_page_accepts_no_write(manager_client, trail, method):
    assert getattr(manager_client, method)(AUDIT_URL).status_code == 405
    assert AuditEvent.objects.count() == 3


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_names(
                entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            )
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_no_url_but_the_read_only_page_touches_the_audit_trail():
    assert [name for name in _url_names() if "audit" in name] == ["audit_log"]


def test_the_audit_page_costs_the_same_queries_for_few_or_many_rows(
    manager_client, therapist, django_assert_num_queries
):
    client = ClientFactory(therapist=therapist)
    _event(user=therapist, client=client)
    manager_client.get(AUDIT_URL)  # the first request after login saves the session
    with django_assert_num_queries(8) as few:
        manager_client.get(AUDIT_URL)
    for _ in range(30):
        _event(user=therapist, client=ClientFactory(therapist=therapist))
    with django_assert_num_queries(len(few.captured_queries)):
        manager_client.get(AUDIT_URL)
