"""Nothing saved twice: every create and accept form sent again with the same token creates
nothing more and leads to what the first one created (core.form_tokens)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.management import call_command
from django.test import Client as PlainClient
from django.urls import reverse
from django.utils import timezone

from core.form_tokens import FORM_TOKEN_FIELD, FORM_TOKEN_REFUSED, form_token_issue
from core.models import FormSubmission
from intake.forms import CLIENT_POSSIBLE_DUPLICATE
from intake.models import Assessment, Client, MedicalClearance, Screening
from intake.rules import SCREENING_QUESTIONS
from sessions.models import Appointment, NoteAmendment, SessionNote, SessionPlan
from sessions.planning.services import plan_course_visits, plan_request_defaults
from tests.core.form_tokens import form_token_for
from tests.intake.factories import ClientFactory, ScreeningFactory, sarah
from tests.sessions.factories import library_into_database, signed_note_create
from tests.sessions.planning.pages import review_form

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@dataclass
class Case:
    """A create form: where it posts, what it sends, what it creates, where it leads."""

    url: str
    data: dict
    created: object  # the queryset of what it creates
    leads_to: object  # the first record -> the URL the user lands on


def _client_create(therapist):
    return Case(
        url=reverse("intake:client_create"),
        data={
            "first_name": "Nora",
            "last_name": "Quill",
            "date_of_birth": "1979-03-09",
            "consent_given": "on",
            "consent_date": TODAY.isoformat(),
        },
        created=Client.objects.filter(last_name="Quill"),
        leads_to=lambda client: client.get_absolute_url(),
    )


def _screening_create(therapist):
    client = ClientFactory(therapist=therapist)
    data = {q.name: "no" for q in SCREENING_QUESTIONS} | {"screened_on": TODAY.isoformat()}
    return Case(
        url=reverse("intake:screening_create", args=[client.pk]),
        data=data,
        created=Screening.objects.filter(client=client),
        leads_to=lambda screening: client.get_absolute_url(),
    )


def _assessment_create(therapist):
    client = ClientFactory(therapist=therapist)
    return Case(
        url=reverse("intake:assessment_create", args=[client.pk]),
        data={"assessed_on": TODAY.isoformat(), "slr_side": "right", "slr_pain": "none"},
        created=Assessment.objects.filter(client=client),
        leads_to=lambda assessment: client.get_absolute_url(),
    )


def _clearance_create(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=TODAY, saddle_anaesthesia=True)
    return Case(
        url=reverse("intake:clearance_create", args=[client.pk]),
        data={
            "physician_name": "Dr Okafor",
            "cleared_on": TODAY.isoformat(),
            "cleared_what": "Saddle numbness: no cauda equina.",
        },
        created=MedicalClearance.objects.filter(client=client),
        leads_to=lambda clearance: client.get_absolute_url(),
    )


def _note_start(therapist):
    client = ClientFactory(therapist=therapist)
    return Case(
        url=reverse("sessions:note_create", args=[client.pk]),
        data={"visit_date": TODAY.isoformat()},
        created=SessionNote.objects.filter(client=client),
        leads_to=lambda note: reverse("sessions:note_edit", args=[client.pk, note.pk]),
    )


def _note_amend(therapist):
    note = signed_note_create(client=ClientFactory(therapist=therapist))
    return Case(
        url=reverse("sessions:note_amend", args=[note.client_id, note.pk]),
        data={"text": "Pain after was 3, not 4."},
        created=NoteAmendment.objects.filter(note=note),
        leads_to=lambda amendment: note.get_absolute_url(),
    )


def _appointment_book(therapist):
    client = ClientFactory(therapist=therapist)
    day = TODAY + timedelta(days=3)
    return Case(
        url=reverse("sessions:appointment_book") + f"?client={client.pk}",
        data={"day": day.isoformat(), "at": "09:00", "minutes": 60},
        created=Appointment.objects.filter(client=client),
        leads_to=lambda appointment: appointment.get_absolute_url(),
    )


def _appointment_series_book(therapist):
    client = ClientFactory(therapist=therapist)
    first_day = TODAY + timedelta(days=1)
    return Case(
        url=reverse("sessions:appointment_series_book") + f"?client={client.pk}",
        data={
            "first_day": first_day.isoformat(),
            "at": "09:00",
            "minutes": 60,
            "per_week": 2,
            "weekdays": [first_day.weekday(), (first_day.weekday() + 3) % 7],
            "weeks": 3,
            "then_every_weeks": 2,
            "then_visits": 2,
        },
        created=Appointment.objects.filter(client=client),
        leads_to=lambda appointment: reverse("sessions:appointment_series_result"),
    )


CASES = {
    "client": _client_create,
    "screening": _screening_create,
    "assessment": _assessment_create,
    "clearance": _clearance_create,
    "note start": _note_start,
    "note amend": _note_amend,
    "booking": _appointment_book,
    "series": _appointment_series_book,
}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("form", CASES)
def test_the_same_form_sent_twice_creates_once_and_leads_to_the_first(
    form, therapist, therapist_client
):
    case = CASES[form](therapist)
    data = {**case.data, FORM_TOKEN_FIELD: form_token_for(therapist, case.url)}

    first = therapist_client.post(case.url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    created = list(case.created)
    assert created, "the first post creates"

    again = therapist_client.post(case.url, data)
    assert again.status_code == 302
    assert list(case.created) == created
    assert again.url == first.url == case.leads_to(created[0])
    assert any(m.startswith("Already saved: ") for m in _messages(again))
    assert FormSubmission.objects.filter(user=therapist).count() == 1


@pytest.mark.parametrize("form", CASES)
def test_a_new_page_is_a_new_token_and_creates_again(form, therapist, therapist_client):
    case = CASES[form](therapist)
    if form in {"series", "clearance"}:
        pytest.skip("the first one leaves nothing for a second: every visit booked, no flag open")
    for _ in range(2):
        data = {**case.data, FORM_TOKEN_FIELD: form_token_for(therapist, case.url)}
        if form == "booking":
            data["at"] = "09:00" if not case.created.exists() else "11:00"
        if form == "client":
            data["create_anyway"] = "on"
        assert therapist_client.post(case.url, data).status_code == 302
    assert case.created.count() == 2


@pytest.mark.parametrize("form", CASES)
@pytest.mark.parametrize("token", ["missing", "forged", "another user's", "another form's"])
def test_a_missing_or_forged_token_is_refused_with_a_message(
    form, token, therapist, colleague, therapist_client
):
    case = CASES[form](therapist)
    data = dict(case.data)
    if token == "forged":
        data[FORM_TOKEN_FIELD] = signing.dumps({"u": therapist.pk, "n": "x" * 32}, salt="guess")
    elif token == "another user's":
        data[FORM_TOKEN_FIELD] = form_token_for(colleague, case.url)
    elif token == "another form's":
        data[FORM_TOKEN_FIELD] = form_token_issue(user=therapist, purpose="intake.client_create")
        if form == "client":
            data[FORM_TOKEN_FIELD] = form_token_issue(user=therapist, purpose="sessions.note_start")
    browser = PlainClient()  # sends what it is given, no token added
    browser.force_login(therapist)

    response = browser.post(case.url, data)

    assert not case.created.exists()
    assert not FormSubmission.objects.exists()
    assert response.status_code == 200
    page = response.content.decode()
    assert FORM_TOKEN_REFUSED in page
    # Shown again with a token that works, and the entries kept (the amendment form is the
    # note page's `amendment_form`).
    form_name = "amendment_form" if form == "note amend" else "form"
    fresh = response.context[form_name][FORM_TOKEN_FIELD].value()
    assert fresh and fresh != data.get(FORM_TOKEN_FIELD)
    assert browser.post(case.url, {**case.data, FORM_TOKEN_FIELD: fresh}).status_code == 302
    assert case.created.exists()


# --- plan accept ------------------------------------------------------------------------------


@pytest.fixture
def sarah_record(therapist):
    library_into_database()
    return sarah(therapist)


def _accept_data(browser, client) -> dict:
    page = browser.get(
        reverse("sessions:plan_new", args=[client.pk]) + "?minutes=60&stage=3&course=acute"
    )
    assert page.status_code == 200
    return {**review_form(page.content.decode()), "action": "accept"}


def test_accept_sent_twice_saves_one_plan_and_moves_the_stage_on_once(
    therapist_client, sarah_record
):
    data = _accept_data(therapist_client, sarah_record)
    assert data[FORM_TOKEN_FIELD]
    review = reverse("sessions:plan_review", args=[sarah_record.pk])

    first = therapist_client.post(review, data)
    again = therapist_client.post(review, data)

    plan = SessionPlan.objects.get(client=sarah_record)
    assert first.url == again.url == plan.get_absolute_url()
    at = timezone.localtime(FormSubmission.objects.get().created_at)
    assert f"Already saved: this is the plan you accepted at {at:%H:%M}." in _messages(again)
    assert plan_course_visits(client=sarah_record) == 1


def test_accept_from_a_new_page_counts_a_second_visit(therapist_client, sarah_record):
    review = reverse("sessions:plan_review", args=[sarah_record.pk])
    for _ in range(2):
        therapist_client.post(review, _accept_data(therapist_client, sarah_record))
    assert SessionPlan.objects.filter(client=sarah_record).count() == 2
    assert plan_course_visits(client=sarah_record) == 2


def test_the_suggested_stage_after_a_resubmitted_accept_is_that_of_the_next_visit(
    therapist_client, sarah_record
):
    from intake.services import client_clinical_state
    from protocols.library import library_snapshot

    review = reverse("sessions:plan_review", args=[sarah_record.pk])
    once = _accept_data(therapist_client, sarah_record)
    therapist_client.post(review, once)
    state, library = client_clinical_state(client=sarah_record), library_snapshot()
    after_one = plan_request_defaults(client=sarah_record, state=state, library=library)
    for _ in range(4):
        therapist_client.post(review, once)
    after_resubmits = plan_request_defaults(client=sarah_record, state=state, library=library)
    assert after_resubmits == after_one


def test_checking_an_adjusted_plan_does_not_use_up_the_token(therapist_client, sarah_record):
    data = _accept_data(therapist_client, sarah_record)
    review = reverse("sessions:plan_review", args=[sarah_record.pk])
    checked = therapist_client.post(review, {**data, "action": "check"})
    assert checked.status_code == 200
    assert not FormSubmission.objects.exists()
    assert therapist_client.post(review, data).status_code == 302
    assert SessionPlan.objects.count() == 1


def test_accept_without_a_token_is_refused(therapist, sarah_record, therapist_client):
    data = _accept_data(therapist_client, sarah_record)
    data.pop(FORM_TOKEN_FIELD)
    browser = PlainClient()
    browser.force_login(therapist)
    response = browser.post(reverse("sessions:plan_review", args=[sarah_record.pk]), data)
    assert response.status_code == 200
    assert FORM_TOKEN_REFUSED in response.content.decode()
    assert not SessionPlan.objects.exists()


# --- duplicate clients ------------------------------------------------------------------------


def _new_client(**changes) -> dict:
    return {
        "first_name": "sarah",
        "last_name": "MITCHELL",
        "date_of_birth": "1984-04-02",
        "consent_given": "on",
        "consent_date": TODAY.isoformat(),
        **changes,
    }


def test_a_client_with_the_same_name_and_birth_date_asks_before_creating(
    therapist, therapist_client
):
    existing = ClientFactory(
        therapist=therapist, first_name="Sarah", last_name="Mitchell", date_of_birth="1984-04-02"
    )
    url = reverse("intake:client_create")

    asked = therapist_client.post(url, _new_client())

    assert asked.status_code == 200
    page = asked.content.decode()
    assert CLIENT_POSSIBLE_DUPLICATE.replace('"', "&quot;") in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert 'name="create_anyway"' in page
    assert Client.objects.count() == 1

    token = asked.context["form"][FORM_TOKEN_FIELD].value()
    created = therapist_client.post(
        url, _new_client(create_anyway="on", **{FORM_TOKEN_FIELD: token})
    )
    assert created.status_code == 302
    assert Client.objects.filter(last_name__iexact="mitchell").count() == 2


def test_a_different_birth_date_or_name_is_no_duplicate(therapist, therapist_client):
    ClientFactory(
        therapist=therapist, first_name="Sarah", last_name="Mitchell", date_of_birth="1984-04-02"
    )
    url = reverse("intake:client_create")
    assert therapist_client.post(url, _new_client(date_of_birth="1984-04-03")).status_code == 302
    assert therapist_client.post(url, _new_client(first_name="Sara")).status_code == 302
    assert Client.objects.count() == 3


def test_a_colleague_s_client_the_user_cannot_see_is_not_named(
    therapist, colleague, therapist_client
):
    ClientFactory(
        therapist=colleague, first_name="Sarah", last_name="Mitchell", date_of_birth="1984-04-02"
    )
    response = therapist_client.post(reverse("intake:client_create"), _new_client())
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_the_manager_is_asked_about_any_therapist_s_client(manager, therapist, manager_client):
    existing = ClientFactory(
        therapist=therapist, first_name="Sarah", last_name="Mitchell", date_of_birth="1984-04-02"
    )
    data = _new_client(therapist=therapist.pk)
    for name in ("consent_given", "consent_date"):
        data.pop(name)
    response = manager_client.post(reverse("intake:client_create"), data)
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert Client.objects.count() == 1


# --- purge ------------------------------------------------------------------------------------


def test_claims_older_than_a_day_are_purged(therapist):
    now = timezone.now()
    old = FormSubmission.objects.create(
        token="old", user=therapist, purpose="p", created_at=now - timedelta(days=1, minutes=1)
    )
    recent = FormSubmission.objects.create(
        token="recent", user=therapist, purpose="p", created_at=now - timedelta(hours=23)
    )
    call_command("form_submissions_purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=recent.pk).exists()


def test_the_token_is_unique_in_the_database(therapist):
    from django.db import IntegrityError, transaction

    FormSubmission.objects.create(token="same", user=therapist, purpose="p")
    with pytest.raises(IntegrityError), transaction.atomic():
        FormSubmission.objects.create(token="same", user=therapist, purpose="q")
