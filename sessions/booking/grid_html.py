"""The time grid's table body as HTML, built in Python: the manager's day grid has a cell
for every quarter hour of every therapist (24 x 44) and a block per visit, and the template
engine spent over 300 ms on those loops and includes (bench/results/grid.md); joined strings
take a few. Every text is escaped here; the markup matches `intake/_safety_badge.html` and
the status badges of the other calendar pages, so the grid reads like them.
"""

from __future__ import annotations

from html import escape  # the standard library's: Django's wraps it for lazy strings, slower

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_default_timezone

from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus
from intake.templatetags.safety import SAFETY_ICON
from sessions.booking.grid import GridRow
from sessions.booking.scheduling import clinic_clock
from sessions.models import Appointment

_STATUS_LABELS = dict(Appointment.Status.choices)
_SAFETY_LABELS = dict(SafetyStatus.choices)


def _clock(moment, zone) -> str:
    """`clinic_clock`, with a short way for the times no clock change repeats (nearly all)."""
    local = moment.astimezone(zone)
    if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return f"{local:%H:%M}"
    return clinic_clock(moment, zone=zone)


def _visit_html(appointment: Appointment, *, detail_prefix: str, zone) -> str:
    status = appointment.status
    safety = SafetyStatus(appointment.client.safety_status)
    classes = f"grid-visit {appointment.colour} booking-status-{status}"
    if safety in STATUSES_FORBIDDING_TREATMENT:
        classes += " safety-forbids"
    clock = f"{_clock(appointment.starts_at, zone)}\u2013{_clock(appointment.ends_at, zone)}"
    status_badge = ""
    if status != Appointment.Status.BOOKED:
        status_badge = (
            f'<span class="badge booking-badge-{status}">{escape(_STATUS_LABELS[status])}</span>'
        )
    return (
        f'<a class="{classes}" href="{detail_prefix}{appointment.pk}/">'
        f'<span class="grid-visit-time">{escape(clock)}</span>'
        f'<span class="grid-visit-client">{escape(appointment.client.full_name)}</span>'
        f'<span class="badge safety-badge safety-badge-{safety.value}">'
        '<span class="visually-hidden">Safety status: </span>'
        f'<span class="safety-badge-icon" aria-hidden="true">{escape(SAFETY_ICON[safety])}</span> '
        f"{escape(_SAFETY_LABELS[safety])}</span>{status_badge}</a>"
    )


def therapist_headers(columns: list[dict]) -> SafeString:
    """A column header per therapist: their colour's swatch (beside the name: not colour
    alone), the name linking to their week, and the day's count."""
    return mark_safe(  # noqa: S308 - every value is escaped or ours
        "".join(
            '<th scope="col" class="time-grid-column">'
            f'<a href="{escape(c["week_url"])}"><span class="staff-swatch {c["colour"]}" '
            f'aria-hidden="true"></span>{escape(c["name"])}</a>'
            f'<span class="time-grid-count">{_visits(c["count"])}</span></th>'
            for c in columns
        )
    )


def day_headers(columns: list[dict]) -> SafeString:
    """A column header per day: its name and date linking to the day, a Today badge."""
    parts = []
    for c in columns:
        today = ' <span class="badge text-bg-primary">Today</span>' if c["is_today"] else ""
        parts.append(
            f'<th scope="col" class="time-grid-column{" time-grid-today" if c["is_today"] else ""}">'
            f'<a href="{escape(c["day_url"])}">{c["day"]:%a} '
            f'<span class="time-grid-date">{c["day"].day} {c["day"]:%b}</span></a>{today}'
            f'<span class="time-grid-count">{_visits(c["count"])}</span></th>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped or ours


def _visits(count: int) -> str:
    return f"{count} visit" + ("" if count == 1 else "s")


def time_grid_body(rows: list[GridRow]) -> SafeString:
    """The <tbody> rows: a row header with the time (shown on the hour), then per column
    nothing (covered by a block above), an empty cell, or a block of visits."""
    detail = reverse("sessions:appointment_detail", args=[0])
    detail_prefix = detail[: -len("0/")]
    zone = get_default_timezone()
    parts = []
    for row in rows:
        parts.append('<tr class="time-grid-hour">' if row.on_the_hour else "<tr>")
        parts.append(f'<th scope="row" class="time-grid-time">{row.label}</th>')
        for cell in row.cells:
            if cell is None:
                continue
            if not cell.items:
                parts.append("<td></td>")
                continue
            parts.append(f'<td rowspan="{cell.rowspan}" class="time-grid-busy">')
            parts.extend(
                _visit_html(appointment, detail_prefix=detail_prefix, zone=zone)
                for appointment in cell.items
            )
            parts.append("</td>")
        parts.append("</tr>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or ours
