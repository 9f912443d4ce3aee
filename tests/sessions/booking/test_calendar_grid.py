"""The calendar's time grids: a therapist's week and day, the manager's day x therapist grid
(colour per therapist, not colour alone), who sees what, and the clock changes."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse
from django.utils import timezone

from core.staff import staff_colour
from sessions.booking.scheduling import clinic_datetime
from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db
DAY_URL = reverse("sessions:calendar_day")
WEEK_URL = reverse("sessions:calendar")


@pytest.fixture
def visits(therapist, colleague):
    mine = AppointmentFactory(
        client=ClientFactory(therapist=therapist, first_name="Jane", last_name="Doe"),
        starts_at=clinic_time(1, 10),
        minutes=90,
    )
    theirs = AppointmentFactory(
        client=ClientFactory(therapist=colleague, first_name="Olga", last_name="Other"),
        starts_at=clinic_time(1, 11),
        minutes=30,
        status=Appointment.Status.CANCELLED,
    )
    return mine, theirs


def _day(visit) -> str:
    return timezone.localdate(visit.starts_at).isoformat()


def test_a_therapists_day_grid_shows_their_visits_as_blocks_sized_by_length(
    therapist_client, visits
):
    mine, _ = visits
    response = therapist_client.get(DAY_URL, {"day": _day(mine)})
    content = response.content.decode()
    assert "Jane Doe" in content and "Olga Other" not in content
    assert '<td rowspan="6" class="time-grid-busy">' in content  # 90 minutes, 15-minute rows
    assert "10:00\u201311:30" in content
    assert '<th scope="row" class="time-grid-time">10:00</th>' in content
    assert len(response.context["columns"]) == 1


def test_a_therapists_week_grid_has_a_column_a_day_linking_to_the_day(therapist_client, visits):
    mine, _ = visits
    response = therapist_client.get(WEEK_URL, {"week": _day(mine)})
    assert len(response.context["columns"]) == 7
    content = response.content.decode()
    assert "Jane Doe" in content and "Olga Other" not in content
    assert f'href="{DAY_URL}?day={_day(mine)}"' in content


def test_a_therapist_may_not_ask_for_a_colleagues_grid(therapist_client, colleague, visits):
    assert therapist_client.get(DAY_URL, {"therapist": colleague.pk}).status_code == 404
    assert therapist_client.get(WEEK_URL, {"therapist": colleague.pk}).status_code == 404


def test_the_manager_sees_a_column_and_a_colour_per_therapist(
    manager_client, therapist, colleague, visits
):
    mine, theirs = visits
    response = manager_client.get(DAY_URL, {"day": _day(mine)})
    names = [column["therapist"] for column in response.context["columns"]]
    assert therapist in names and colleague in names
    content = response.content.decode()
    for person, visit in ((therapist, mine), (colleague, theirs)):
        colour = staff_colour(person.pk)
        assert f'<span class="staff-swatch {colour}" aria-hidden="true"></span>' in content
        assert f"grid-visit {colour} booking-status-{visit.status}" in content
    # Status in words, not by colour or strike-through alone.
    assert ">Cancelled</span>" in content
    # Each name links to that therapist's week.
    assert f"{WEEK_URL}?week={_day(mine)}&amp;therapist={colleague.pk}" in content


def test_a_therapists_colour_is_the_same_on_every_page(manager_client, therapist, visits):
    mine, _ = visits
    colour = staff_colour(therapist.pk)
    for url, params in (
        (DAY_URL, {"day": _day(mine)}),
        (DAY_URL, {"day": _day(mine), "therapist": therapist.pk}),
        (WEEK_URL, {"week": _day(mine), "therapist": therapist.pk}),
    ):
        assert f"grid-visit {colour}" in manager_client.get(url, params).content.decode()


def test_the_managers_all_therapists_week_opens_the_day_grid(manager_client, visits):
    mine, _ = visits
    response = manager_client.get(WEEK_URL, {"week": _day(mine)})
    assert response.status_code == 302 and response.url.startswith(DAY_URL + "?day=")


def test_the_grid_shows_the_clients_safety_status(therapist_client, therapist):
    from tests.intake.factories import ScreeningFactory

    client = ClientFactory(therapist=therapist, first_name="Red", last_name="Flag")
    ScreeningFactory(client=client, saddle_anaesthesia=True)
    client.refresh_from_db()
    visit = AppointmentFactory(client=client, starts_at=clinic_time(1, 9))
    content = therapist_client.get(DAY_URL, {"day": _day(visit)}).content.decode()
    assert "safety-forbids" in content
    assert "Safety status: </span>" in content and client.get_safety_status_display() in content


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(DAY_URL).status_code == 302


@pytest.mark.parametrize(
    ("day", "clock"),
    [
        (date(2027, 3, 28), "00:30\u201303:00"),  # spring: the clock jumps an hour
        (date(2027, 10, 31), "00:30\u201301:00 (UTC+00:00)"),  # autumn: 01:00 comes twice
    ],
)
def test_a_visit_across_a_clock_change_is_as_tall_as_its_real_length(
    therapist_client, therapist, settings, day, clock
):
    settings.TIME_ZONE = "Europe/London"
    starts = clinic_datetime(day=day, at=time(0, 30), zone=timezone.get_default_timezone())
    visit = AppointmentFactory(client=ClientFactory(therapist=therapist), starts_at=starts)
    visit.times_set(starts_at=starts, minutes=90)
    visit.save()
    response = therapist_client.get(DAY_URL, {"day": day.isoformat()})
    content = response.content.decode()
    assert '<td rowspan="6" class="time-grid-busy">' in content  # 90 real minutes
    assert visit.clock_span == clock and clock in content
