"""Outcome tracking (clinical rules §8 "detailed records of treatment and outcomes").

Pure functions: pain before and after each visit and the straight-leg-raise onset angle
over time, the visit where the improvement since the first visit becomes clinically
important, and the geometry of the server-drawn SVG charts (templates draw what these
return; no JavaScript, no external service).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from html import escape

from django.utils.safestring import SafeString, mark_safe

# The minimal clinically important difference (MCID) on a 0-10 pain scale: a fall of two
# points or of 30% from the baseline, whichever comes first (Farrar et al., Pain 2001; the
# IMMPACT recommendations). Integer arithmetic: 10 * fall >= 3 * baseline is 30%.
MCID_POINTS = 2
MCID_PERCENT = 30
SLR_NO_PAIN_ANGLE = 90

MCID_LABEL = "Clinically important improvement (2 points or 30%)"


@dataclass(frozen=True)
class PainVisit:
    """One visit's pain scores (0-10), from its session note; None when not recorded."""

    visit_date: date
    pain_before: int | None
    pain_after: int | None


@dataclass(frozen=True)
class SlrReading:
    """One straight leg raise: the hip angle where pain began; `angle` is None for no pain
    up to 90 degrees (plotted at 90, the full range)."""

    assessed_on: date
    side: str
    angle: int | None


def mcid_reached(*, baseline: int, current: int) -> bool:
    """True when pain fell from `baseline` to `current` by at least the MCID (2 points or 30%).

    Only a fall counts; from a baseline of 0 there is nothing to improve.
    """
    fall = baseline - current
    if fall <= 0:
        return False
    return fall >= MCID_POINTS or 100 * fall >= MCID_PERCENT * baseline


def mcid_visit(visits: Sequence[PainVisit]) -> int | None:
    """The index of the first visit whose pain before the session has fallen by the MCID
    since the first visit that recorded one; None if no visit has.

    Pain *before* each session is compared, not pain after: it is what the client brings
    in, so it shows lasting change rather than the session's immediate effect.
    """
    baseline = None
    for index, visit in enumerate(visits):
        if visit.pain_before is None:
            continue
        if baseline is None:
            baseline = visit.pain_before
        elif mcid_reached(baseline=baseline, current=visit.pain_before):
            return index
    return None


# ---------------------------------------------------------------------------------------
# Chart geometry: an SVG viewBox of WIDTH x HEIGHT with a plot area inside the margins.

WIDTH = 640
HEIGHT = 230
MARGIN_LEFT = 44
MARGIN_RIGHT = 28
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
MAX_X_LABELS = 7


def svg_number(value: float) -> str:
    """A coordinate as the SVG carries it, one decimal. Formatted here, not with the template's
    `floatformat` (Decimal and localisation for each of a long history's hundreds of points:
    most of the chart page's time at 200 visits, bench/results/latest.md)."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str
    hollow: bool = False

    # Formatted once: the path and the circles both use them.
    @cached_property
    def svg_x(self) -> str:
        return svg_number(self.x)

    @cached_property
    def svg_y(self) -> str:
        return svg_number(self.y)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    dash: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.svg_x},{p.svg_y}" for i, p in enumerate(self.points)
        )

    @property
    def circles(self) -> SafeString:
        """One SVG circle per point, with its label as a tooltip; built here in one pass (the
        template's loop took 15 ms for a 200-visit history). Numbers are formatted, every
        text is escaped."""
        name = escape(self.name)
        colour = escape(self.colour)
        return mark_safe(  # noqa: S308 (every interpolated text is escaped above or below)
            "".join(
                f'<circle cx="{p.svg_x}" cy="{p.svg_y}" r="4" '
                f'fill="{"#ffffff" if p.hollow else colour}" stroke="{colour}" '
                f'stroke-width="1.5"><title>{name}, {escape(p.label)}</title></circle>'
                for p in self.points
            )
        )


@dataclass(frozen=True)
class Tick:
    position: float
    label: str

    @property
    def svg_position(self) -> str:
        return svg_number(self.position)


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    label: str

    @property
    def svg_x(self) -> str:
        return svg_number(self.x)

    @property
    def svg_y(self) -> str:
        return svg_number(self.y)


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]
    marker: Marker | None = None

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)


def _x_scale(dates: Sequence[date]):
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    first, last = min(dates), max(dates)
    span = (last - first).days
    if span == 0:
        return lambda day: (left + right) / 2
    return lambda day: left + (right - left) * (day - first).days / span


def _y_scale(maximum: int):
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM
    return lambda value: bottom - (bottom - top) * value / maximum


def _x_ticks(dates: Sequence[date], x) -> tuple[Tick, ...]:
    days = sorted(set(dates))
    if len(days) > MAX_X_LABELS:
        step = (len(days) - 1) / (MAX_X_LABELS - 1)
        days = [days[round(i * step)] for i in range(MAX_X_LABELS)]
    return tuple(Tick(x(day), f"{day.day} {day:%b}") for day in days)


def _frame(title, description, dates, maximum, y_step, series, marker=None) -> Chart:
    y = _y_scale(maximum)
    return Chart(
        title=title,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        left=MARGIN_LEFT,
        top=MARGIN_TOP,
        right=WIDTH - MARGIN_RIGHT,
        bottom=HEIGHT - MARGIN_BOTTOM,
        x_ticks=_x_ticks(dates, _x_scale(dates)) if dates else (),
        y_ticks=tuple(Tick(y(v), str(v)) for v in range(0, maximum + 1, y_step)),
        series=series,
        marker=marker,
    )


def pain_chart(visits: Sequence[PainVisit], *, dates: Sequence[date] | None = None) -> Chart:
    """Pain before and after each visit (0-10) over time, with the MCID marker.

    `dates` fixes the time axis (to line this chart up with the SLR chart); by default it
    spans the visits.
    """
    visits = sorted(visits, key=lambda v: v.visit_date)
    axis = list(dates or [v.visit_date for v in visits])
    x, y = (_x_scale(axis) if axis else None), _y_scale(10)

    def points(attribute: str) -> tuple[Point, ...]:
        return tuple(
            Point(x(v.visit_date), y(score), score, f"{v.visit_date:%d %b %Y}: {score}/10")
            for v in visits
            if (score := getattr(v, attribute)) is not None
        )

    marker = None
    index = mcid_visit(visits)
    if index is not None:
        visit = visits[index]
        marker = Marker(x(visit.visit_date), y(visit.pain_before), MCID_LABEL)
    before, after = points("pain_before"), points("pain_after")
    description = f"Pain before and after {len(visits)} visit(s), on a 0-10 scale." + (
        f" The improvement since the first visit became clinically important on "
        f"{visits[index].visit_date:%d %b %Y}."
        if index is not None
        else ""
    )
    return _frame(
        "Pain (0-10)",
        description,
        axis,
        10,
        2,
        (
            Series("Pain before the session", "#c0392b", "", before),
            Series("Pain after the session", "#1f77b4", "5 3", after),
        ),
        marker,
    )


def slr_chart(readings: Sequence[SlrReading], *, dates: Sequence[date] | None = None) -> Chart:
    """The straight-leg-raise onset angle over time, one line per side (higher is better:
    the leg rises further before pain; "no pain" is drawn, hollow, at 90 degrees)."""
    readings = sorted(readings, key=lambda r: r.assessed_on)
    axis = list(dates or [r.assessed_on for r in readings])
    x, y = (_x_scale(axis) if axis else None), _y_scale(SLR_NO_PAIN_ANGLE)
    series = []
    for side, colour, dash in (("left", "#6a3d9a", ""), ("right", "#2e7d32", "5 3")):
        points = tuple(
            Point(
                x(r.assessed_on),
                y(r.angle if r.angle is not None else SLR_NO_PAIN_ANGLE),
                r.angle if r.angle is not None else SLR_NO_PAIN_ANGLE,
                f"{r.assessed_on:%d %b %Y}: "
                + (f"pain from {r.angle}°" if r.angle is not None else "no pain up to 90°"),
                hollow=r.angle is None,
            )
            for r in readings
            if r.side == side
        )
        if points:
            series.append(Series(f"{side.capitalize()} leg", colour, dash, points))
    return _frame(
        "Straight leg raise: hip angle at pain onset (degrees)",
        f"{len(readings)} straight leg raise reading(s); a higher angle means the leg rose "
        "further before pain began.",
        axis,
        SLR_NO_PAIN_ANGLE,
        15,
        tuple(series),
    )


@dataclass(frozen=True)
class PsfsScore:
    """One PSFS: its date and its score (the activities' mean, 0-10, higher is better)."""

    measured_on: date
    score: float


PSFS_MCID_LABEL = "Clinically important PSFS change (2 points)"


def psfs_chart(scores: Sequence[PsfsScore], *, mcid: float = 2.0) -> Chart:
    """The PSFS score over time (0-10, higher is better), marked where it first rose by its
    MCID over the first score (clinical rules §9.5)."""
    scores = sorted(scores, key=lambda s: s.measured_on)
    axis = [s.measured_on for s in scores]
    x, y = (_x_scale(axis) if axis else None), _y_scale(10)
    points = tuple(
        Point(
            x(s.measured_on),
            y(s.score),
            round(s.score),
            f"{s.measured_on:%d %b %Y}: {s.score:g}/10",
        )
        for s in scores
    )
    marker = None
    reached = next((s for s in scores[1:] if s.score - scores[0].score >= mcid), None)
    if reached is not None:
        marker = Marker(x(reached.measured_on), y(reached.score), PSFS_MCID_LABEL)
    description = f"{len(scores)} PSFS score(s) on a 0-10 scale, higher is better." + (
        f" The gain since the first became clinically important on {reached.measured_on:%d %b %Y}."
        if reached
        else ""
    )
    return _frame(
        "Patient-Specific Functional Scale (0-10)",
        description,
        axis,
        10,
        2,
        (Series("PSFS score", "#8e44ad", "", points),),
        marker,
    )
