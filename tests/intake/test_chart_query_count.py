"""The client chart costs the same queries for a first visit as for years of visits.

bench/ measures the chart of a client with 200 visits against 500,000 appointments; this
test keeps its query count flat whatever the history.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.vocabulary import Stage
from tests.intake.factories import AssessmentFactory, ScreeningFactory, sarah
from tests.sessions.factories import (
    AppointmentFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
    signed_note_create,
)

pytestmark = pytest.mark.django_db


def history_add(client, *, visits: int, hour: int) -> None:
    """`visits` past visits, each with a signed note, a re-screen, a re-test and a plan,
    and as many appointments still to come; at `hour`, so two clients never overlap."""
    today = timezone.localdate()
    for n in range(1, visits + 1):
        day = today - timedelta(days=7 * n)
        ScreeningFactory(client=client, screened_on=day)
        AssessmentFactory(client=client, assessed_on=day)
        signed_note_create(client=client, visit_date=day)
        AppointmentFactory(client=client, starts_at=clinic_time(-7 * n, hour))
        upcoming = AppointmentFactory(client=client, starts_at=clinic_time(7 * n, hour))
        accepted_plan_create(
            appointment=upcoming, minutes=60, stage=Stage.MOBILITY, first_visit=False, acute=True
        )


def chart_queries(browser, client) -> int:
    browser.get(client.get_absolute_url())  # the first request of a session differs
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(client.get_absolute_url())
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["therapist", "manager"])
def test_the_chart_costs_the_same_queries_for_one_visit_and_for_twenty(request, therapist, who):
    library_into_database()
    new_client, long_client = sarah(therapist), sarah(therapist)
    history_add(new_client, visits=1, hour=9)
    history_add(long_client, visits=20, hour=11)
    browser = request.getfixturevalue(f"{who}_client")
    assert chart_queries(browser, long_client) == chart_queries(browser, new_client)
