"""The visit's pages: the appointment, moving it, the status buttons (cancel, declined,
no-show, completed), the check-in re-screen and the run sheet. Every change goes through one
`sessions.visits.services` function; a refused one comes back with what changed and who."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.staff import staff_display_name
from intake.rules.safety import SAFETY_RED_FLAG_HOLDS
from intake.services import client_safety, client_safety_if_forbidding, screening_of_the_day
from sessions.access import appointment_get_for_user
from sessions.booking.forms import (
    AppointmentCancelForm,
    AppointmentRefuseForm,
    AppointmentTimeForm,
    RedFlagRescreenForm,
)
from sessions.booking.views import (
    appointment_words,
    redirect_back,
    time_initial,
)
from sessions.models import Appointment
from sessions.planning.selectors import plan_latest_accepted
from sessions.visits import services as visits
from sessions.visits.forms import RunSheetClockForm
from sessions.visits.run_sheet_clock import ClockAction, ClockReading
from sessions.visits.run_sheet_services import run_sheet_clock_act, run_sheet_clock_read
from sessions.visits.workspace import workspace_context

RESCHEDULED_MESSAGE = "Moved {client}'s appointment to {when}."
CANCELLED_MESSAGE = "Cancelled {client}'s appointment of {when}. The slot is free again."
NO_SHOW_MESSAGE = "Recorded {client} as a no-show for {when}. The slot is free again."
REFUSED_MESSAGE = "Recorded that {client} declined treatment on {when}. The slot is free again."
COMPLETED_MESSAGE = "Marked {client}'s session of {when} as completed."
CHECKED_IN_MESSAGE = "Checked in {client}: the re-screen found no red flag. Next, plan the session."
CHECKED_IN_SCREENED_TODAY_MESSAGE = (
    "Checked in {client}: screened today at {time} by {who}, no red flag. Next, plan the session."
)
CHECK_IN_CLOSED_MESSAGE = "This appointment is {status}: there is nothing to check in."
CLOCK_PLAN_CHANGED = (
    "The plan for this visit was accepted again since the page was drawn: the timer now "
    "follows the new plan. Nothing was changed."
)


def _detail(request, appointment: Appointment, *, cancel_form=None, refuse_form=None, status=200):
    """The visit workspace (`sessions.visits.workspace`): the appointment's own page."""
    return render(
        request,
        "sessions/visit_workspace.html",
        {
            "appointment": appointment,
            "client": appointment.client,
            "cancel_form": cancel_form or AppointmentCancelForm(),
            "refuse_form": refuse_form or AppointmentRefuseForm(),
            **workspace_context(request, appointment),
        },
        status=status,
    )


@require_GET
@login_required
def appointment_detail(request, appointment_id: int):
    appointment = appointment_get_for_user(request.user, appointment_id=appointment_id)
    return _detail(request, appointment)


@require_http_methods(["GET", "POST"])
@login_required
def appointment_reschedule(request, appointment_id: int):
    """Move a booked visit. Refused (someone changed the visit meanwhile, or a clash): the
    form comes back with the message and the typed time, the facts shown as they are now."""
    appointment = appointment_get_for_user(request.user, appointment_id=appointment_id)
    if request.method == "POST":
        form = AppointmentTimeForm(request.POST)
        if form.is_valid():
            try:
                visits.appointment_reschedule(
                    appointment=_as_seen(request, appointment),
                    starts_at=form.cleaned_data["starts_at"],
                    minutes=form.cleaned_data["minutes"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                appointment.refresh_from_db()
            else:
                messages.success(
                    request, RESCHEDULED_MESSAGE.format(**appointment_words(appointment))
                )
                return redirect(appointment)
    else:
        form = AppointmentTimeForm(initial=time_initial(request, appointment))
    return render(
        request,
        "sessions/appointment_reschedule.html",
        {"form": form, "appointment": appointment},
    )


def _as_seen(request, appointment: Appointment) -> Appointment:
    """The appointment as the user saw it when the page was drawn (the form's hidden `seen`:
    its start, as a Unix time, and its minutes), so the visit services refuse an action on a
    visit moved since, not only one moved during this request. Absent or malformed: as read."""
    seen_at, _, seen_minutes = request.POST.get("seen", "").partition("-")
    if (
        seen_at.isascii()
        and seen_at.isdigit()
        and seen_minutes.isascii()
        and seen_minutes.isdigit()
    ):
        try:
            appointment.starts_at = datetime.fromtimestamp(int(seen_at), tz=UTC)
        except (OverflowError, OSError, ValueError):
            return appointment
        appointment.minutes = int(seen_minutes)
    return appointment


def _status_action(
    request, appointment_id: int, action, message: str, *, clinical: bool = False, **kwargs
):
    """A button's state change. Refused: the appointment's page, as it is now, with why."""
    appointment = appointment_get_for_user(
        request.user, appointment_id=appointment_id, clinical_write=clinical
    )
    try:
        action(appointment=_as_seen(request, appointment), by=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        appointment.refresh_from_db()
        return _detail(request, appointment)
    messages.success(request, message.format(**appointment_words(appointment)))
    return redirect_back(request, appointment.get_absolute_url())


def _reason_action(request, appointment_id: int, *, form_class, form_key, action, message):
    """A state change with a typed reason (cancel, treatment declined). Refused, or the
    reason invalid: the appointment's page, as it is now, with the message and the reason
    as typed."""
    appointment = appointment_get_for_user(request.user, appointment_id=appointment_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(
                appointment=_as_seen(request, appointment),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            # A message, not a form error: the form itself may no longer be offered.
            messages.error(request, " ".join(error.messages))
            appointment.refresh_from_db()
        else:
            messages.success(request, message.format(**appointment_words(appointment)))
            return redirect_back(request, appointment.get_absolute_url())
    return _detail(request, appointment, **{form_key: form})


@require_POST
@login_required
def appointment_cancel(request, appointment_id: int):
    return _reason_action(
        request,
        appointment_id,
        form_class=AppointmentCancelForm,
        form_key="cancel_form",
        action=visits.appointment_cancel,
        message=CANCELLED_MESSAGE,
    )


@require_POST
@login_required
def appointment_refuse(request, appointment_id: int):
    """The checked-in client declines treatment: the visit ends, with the reason."""
    return _reason_action(
        request,
        appointment_id,
        form_class=AppointmentRefuseForm,
        form_key="refuse_form",
        action=visits.appointment_refuse,
        message=REFUSED_MESSAGE,
    )


@require_POST
@login_required
def appointment_no_show(request, appointment_id: int):
    return _status_action(request, appointment_id, visits.appointment_mark_no_show, NO_SHOW_MESSAGE)


@require_POST
@login_required
def appointment_complete(request, appointment_id: int):
    return _status_action(
        request, appointment_id, visits.appointment_complete, COMPLETED_MESSAGE, clinical=True
    )


def _screened_today_words(screening) -> dict:
    """'09:12' and 'Alice Therapist': when and by whom today's screening was recorded."""
    return {
        "time": f"{timezone.localtime(screening.created_at):%H:%M}",
        "who": staff_display_name(screening.recorded_by),
    }


@require_http_methods(["GET", "POST"])
@login_required
def appointment_check_in(request, appointment_id: int):
    """Check-in: the red-flag questions asked again (a 30-second re-screen) before the session.

    A yes records the new screening, ends the visit as referred and shows the referral; all
    clear checks the client in. When a screening dated today already asked them, and the
    client's safety allows treatment, the page says so and one button checks the client in
    (`?rescreen=1` asks them again all the same). Refused (someone cancelled or moved on the
    visit meanwhile): the questions come back with the message and the answers as given.
    """
    appointment = appointment_get_for_user(
        request.user, appointment_id=appointment_id, clinical_write=True
    )
    if request.method == "GET" and appointment.status != Appointment.Status.BOOKED:
        messages.info(
            request, CHECK_IN_CLOSED_MESSAGE.format(status=appointment.get_status_display())
        )
        return redirect(appointment)
    screened_today = screening_of_the_day(client=appointment.client, day=timezone.localdate())
    form = RedFlagRescreenForm(request.POST or None)
    result = None
    if request.method == "POST" and request.POST.get("screened_today"):
        try:
            result = visits.appointment_check_in_screened_today(
                appointment=_as_seen(request, appointment), by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            appointment.refresh_from_db()
        form = RedFlagRescreenForm()
    elif request.method == "POST" and form.is_valid():
        try:
            result = visits.appointment_check_in_rescreen(
                appointment=_as_seen(request, appointment),
                recorded_by=request.user,
                red_flags=form.red_flags(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            appointment.refresh_from_db()
    if result is not None:
        if result.checked_in:
            message = (
                CHECKED_IN_SCREENED_TODAY_MESSAGE
                if request.POST.get("screened_today")
                else CHECKED_IN_MESSAGE
            )
            messages.success(
                request,
                message.format(
                    **appointment_words(appointment), **_screened_today_words(result.screening)
                ),
            )
            return redirect(appointment)
        return render(
            request,
            "sessions/check_in_blocked.html",
            {
                "appointment": appointment,
                "client": appointment.client,
                "result": result,
                "rescreened": not request.POST.get("screened_today"),
            },
        )
    safety = client_safety(client=appointment.client)
    skip = (
        screened_today is not None
        and not safety.forbids_treatment
        and request.GET.get("rescreen") != "1"
        and not form.is_bound
    )
    return render(
        request,
        "sessions/check_in.html",
        {
            "appointment": appointment,
            "form": form,
            "safety": safety,
            "screened": safety.screened,
            "red_flag_holds": SAFETY_RED_FLAG_HOLDS,
            "screened_today": screened_today,
            "screened_today_words": (
                _screened_today_words(screened_today) if screened_today else None
            ),
            "skip_rescreen": skip,
        },
    )


def _clock_text(left: timedelta) -> str:
    """'12:05': minutes and seconds left, rounded up (as static/js/runsheet.js shows them)."""
    whole = max(0, math.ceil(left.total_seconds()))
    return f"{whole // 60}:{whole % 60:02d}"


def _run_sheet_lines(rows, reading: ClockReading) -> list[dict]:
    """Each run-sheet row with its place in the timer: done, current or to come, and the
    time it has left."""
    lines = []
    for index, row in enumerate(rows):
        if index < reading.item:
            left, state = timedelta(0), "done"
        elif index == reading.item:
            left, state = reading.item_left, "current"
        else:
            left, state = timedelta(minutes=row.item.minutes), "next"
        lines.append({"row": row, "number": index + 1, "state": state, "left": _clock_text(left)})
    return lines


@require_GET
@login_required
def run_sheet(request, appointment_id: int):
    """The treatment-room view of the plan accepted for this appointment: every item with its
    minutes, the timer kept on the server (`run_sheet_clock`) shown where it stands, counted
    down in the page by static/js/runsheet.js, and the total."""
    appointment = appointment_get_for_user(request.user, appointment_id=appointment_id)
    # A plan accepted before a red flag was raised is not run: the status decides today.
    forbidden = client_safety_if_forbidding(client=appointment.client)
    session_plan = (
        None
        if forbidden
        else plan_latest_accepted(client=appointment.client, appointment=appointment)
    )
    plan = session_plan.plan if session_plan else None
    rows = plan.run_sheet() if plan else []
    reading = run_sheet_clock_read(session_plan=session_plan) if session_plan else None
    lines = _run_sheet_lines(rows, reading) if reading else []
    return render(
        request,
        "sessions/run_sheet.html",
        {
            "appointment": appointment,
            "forbidden": forbidden,
            "session_plan": session_plan,
            "plan": plan,
            "rows": rows,
            "lines": lines,
            "clock": reading,
            "clock_json": _clock_json(reading) if reading else None,
            "clock_now": next((line for line in lines if line["state"] == "current"), None),
            "clock_total_left": _clock_text(reading.total_left) if reading else "",
            "clock_runs": appointment.status == Appointment.Status.CHECKED_IN,
        },
    )


def _clock_json(reading: ClockReading) -> dict:
    return {
        "started": reading.started,
        "running": reading.running,
        "elapsed_ms": round(reading.elapsed.total_seconds() * 1000),
        "item": reading.item,
        "item_began_ms": round(reading.item_began.total_seconds() * 1000),
    }


@require_POST
@login_required
def run_sheet_clock(request, appointment_id: int):
    """A run-sheet button: start or resume, pause, go to an item, reset the timer. Sent by
    static/js/runsheet.js (answered with the timer as JSON) or as a plain form (back to the
    run sheet, at the current item). Refused: 400 with the reason and the timer as it stands,
    or the run sheet with the reason."""
    appointment = appointment_get_for_user(
        request.user, appointment_id=appointment_id, clinical_write=True
    )
    wants_json = "application/json" in request.headers.get("Accept", "")
    back = reverse("sessions:run_sheet", args=[appointment.pk]) + "#runsheet-current"
    form = RunSheetClockForm(request.POST)
    session_plan = plan_latest_accepted(client=appointment.client, appointment=appointment)
    error = None
    if not form.is_valid():
        error = form.message()
    else:
        if session_plan is None or session_plan.pk != form.cleaned_data["plan"]:
            error = CLOCK_PLAN_CHANGED
        else:
            item = form.cleaned_data["item"]
            try:
                reading = run_sheet_clock_act(
                    session_plan=session_plan,
                    action=ClockAction(form.cleaned_data["action"]),
                    item=item - 1 if item is not None else None,
                    by=request.user,
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
    if error is not None:
        if wants_json:
            # With the timer as it stands, so the page shows the truth again.
            body = {"error": error}
            if session_plan is not None:
                body["clock"] = _clock_json(run_sheet_clock_read(session_plan=session_plan))
            return JsonResponse(body, status=400)
        messages.error(request, error)
        return redirect(back)
    if wants_json:
        return JsonResponse(_clock_json(reading))
    return redirect(back)
