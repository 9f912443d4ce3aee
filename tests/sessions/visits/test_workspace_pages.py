"""The visit workspace (the appointment's page): who sees it, what it offers as the one primary
next step, its forms submitted as a browser would, and its cost in queries."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intake.models import Screening
from intake.rules import RED_FLAG_QUESTIONS
from sessions.models import Appointment, SessionPlan
from sessions.models.note import SessionNote
from sessions.visits.workspace import SUGGESTED_PLAN_ACCEPTED, SUGGESTED_PLAN_CHANGED
from tests.intake.factories import ClientFactory, ScreeningFactory, sarah
from tests.security.html_forms import post_forms
from tests.sessions.factories import (
    AppointmentFactory,
    SessionNoteFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)

pytestmark = pytest.mark.django_db

ALL_NO = {q.name: "no" for q in RED_FLAG_QUESTIONS}


@pytest.fixture
def visit(therapist):
    library_into_database()
    # Late in the clinic day, so it is still to come whenever the tests run.
    return AppointmentFactory(client=sarah(therapist), starts_at=clinic_time(0, 23), minutes=45)


def _url(appointment) -> str:
    return reverse("sessions:appointment_detail", args=[appointment.pk])


def _html(browser, appointment) -> str:
    response = browser.get(_url(appointment))
    assert response.status_code == 200
    return response.content.decode()


def _primary(html: str) -> list[str]:
    """Every primary button and link of the page's content (not the navigation)."""
    content = html.split("<main", 1)[1]
    return re.findall(r'<(?:a|button)[^>]*class="btn btn-primary[^"]*"[^>]*>', content)


def _form(html: str, action: str):
    forms = [f for f in post_forms(html, page_url="/") if f.action.split("?")[0] == action]
    assert forms, f"no form posting to {action}"
    return forms[0]


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- who sees it ---------------------------------------------------------------------------------


def test_the_owner_and_the_manager_see_the_workspace(therapist_client, visit, manager, client):
    assert "Steps of this visit" in _html(therapist_client, visit)
    client.force_login(manager)
    html = _html(client, visit)
    assert "Steps of this visit" in html and "Sarah Miles" in html
    # The clinical steps are not the manager's: none offered, and the page says so.
    assert "Record the answers and check in" not in html
    assert "The client&#x27;s own therapist does this." in html


def test_a_colleague_gets_404_and_a_stranger_the_login(colleague_client, visit, client):
    assert colleague_client.get(_url(visit)).status_code == 404
    client.logout()
    response = client.get(_url(visit))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_workspace_costs_a_fixed_number_of_queries(
    therapist_client, visit, django_assert_max_num_queries
):
    accepted_plan_create(appointment=visit)
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    # Session, user, role; the visit; its plan, its note, the history and an assessment on
    # file; the session saved; the audit event.
    with django_assert_max_num_queries(13):
        _html(therapist_client, visit)


def test_planning_costs_a_fixed_number_of_queries_too(
    therapist_client, visit, django_assert_max_num_queries
):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    # Besides the page's own: the suggestion (the library, the clinical state, the course of
    # care), the client-reported red flags (intake links) and the accept button's token; the
    # same whatever the plan's length.
    with django_assert_max_num_queries(26):
        assert "Accept this plan" in _html(therapist_client, visit)


# --- one primary button: the next step -----------------------------------------------------------


def test_a_booked_visit_today_offers_the_check_in_questions_as_the_next_step(
    therapist_client, visit
):
    html = _html(therapist_client, visit)
    assert _primary(html) == ['<button type="submit" class="btn btn-primary btn-lg">']
    assert "Record the answers and check in" in html
    form = _form(html, reverse("sessions:appointment_check_in", args=[visit.pk]))
    data = {name: values for name, values in form.data().items()}
    data.update(ALL_NO)
    response = therapist_client.post(form.action, data)
    assert response.status_code == 302 and response.url == _url(visit)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CHECKED_IN


def test_a_checked_in_visit_accepts_the_suggested_plan_in_one_click(therapist_client, visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    html = _html(therapist_client, visit)
    assert _primary(html) == ['<button type="submit" class="btn btn-primary btn-lg">']
    assert "Accept this plan" in html
    form = _form(html, reverse("sessions:visit_plan_accept", args=[visit.pk]))

    response = therapist_client.post(form.action, form.data())

    session_plan = SessionPlan.objects.get()
    assert session_plan.appointment == visit and not session_plan.adjusted
    assert response.url == reverse("sessions:run_sheet", args=[visit.pk])
    assert SUGGESTED_PLAN_ACCEPTED in _messages(response)
    # Sent again (a double click): still one plan, and back to the run sheet.
    again = therapist_client.post(form.action, form.data())
    assert again.status_code == 302 and SessionPlan.objects.count() == 1


def test_a_suggestion_changed_since_the_page_was_drawn_is_not_accepted(therapist_client, visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    form = _form(
        _html(therapist_client, visit), reverse("sessions:visit_plan_accept", args=[visit.pk])
    )
    data = form.data()
    data["fingerprint"] = ["0" * 32]

    response = therapist_client.post(form.action, data)

    assert not SessionPlan.objects.exists()
    assert SUGGESTED_PLAN_CHANGED in _messages(response)
    assert response.url.startswith(reverse("sessions:plan_new", args=[visit.client_id]))
    assert f"appointment={visit.pk}" in response.url


def test_a_red_flag_raised_before_the_click_refuses_the_plan(therapist_client, visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    form = _form(
        _html(therapist_client, visit), reverse("sessions:visit_plan_accept", args=[visit.pk])
    )
    ScreeningFactory(client=visit.client, night_pain=True)

    response = therapist_client.post(form.action, form.data())

    assert not SessionPlan.objects.exists()
    assert response.url == _url(visit)


def test_no_plan_is_accepted_for_a_visit_that_has_ended(therapist_client, visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    form = _form(
        _html(therapist_client, visit), reverse("sessions:visit_plan_accept", args=[visit.pk])
    )
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.REFUSED)
    response = therapist_client.post(form.action, form.data())
    assert not SessionPlan.objects.exists()
    assert "This visit has ended (treatment declined): nothing was planned for it." in _messages(
        response
    )


def test_the_manager_cannot_accept_a_plan(manager_client, visit):
    url = reverse("sessions:visit_plan_accept", args=[visit.pk])
    assert manager_client.post(url, {}).status_code == 403


def test_after_the_plan_the_run_sheet_then_the_note_in_one_click(therapist_client, visit):
    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    session_plan = accepted_plan_create(appointment=visit)
    html = _html(therapist_client, visit)
    run_sheet = reverse("sessions:run_sheet", args=[visit.pk])
    assert _primary(html) == [f'<a class="btn btn-primary btn-lg" href="{run_sheet}">']

    SessionNoteFactory(client=visit.client, visit_date=clinic_time(-7, 10).date())
    run_sheet_html = therapist_client.get(run_sheet).content.decode()
    form = _form(run_sheet_html, reverse("sessions:note_create", args=[visit.client_id]))
    response = therapist_client.post(form.action, form.data())

    note = SessionNote.objects.get(appointment=visit)
    assert response.url == reverse("sessions:note_edit", args=[visit.client_id, note.pk])
    assert note.plan == session_plan
    # Copied forward from the last note (its report), this visit's plan winning (home care).
    assert note.client_report == SessionNote.objects.exclude(pk=note.pk).get().client_report
    assert note.home_care_given != SessionNote.objects.exclude(pk=note.pk).get().home_care_given


def test_while_treatment_is_forbidden_the_referral_letter_is_the_one_primary_button(
    therapist_client, therapist
):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, night_pain=True)
    visit = AppointmentFactory(client=client, starts_at=clinic_time(0, 23), minutes=45)
    html = _html(therapist_client, visit)
    assert _primary(html) == [
        f'<a class="btn btn-primary btn-lg" href="'
        f'{reverse("sessions:referral_letter", args=[client.pk])}">'
    ]
    assert "/plans/new/" not in html and "/run-sheet/" not in html
    # The run sheet's "Write the note" is not offered either.
    run_sheet = therapist_client.get(reverse("sessions:run_sheet", args=[visit.pk]))
    assert "Write the note" not in run_sheet.content.decode()


def test_a_first_visit_starts_with_the_guided_intake(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    visit = AppointmentFactory(client=client, starts_at=clinic_time(0, 23), minutes=45)
    html = _html(therapist_client, visit)
    history = reverse("intake:health_history_edit", args=[client.pk]) + f"?visit={visit.pk}"
    assert _primary(html) == [f'<a class="btn btn-primary btn-lg" href="{history}">']


# --- signing completes the visit -----------------------------------------------------------------


def _note_for(visit, **fields):
    return SessionNoteFactory(
        client=visit.client, appointment=visit, visit_date=clinic_time(0, 10).date(), **fields
    )


def test_signing_from_the_note_form_completes_the_visit_and_leads_to_it(therapist_client, visit):
    from tests.sessions.factories import note_form_data

    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    note = _note_for(visit)
    data = note_form_data(
        visit_date=note.visit_date.isoformat(), next_visit="", sign="1", techniques=[]
    )

    response = therapist_client.post(
        reverse("sessions:note_edit", args=[note.client_id, note.pk]), data
    )

    assert response.url == _url(visit)
    visit.refresh_from_db()
    note.refresh_from_db()
    assert note.is_signed and visit.status == Appointment.Status.COMPLETED
    # Today no longer offers to plan or to write the note for it.
    day = therapist_client.get(reverse("sessions:today")).content.decode()
    assert "/plans/new/" not in day and "/notes/new/" not in day
    # The workspace: every step ticked but the print, which is next.
    html = _html(therapist_client, visit)
    pdf = reverse("sessions:note_pdf", args=[note.client_id, note.pk])
    assert _primary(html) == [f'<a class="btn btn-primary btn-lg" href="{pdf}">']
    # The PDF stored at signing is not a print: downloading it is, and ticks the step.
    assert therapist_client.get(pdf).status_code == 200
    assert f'<a class="btn btn-primary btn-lg" href="{pdf}">' not in _primary(
        _html(therapist_client, visit)
    )


def test_signing_the_note_of_a_visit_still_booked_is_refused_with_why(therapist_client, visit):
    Screening.objects.filter(client=visit.client).update(screened_on=clinic_time(-1, 10).date())
    note = _note_for(visit)
    response = therapist_client.post(reverse("sessions:note_sign", args=[note.client_id, note.pk]))
    note.refresh_from_db()
    visit.refresh_from_db()
    assert not note.is_signed and visit.status == Appointment.Status.BOOKED
    assert any(
        "still booked and the client was not screened today" in m for m in _messages(response)
    )


def test_a_first_visit_screened_today_is_checked_in_and_completed_by_the_signature(
    therapist, visit
):
    from sessions.charting.services import note_sign

    # sarah() was screened today: the red-flag questions were asked in full a moment ago.
    note_sign(note=_note_for(visit), user=therapist)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.COMPLETED
    statuses = [h.status for h in visit.history.order_by("history_date", "history_id")]
    assert statuses[-2:] == [Appointment.Status.CHECKED_IN, Appointment.Status.COMPLETED]


@pytest.mark.parametrize("status", [Appointment.Status.COMPLETED, Appointment.Status.REFERRED])
def test_signing_leaves_a_visit_completed_or_referred_as_it_is(therapist, visit, status):
    from sessions.charting.services import note_sign

    Appointment.objects.filter(pk=visit.pk).update(status=status)
    note_sign(note=_note_for(visit), user=therapist)
    visit.refresh_from_db()
    assert visit.status == status


def test_a_refused_signature_completes_nothing(therapist, visit):
    from django.core.exceptions import ValidationError

    from sessions.charting.services import note_sign

    Appointment.objects.filter(pk=visit.pk).update(status=Appointment.Status.CHECKED_IN)
    note = _note_for(visit, client_report="", changes_since_last_visit="")
    with pytest.raises(ValidationError):
        note_sign(note=note, user=therapist)
    visit.refresh_from_db()
    assert visit.status == Appointment.Status.CHECKED_IN
