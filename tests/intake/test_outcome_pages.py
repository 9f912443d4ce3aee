"""Recording the PSFS and an Oswestry score, and the chart's outcome panel (clinical rules §9.5):
the owner records, the manager reads (403 on the form), a colleague gets 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from intake.models import OutcomeMeasure
from intake.rules.outcomes import PSFS_ACTIVITY_WITHOUT_SCORE, PSFS_DUE_AT_INTAKE, PSFS_NO_ACTIVITY
from intake.services import psfs_record
from tests.intake.factories import ClientFactory
from tests.sessions.factories import SessionNoteFactory

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist)


def _token(browser, url) -> str:
    return browser.get(url).content.decode().split('name="form_token" value="')[1].split('"')[0]


def test_only_the_clients_therapist_records_outcomes(therapist, colleague, manager, record):
    for name in ("intake:psfs_create", "intake:oswestry_create"):
        url = reverse(name, args=[record.pk])
        assert browser_for(therapist).get(url).status_code == 200
        assert browser_for(manager).get(url).status_code == 403
        assert browser_for(colleague).get(url).status_code == 404
        assert Client().get(url).status_code == 302


def test_a_psfs_is_recorded_with_its_activities_and_their_mean(therapist, record):
    browser = browser_for(therapist)
    url = reverse("intake:psfs_create", args=[record.pk])
    data = {
        "form_token": _token(browser, url),
        "measured_on": "2026-03-02",
        "activity_1": "Sitting at work for an hour",
        "score_1": "3",
        "activity_2": "Putting on socks",
        "score_2": "4",
    }
    assert browser.post(url, data).status_code == 302
    assert browser.post(url, data).status_code == 302  # sent twice: one record
    measure = OutcomeMeasure.objects.get(client=record)
    assert (measure.kind, str(measure.score)) == ("psfs", "3.5")
    assert [(a.activity, a.score) for a in measure.activities.all()] == [
        ("Sitting at work for an hour", 3),
        ("Putting on socks", 4),
    ]


def test_the_next_psfs_asks_the_same_activities_again(therapist, record):
    psfs_record(
        client=record,
        measured_on=date(2026, 3, 2),
        activities=[("Walking 1 km", 2)],
        recorded_by=therapist,
    )
    page = browser_for(therapist).get(reverse("intake:psfs_create", args=[record.pk]))
    assert 'value="Walking 1 km"' in page.content.decode()


def test_psfs_mistakes_are_named_by_field(therapist, record):
    browser = browser_for(therapist)
    url = reverse("intake:psfs_create", args=[record.pk])
    response = browser.post(url, {"form_token": _token(browser, url), "measured_on": "2026-03-02"})
    assert response.context["form"].errors["activity_1"] == [PSFS_NO_ACTIVITY]
    response = browser.post(
        url,
        {
            "form_token": _token(browser, url),
            "measured_on": "2026-03-02",
            "activity_2": "Driving",
            "score_3": "11",
        },
    )
    errors = response.context["form"].errors
    assert errors["score_2"] == [PSFS_ACTIVITY_WITHOUT_SCORE.format(activity="Driving")]
    assert "score_3" in errors
    assert not OutcomeMeasure.objects.exists()


def test_an_oswestry_score_is_recorded_as_the_score_alone(therapist, record):
    browser = browser_for(therapist)
    url = reverse("intake:oswestry_create", args=[record.pk])
    page = browser.get(url).content.decode()
    assert "licensed" in page and "Question 1" not in page
    browser.post(
        url, {"form_token": _token(browser, url), "measured_on": "2026-03-02", "score": "42"}
    )
    measure = OutcomeMeasure.objects.get(client=record)
    assert (measure.kind, measure.score) == ("odi", 42)


def test_the_chart_says_when_the_psfs_is_due_and_marks_an_important_change(
    therapist, manager, record
):
    page = browser_for(therapist).get(record.get_absolute_url()).content.decode()
    assert PSFS_DUE_AT_INTAKE in page

    psfs_record(
        client=record,
        measured_on=date(2026, 3, 2),
        activities=[("Sitting", 3)],
        recorded_by=therapist,
    )
    for day in (9, 16, 23, 30):
        SessionNoteFactory(client=record, visit_date=date(2026, 3, day))
    psfs_record(
        client=record,
        measured_on=date(2026, 3, 30),
        activities=[("Sitting", 6)],
        recorded_by=therapist,
    )

    page = browser_for(manager).get(record.get_absolute_url()).content.decode()
    assert "Patient-Specific Functional Scale: 3.0 on 2 Mar 2026 → 6.0 on 30 Mar 2026" in page
    assert "Clinically important improvement" in page
    assert "Clinically important PSFS change (2 points)" in page
    assert "Record a PSFS" not in page  # the manager reads; the therapist records
