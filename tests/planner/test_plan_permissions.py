"""Who may see and make plans: the owning therapist and the manager; a colleague gets 404."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from sessions.plans import SessionPlan
from tests.planner.factories import library_into_database, sarah
from tests.planner.pages import review_form

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


@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_the_owner_and_the_manager_can_open_every_planning_page(request, who, client_record):
    browser = request.getfixturevalue(who)
    for url in _pages(client_record):
        assert browser.get(url).status_code == 200, url


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
    therapist_client, manager_client, colleague, client_record
):
    url = reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=60&stage=3&course=acute"
    page = therapist_client.get(url)
    data = review_form(page.content.decode())
    therapist_client.post(
        reverse("sessions:plan_review", args=[client_record.pk]), {**data, "action": "accept"}
    )
    session_plan = SessionPlan.objects.get()
    detail = session_plan.get_absolute_url()
    assert therapist_client.get(detail).status_code == 200
    assert manager_client.get(detail).status_code == 200
    stranger = Browser()
    stranger.force_login(colleague)
    assert stranger.get(detail).status_code == 404
    anonymous = Browser()
    assert anonymous.get(detail).status_code == 302
