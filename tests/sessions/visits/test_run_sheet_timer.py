"""The run sheet's timer kept on the server: the service behind every button and the page
that shows it (a reload, the note and back, another device: the same time)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.vocabulary import Stage
from intake.access import CLINICAL_WRITE_REFUSED
from intake.rules.safety import SafetyStatus
from sessions.models import Appointment, RunSheetClock
from sessions.visits.forms import CLOCK_ACTION_UNKNOWN, CLOCK_ITEM_REQUIRED
from sessions.visits.run_sheet_clock import ClockAction
from sessions.visits.run_sheet_services import (
    CLOCK_FORBIDDEN,
    CLOCK_NEEDS_CHECK_IN,
    CLOCK_VISIT_CLOSED,
    run_sheet_clock_act,
    run_sheet_clock_read,
)
from sessions.visits.views import CLOCK_PLAN_CHANGED
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(therapist):
    library_into_database()
    return AppointmentFactory(
        client=sarah(therapist),
        starts_at=clinic_time(0, 0, 5),
        minutes=45,
        status=Appointment.Status.CHECKED_IN,
    )


@pytest.fixture
def session_plan(appointment):
    return accepted_plan_create(
        appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
    )


def _clock_url(appointment):
    return reverse("sessions:run_sheet_clock", args=[appointment.pk])


def _press(http, appointment, session_plan, action, item=None, json=True):
    data = {"action": action, "plan": session_plan.pk}
    if item is not None:
        data["item"] = item
    headers = {"Accept": "application/json"} if json else {}
    return http.post(_clock_url(appointment), data, headers=headers)


# --- the service ---------------------------------------------------------------------------


def test_start_keeps_the_start_on_the_server(session_plan, therapist):
    now = timezone.now()
    run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist, now=now)
    clock = RunSheetClock.objects.get(session_plan=session_plan)
    assert clock.started_at == now and clock.paused_at is None and clock.updated_by == therapist
    later = run_sheet_clock_read(session_plan=session_plan, now=now + timedelta(minutes=2))
    assert later.elapsed == timedelta(minutes=2)
    assert later.total_left == timedelta(minutes=43)


def test_a_repeated_press_writes_nothing(session_plan, therapist):
    now = timezone.now()
    run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist, now=now)
    stamp = RunSheetClock.objects.get().updated_at
    run_sheet_clock_act(
        session_plan=session_plan,
        action=ClockAction.START,
        by=therapist,
        now=now + timedelta(seconds=1),
    )
    clock = RunSheetClock.objects.get()
    assert clock.updated_at == stamp and clock.started_at == now


def test_pause_and_reset_work_whatever_the_visit(session_plan, appointment, therapist):
    run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist)
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.COMPLETED)
    paused = run_sheet_clock_act(session_plan=session_plan, action=ClockAction.PAUSE, by=therapist)
    assert paused.started and not paused.running
    reset = run_sheet_clock_act(session_plan=session_plan, action=ClockAction.RESET, by=therapist)
    assert not reset.started
    assert RunSheetClock.objects.get().started_at is None


def test_the_timer_starts_only_after_the_check_in(session_plan, appointment, therapist):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.BOOKED)
    with pytest.raises(ValidationError) as refused:
        run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist)
    assert refused.value.messages == [CLOCK_NEEDS_CHECK_IN.format(client="Sarah Miles")]
    assert not RunSheetClock.objects.exists()


def test_the_timer_of_a_closed_visit_does_not_start(session_plan, appointment, therapist):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.REFERRED)
    with pytest.raises(ValidationError) as refused:
        run_sheet_clock_act(session_plan=session_plan, action=ClockAction.GO, item=1, by=therapist)
    assert refused.value.messages == [CLOCK_VISIT_CLOSED.format(status="Referred")]


def test_a_red_flag_raised_since_the_plan_stops_the_timer_starting(session_plan, therapist):
    ScreeningFactory(client=session_plan.client, screened_on=timezone.localdate(), night_pain=True)
    with pytest.raises(ValidationError) as refused:
        run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist)
    assert refused.value.messages == [CLOCK_FORBIDDEN.format(status=SafetyStatus.REFER_NOW.label)]


def test_a_new_plan_has_its_own_timer(session_plan, appointment, therapist):
    run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist)
    again = accepted_plan_create(
        appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
    )
    assert not run_sheet_clock_read(session_plan=again).started


# --- the buttons, as the page sends them -------------------------------------------------


def test_the_page_after_a_reload_shows_the_time_kept_on_the_server(
    therapist_client, appointment, session_plan, therapist
):
    started = timezone.now() - timedelta(minutes=2, seconds=30)
    run_sheet_clock_act(
        session_plan=session_plan, action=ClockAction.START, by=therapist, now=started
    )
    page = therapist_client.get(reverse("sessions:run_sheet", args=[appointment.pk]))
    html = page.content.decode()
    reading = page.context["clock"]
    assert reading.started and reading.running
    assert timedelta(minutes=2, seconds=30) <= reading.elapsed < timedelta(minutes=3)
    # Drawn where it stands: the session total, the current item marked for the bar.
    assert page.context["clock_total_left"] in ("42:30", "42:29", "42:28")
    assert 'data-clock-running="1"' in html and 'id="runsheet-current"' in html
    assert ">Pause</button>" in html


def test_a_press_from_the_page_answers_with_the_timer(therapist_client, appointment, session_plan):
    response = _press(therapist_client, appointment, session_plan, "start")
    assert response.status_code == 200
    body = response.json()
    assert body["started"] and body["running"] and body["item"] == 0
    response = _press(therapist_client, appointment, session_plan, "go", item=3)
    assert response.json()["item"] == 2
    response = _press(therapist_client, appointment, session_plan, "pause")
    assert response.json()["running"] is False


def test_without_javascript_a_press_goes_back_to_the_run_sheet_at_the_current_item(
    therapist_client, appointment, session_plan
):
    response = _press(therapist_client, appointment, session_plan, "start", json=False)
    assert response.status_code == 302
    assert response.url == reverse("sessions:run_sheet", args=[appointment.pk]) + (
        "#runsheet-current"
    )
    assert RunSheetClock.objects.get().started_at is not None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "explode"}, CLOCK_ACTION_UNKNOWN),
        ({"action": "go"}, CLOCK_ITEM_REQUIRED),
        ({"action": "go", "item": "x"}, CLOCK_ITEM_REQUIRED),
    ],
)
def test_a_malformed_press_is_refused_with_the_field_and_the_reason(
    therapist_client, appointment, session_plan, data, message
):
    response = therapist_client.post(
        _clock_url(appointment),
        {"plan": session_plan.pk, **data},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == message
    # With the timer as it stands, for the page to show again.
    assert response.json()["clock"]["started"] is False
    assert not RunSheetClock.objects.exists()


def test_an_item_past_the_end_is_refused(therapist_client, appointment, session_plan):
    count = len(session_plan.plan.items)
    response = _press(therapist_client, appointment, session_plan, "go", item=count + 2)
    assert response.status_code == 400
    assert f"it has items 1 to {count}" in response.json()["error"]


def test_a_press_from_a_page_showing_an_older_plan_changes_nothing(
    therapist_client, appointment, session_plan
):
    newer = accepted_plan_create(
        appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
    )
    response = _press(therapist_client, appointment, session_plan, "start")
    assert response.json()["error"] == CLOCK_PLAN_CHANGED
    assert not RunSheetClock.objects.filter(session_plan__in=[session_plan, newer]).exists()


def test_a_booked_visit_shows_the_check_in_instead_of_start(
    therapist_client, appointment, session_plan
):
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.BOOKED)
    html = therapist_client.get(reverse("sessions:run_sheet", args=[appointment.pk]))
    html = html.content.decode()
    assert "data-runsheet-controls" not in html
    assert reverse("sessions:appointment_check_in", args=[appointment.pk]) in html
    response = _press(therapist_client, appointment, session_plan, "start")
    assert response.json()["error"] == CLOCK_NEEDS_CHECK_IN.format(client="Sarah Miles")


@pytest.mark.parametrize(
    ("who", "status"),
    [("therapist_client", 200), ("colleague_client", 404), ("manager_client", 403)],
)
def test_who_may_press_the_timer_buttons(request, appointment, session_plan, who, status):
    response = _press(request.getfixturevalue(who), appointment, session_plan, "start")
    assert response.status_code == status
    assert RunSheetClock.objects.exists() == (status == 200)
    if status == 403:
        reason = CLINICAL_WRITE_REFUSED.format(therapist="Alice")
        assert escape(reason) in response.content.decode()


def test_the_manager_sees_the_time_but_no_buttons(
    manager_client, appointment, session_plan, therapist
):
    run_sheet_clock_act(session_plan=session_plan, action=ClockAction.START, by=therapist)
    page = manager_client.get(reverse("sessions:run_sheet", args=[appointment.pk]))
    assert page.context["clock"].running
    assert "data-runsheet-controls" not in page.content.decode()


def test_an_anonymous_press_is_sent_to_log_in(client, appointment, session_plan):
    response = _press(client, appointment, session_plan, "start", json=False)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not RunSheetClock.objects.exists()


def test_the_timer_does_not_answer_a_get(therapist_client, appointment, session_plan):
    assert therapist_client.get(_clock_url(appointment)).status_code == 405


def test_an_old_screening_date_does_not_matter_to_the_timer(
    therapist_client, appointment, session_plan
):
    """Only the safety status decides, not the screening's age."""
    ScreeningFactory(client=appointment.client, screened_on=date(2026, 1, 2))
    assert _press(therapist_client, appointment, session_plan, "start").status_code == 200
