"""The audit trail: every view, change, print and export of a client's record is
recorded with who, what, when and from where; so is a refused request (a colleague's client, a
manager's clinical write) and a form sent back unsaved, each as what it was, never "Changed"."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from core.audit import AUDIT_URL_KWARGS, audit_action, audit_target
from core.audit_lock import AUDIT_APPEND_ONLY_DB
from core.form_tokens import FORM_TOKEN_FIELD, form_token_issue
from core.models import AuditEvent
from intake.rules import RED_FLAG_QUESTIONS
from sessions.models import Appointment
from tests.core.form_tokens import form_purpose
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.security.world import OWN_NAME, browser_for, corner_pages, world_build
from tests.sessions.factories import AppointmentFactory, SessionNoteFactory, clinic_time

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
    assert not unknown, f"Map these URL keywords in core/audit.py: {sorted(unknown)}"


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


def test_a_refused_look_is_recorded_as_refused(colleague_client, client, jane):
    url = reverse("sessions:note_list", args=[jane.pk])
    assert colleague_client.get(url).status_code == 404
    event = AuditEvent.objects.get()
    assert (event.user.username, event.action, event.client_id, event.status) == (
        "bob",
        AuditEvent.Action.REFUSED,
        jane.pk,
        404,
    )
    colleague_client.logout()
    assert client.get(url).status_code == 302
    assert AuditEvent.objects.count() == 1  # an anonymous visitor is sent to log in


def test_a_booking_sent_back_with_an_error_is_not_saved_not_changed(therapist_client, jane):
    response = therapist_client.post(
        reverse("sessions:appointment_book") + f"?client={jane.pk}",
        {"day": "not a day", "at": "09:30", "minutes": 45, "note": ""},
    )
    assert response.status_code == 200 and not Appointment.objects.exists()
    event = AuditEvent.objects.get()
    assert (event.action, event.client_id, event.method, event.status) == (
        AuditEvent.Action.NOT_SAVED,
        jane.pk,
        "POST",
        200,
    )


def test_a_managers_clinical_write_is_recorded_as_refused(manager_client, jane):
    response = manager_client.post(reverse("intake:screening_create", args=[jane.pk]), {})
    assert response.status_code == 403
    event = AuditEvent.objects.get()
    assert (event.user.username, event.action, event.client_id) == (
        "carol",
        AuditEvent.Action.REFUSED,
        jane.pk,
    )


def test_pages_that_show_no_client_record_nothing(therapist_client, jane):
    therapist_client.get(reverse("home"))
    therapist_client.get(reverse("sessions:calendar"))
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("method", "url_name", "content_type", "status", "wrote", "action"),
    [
        ("GET", "sessions:note_detail", "text/html; charset=utf-8", 200, False, "view"),
        ("HEAD", "sessions:note_detail", "text/html; charset=utf-8", 200, False, "view"),
        ("POST", "sessions:note_edit", "text/html; charset=utf-8", 302, True, "change"),
        ("POST", "sessions:note_edit", "text/html; charset=utf-8", 200, False, "not_saved"),
        ("POST", "sessions:note_edit", "text/html; charset=utf-8", 409, False, "refused"),
        # The check-in answers a referral with a page, not a redirect: it saved.
        ("POST", "sessions:appointment_check_in", "text/html", 200, True, "change"),
        ("POST", "sessions:note_sign", "", 302, True, "change"),
        # A form sent twice is sent to the first one's result: this request saved nothing.
        ("POST", "sessions:appointment_book", "", 302, False, "not_saved"),
        ("POST", "sessions:run_sheet", "application/json", 200, True, "change"),
        ("GET", "sessions:referral_letter", "application/pdf", 200, False, "print"),
        ("GET", "sessions:note_pdf", "text/html", 200, False, "print"),
        ("GET", "sessions:home_care_sheet", "application/pdf", 200, True, "print"),
        ("GET", "intake:client_export", "application/json", 200, False, "export"),
        ("POST", "intake:client_export", "application/json", 200, True, "change"),
        ("GET", "intake:client_chart", "text/html; charset=utf-8", 404, False, "refused"),
        ("GET", "sessions:note_pdf", "text/html; charset=utf-8", 403, False, "refused"),
        ("GET", "sessions:appointment_cancel", "text/html; charset=utf-8", 405, False, "refused"),
    ],
)
def test_the_kind_of_access_follows_method_status_writes_content_and_url_name(
    method, url_name, content_type, status, wrote, action
):
    assert (
        audit_action(
            method=method, url_name=url_name, content_type=content_type, status=status, wrote=wrote
        )
        == action
    )


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


# ---------------------------------------------------------------------------------------------
# Pages whose URL names no client: the view tells the trail (sciatica_clinic.audit_client_set)
# ---------------------------------------------------------------------------------------------


def _series_url(client) -> str:
    return reverse("sessions:appointment_series_book") + f"?client={client.pk}"


@pytest.mark.parametrize(
    "url_name", ["sessions:appointment_book", "sessions:appointment_series_book"]
)
def test_a_booking_form_opened_for_a_client_records_the_look(therapist_client, jane, url_name):
    url = reverse(url_name) + f"?client={jane.pk}"
    response = therapist_client.get(url)
    assert response.status_code == 200 and "Jane Doe" in response.content.decode()

    event = AuditEvent.objects.get()
    assert (event.action, event.client_id, event.object_type, event.object_id) == (
        "view",
        jane.pk,
        "intake.client",
        jane.pk,
    )
    assert (event.url_name, event.path) == (url_name, url)


def test_the_client_search_before_booking_names_nobody_and_records_nothing(therapist_client, jane):
    response = therapist_client.get(reverse("sessions:appointment_book") + "?q=doe")
    assert "Jane" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_booking_a_series_and_reading_its_result_are_recorded(therapist_client, jane):
    first_day = clinic_time(7, 9).date()
    response = therapist_client.post(
        _series_url(jane),
        {
            "first_day": first_day.isoformat(),
            "at": "09:00",
            "minutes": 60,
            "per_week": 1,
            "weekdays": [first_day.weekday()],
            "weeks": 2,
            "then_every_weeks": 2,
            "then_visits": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()
    result = therapist_client.get(response.url)
    assert "Jane Doe" in result.content.decode()

    events = list(AuditEvent.objects.order_by("id").values_list("action", "client_id", "url_name"))
    assert events == [
        ("change", jane.pk, "sessions:appointment_series_book"),
        ("view", jane.pk, "sessions:appointment_series_result"),
    ]


def test_a_colleague_refused_the_booking_form_records_no_look(colleague_client, jane):
    assert colleague_client.get(_series_url(jane)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


# Pages that list many clients (names only, no record): the trail records opening a record.
LIST_PAGES = {
    "home",
    "intake:client_list",
    "sessions:today",
    "sessions:calendar",
    "sessions:calendar_day",
    "audit_log",
}
# The booking forms list clients too until one is picked (?client=).
BOOKING_FORMS = {"sessions:appointment_book", "sessions:appointment_series_book"}


def _is_list(url: str) -> bool:
    name = resolve(urlsplit(url).path).view_name
    return name in LIST_PAGES or (name in BOOKING_FORMS and "client=" not in url)


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_every_page_that_shows_a_clients_record_records_whose_it_was(role):
    world = world_build()
    browser = browser_for(world.users[role])
    client = world.own.client
    silent = []
    for url in corner_pages(world.own):
        before = AuditEvent.objects.filter(client_id=client.pk).count()
        response = browser.get(url)
        shows = response.status_code == 200 and OWN_NAME[1] in response.content.decode(
            errors="replace"
        )
        if not shows or _is_list(url):
            continue
        if AuditEvent.objects.filter(client_id=client.pk).count() == before:
            silent.append(url)
    assert silent == []


# ---------------------------------------------------------------------------------------------
# Changed or not saved: whether the request wrote a record, whatever page it answered with
# ---------------------------------------------------------------------------------------------


def _check_in(therapist_client, jane, **yes):
    ScreeningFactory(client=jane)
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(0, 23, 0), minutes=30)
    answers = {q.name: "yes" if yes.get(q.name) else "no" for q in RED_FLAG_QUESTIONS}
    return therapist_client.post(
        reverse("sessions:appointment_check_in", args=[appointment.pk]), answers
    )


def test_a_check_in_that_refers_answers_with_a_page_and_is_still_a_change(therapist_client, jane):
    response = _check_in(therapist_client, jane, saddle_anaesthesia=True)
    assert response.status_code == 200  # the referral page, not a redirect
    event = AuditEvent.objects.get()
    assert (event.action, event.status) == (AuditEvent.Action.CHANGE, 200)


def test_a_check_in_with_a_question_unanswered_is_not_saved(therapist_client, jane):
    ScreeningFactory(client=jane)
    appointment = AppointmentFactory(client=jane, starts_at=clinic_time(0, 23, 0), minutes=30)
    answers = {q.name: "no" for q in RED_FLAG_QUESTIONS[1:]}
    response = therapist_client.post(
        reverse("sessions:appointment_check_in", args=[appointment.pk]), answers
    )
    assert response.status_code == 200
    assert AuditEvent.objects.get().action == AuditEvent.Action.NOT_SAVED


def test_a_booking_that_clashes_claims_its_token_then_rolls_back_and_is_not_saved(
    therapist_client, jane
):
    taken = AppointmentFactory(client=jane, starts_at=clinic_time(2, 9))
    day = timezone.localtime(taken.starts_at).date().isoformat()
    response = therapist_client.post(
        reverse("sessions:appointment_book") + f"?client={jane.pk}",
        {"day": day, "at": "09:30", "minutes": 45, "note": ""},
    )
    assert response.status_code == 200 and Appointment.objects.count() == 1
    assert AuditEvent.objects.get().action == AuditEvent.Action.NOT_SAVED


def test_a_booking_form_sent_twice_is_changed_once(therapist_client, therapist, jane):
    day = clinic_time(2, 9).date().isoformat()
    url = reverse("sessions:appointment_book") + f"?client={jane.pk}"
    token = form_token_issue(user=therapist, purpose=form_purpose(url))
    data = {"day": day, "at": "09:30", "minutes": 45, "note": "", FORM_TOKEN_FIELD: token}
    assert therapist_client.post(url, data).status_code == 302
    assert therapist_client.post(url, data).status_code == 302  # "Already saved"
    assert Appointment.objects.count() == 1
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[0] == AuditEvent.Action.CHANGE
    assert AuditEvent.Action.CHANGE not in actions[1:]
