"""The client list: own clients for a therapist, everyone's for the manager, search, pages,
and a query count that does not grow with the rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.intake.factories import ClientFactory, ScreeningFactory

pytestmark = pytest.mark.django_db
URL = reverse("intake:client_list")


def names(response) -> list[str]:
    return [c.full_name for c in response.context["rows"]]


def test_a_therapist_sees_only_their_own_clients(therapist_client, therapist, colleague):
    ClientFactory(therapist=therapist, first_name="Ann", last_name="Own")
    ClientFactory(therapist=colleague, first_name="Bea", last_name="Other")
    assert names(therapist_client.get(URL)) == ["Ann Own"]


def test_the_manager_sees_everyone_and_can_filter_by_therapist(
    manager_client, therapist, colleague
):
    ClientFactory(therapist=therapist, first_name="Ann", last_name="Own")
    ClientFactory(therapist=colleague, first_name="Bea", last_name="Other")
    assert names(manager_client.get(URL)) == ["Bea Other", "Ann Own"]
    response = manager_client.get(URL, {"therapist": colleague.pk})
    assert names(response) == ["Bea Other"]
    assert b"Alice" in response.content  # the therapist filter lists the therapists


def test_a_therapist_has_no_therapist_filter(therapist_client, therapist, colleague):
    ClientFactory(therapist=colleague, first_name="Bea", last_name="Other")
    response = therapist_client.get(URL, {"therapist": colleague.pk})
    assert "therapist" not in response.context["search"].fields
    assert names(response) == []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("mitch", ["Sarah Mitchell"]),
        ("SARAH", ["Sarah Mitchell", "Sarah Young"]),
        ("sarah you", ["Sarah Young"]),
        ("nobody", []),
    ],
)
def test_search_by_first_or_last_name_in_any_case(therapist_client, therapist, query, found):
    ClientFactory(therapist=therapist, first_name="Sarah", last_name="Mitchell")
    ClientFactory(therapist=therapist, first_name="Sarah", last_name="Young")
    ClientFactory(therapist=therapist, first_name="Tom", last_name="Becker")
    assert names(therapist_client.get(URL, {"q": query})) == found


def test_the_list_shows_each_clients_safety_status(therapist_client, therapist):
    red = ClientFactory(therapist=therapist, last_name="Red")
    ScreeningFactory(client=red, screened_on=date(2026, 2, 1), saddle_anaesthesia=True)
    # A later clean screening does not lower the red flag (clinical rules §2.1): the list
    # shows the status that holds, not the latest screening's triage.
    ScreeningFactory(client=red, screened_on=date(2026, 2, 8))
    ClientFactory(therapist=therapist, last_name="Unscreened")
    content = therapist_client.get(URL).content.decode()
    assert "Emergency: suspected cauda equina" in content
    assert "Not screened yet" in content


def test_the_list_is_paginated_and_keeps_the_search_on_the_next_page(therapist_client, therapist):
    ClientFactory.create_batch(30, therapist=therapist, first_name="Pat")
    first = therapist_client.get(URL, {"q": "pat"})
    assert len(first.context["rows"]) == 25
    assert "q=pat&amp;page=2" in first.content.decode()
    second = therapist_client.get(URL, {"q": "pat", "page": 2})
    assert len(second.context["rows"]) == 5


@pytest.mark.parametrize("page", ["abc", "999"])
def test_a_bad_page_number_shows_a_page_not_an_error(therapist_client, therapist, page):
    ClientFactory(therapist=therapist)
    assert therapist_client.get(URL, {"page": page}).status_code == 200


@pytest.mark.parametrize("who", ["therapist", "manager"])
def test_the_query_count_does_not_grow_with_the_rows(
    client, therapist, manager, who, django_assert_num_queries
):
    user = therapist if who == "therapist" else manager
    client.force_login(user)
    for c in ClientFactory.create_batch(2, therapist=therapist):
        ScreeningFactory(client=c, osteoporosis=True)
    client.get(URL)  # the first request after login saves the session; later ones do not
    # session, user, manager check, count, page (the safety status is stored on the client);
    # the manager's therapist filter adds two.
    expected = 7 if who == "manager" else 5
    with django_assert_num_queries(expected):
        client.get(URL)
    for c in ClientFactory.create_batch(20, therapist=therapist):
        ScreeningFactory(client=c, night_pain=True)
    with django_assert_num_queries(expected):
        response = client.get(URL)
    assert len(response.context["rows"]) == 22
