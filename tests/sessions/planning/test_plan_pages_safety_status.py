"""The plan pages show the client's safety status now (clinical rules §2.1-2.3)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.factories import accepted_plan_create, library_into_database

pytestmark = pytest.mark.django_db

REFER_NOW = "Refer now: red flag"


@pytest.fixture
def library():
    library_into_database()


@pytest.fixture
def sarah_record(library, therapist):
    return sarah(therapist)


def _red_flag(client):
    ScreeningFactory(client=client, screened_on=timezone.localdate(), night_pain=True)


def _new(client):
    return reverse("sessions:plan_new", args=[client.pk])


def test_plan_new_shows_a_red_flag(therapist_client, sarah_record):
    _red_flag(sarah_record)
    html = therapist_client.get(_new(sarah_record)).content.decode()
    assert REFER_NOW in html and "safety-badge-refer_now" in html


def test_plan_new_of_a_treat_client_shows_no_red_flag(therapist_client, sarah_record):
    html = therapist_client.get(_new(sarah_record) + "?minutes=60&stage=1&course=acute")
    html = html.content.decode()
    assert REFER_NOW not in html and "safety-badge-treat" in html


@pytest.mark.parametrize("who", ["therapist_client", "manager_client"])
def test_plan_detail_shows_the_status_now(request, who, sarah_record):
    browser = request.getfixturevalue(who)
    session_plan = accepted_plan_create(client=sarah_record, therapist=sarah_record.therapist)
    url = session_plan.get_absolute_url()
    html = browser.get(url).content.decode()
    assert REFER_NOW not in html and "safety-badge-treat" in html
    _red_flag(sarah_record)
    html = browser.get(url).content.decode()
    assert REFER_NOW in html and "this plan is not to be run" in html


@pytest.mark.parametrize(("who", "status"), [("colleague_client", 404), ("manager_client", 403)])
def test_plan_new_permissions_are_unchanged(request, who, status, sarah_record):
    _red_flag(sarah_record)
    assert request.getfixturevalue(who).get(_new(sarah_record)).status_code == status


def test_a_colleague_still_gets_not_found_on_the_plan(colleague_client, sarah_record):
    session_plan = accepted_plan_create(client=sarah_record, therapist=sarah_record.therapist)
    _red_flag(sarah_record)
    assert colleague_client.get(session_plan.get_absolute_url()).status_code == 404
