"""The client chart offers "Plan a session" and lists the accepted plans."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions.chart_panels import PLANS_SHOWN
from tests.intake.factories import sarah
from tests.sessions.factories import library_into_database
from tests.sessions.planning.pages import review_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_record(therapist):
    library_into_database()
    return sarah(therapist)


def accept_a_plan(browser, client_record) -> None:
    page = browser.get(
        reverse("sessions:plan_new", args=[client_record.pk]) + "?minutes=60&stage=2&course=acute"
    )
    data = review_form(page.content.decode())
    browser.post(
        reverse("sessions:plan_review", args=[client_record.pk]), {**data, "action": "accept"}
    )


def test_the_chart_offers_to_plan_a_session(therapist_client, client_record):
    html = therapist_client.get(client_record.get_absolute_url()).content.decode()
    assert f'href="{reverse("sessions:plan_new", args=[client_record.pk])}"' in html
    assert "No accepted plan yet." in html


def test_the_chart_lists_accepted_plans_in_a_constant_number_of_queries(
    therapist_client, client_record, django_assert_num_queries
):
    accept_a_plan(therapist_client, client_record)
    chart = client_record.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        html = therapist_client.get(chart).content.decode()
    with_one = len(first.captured_queries)
    plan = client_record.session_plans.get()
    assert f'href="{plan.get_absolute_url()}"' in html
    for _ in range(PLANS_SHOWN + 1):
        accept_a_plan(therapist_client, client_record)
    with django_assert_num_queries(with_one):
        html = therapist_client.get(chart).content.decode()
    assert html.count("Week 2 · Decompression") == PLANS_SHOWN
    assert reverse("sessions:plan_list", args=[client_record.pk]) in html


def test_the_manager_sees_the_panel_and_a_colleague_sees_no_chart(
    manager_client, colleague, client_record
):
    assert "Session plans" in manager_client.get(client_record.get_absolute_url()).content.decode()
    stranger = Browser()
    stranger.force_login(colleague)
    assert stranger.get(client_record.get_absolute_url()).status_code == 404
