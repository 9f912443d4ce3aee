"""The safety badge (intake/_safety_badge.html): the status's label and a symbol, coloured by a
class of its own, read from the client with no query."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from intake.models import Client
from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus
from intake.templatetags.safety import SAFETY_ICON, SAFETY_MEANING, safety_forbids, safety_meaning


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(SafetyStatus))
def test_the_badge_says_the_status_in_words(status, django_assert_num_queries):
    client = Client(safety_status=status)
    with django_assert_num_queries(0):
        html = render_to_string("intake/_safety_badge.html", {"client": client})
    assert status.label in html
    assert f"safety-badge-{status.value}" in html
    assert '<span class="visually-hidden">Safety status: </span>' in html
    assert SAFETY_ICON[status] in html


def test_a_labelled_badge_has_no_hidden_prefix():
    html = render_to_string(
        "intake/_safety_badge.html",
        {"client": Client(safety_status=SafetyStatus.TREAT), "labelled": True},
    )
    assert "visually-hidden" not in html


@pytest.mark.parametrize("status", list(SafetyStatus))
def test_every_status_has_a_meaning_and_forbids_as_the_rule_says(status):
    client = Client(safety_status=status)
    assert safety_meaning(client) == SAFETY_MEANING[status]
    assert safety_forbids(client) == (status in STATUSES_FORBIDDING_TREATMENT)


def test_the_statuses_forbidding_treatment_each_have_a_symbol_of_their_own():
    symbols = [SAFETY_ICON[status] for status in STATUSES_FORBIDDING_TREATMENT]
    assert len(set(symbols)) == len(symbols)
