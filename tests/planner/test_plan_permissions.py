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


def test_the_manager_may_plan_and_accept_for_any_client(manager, client_record):
    browser = Browser()
    browser.force_login(manager)
    url = reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=45&stage=2&course=acute"
    data = review_form(browser.get(url).content.decode())
    browser.post(
        reverse("sessions:plan_review", args=[client_record.pk]), {**data, "action": "accept"}
    )
    assert SessionPlan.objects.get().therapist == manager
