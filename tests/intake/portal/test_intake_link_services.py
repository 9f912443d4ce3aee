"""The intake link's services, without a browser."""

from __future__ import annotations

import pytest

from intake.portal import services
from intake.rules import RED_FLAG_QUESTIONS
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def answers(**red_flags) -> dict:
    return {
        "contact": {"phone": "", "email": "", "address": ""},
        "pain_location": "",
        "onset_date": "2026-01-10",
        "pain_now": 5,
        "pain_worst": 7,
        "pain_best": 2,
        "pregnant": "no",
        "red_flags": {q.name: red_flags.get(q.name, False) for q in RED_FLAG_QUESTIONS},
        "psfs": [],
        "pain_map": [],
        "consent": {"agreed": True, "signature": "A B", "signed_on": "2026-01-10"},
    }


def test_revoking_twice_is_refused_with_the_reason(therapist):
    link, _ = services.intake_link_issue(
        client=ClientFactory(therapist=therapist), issued_by=therapist
    )
    services.intake_link_revoke(link=link, revoked_by=therapist)
    with pytest.raises(ValueError, match=services.LINK_ALREADY_REVOKED):
        services.intake_link_revoke(link=link, revoked_by=therapist)


def test_a_used_link_cannot_be_revoked(therapist):
    link, token = services.intake_link_issue(
        client=ClientFactory(therapist=therapist), issued_by=therapist
    )
    services.intake_submission_create(token=token, answers=answers())
    with pytest.raises(ValueError):
        services.intake_link_revoke(link=link, revoked_by=therapist)


def test_a_token_opens_only_its_own_link(therapist):
    first, first_token = services.intake_link_issue(
        client=ClientFactory(therapist=therapist), issued_by=therapist
    )
    second, second_token = services.intake_link_issue(
        client=ClientFactory(therapist=therapist), issued_by=therapist
    )
    assert services.intake_link_open(token=first_token) == first
    assert services.intake_link_open(token=second_token) == second
    # The first link's id with the second's secret, re-signed or not: refused.
    _, secret = second_token.split(".", 1)
    with pytest.raises(services.LinkRefused):
        services.intake_link_open(token=f"{first.pk}.{secret}")
