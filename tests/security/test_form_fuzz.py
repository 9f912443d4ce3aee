"""Fuzz every POST form of the app with values a user can type or a tampered page can send
(NUL and other control characters, any unicode, huge strings, negative and huge numbers,
far dates, a field sent as a list, a malformed formset count): never a server error, and a
form error writes nothing.

Bounded: a few generated posts per form, each undone afterwards (world.post_isolated), so
the whole walk takes well under a minute on either database. Random examples seldom land on
an edge: test_form_edge_values.py sends every edge to every field, deterministically.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.html_forms import HtmlForm, forms_on_pages, view_name
from tests.security.world import (
    browser_for,
    changes_describe,
    corner_pages,
    post_isolated,
    world_build,
)

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 6

# Forms not fuzzed: signing out ends the browser's session for the rest of the walk.
SKIPPED_VIEWS = {"logout"}

HOSTILE_VALUES = st.one_of(
    st.text(max_size=40),  # any unicode, NUL and other control characters included
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "x" * 100_000,
            "-1",
            "-99999999999999999999",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "²",
            "١٢",
            "9999-12-31",
            "9999-12-31T23:59",
            "0001-01-01",
            "0001-01-01T00:00",
            "2147483648",
            "9223372036854775808",
            "1899-12-31",
            "2999-01-01",
            "31/02/2026",
            "25:61",
            "[]",
            "{}",
            " ",
        ]
    ),
    st.dates().map(lambda day: day.isoformat()),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)


def _fuzz_form(browser, form: HtmlForm) -> None:
    base = form.data()
    names = sorted(name for name in base if name != "csrfmiddlewaretoken")
    if not names:
        return

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.dictionaries(
            st.sampled_from(names),
            st.one_of(HOSTILE_VALUES.map(lambda v: [v]), st.lists(HOSTILE_VALUES, max_size=3)),
            min_size=1,
            max_size=4,
        )
    )
    def post_one(changed):
        data = {**base, **changed}
        response, changes = post_isolated(browser, form.action, data)
        assert response.status_code < 500, (form.action, changed)
        if response.status_code == 200:
            # The form came back with its errors: nothing may have been written.
            assert changes == [], (form.action, changed, changes_describe(changes))

    post_one()


def test_no_generated_input_gives_a_server_error_or_a_partial_write():
    world = world_build()
    own = browser_for(world.own.therapist)
    forms = forms_on_pages(own, corner_pages(world.own), skip_views=SKIPPED_VIEWS)
    manager = browser_for(world.manager)
    manager_forms = forms_on_pages(manager, corner_pages(world.own), skip_views=SKIPPED_VIEWS)
    views = {view_name(action) for action in forms} | {
        view_name(action) for action in manager_forms
    }
    # The walk reached the forms that write (not a vacuous pass).
    assert {
        "intake:client_create",
        "intake:client_edit",
        "sessions:note_edit",
        "sessions:note_amend",
        "sessions:appointment_book",
        "protocols:library_import",
    } <= views, sorted(views)
    for form in forms.values():
        _fuzz_form(own, form)
    for action, form in manager_forms.items():
        if action not in forms:
            _fuzz_form(manager, form)
