"""What the search box's text means (intake/search.py): pure functions."""

from __future__ import annotations

import pytest

from intake.search import (
    ClientQuery,
    NewClientNames,
    client_query_parse,
    edit_distance,
    new_client_names,
    new_client_query,
    typo_allowance,
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("Smith, Alex", ClientQuery(words=("Smith", "Alex"))),
        ("  alex   smith ", ClientQuery(words=("alex", "smith"))),
        ("O'Brien", ClientQuery(words=("O'Brien",))),
        ("Smith-Jones,", ClientQuery(words=("Smith-Jones",))),
        ("555 0142", ClientQuery(phone_digits="5550142")),
        ("(555) 014-2", ClientQuery(phone_digits="5550142")),
        ("+44 7700 900123", ClientQuery(phone_digits="447700900123")),
        ("Smith 0142", ClientQuery(words=("Smith",), phone_digits="0142")),
        ("12", ClientQuery(phone_digits="12")),
        ("", ClientQuery()),
        (" , ", ClientQuery()),
    ],
)
def test_the_search_text_is_split_into_name_words_and_phone_digits(text, parsed):
    assert client_query_parse(text) == parsed


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Smith, Alex", NewClientNames(first_name="Alex", last_name="Smith")),
        ("Alex Smith", NewClientNames(first_name="Alex", last_name="Smith")),
        ("Mary  Ann Smith", NewClientNames(first_name="Mary Ann", last_name="Smith")),
        ("Smiht", NewClientNames(last_name="Smiht")),
        ("(555) 014-2233", NewClientNames(phone="(555) 014-2233")),
        ("", NewClientNames()),
    ],
)
def test_a_failed_search_is_split_sensibly_into_the_new_clients_names(text, names):
    assert new_client_names(text) == names


def test_the_add_client_link_carries_the_names_encoded():
    assert new_client_query("Smith, Alex & Co") == "?first_name=Alex+%26+Co&last_name=Smith"
    assert new_client_query("") == ""


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("smiht", "Smith", 1),  # neighbours swapped
        ("smth", "smith", 1),  # a letter missing
        ("smitth", "smith", 1),  # a letter doubled
        ("smyth", "smith", 1),
        ("jonh", "John", 1),
        ("mitchel", "Mitchell", 1),
        ("becker", "baker", 2),
        ("", "abc", 3),
        ("abc", "abc", 0),
    ],
)
def test_edit_distance_counts_swaps_of_neighbours_as_one_edit(a, b, distance):
    assert edit_distance(a, b) == distance
    assert edit_distance(b, a) == distance


def test_short_words_get_no_typo_allowance_and_long_ones_two():
    assert [typo_allowance(w) for w in ("al", "ann", "smith", "mitchel")] == [0, 1, 1, 2]
