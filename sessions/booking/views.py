"""Booking pages: calendars, the day list, booking, series and an appointment's actions.

Who sees what: a therapist sees and books only their own clients, on their own calendar; the
clinic manager sees every therapist's calendar and books for any client (always with the
client's own therapist). Every appointment is fetched through `appointment_get_for_user`,
every client through `intake.access.client_get_for_user`: anyone else gets a 404. The
manager does the front desk's part (book, move, cancel, no-show); checking in (a red-flag
re-screen) and completing a visit are clinical, the client's own therapist's alone
(`clinical_write=True`: 403 for the manager).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import audit_client_set
from core.dates import QUERY_DATE_REFUSED, query_date
from core.form_tokens import submit_once
from core.roles import user_is_manager
from core.staff import staff_colour, staff_display_name, therapists_active
from core.vocabulary import SESSION_MINUTES_DEFAULT, FrequencyAdvice
from intake.access import client_get_for_user
from intake.forms import ClientSearchForm
from intake.search import new_client_query
from intake.services import client_safety_if_forbidding, clients_close_to, clients_search
from sessions.access import appointments_visible_to
from sessions.booking import services as booking
from sessions.booking.forms import (
    AppointmentBookForm,
    FreeTimesForm,
    SeriesBookForm,
)
from sessions.booking.grid import GridItem, time_grid
from sessions.booking.grid_html import day_headers, therapist_headers, time_grid_body
from sessions.booking.scheduling import clinic_clock, week_start
from sessions.booking.services import appointment_when
from sessions.models import Appointment
from sessions.models.plan import SessionPlan
from sessions.planning.selectors import plan_latest_accepted

CLIENT_SEARCH_LIMIT = 20
# Clinical rules §6 for an acute flare: 2 sessions a week for 2-3 weeks, then every 2-4 weeks.
DEFAULT_ADVICE = FrequencyAdvice(
    per_week=2,
    weeks=3,
    then_every_weeks_min=2,
    then_every_weeks_max=4,
    text="2 visits a week for 3 weeks, then one visit every 2-4 weeks.",
)
SERIES_RESULT_SESSION_KEY = "booking_series_result"

BOOKED_MESSAGE = "Booked {client} with {therapist}, {when}."


# --- helpers -----------------------------------------------------------------------------------


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _date_param(value: str | None) -> date | None:
    """A date from the query string between 1900 and the booking horizon, or None."""
    return query_date(value, today=timezone.localdate())


def _shown_date(request, name: str) -> date:
    """The day a page shows, from the query string; today, with a message saying so, when
    the address holds a date that is malformed or out of range."""
    value = request.GET.get(name)
    day = _date_param(value)
    if day is None and value:
        messages.warning(request, QUERY_DATE_REFUSED.format(value=value[:20]))
    return day or timezone.localdate()


def _time_param(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def _scope(request) -> tuple[list[User] | None, User | None]:
    """(the therapists the manager may pick from, or None; the therapist shown, or None for
    all). A therapist may ask only for their own calendar: anyone else's is a 404."""
    user = request.user
    wanted = _int_param(request.GET.get("therapist"))
    if not user_is_manager(user):
        if wanted is not None and wanted != user.pk:
            raise Http404
        return None, user
    therapists = list(therapists_active())
    if wanted is None:
        return therapists, None
    for therapist in therapists:
        if therapist.pk == wanted:
            return therapists, therapist
    raise Http404


def _appointments_between(request, *, first: date, last: date, therapist: User | None):
    start, _ = booking.appointment_day_bounds(first)
    _, end = booking.appointment_day_bounds(last)
    appointments = appointments_visible_to(request.user).filter(
        booking.appointments_overlapping(start=start, end=end)
    )
    if therapist is not None:
        appointments = appointments.filter(therapist=therapist)
    return appointments.order_by("starts_at", "therapist__first_name", "id")


def _query(**params) -> str:
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _link_query(**params) -> str:
    """'?a=1&b=2&', ready for one more parameter to be appended, or just '?'."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"?{query}&" if query else "?"


def redirect_back(request, fallback: str):
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def appointment_words(appointment: Appointment) -> dict[str, str]:
    return {
        "client": appointment.client.full_name,
        "therapist": appointment.therapist_name,
        "when": appointment_when(appointment),
    }


# --- calendar and day list ---------------------------------------------------------------------


# What a grid block shows: the visit's times and status, the client's name and safety status.
GRID_FIELDS = (
    "therapist_id",
    "client_id",
    "starts_at",
    "ends_at",
    "minutes",
    "status",
    "client__first_name",
    "client__last_name",
    "client__safety_status",
)


def _grid_appointments(request, *, first: date, last: date, therapist: User | None):
    """The visits a grid shows, reading only what its blocks show (no therapist row: the
    columns name the therapists)."""
    return (
        _appointments_between(request, first=first, last=last, therapist=therapist)
        .select_related(None)
        .select_related("client")
        .only(*GRID_FIELDS)
        .order_by("starts_at", "id")
    )


def _grid_items(appointments, *, zone) -> list[GridItem]:
    items = []
    for appointment in appointments:
        local = appointment.starts_at.astimezone(zone)
        appointment.colour = staff_colour(appointment.therapist_id)
        items.append(
            GridItem(
                start_minute=local.hour * 60 + local.minute,
                minutes=appointment.minutes,
                payload=appointment,
            )
        )
    return items


def _grid_body(columns: list[list[GridItem]]):
    hours = booking.working_hours()
    rows = time_grid(
        columns,
        opens_minute=hours.opens.hour * 60 + hours.opens.minute,
        closes_minute=hours.closes.hour * 60 + hours.closes.minute,
    )
    return time_grid_body(rows)


@require_GET
@login_required
def calendar(request):
    """A week (Monday-Sunday) of one therapist's appointments as a time grid. The manager's
    "all therapists" is the day grid, one column per therapist (`calendar_day`)."""
    therapists, shown = _scope(request)
    today = timezone.localdate()
    monday = week_start(_shown_date(request, "week"))
    if shown is None:
        day = today if monday <= today < monday + timedelta(days=7) else monday
        return redirect(reverse("sessions:calendar_day") + _query(day=day))
    days = [monday + timedelta(days=offset) for offset in range(7)]
    zone = timezone.get_default_timezone()
    by_day: dict[date, list[Appointment]] = {day: [] for day in days}
    for appointment in _grid_appointments(request, first=days[0], last=days[-1], therapist=shown):
        by_day.setdefault(timezone.localdate(appointment.starts_at, zone), []).append(appointment)
    therapist_id = shown.pk if therapists is not None else None
    day_url, book_url = reverse("sessions:calendar_day"), reverse("sessions:appointment_book")
    columns = [
        {
            "day": day,
            "count": len(by_day[day]),
            "is_today": day == today,
            "day_url": day_url + _query(day=day, therapist=therapist_id),
            "book_url": book_url + _query(day=day),
        }
        for day in days
    ]
    return render(
        request,
        "sessions/calendar.html",
        {
            "therapists": therapists,
            "shown": shown,
            "picker_keep": {"week": monday.isoformat()},
            "columns": columns,
            "grid_head": day_headers(columns),
            "grid_body": _grid_body([_grid_items(by_day[day], zone=zone) for day in days]),
            "monday": monday,
            "sunday": days[-1],
            "previous_query": _query(week=monday - timedelta(weeks=1), therapist=therapist_id),
            "next_query": _query(week=monday + timedelta(weeks=1), therapist=therapist_id),
            "this_week_query": _query(therapist=therapist_id),
            "day_query": _query(day=max(monday, min(today, days[-1])), therapist=therapist_id),
        },
    )


@require_GET
@login_required
def calendar_day(request):
    """One day as a time grid: a therapist's own (one column), or for the manager every
    therapist side by side, a column and a colour each (the front desk's view of the day)."""
    therapists, shown = _scope(request)
    today = timezone.localdate()
    day = _shown_date(request, "day")
    zone = timezone.get_default_timezone()
    people = [shown] if shown is not None else therapists
    by_therapist: dict[int, list[Appointment]] = {person.pk: [] for person in people}
    appointments = _grid_appointments(request, first=day, last=day, therapist=shown)
    if shown is None:
        # Each therapist's (therapist, starts_at) index: without a therapist the database
        # reads every visit ever booked (500,000 in the benchmark) to find the day's.
        appointments = appointments.filter(therapist__in=[person.pk for person in people])
    for appointment in appointments:
        by_therapist[appointment.therapist_id].append(appointment)
    therapist_id = shown.pk if shown and therapists is not None else None
    week_url = f"{reverse('sessions:calendar')}?week={day.isoformat()}"
    columns = [
        {
            "therapist": person,
            "name": staff_display_name(person),
            "colour": staff_colour(person.pk),
            "count": len(by_therapist[person.pk]),
            "week_url": week_url + (f"&therapist={person.pk}" if therapists else ""),
        }
        for person in people
    ]
    return render(
        request,
        "sessions/calendar_day.html",
        {
            "therapists": therapists,
            "shown": shown,
            "picker_keep": {"day": day.isoformat()},
            "day": day,
            "is_today": day == today,
            "columns": columns,
            "grid_head": therapist_headers(columns),
            "grid_body": _grid_body(
                [_grid_items(by_therapist[person.pk], zone=zone) for person in people]
            ),
            "previous_query": _query(day=day - timedelta(days=1), therapist=therapist_id),
            "next_query": _query(day=day + timedelta(days=1), therapist=therapist_id),
            "today_query": _query(therapist=therapist_id),
            "week_query": _query(week=day, therapist=therapist_id),
            "list_query": _query(day=day, therapist=therapist_id),
            "book_url": reverse("sessions:appointment_book") + _query(day=day),
        },
    )


@require_GET
@login_required
def today(request):
    """The day list: one day's appointments, with the session-day actions."""
    therapists, shown = _scope(request)
    today_ = timezone.localdate()
    day = _shown_date(request, "day")
    therapist_id = shown.pk if shown and therapists is not None else None
    return render(
        request,
        "sessions/today.html",
        {
            "therapists": therapists,
            "shown": shown,
            "picker_keep": {"day": day.isoformat()},
            "day": day,
            "is_today": day == today_,
            "appointments": list(
                _appointments_between(request, first=day, last=day, therapist=shown)
            ),
            "previous_query": _query(day=day - timedelta(days=1), therapist=therapist_id),
            "next_query": _query(day=day + timedelta(days=1), therapist=therapist_id),
            "today_query": _query(therapist=therapist_id),
            "week_query": _query(week=day, therapist=therapist_id),
        },
    )


# --- booking -----------------------------------------------------------------------------------


def _client_search(request, *, title: str):
    """Step one of booking: find the client (a plain GET form: works without JavaScript)."""
    form = ClientSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    clients = list(
        clients_search(user=request.user, query=query).order_by("last_name", "first_name", "id")[
            :CLIENT_SEARCH_LIMIT
        ]
    )
    close = clients_close_to(user=request.user, query=query) if query and not clients else []
    return render(
        request,
        "sessions/client_search.html",
        {
            "title": title,
            "form": form,
            "query": query,
            "clients": clients or close,
            "close": bool(close),
            "add_query": new_client_query(query),
            "limit": CLIENT_SEARCH_LIMIT,
            # The day and time picked on the calendar travel on to the booking form.
            "link_query": _link_query(day=request.GET.get("day"), at=request.GET.get("at")),
        },
    )


def time_initial(request, appointment: Appointment | None = None) -> dict:
    if appointment is not None:
        local = timezone.localtime(appointment.starts_at)
        return {"day": local.date(), "at": local.time(), "minutes": appointment.minutes}
    initial = {"day": _date_param(request.GET.get("day")) or timezone.localdate()}
    at = _time_param(request.GET.get("at"))
    if at is not None:
        initial["at"] = at
    minutes = _int_param(request.GET.get("minutes"))
    if minutes is not None:
        initial["minutes"] = minutes
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def appointment_book(request):
    """Book one visit: find the client, then pick the time."""
    client_id = _int_param(request.GET.get("client"))
    if client_id is None:
        return _client_search(request, title="Book an appointment")
    client = client_get_for_user(request.user, client_id)
    audit_client_set(request, client)
    safety = client_safety_if_forbidding(client=client)
    if request.method == "POST":
        form = AppointmentBookForm(request.POST, safety=safety, form_token_user=request.user)
        if form.is_valid():
            try:
                appointment = submit_once(
                    form,
                    create=lambda: booking.appointment_book(
                        client=client,
                        starts_at=form.cleaned_data["starts_at"],
                        minutes=form.cleaned_data["minutes"],
                        booked_by=request.user,
                        note=form.cleaned_data["note"],
                    ),
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, BOOKED_MESSAGE.format(**appointment_words(appointment)))
                return redirect(appointment)
    else:
        form = AppointmentBookForm(
            initial=time_initial(request), safety=safety, form_token_user=request.user
        )
    return render(
        request,
        "sessions/appointment_book.html",
        {"form": form, "client": client, "free": _free_times(request, client, form)},
    )


def _free_times(request, client, form: AppointmentBookForm) -> dict:
    """The therapist's free times for the day and length asked for (the free-times form's
    GET, or the booking form as sent), each a link that fills the booking form's time."""
    if request.method == "POST":
        asked = {name: request.POST.get(name, "") for name in ("day", "minutes")}
    else:
        initial = form.initial
        asked = {
            "day": request.GET.get("day") or initial["day"].isoformat(),
            "minutes": request.GET.get("minutes") or SESSION_MINUTES_DEFAULT,
        }
    times = FreeTimesForm(asked)
    if not times.is_valid():
        return {"form": times, "slots": None}
    day, minutes = times.cleaned_data["day"], times.cleaned_data["minutes"]
    zone = timezone.get_default_timezone()
    slots = [
        {
            "label": clinic_clock(moment, zone=zone),
            "at": f"{moment.astimezone(zone):%H:%M}",
            "url": _query(
                client=client.pk,
                day=day.isoformat(),
                minutes=minutes,
                at=f"{moment.astimezone(zone):%H:%M}",
            ),
        }
        for moment in booking.free_times(client=client, day=day, minutes=minutes)
    ]
    return {
        "form": times,
        "slots": slots,
        "day": day,
        "minutes": minutes,
        "hours": booking.working_hours(),
    }


@require_http_methods(["GET", "POST"])
@login_required
def appointment_series_book(request):
    """Book a course of care in one step; clashes are skipped and listed afterwards."""
    client_id = _int_param(request.GET.get("client"))
    if client_id is None:
        return _client_search(request, title="Book a series")
    client = client_get_for_user(request.user, client_id)
    audit_client_set(request, client)
    advice, session_plan, minutes = _series_advice(client)
    safety = client_safety_if_forbidding(client=client)
    if request.method == "POST":
        form = SeriesBookForm(request.POST, safety=safety, form_token_user=request.user)
        if form.is_valid():
            result = submit_once(
                form,
                create=lambda: booking.appointment_series_book(
                    client=client,
                    series=form.series_request(),
                    at=form.cleaned_data["at"],
                    minutes=form.cleaned_data["minutes"],
                    booked_by=request.user,
                    note=form.cleaned_data["note"],
                ),
                url=reverse("sessions:appointment_series_result"),
            )
            # Kept in the session so the result survives a reload without booking again.
            request.session[SERIES_RESULT_SESSION_KEY] = {
                "client_id": client.pk,
                "booked": [appointment.pk for appointment in result.booked],
                "skipped": [
                    {"day": skip.day.isoformat(), "at": skip.at.isoformat(), "reason": skip.reason}
                    for skip in result.skipped
                ],
                "minutes": form.cleaned_data["minutes"],
            }
            return redirect("sessions:appointment_series_result")
    else:
        first_day = _date_param(request.GET.get("day")) or timezone.localdate() + timedelta(days=1)
        form = SeriesBookForm(
            initial={
                **SeriesBookForm.initial_from_advice(advice=advice, first_day=first_day),
                "at": time(9, 0),
                "minutes": minutes,
            },
            safety=safety,
            form_token_user=request.user,
        )
    return render(
        request,
        "sessions/appointment_series_book.html",
        {"form": form, "client": client, "advice": advice, "session_plan": session_plan},
    )


def _series_advice(client) -> tuple[FrequencyAdvice, SessionPlan | None, int]:
    """The frequency advice and session length a series starts from: those of the client's
    latest accepted plan, or clinical rules §6's acute-flare advice and an hour when there is none."""
    session_plan = plan_latest_accepted(client=client)
    if session_plan is not None:
        return session_plan.plan.frequency, session_plan, session_plan.minutes
    return DEFAULT_ADVICE, None, SESSION_MINUTES_DEFAULT


@require_GET
@login_required
def appointment_series_result(request):
    """What the series booked, and each visit it could not book with the reason."""
    result = request.session.get(SERIES_RESULT_SESSION_KEY)
    if not result:
        return redirect("sessions:calendar")
    client = client_get_for_user(request.user, result["client_id"])
    audit_client_set(request, client)
    booked = list(appointments_visible_to(request.user).filter(pk__in=result["booked"]))
    skipped = []
    for skip in result["skipped"]:
        day, at = date.fromisoformat(skip["day"]), time.fromisoformat(skip["at"])
        rebook = reverse("sessions:appointment_book") + _query(
            client=client.pk, day=day, at=at.strftime("%H:%M"), minutes=result["minutes"]
        )
        skipped.append({"day": day, "at": at, "reason": skip["reason"], "rebook": rebook})
    return render(
        request,
        "sessions/appointment_series_result.html",
        {"client": client, "booked": booked, "skipped": skipped},
    )


# --- one appointment ---------------------------------------------------------------------------
