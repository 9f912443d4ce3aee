"""A create form sent twice at the same moment through the real pages makes one record: a
double click on "Accept this plan", and the same booking form sent again (issue 15,
failure 2: five accepts at once saved five plans). Each form page is read once (its CSRF
token and its single-use form token), then the same fields leave together on two
connections of the same session to a live server on PostgreSQL, for a few rounds.

Both answers lead to the one record (the later one with "Already saved"), never a 5xx; a
back-and-resubmit afterwards leads there too.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core.form_tokens import FORM_TOKEN_FIELD
from core.models import FormSubmission
from sessions.models import Appointment, SessionPlan
from sessions.planning.services import plan_course_visits
from tests.core.live_http import (
    Response,
    alerts,
    form_of,
    redirected,
    together,
)
from tests.intake.factories import ClientFactory, ScreeningFactory, sarah
from tests.sessions.factories import clinic_time, library_into_database

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the SQLite test database is in memory, shared by the live server's threads: "
        "nothing would overlap",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 3
PAIRS_PER_ROUND = 3
ALREADY_SAVED = re.compile(r"^Already saved: ")


def _one_record(answers, path: str) -> tuple[Response, Response]:
    """Both sends answered with a redirect to the same record; at most one says Already saved
    on the page it leads to (the message is shown there, not in the redirect)."""
    first, second = answers
    assert isinstance(first, Response) and isinstance(second, Response), answers
    assert redirected(first) and redirected(second), (first.status, second.status, path)
    assert first.location == second.location, (first.location, second.location)
    return first, second


def test_accept_this_plan_clicked_twice_at_once_saves_one_plan(live_app, therapist):
    library_into_database()
    clients = [sarah(therapist) for _ in range(PAIRS_PER_ROUND)]
    plans_made = 0
    for _round in range(ROUNDS):
        sends, forms = [], []
        for client in clients:
            first = live_app.signed_in(therapist)
            review = reverse("sessions:plan_review", args=[client.pk])
            page = (
                reverse("sessions:plan_new", args=[client.pk]) + "?minutes=60&stage=3&course=acute"
            )
            data = {**form_of(first, page, action=review), "action": "accept"}
            second = live_app.same_session(first)  # the cookies the page set, too
            assert data[FORM_TOKEN_FIELD]
            forms.append((client, first, review, data))
            sends += [
                lambda b=first, p=review, d=data: b.post(p, d),
                lambda b=second, p=review, d=data: b.post(p, d),
            ]
        answers = together(*sends)
        for index, (client, browser, review, data) in enumerate(forms):
            first, _second = _one_record(answers[2 * index : 2 * index + 2], review)
            plans_made += 1
            plan = SessionPlan.objects.filter(client=client).order_by("-pk").first()
            assert first.location.endswith(plan.get_absolute_url())
            # Back and send it again, later: the same plan, with the message saying so.
            again = browser.post(review, data)
            assert redirected(again) and again.location == first.location
            shown = browser.get(again.location)
            assert any(ALREADY_SAVED.match(text) for text in alerts(shown)), alerts(shown)
    for client in clients:
        assert SessionPlan.objects.filter(client=client).count() == ROUNDS
        assert plan_course_visits(client=client) == ROUNDS
    assert SessionPlan.objects.count() == plans_made
    assert FormSubmission.objects.count() == plans_made


def test_the_same_booking_form_sent_twice_at_once_books_one_visit(live_app, therapist):
    clients = [ClientFactory(therapist=therapist) for _ in range(PAIRS_PER_ROUND)]
    for client in clients:
        ScreeningFactory(client=client)
    booked = []
    for round_ in range(ROUNDS):
        sends, forms = [], []
        for n, client in enumerate(clients):
            first = live_app.signed_in(therapist)
            local = timezone.localtime(clinic_time(2 + round_, 9 + n))
            day, at = local.date().isoformat(), f"{local:%H:%M}"
            page = reverse("sessions:appointment_book") + f"?client={client.pk}&day={day}&at={at}"
            data = form_of(first, page, action=page, day=day, at=at, minutes="45")
            second = live_app.same_session(first)
            assert data[FORM_TOKEN_FIELD]
            forms.append((client, local))
            sends += [
                lambda b=first, p=page, d=data: b.post(p, d),
                lambda b=second, p=page, d=data: b.post(p, d),
            ]
        answers = together(*sends)
        for index, (client, local) in enumerate(forms):
            first, _second = _one_record(answers[2 * index : 2 * index + 2], "booking")
            visit = Appointment.objects.get(client=client, starts_at=local)
            assert first.location.endswith(visit.get_absolute_url())
            booked.append(visit.pk)
    assert Appointment.objects.count() == len(booked) == ROUNDS * PAIRS_PER_ROUND
