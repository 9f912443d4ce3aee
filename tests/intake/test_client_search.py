"""Client search as the desk uses it (issue 17): names in any order, "Last, First", phone
digits, small typos, and "Add this client" when nothing matches. Runs on SQLite and on
PostgreSQL (pg_trgm); the exact cases behave the same on both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db
URL = reverse("intake:client_list")
BOOK_URL = reverse("sessions:appointment_book")


@pytest.fixture
def clients(therapist, colleague):
    ClientFactory(therapist=therapist, first_name="Alex", last_name="Smith", phone="(555) 014-2233")
    ClientFactory(therapist=therapist, first_name="Alexandra", last_name="Jones", phone="555 0199")
    ClientFactory(therapist=therapist, first_name="Sam", last_name="Alexander", phone="")
    ClientFactory(
        therapist=therapist, first_name="Tom", last_name="Becker", phone="+1 555-777-0142"
    )
    # A colleague's client: never found by the therapist, whatever the search.
    ClientFactory(therapist=colleague, first_name="Alex", last_name="Smyth", phone="555-014-9999")


def found(response) -> list[str]:
    return [c.full_name for c in response.context["rows"]]


def close(response) -> list[str]:
    return [c.full_name for c in response.context["close"]]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Smith, Alex", ["Alex Smith"]),  # the list's own format
        ("smith,alex", ["Alex Smith"]),
        ("alex smith", ["Alex Smith"]),
        ("Smith Alex", ["Alex Smith"]),
        ("alex", ["Sam Alexander", "Alexandra Jones", "Alex Smith"]),
        ("555 0142", ["Alex Smith"]),  # "(555) 014-2233": separators ignored
        ("(555) 014", ["Alex Smith"]),
        ("5550142", ["Alex Smith"]),
        ("0142", ["Tom Becker", "Alex Smith"]),
        ("555", ["Tom Becker", "Alexandra Jones", "Alex Smith"]),
        ("Smith 0142", ["Alex Smith"]),
    ],
)
def test_the_therapist_finds_clients_by_name_in_any_order_or_phone(
    therapist_client, clients, query, names
):
    response = therapist_client.get(URL, {"q": query})
    assert found(response) == names
    assert close(response) == []


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("Smiht", ["Alex Smith"]),
        ("smiht alex", ["Alex Smith"]),
        ("Smith, Alx", ["Alex Smith"]),
        ("Becekr", ["Tom Becker"]),
    ],
)
def test_a_small_typo_finds_nothing_exact_but_shows_the_close_matches(
    therapist_client, clients, query, names
):
    response = therapist_client.get(URL, {"q": query})
    assert found(response) == []
    assert close(response) == names
    content = response.content.decode()
    assert "Close matches" in content
    assert "check the spelling" in content


def test_close_matches_never_show_a_colleagues_client(colleague_client, clients, colleague):
    response = colleague_client.get(URL, {"q": "Smyht"})
    assert close(response) == ["Alex Smyth"]  # the colleague's own client only
    response = colleague_client.get(URL, {"q": "555 0142"})
    assert found(response) == []


def test_a_therapist_never_finds_a_colleagues_client_by_name_or_phone(therapist_client, clients):
    for query in ("Smyth", "555-014-9999", "Smyth, Alex"):
        response = therapist_client.get(URL, {"q": query})
        assert "Smyth" not in found(response)
        assert "Alex Smyth" not in close(response)


def test_the_manager_finds_every_therapists_clients_and_can_narrow_to_one(
    manager_client, clients, colleague
):
    assert found(manager_client.get(URL, {"q": "alex smith"})) == ["Alex Smith"]
    assert found(manager_client.get(URL, {"q": "Smyth, Alex"})) == ["Alex Smyth"]
    narrowed = manager_client.get(URL, {"q": "Smyht", "therapist": colleague.pk})
    assert found(narrowed) == []
    assert close(narrowed) == ["Alex Smyth"]


def test_a_failed_search_offers_to_add_the_client_with_the_typed_name(therapist_client, clients):
    response = therapist_client.get(URL, {"q": "Doe, Jane"})
    assert found(response) == [] and close(response) == []
    content = response.content.decode()
    assert "No client matches “Doe, Jane”" in content
    link = reverse("intake:client_create") + "?first_name=Jane&amp;last_name=Doe"
    assert f'href="{link}"' in content


def test_the_add_client_form_is_prefilled_from_the_search(therapist_client):
    response = therapist_client.get(
        reverse("intake:client_create"), {"first_name": "Jane", "last_name": "Doe"}
    )
    form = response.context["form"]
    assert form["first_name"].value() == "Jane"
    assert form["last_name"].value() == "Doe"
    content = response.content.decode()
    assert 'value="Jane"' in content and 'value="Doe"' in content


def test_a_failed_phone_search_prefills_the_phone(therapist_client):
    response = therapist_client.get(URL, {"q": "555 9876"})
    link = reverse("intake:client_create") + "?phone=555+9876"
    assert f'href="{link}"' in response.content.decode()


def test_the_booking_search_finds_last_first_and_phone_and_offers_to_add(therapist_client, clients):
    def listed(query):
        return [
            c.full_name for c in therapist_client.get(BOOK_URL, {"q": query}).context["clients"]
        ]

    assert listed("Smith, Alex") == ["Alex Smith"]
    assert listed("555 0142") == ["Alex Smith"]
    response = therapist_client.get(BOOK_URL, {"q": "Smiht"})
    assert [c.full_name for c in response.context["clients"]] == ["Alex Smith"]
    assert response.context["close"] is True
    assert "Close matches below" in response.content.decode()
    response = therapist_client.get(BOOK_URL, {"q": "Doe, Jane"})
    assert response.context["clients"] == []
    assert "?first_name=Jane&amp;last_name=Doe" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "extra"),
    [
        ("Smith, Alex", 0),  # found: count, page, the page's latest screenings
        ("555 0142", 0),
        # Nothing exact: count, the candidate first and last names, the close matches and
        # their screenings.
        ("Smiht", 3),
    ],
)
def test_search_query_counts_are_fixed(
    client, therapist, clients, query, extra, django_assert_max_num_queries
):
    client.force_login(therapist)
    client.get(URL)
    with django_assert_max_num_queries(6 + extra):
        client.get(URL, {"q": query})
    ClientFactory.create_batch(10, therapist=therapist, last_name="Smith", first_name="Alex")
    with django_assert_max_num_queries(6 + extra):
        client.get(URL, {"q": query})
