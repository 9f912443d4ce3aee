"""The visit's pages: the appointment, moving it, the status buttons (cancel, declined,
no-show, completed), the check-in re-screen and the run sheet. Every change goes through one
`sessions.visits.services` function; a refused one comes back with what changed and who."""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from intake.rules.safety import SAFETY_RED_FLAG_HOLDS
from intake.services import client_safety, client_safety_if_forbidding
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
from sessions.visits.workspace import workspace_context

RESCHEDULED_MESSAGE = "Moved {client}'s appointment to {when}."
CANCELLED_MESSAGE = "Cancelled {client}'s appointment of {when}. The slot is free again."
NO_SHOW_MESSAGE = "Recorded {client} as a no-show for {when}. The slot is free again."
REFUSED_MESSAGE = "Recorded that {client} declined treatment on {when}. The slot is free again."
COMPLETED_MESSAGE = "Marked {client}'s session of {when} as completed."
CHECKED_IN_MESSAGE = "Checked in {client}: the re-screen found no red flag. Next, plan the session."
CHECK_IN_CLOSED_MESSAGE = "This appointment is {status}: there is nothing to check in."


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


@require_http_methods(["GET", "POST"])
@login_required
def appointment_check_in(request, appointment_id: int):
    """Check-in: the red-flag questions asked again (a 30-second re-screen) before the session.

    A yes records the new screening, ends the visit as referred and shows the referral; all
    clear checks the client in. Refused (someone cancelled or moved on the visit meanwhile):
    the questions come back with the message and the answers as given.
    """
    appointment = appointment_get_for_user(
        request.user, appointment_id=appointment_id, clinical_write=True
    )
    if request.method == "GET" and appointment.status != Appointment.Status.BOOKED:
        messages.info(
            request, CHECK_IN_CLOSED_MESSAGE.format(status=appointment.get_status_display())
        )
        return redirect(appointment)
    form = RedFlagRescreenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = visits.appointment_check_in_rescreen(
                appointment=_as_seen(request, appointment),
                recorded_by=request.user,
                red_flags=form.red_flags(),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            appointment.refresh_from_db()
        else:
            if result.checked_in:
                messages.success(
                    request, CHECKED_IN_MESSAGE.format(**appointment_words(appointment))
                )
                return redirect(appointment)
            return render(
                request,
                "sessions/check_in_blocked.html",
                {"appointment": appointment, "client": appointment.client, "result": result},
            )
    safety = client_safety(client=appointment.client)
    return render(
        request,
        "sessions/check_in.html",
        {
            "appointment": appointment,
            "form": form,
            "safety": safety,
            "screened": safety.screened,
            "red_flag_holds": SAFETY_RED_FLAG_HOLDS,
        },
    )


@require_GET
@login_required
def run_sheet(request, appointment_id: int):
    """The treatment-room view of the plan accepted for this appointment: every item with its
    minutes, a countdown per item and for the session (static/js/runsheet.js), the total."""
    appointment = appointment_get_for_user(request.user, appointment_id=appointment_id)
    # A plan accepted before a red flag was raised is not run: the status decides today.
    forbidden = client_safety_if_forbidding(client=appointment.client)
    session_plan = (
        None
        if forbidden
        else plan_latest_accepted(client=appointment.client, appointment=appointment)
    )
    plan = session_plan.plan if session_plan else None
    return render(
        request,
        "sessions/run_sheet.html",
        {
            "appointment": appointment,
            "forbidden": forbidden,
            "session_plan": session_plan,
            "plan": plan,
            "rows": plan.run_sheet() if plan else [],
        },
    )
