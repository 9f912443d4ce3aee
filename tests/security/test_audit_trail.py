"""The audit trail (issue 8): every view, change, print and export of a client's record is
recorded with who, what, when and from where; refused requests record nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sciatica_clinic.audit import AUDIT_URL_KWARGS, audit_action, audit_target
from sciatica_clinic.audit_lock import AUDIT_APPEND_ONLY_DB
from sciatica_clinic.models import AuditEvent
from sessions.models import Appointment
from tests.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time
from tests.sessions.note_factories import SessionNoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jane(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


def _url_kwargs(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _url_kwargs(entry)
        elif isinstance(entry, URLPattern):
            yield from entry.pattern.regex.groupindex


def test_every_url_keyword_of_the_project_is_known_to_the_audit_trail():
    unknown = set(_url_kwargs()) - set(AUDIT_URL_KWARGS)
    assert not unknown, f"Map these URL keywords in sciatica_clinic/audit.py: {sorted(unknown)}"


def test_viewing_a_clients_page_records_who_what_when_and_from_where(therapist_client, jane):
    url = reverse("sessions:note_list", args=[jane.pk])
    assert therapist_client.get(url).status_code == 200

    event = AuditEvent.objects.get()
    assert event.user.username == "alice"
    assert event.action == AuditEvent.Action.VIEW
    assert event.client_id == jane.pk
    assert (event.object_type, event.object_id) == ("intake.client", jane.pk)
    assert (event.url_name, event.path, event.method, event.status) == (
        "sessions:note_list",
        url,
        "GET",
        200,
    )
    assert event.ip_address == "127.0.0.1"
    assert event.at is not None


def test_a_note_page_records_the_note_and_its_client(therapist_client, jane):
    note = SessionNoteFactory(client=jane)
    therapist_client.get(reverse("sessions:note_detail", args=[jane.pk, note.pk]))
    event = AuditEvent.objects.get()
    assert (event.client_id, event.object_type, event.object_id) == (
        jane.pk,
        "visits.sessionnote",
        note.pk,
    )


def test_an_appointment_page_finds_its_client_through_the_appointment(therapist_client, jane):
    appointment = AppointmentFactory(client=jane)
    therapist_client.get(reverse("sessions:appointment_detail", args=[appointment.pk]))
    event = AuditEvent.objects.get()
    assert (event.client_id, event.object_type, event.object_id) == (
        jane.pk,
        "visits.appointment",
        appointment.pk,
    )


def test_a_post_is_recorded_as_a_change(therapist_client, jane):
    appointment = AppointmentFactory(client=jane)
    response = therapist_client.post(
        reverse("sessions:appointment_cancel", args=[appointment.pk]), {"reason": "Ill"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.method, event.status) == ("change", "POST", 302)
    assert event.client_id == jane.pk


def test_a_booking_names_its_client_only_in_the_redirect_and_is_still_recorded(
    therapist_client, jane
):
    day = clinic_time(2, 9).date().isoformat()
    response = therapist_client.post(
        reverse("sessions:appointment_book") + f"?client={jane.pk}",
        {"day": day, "at": "09:30", "minutes": 45, "note": ""},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.action, event.client_id, event.object_type, event.object_id) == (
        "change",
        jane.pk,
        "visits.appointment",
        appointment.pk,
    )


def test_the_manager_looking_at_a_record_is_recorded_too(manager_client, jane):
    manager_client.get(reverse("sessions:note_list", args=[jane.pk]))
    assert AuditEvent.objects.get().user.username == "carol"


def test_a_refused_look_records_nothing(colleague_client, client, jane):
    url = reverse("sessions:note_list", args=[jane.pk])
    assert colleague_client.get(url).status_code == 404
    colleague_client.logout()
    assert client.get(url).status_code == 302
    assert not AuditEvent.objects.exists()


def test_pages_that_show_no_client_record_nothing(therapist_client, jane):
    therapist_client.get(reverse("home"))
    therapist_client.get(reverse("sessions:calendar"))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("method", "url_name", "content_type", "action"),
    [
        ("GET", "sessions:note_detail", "text/html; charset=utf-8", "view"),
        ("HEAD", "sessions:note_detail", "text/html; charset=utf-8", "view"),
        ("POST", "sessions:note_edit", "text/html; charset=utf-8", "change"),
        ("POST", "sessions:note_sign", "", "change"),
        ("GET", "sessions:referral_letter", "application/pdf", "print"),
        ("GET", "sessions:note_pdf", "text/html", "print"),
        ("GET", "sessions:home_care_sheet", "application/pdf", "print"),
        ("GET", "intake:client_export", "application/json", "export"),
        ("POST", "intake:client_export", "application/json", "change"),
    ],
)
def test_the_kind_of_access_follows_method_content_and_url_name(
    method, url_name, content_type, action
):
    assert audit_action(method=method, url_name=url_name, content_type=content_type) == action


def test_finding_the_client_costs_no_query_when_the_url_names_it(jane, django_assert_num_queries):
    note = SessionNoteFactory(client=jane)
    with django_assert_num_queries(0):
        target = audit_target({"client_id": jane.pk, "note_id": note.pk})
    assert (target.client_id, target.object_type, target.object_id) == (
        jane.pk,
        "visits.sessionnote",
        note.pk,
    )


def test_finding_the_client_through_an_object_costs_one_query(jane, django_assert_num_queries):
    appointment = AppointmentFactory(client=jane)
    with django_assert_num_queries(1):
        assert audit_target({"appointment_id": appointment.pk}).client_id == jane.pk
    with django_assert_num_queries(1):
        assert audit_target({"appointment_id": appointment.pk + 1000}) is None
    with django_assert_num_queries(0):
        assert audit_target({"slug": "hubcap-release"}) is None


@pytest.fixture
def event(therapist, jane):
    return AuditEvent.objects.create(
        user=therapist,
        action=AuditEvent.Action.VIEW,
        client_id=jane.pk,
        object_type="intake.client",
        object_id=jane.pk,
        url_name="intake:client_chart",
        path=f"/clients/{jane.pk}/",
        method="GET",
        status=200,
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda event: AuditEvent.objects.filter(pk=event.pk).update(action="export"),
        lambda event: AuditEvent.objects.filter(pk=event.pk).delete(),
        lambda event: event.delete(),
        lambda event: AuditEvent.objects.all().delete(),
    ],
    ids=["update", "filtered-delete", "instance-delete", "delete-all"],
)
def test_the_database_refuses_to_change_or_delete_an_audit_event(event, tamper):
    with pytest.raises(IntegrityError, match=AUDIT_APPEND_ONLY_DB), transaction.atomic():
        tamper(event)
    assert AuditEvent.objects.get().action == "view"


def test_saving_an_event_again_is_refused_too(event):
    event.status = 404
    with pytest.raises(IntegrityError, match=AUDIT_APPEND_ONLY_DB), transaction.atomic():
        event.save()
