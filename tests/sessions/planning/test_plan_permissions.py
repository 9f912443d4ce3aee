"""Who may see and make plans: the owning therapist plans; the manager reads accepted plans
and gets 403 on the planning pages; a colleague gets 404."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from sessions.models.plan import SessionPlan
from tests.intake.factories import sarah
from tests.sessions.factories import library_into_database
from tests.sessions.planning.pages import review_form

pytestmark = pytest.mark.django_db

PROPOSAL = {"minutes": 60, "stage": 3, "course": "acute", "first_visit": "on"}


@pytest.fixture
def client_record(therapist):
    library_into_database()
    return sarah(therapist)


def _pages(client_record):
    return [
        reverse("sessions:plan_list", args=[client_record.pk]),
        reverse("sessions:plan_new", args=[client_record.pk]),
        reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=60&stage=3&course=acute",
    ]


def test_the_owner_can_open_every_planning_page(therapist_client, client_record):
    for url in _pages(client_record):
        assert therapist_client.get(url).status_code == 200, url


def test_the_manager_reads_the_plans_but_cannot_open_the_planner(manager_client, client_record):
    plan_list, *planner = _pages(client_record)
    assert manager_client.get(plan_list).status_code == 200
    for url in planner:
        assert manager_client.get(url).status_code == 403, url


def test_a_colleague_gets_not_found_on_every_planning_page(colleague_client, client_record):
    for url in _pages(client_record):
        assert colleague_client.get(url).status_code == 404, url
    review = reverse("sessions:plan_review", args=[client_record.pk])
    assert colleague_client.post(review, {**PROPOSAL, "action": "accept"}).status_code == 404
    assert not SessionPlan.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, client_record):
    for url in _pages(client_record):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    review = reverse("sessions:plan_review", args=[client_record.pk])
    assert client.post(review, PROPOSAL).status_code == 302


def test_an_accepted_plan_is_visible_to_owner_and_manager_only(
    therapist, manager, colleague, client_record
):
    owner = Browser()
    owner.force_login(therapist)
    url = reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=60&stage=3&course=acute"
    data = review_form(owner.get(url).content.decode())
    owner.post(
        reverse("sessions:plan_review", args=[client_record.pk]), {**data, "action": "accept"}
    )
    session_plan = SessionPlan.objects.get()
    assert session_plan.therapist == therapist
    detail = session_plan.get_absolute_url()
    expected = {therapist: 200, manager: 200, colleague: 404}
    for user, status in expected.items():
        browser = Browser()
        browser.force_login(user)
        assert browser.get(detail).status_code == status, user
    assert Browser().get(detail).status_code == 302


def test_the_manager_cannot_accept_a_plan_the_therapist_was_shown(
    therapist_client, manager_client, client_record
):
    url = reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=45&stage=2&course=acute"
    data = review_form(therapist_client.get(url).content.decode())
    response = manager_client.post(
        reverse("sessions:plan_review", args=[client_record.pk]), {**data, "action": "accept"}
    )
    assert response.status_code == 403
    assert not SessionPlan.objects.exists()
