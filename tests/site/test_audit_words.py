"""The audit trail in plain words: each entry is a sentence about a person and a client
("Alice viewed Jane Doe's chart"), a refused or unsaved attempt says so, and the raw request is
only a detail under it."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from sciatica_clinic.audit_words import audit_lines
from sessions.models import Appointment
from tests.intake.factories import AssessmentFactory, ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, SessionNoteFactory, clinic_time

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("audit_log")


@pytest.fixture
def jane(therapist):
    return ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe")


def _text(line) -> str:
    """The sentence as read, without its markup."""
    return html.unescape(re.sub(r"<[^>]+>", "", str(line.sentence)))


def _only_sentence() -> str:
    (line,) = audit_lines(AuditEvent.objects.all())
    return _text(line)


def _visit_time(appointment: Appointment) -> str:
    local = timezone.localtime(appointment.starts_at)
    year = "" if local.year == timezone.localdate().year else f" {local.year}"
    return f"{local:%a %-d %b}{year} {local:%H:%M}"


def test_a_look_at_the_chart_reads_as_a_sentence(therapist_client, jane):
    therapist_client.get(reverse("intake:client_chart", args=[jane.pk]))
    assert _only_sentence() == "Alice viewed Jane Doe's chart"


def test_a_booking_names_the_client_and_the_visits_time(therapist_client, jane):
    day = clinic_time(2, 9).date().isoformat()
    therapist_client.post(
        reverse("sessions:appointment_book") + f"?client={jane.pk}",
        {"day": day, "at": "10:00", "minutes": 45, "note": ""},
    )
    appointment = Appointment.objects.get()
    assert _only_sentence() == f"Alice booked Jane Doe for {_visit_time(appointment)}"


def test_a_booking_sent_back_with_an_error_is_an_attempt_not_a_change(therapist_client, jane):
    therapist_client.post(
        reverse("sessions:appointment_book") + f"?client={jane.pk}",
        {"day": "soon", "at": "10:00", "minutes": 45, "note": ""},
    )
    assert _only_sentence() == "Alice tried to book a visit for Jane Doe: not saved"


def test_a_colleagues_look_is_a_refused_attempt(colleague_client, jane):
    colleague_client.get(reverse("intake:client_chart", args=[jane.pk]))
    assert _only_sentence() == "Bob tried to open Jane Doe's chart: refused"


def test_a_cancelled_visit_names_its_time(manager_client, jane):
    appointment = AppointmentFactory(client=jane)
    manager_client.post(
        reverse("sessions:appointment_cancel", args=[appointment.pk]), {"reason": "Ill"}
    )
    assert _only_sentence() == f"Carol cancelled Jane Doe's visit of {_visit_time(appointment)}"


def test_a_note_is_named_by_its_visit_date(therapist_client, jane):
    note = SessionNoteFactory(client=jane, visit_date=datetime(2025, 3, 2).date())
    therapist_client.get(reverse("sessions:note_detail", args=[jane.pk, note.pk]))
    assert _only_sentence() == "Alice read Jane Doe's session note of Sun 2 Mar 2025"


def _event(user, client, **fields):
    return AuditEvent.objects.create(
        user=user,
        client_id=client.pk,
        path="/somewhere/",
        method=fields.pop("method", "GET"),
        status=fields.pop("status", 200),
        **fields,
    )


def test_a_page_the_table_does_not_know_still_reads_as_a_sentence(therapist, jane):
    appointment = AppointmentFactory(client=jane)
    _event(
        therapist,
        jane,
        action=AuditEvent.Action.VIEW,
        url_name="sessions:visit_workspace",
        object_type="visits.appointment",
        object_id=appointment.pk,
    )
    assert _only_sentence() == f"Alice viewed Jane Doe's visit of {_visit_time(appointment)}"


def test_a_refused_write_to_an_unknown_page_says_what_was_tried(therapist, jane):
    screening = ScreeningFactory(client=jane, screened_on=datetime(2025, 1, 6).date())
    _event(
        therapist,
        jane,
        action=AuditEvent.Action.REFUSED,
        method="POST",
        status=403,
        url_name="intake:screening_something",
        object_type="intake.screening",
        object_id=screening.pk,
    )
    assert (
        _only_sentence() == "Alice tried to change Jane Doe's screening of Mon 6 Jan 2025: refused"
    )


def test_a_client_no_longer_on_file_is_named_by_number(therapist):
    gone = ClientFactory(therapist=therapist)
    _event(
        therapist,
        gone,
        action=AuditEvent.Action.VIEW,
        url_name="intake:client_chart",
        object_type="intake.client",
        object_id=gone.pk,
    )
    gone_id = gone.pk
    gone.delete()
    assert _only_sentence() == f"Alice viewed client {gone_id} (no longer on file)'s chart"


def test_names_are_escaped(therapist):
    client = ClientFactory(therapist=therapist, first_name="<b>Eve</b>", last_name="O'Hara")
    _event(
        therapist,
        client,
        action=AuditEvent.Action.VIEW,
        url_name="intake:client_chart",
        object_type="intake.client",
        object_id=client.pk,
    )
    (line,) = audit_lines(AuditEvent.objects.all())
    assert "<b>Eve" not in str(line.sentence)
    assert "&lt;b&gt;Eve&lt;/b&gt; O&#x27;Hara" in str(line.sentence)


def test_the_page_shows_sentences_grouped_by_day_with_the_request_as_a_detail(
    therapist_client, manager, jane
):
    therapist_client.get(reverse("intake:client_chart", args=[jane.pk]))
    therapist_client.force_login(manager)
    page = therapist_client.get(AUDIT_URL).content.decode()
    assert "<strong>Alice</strong> viewed" in page
    assert f'<a href="?client={jane.pk}">Jane Doe</a>' in page
    assert f"{timezone.localdate():%A %-d %B %Y}" in page
    detail = page.split('<details class="audit-request">', 1)[1].split("</details>", 1)[0]
    assert f"GET /clients/{jane.pk}/" in detail and "answered 200" in detail


def test_the_sentences_cost_one_query_per_kind_of_record_however_many_entries(
    therapist, django_assert_max_num_queries
):
    def add_entries():
        client = ClientFactory(therapist=therapist)
        records = {
            "visits.appointment": AppointmentFactory(client=client),
            "visits.sessionnote": SessionNoteFactory(client=client),
            "intake.assessment": AssessmentFactory(client=client),
            "intake.client": client,
        }
        for object_type, record in records.items():
            _event(
                therapist,
                client,
                action=AuditEvent.Action.VIEW,
                url_name="x",
                object_type=object_type,
                object_id=record.pk,
            )

    add_entries()
    with django_assert_max_num_queries(5):  # the events, clients, 3 kinds of records
        audit_lines(AuditEvent.objects.select_related("user"))
    for _ in range(10):
        add_entries()
    with django_assert_max_num_queries(5):
        audit_lines(AuditEvent.objects.select_related("user"))
