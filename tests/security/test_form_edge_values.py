"""Every field of every POST form, sent each edge value a user or a tampered page can send
for a field of its kind, one field at a time, deterministically: never a server error, and a
form sent back with its errors wrote nothing.

The random fuzz (test_form_fuzz.py) rarely lands on an edge by itself: it found none of the
far-date 500s of issue 15. This pass tries them all: the ends of Python's dates (year 1 and
9999, alone and with a time), a day past the booking horizon, times that do not exist or
happen twice on the clinic's next clock changes (sent with that day in the form's date
field), numbers past a 32- and a 64-bit integer, negative numbers, non-ASCII digits, NUL,
and texts exactly at their limit and one character over (an input's `maxlength`, and each
of core.limits' text limits for a textarea). One form per view and set of fields, the first
row of a formset: about 1,300 posts, a minute of CPU.
"""

from __future__ import annotations

import re
import time as clock
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.dates import latest_date
from core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX, STEP_TEXT_MAX
from tests.security.html_forms import HtmlForm, forms_on_pages, view_name
from tests.security.test_form_fuzz import SKIPPED_VIEWS
from tests.security.world import UNTRACKED_MODELS, browser_for, corner_pages, world_build

pytestmark = pytest.mark.django_db

# Sent to every field, whatever it is.
ANY_FIELD = [
    "a\x00b",
    "²",
    "9223372036854775808",  # one past a 64-bit integer
    "9999-12-31T23:59",
]
# And to the fields a user does not type in (hidden, select, radio, checkbox): what a
# tampered page sends.
UNTYPED_FIELD = ["-1", "0001-01-01", "١٢"]
UNTYPED_KINDS = {"hidden", "select", "radio", "checkbox"}
DATE_FIELD = [
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "1899-12-31",
    "0000-00-00",
    "2026-02-31",
]
TIME_FIELD = ["00:00", "23:59", "24:00", "25:61"]
DATETIME_FIELD = ["0001-01-01T00:00", "9999-12-31T23:59:59", "10000-01-01T00:00"]
NUMBER_FIELD = [
    "-1",
    "0",
    "2147483648",  # one past a 32-bit integer
    "-9223372036854775809",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "Infinity",
    "0.5",
    "١٢",
]
TEXTAREA_LIMITS = (STEP_TEXT_MAX, SHORT_TEXT_MAX, LONG_TEXT_MAX)
# A formset's rows are alike: the edges go to its first row (and its management form).
LATER_FORMSET_ROW = re.compile(r"-[1-9][0-9]*-")


def _lengths(limit: int) -> list[str]:
    return ["x" * limit, "x" * (limit + 1)]


def field_edges(form: HtmlForm, name: str, *, today: date) -> list[str]:
    kind = form.kinds.get(name, "text")
    edges = list(ANY_FIELD)
    if kind in UNTYPED_KINDS:
        edges += UNTYPED_FIELD
    elif kind == "date":
        edges += [*DATE_FIELD, latest_date(today).isoformat()]
        edges.append((latest_date(today) + timedelta(days=1)).isoformat())
    elif kind == "time":
        edges += TIME_FIELD
    elif kind == "datetime-local":
        edges += DATETIME_FIELD
    elif kind == "number":
        edges += NUMBER_FIELD
    if name in form.maxlengths:
        edges += _lengths(form.maxlengths[name])
    elif kind == "textarea":
        for limit in TEXTAREA_LIMITS:
            edges += _lengths(limit)
    return edges


def clock_change_moments(*, today: date, zone: ZoneInfo) -> list[tuple[date, time]]:
    """The clinic's clock changes in the coming year: each day with a wall-clock time inside
    its gap (spring) or its repeat (autumn)."""
    found = []
    for offset in range(1, 370):
        day = today + timedelta(days=offset)
        for minutes in range(0, 24 * 60, 30):
            at = time(minutes // 60, minutes % 60)
            wall = datetime.combine(day, at)
            if (
                wall.replace(tzinfo=zone, fold=0).utcoffset()
                != wall.replace(tzinfo=zone, fold=1).utcoffset()
            ):
                found.append((day, at))
                break
    return found


def clock_change_posts(form: HtmlForm, moments) -> list[dict[str, str]]:
    """The form's date, time and date-time fields set to the clock changes' odd moments."""
    dates = [n for n, kind in form.kinds.items() if kind == "date"]
    times = [n for n, kind in form.kinds.items() if kind == "time"]
    stamps = [n for n, kind in form.kinds.items() if kind == "datetime-local"]
    posts = []
    for day, at in moments:
        for day_name in dates:
            for time_name in times:
                posts.append({day_name: day.isoformat(), time_name: f"{at:%H:%M}"})
        for name in stamps:
            posts.append({name: f"{day.isoformat()}T{at:%H:%M}"})
    return posts


def row_counts() -> dict[str, int]:
    """Rows in every table the forms may write, in one query. Cheaper than the fuzz's full
    snapshot, which would make this pass take minutes: every clinical and library model
    keeps a history row per save (django-simple-history), so an update shows in a count
    too, as any insert or delete does."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed and model._meta.label_lower not in UNTRACKED_MODELS
    ]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(model._meta.db_table)}"
        for index, model in enumerate(models)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {models[index]._meta.label_lower: count for index, count in cursor.fetchall()}


def _post_rolled_back(browser, action: str, data, before) -> tuple[int, list[str]]:
    """POST, then undo it. A 200 (the form back with its errors) must have written nothing:
    compared with `before`, the world as every post finds it."""
    with transaction.atomic():
        response = browser.post(action, data)
        changed = []
        if response.status_code == 200:
            after = row_counts()
            changed = [
                f"{label}: {before[label]} -> {n} rows"
                for label, n in after.items()
                if before[label] != n
            ]
        transaction.set_rollback(True)
    return response.status_code, changed


def _shown(value: str) -> str:
    return f"{value[:12]!r}... ({len(value):,} characters)" if len(value) > 20 else repr(value)


def _edge_pass(browser, forms, *, today, moments, done: set) -> tuple[int, list]:
    """Every edge into every field of each form not tried yet (one form per view and set of
    field names); the failures, described."""
    browser.raise_request_exception = False  # a 500 is counted, and the pass goes on
    posts, failures = 0, []
    before = row_counts()
    for action, form in forms.items():
        base = form.data()
        key = (view_name(action), frozenset(base))
        if key in done:
            continue
        done.add(key)
        names = sorted(
            name
            for name in base
            if name != "csrfmiddlewaretoken" and not LATER_FORMSET_ROW.search(name)
        )
        sends = [{name: value} for name in names for value in field_edges(form, name, today=today)]
        sends += clock_change_posts(form, moments)
        for changed in sends:
            data = {**base, **{name: [value] for name, value in changed.items()}}
            status, writes = _post_rolled_back(browser, action, data, before)
            posts += 1
            if status >= 500 or writes:
                shown = {name: _shown(value) for name, value in changed.items()}
                failures.append(f"{key[0]} {shown}: HTTP {status} {writes}")
    return posts, failures


def test_every_field_of_every_form_takes_every_edge_value_without_a_500_or_a_partial_write():
    world = world_build()
    today = timezone.localdate()
    moments = clock_change_moments(today=today, zone=ZoneInfo(settings.TIME_ZONE))
    assert len(moments) == 2, moments  # the clinic's zone changes its clocks twice a year
    own = browser_for(world.own.therapist)
    forms = forms_on_pages(own, corner_pages(world.own), skip_views=SKIPPED_VIEWS)
    manager = browser_for(world.manager)
    manager_forms = forms_on_pages(manager, corner_pages(world.own), skip_views=SKIPPED_VIEWS)
    started, done = clock.monotonic(), set()
    posts, failures = _edge_pass(own, forms, today=today, moments=moments, done=done)
    more, more_failures = _edge_pass(
        manager, manager_forms, today=today, moments=moments, done=done
    )
    print(
        f"\nedge values: {posts + more} posts to {len(done)} forms "
        f"in {clock.monotonic() - started:.0f} s"
    )
    # The pass reached the forms where issue 15 found 500s (not a vacuous pass).
    assert {
        "sessions:appointment_book",
        "sessions:appointment_reschedule",
        "sessions:appointment_series_book",
        "sessions:note_edit",
        "sessions:plan_review",
        "intake:client_create",
    } <= {view for view, _fields in done}
    assert not failures + more_failures, "\n".join(failures + more_failures)
