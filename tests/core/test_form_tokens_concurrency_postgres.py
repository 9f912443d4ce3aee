"""Five accepts of the same page at once save one plan: the unique token makes the other
four wait for the first and then lead to its plan. Needs real concurrent connections:
PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client as Browser
from django.urls import reverse

from core.form_tokens import FORM_TOKEN_FIELD
from core.models import FormSubmission
from sessions.models import SessionPlan
from sessions.planning.services import plan_course_visits
from tests.intake.factories import sarah
from tests.sessions.factories import library_into_database
from tests.sessions.planning.pages import review_form

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]

SENDERS = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_five_simultaneous_accepts_with_one_token_save_one_plan(therapist):
    library_into_database()
    client = sarah(therapist)
    page = Browser()
    page.force_login(therapist)
    shown = page.get(
        reverse("sessions:plan_new", args=[client.pk]) + "?minutes=60&stage=3&course=acute"
    )
    data = {**review_form(shown.content.decode()), "action": "accept"}
    assert data[FORM_TOKEN_FIELD]
    review = reverse("sessions:plan_review", args=[client.pk])

    barrier = threading.Barrier(SENDERS)
    results: dict[int, object] = {}

    def send(index):
        try:
            browser = Browser()
            browser.force_login(therapist)
            barrier.wait(timeout=10)
            results[index] = browser.post(review, data)
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    plan = SessionPlan.objects.get(client=client)
    assert all(getattr(r, "status_code", None) == 302 for r in results.values()), results
    assert {r.url for r in results.values()} == {plan.get_absolute_url()}
    assert FormSubmission.objects.count() == 1
    assert plan_course_visits(client=client) == 1
