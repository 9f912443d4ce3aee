"""The chart shows the latest five screenings and assessments; the history pages hold them all,
25 a page, newest first, at the same query cost however long the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditEvent
from intake.views import HISTORY_PER_PAGE, HISTORY_SHOWN
from tests.intake.factories import AssessmentFactory, ClientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

HISTORY_PAGES = ["intake:screening_list", "intake:assessment_list"]
TODAY = timezone.localdate()


def visits_add(client, weeks: int) -> None:
    """A re-screen and a re-test each week for `weeks` weeks, the newest today."""
    for week in range(weeks):
        day = TODAY - timedelta(weeks=week)
        ScreeningFactory(client=client, screened_on=day, notes=f"screen-week-{week}.")
        AssessmentFactory(client=client, assessed_on=day)


def _link(name: str, record) -> str:
    return f'href="{reverse(name, args=[record.pk])}"'


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist)


@pytest.mark.parametrize("name", HISTORY_PAGES)
@pytest.mark.parametrize(
    ("who", "status"), [("therapist", 200), ("manager", 200), ("colleague", 404)]
)
def test_who_may_read_the_history(request, record, name, who, status):
    browser = request.getfixturevalue(f"{who}_client")
    assert browser.get(reverse(name, args=[record.pk])).status_code == status


@pytest.mark.parametrize("name", HISTORY_PAGES)
def test_anonymous_users_go_to_the_login_page(client, record, name):
    response = client.get(reverse(name, args=[record.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", HISTORY_PAGES)
def test_the_history_is_refused_to_a_post(therapist_client, record, name):
    assert therapist_client.post(reverse(name, args=[record.pk])).status_code == 405


def test_the_chart_shows_the_latest_five_and_links_to_the_rest(therapist_client, record):
    visits_add(record, weeks=HISTORY_SHOWN + 1)
    page = therapist_client.get(record.get_absolute_url()).content.decode()
    shown = [w for w in range(HISTORY_SHOWN + 1) if f"screen-week-{w}." in page]
    assert shown == list(range(HISTORY_SHOWN))
    assert _link("intake:screening_list", record) in page
    assert _link("intake:assessment_list", record) in page


def test_the_chart_has_no_history_links_when_everything_is_on_it(therapist_client, record):
    visits_add(record, weeks=HISTORY_SHOWN)
    page = therapist_client.get(record.get_absolute_url()).content.decode()
    assert all(f"screen-week-{w}." in page for w in range(HISTORY_SHOWN))
    assert _link("intake:screening_list", record) not in page
    assert _link("intake:assessment_list", record) not in page


def test_the_screening_history_pages_newest_first_and_marks_the_governing_one(
    therapist_client, record
):
    visits_add(record, weeks=HISTORY_PER_PAGE + 2)
    url = reverse("intake:screening_list", args=[record.pk])
    first = therapist_client.get(url).content.decode()
    second = therapist_client.get(url + "?page=2").content.decode()
    assert "screen-week-0." in first and f"screen-week-{HISTORY_PER_PAGE - 1}." in first
    assert f"screen-week-{HISTORY_PER_PAGE}." not in first
    assert f"screen-week-{HISTORY_PER_PAGE + 1}." in second and "screen-week-0." not in second
    assert first.count(">latest<") == 1 and ">latest<" not in second
    assert "?page=2" in first and "?page=1" in second


@pytest.mark.parametrize("page", ["0", "99", "x"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(therapist_client, record, page):
    visits_add(record, weeks=2)
    url = reverse("intake:assessment_list", args=[record.pk])
    assert therapist_client.get(f"{url}?page={page}").status_code == 200


@pytest.mark.parametrize("name", HISTORY_PAGES)
def test_a_history_page_costs_the_same_queries_for_three_visits_and_for_sixty(
    therapist_client, therapist, name, django_assert_num_queries
):
    short, long = ClientFactory(therapist=therapist), ClientFactory(therapist=therapist)
    visits_add(short, weeks=3)
    visits_add(long, weeks=60)
    therapist_client.get(reverse(name, args=[short.pk]))  # the first request saves the session
    with CaptureQueriesContext(connection) as few:
        therapist_client.get(reverse(name, args=[short.pk]))
    with django_assert_num_queries(len(few.captured_queries)):
        therapist_client.get(reverse(name, args=[long.pk]) + "?page=2")


def test_reading_the_history_is_in_the_audit_trail(manager_client, manager, record):
    manager_client.get(reverse("intake:screening_list", args=[record.pk]))
    event = AuditEvent.objects.get(url_name="intake:screening_list")
    assert (event.user, event.client_id, event.action) == (
        manager,
        record.pk,
        AuditEvent.Action.VIEW,
    )
