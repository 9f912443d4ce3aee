"""What a user can type or put in an address never gives a 500, and a malformed post saves
nothing: far dates, non-ASCII digits, tampered hidden fields and formset counts, dates
before the client was born, another client's appointment on a plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils.html import escape

from core.dates import DATE_BEFORE_1900, DATE_BEFORE_BIRTH, QUERY_DATE_REFUSED
from intake.forms import DATE_BEFORE_BIRTH as CLIENT_DATE_BEFORE_BIRTH
from sessions.charting.forms import TECHNIQUE_ROWS_MALFORMED, TECHNIQUE_SLUG_INVALID
from sessions.models import Appointment
from sessions.models.note import NoteTechnique
from sessions.planning.views import PLAN_APPOINTMENT_REFUSED
from tests.security.html_forms import post_forms
from tests.security.world import browser_for, database_snapshot, snapshot_changes, world_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return world_build()


def _form(browser, url, action_part):
    page = browser.get(url)
    assert page.status_code == 200, url
    return next(
        f for f in post_forms(page.content.decode(), page_url=url) if action_part in f.action
    )


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-02-31", "²"])
@pytest.mark.parametrize(
    ("path", "name"), [("/sessions/today/", "day"), ("/sessions/calendar/", "week")]
)
def test_a_far_or_malformed_date_in_the_address_shows_today_with_a_message(
    world, path, name, value
):
    response = browser_for(world.own.therapist).get(path, {name: value})
    assert response.status_code == 200
    assert escape(QUERY_DATE_REFUSED.format(value=value)) in response.content.decode()


@pytest.mark.parametrize(
    "before", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59+00:00", "x" * 500]
)
def test_a_far_date_on_the_library_history_is_ignored(world, before):
    assert (
        browser_for(world.manager).get("/library/history/", {"before": before}).status_code == 200
    )


@pytest.mark.parametrize("value", ["²", "١", "99999999999999999999999", "-1"])
@pytest.mark.parametrize("page", ["notes/new", "plans/new"])
def test_an_odd_appointment_number_on_the_note_and_plan_pages(world, page, value):
    url = f"/sessions/clients/{world.own.client.pk}/{page}/"
    assert browser_for(world.own.therapist).get(url, {"appointment": value}).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_far_dates_on_booking_reschedule_and_series_are_refused_with_a_message(world, day):
    browser = browser_for(world.own.therapist)
    client, appointment = world.own.client, world.own.appointment
    pages = [
        (f"/sessions/appointments/book/?client={client.pk}", "/book/", "day"),
        (f"/sessions/appointments/book/series/?client={client.pk}", "/series/", "first_day"),
        (f"/sessions/appointments/{appointment.pk}/reschedule/", "/reschedule/", "day"),
    ]
    for url, action, field in pages:
        form = _form(browser, url, action)
        before = database_snapshot()
        response = browser.post(form.action, {**form.data(), field: [day]})
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "more than 2 years ahead" in body or escape(DATE_BEFORE_1900) in body
        assert [
            c for c in snapshot_changes(before, database_snapshot()) if c[0] != "sessions.session"
        ] == []


def _note_edit(world):
    browser = browser_for(world.own.therapist)
    note = world.own.note
    url = f"/sessions/clients/{note.client_id}/notes/{note.pk}/edit/"
    return browser, _form(browser, url, "/edit/")


def test_a_negative_technique_row_count_saves_nothing_and_says_so(world):
    browser, form = _note_edit(world)
    rows = list(NoteTechnique.objects.filter(note=world.own.note).values_list("name", flat=True))
    assert rows
    response = browser.post(form.action, {**form.data(), "techniques-TOTAL_FORMS": ["-1"]})
    assert response.status_code == 200
    assert escape(TECHNIQUE_ROWS_MALFORMED) in response.content.decode()
    assert (
        list(NoteTechnique.objects.filter(note=world.own.note).values_list("name", flat=True))
        == rows
    )


@pytest.mark.parametrize("slug", ["x" * 300, "not a slug!"])
def test_a_bad_hidden_technique_slug_is_a_visible_form_error(world, slug):
    browser, form = _note_edit(world)
    before = database_snapshot()
    response = browser.post(form.action, {**form.data(), "techniques-0-slug": [slug]})
    assert response.status_code == 200
    assert escape(TECHNIQUE_SLUG_INVALID) in response.content.decode()
    assert snapshot_changes(before, database_snapshot()) == []


def test_a_visit_before_the_client_was_born_is_refused(world):
    browser, form = _note_edit(world)
    born = world.own.client.date_of_birth
    response = browser.post(
        form.action, {**form.data(), "visit_date": [(born - timedelta(days=1)).isoformat()]}
    )
    assert response.status_code == 200
    assert escape(DATE_BEFORE_BIRTH.format(born=born)) in response.content.decode()


@pytest.mark.parametrize("field", ["referral_date", "consent_date"])
def test_consent_and_referral_dates_before_birth_are_refused(world, field):
    browser = browser_for(world.own.therapist)
    form = _form(browser, f"/clients/{world.own.client.pk}/edit/", "/edit/")
    born = world.own.client.date_of_birth
    data = {**form.data(), field: [(born - timedelta(days=1)).isoformat()], "consent_given": ["on"]}
    response = browser.post(form.action, data)
    assert response.status_code == 200
    assert escape(CLIENT_DATE_BEFORE_BIRTH) in response.content.decode()


def test_a_plan_accepted_with_another_clients_appointment_is_refused(world):
    browser = browser_for(world.own.therapist)
    client = world.own.client
    query = f"minutes=60&stage=1&course=acute&appointment={world.own.appointment.pk}&adjust=1"
    form = _form(browser, f"/sessions/clients/{client.pk}/plans/new/?{query}", "/review/")
    data = {**form.data("accept"), "appointment": [str(world.other.appointment.pk)]}
    before = database_snapshot()
    response = browser.post(form.action, data)
    assert response.status_code == 200
    assert escape(PLAN_APPOINTMENT_REFUSED) in response.content.decode()
    assert [c for c in snapshot_changes(before, database_snapshot())] == []
    assert Appointment.objects.filter(pk=world.other.appointment.pk).exists()


@pytest.mark.parametrize("count", ["-1", "0", "999"])
def test_a_tampered_plan_line_count_is_checked_not_a_500(world, count):
    """Found by the edge-value pass: INITIAL_FORMS=-1 made every line an empty extra form."""
    browser = browser_for(world.own.therapist)
    client = world.own.client
    query = "minutes=60&stage=1&course=acute&adjust=1"
    form = _form(browser, f"/sessions/clients/{client.pk}/plans/new/?{query}", "/review/")
    data = {**form.data("accept"), "line-INITIAL_FORMS": [count]}
    before = database_snapshot()
    response = browser.post(form.action, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot_changes(before, database_snapshot()) == []
