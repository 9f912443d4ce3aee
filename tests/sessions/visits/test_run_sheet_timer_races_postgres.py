"""Two devices press the run sheet's buttons at the same moment, on real concurrent
PostgreSQL connections: one timer row per plan, both presses answered, and the timer holds
what both asked for (repeated, since a race shows only some of the time)."""

from __future__ import annotations

import pytest
from django.db import connection

from core.vocabulary import Stage
from sessions.models import Appointment, RunSheetClock, SessionPlan
from sessions.visits.run_sheet_clock import ClockAction
from sessions.visits.run_sheet_services import run_sheet_clock_act
from tests.intake.factories import sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
)
from tests.sessions.visits.test_visit_races_postgres import _race

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

TRIES = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_devices_starting_and_moving_on_at_once_make_one_consistent_timer(therapist):
    library_into_database()
    client = sarah(therapist)
    for attempt in range(TRIES):
        appointment = AppointmentFactory(
            client=client,
            starts_at=clinic_time(0, attempt, 0),
            minutes=30,
            status=Appointment.Status.CHECKED_IN,
        )
        plan = accepted_plan_create(
            appointment=appointment, stage=Stage.MOBILITY, first_visit=False, acute=True
        )
        results = _race(
            start=lambda p=plan: run_sheet_clock_act(
                session_plan=SessionPlan.objects.get(pk=p.pk),
                action=ClockAction.START,
                by=therapist,
            ),
            again=lambda p=plan: run_sheet_clock_act(
                session_plan=SessionPlan.objects.get(pk=p.pk),
                action=ClockAction.START,
                by=therapist,
            ),
            go=lambda p=plan: run_sheet_clock_act(
                session_plan=SessionPlan.objects.get(pk=p.pk),
                action=ClockAction.GO,
                item=2,
                by=therapist,
            ),
        )
        assert not [r for r in results.values() if isinstance(r, Exception)], results
        clock = RunSheetClock.objects.get(session_plan=plan)
        assert clock.started_at is not None and clock.paused_at is None
        assert clock.item == 2
