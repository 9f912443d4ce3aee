"""Claims of form tokens are purged after a day with no scheduler needed: one claim in
FORM_SUBMISSIONS_PURGE_EVERY purges the expired ones after its commit, and the command does
the same for a clinic that schedules it. Purging never lets a form through twice: a claim is
purged only once its token is refused as expired."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from core import form_tokens
from core.form_tokens import FORM_TOKEN_FIELD, FORM_TOKEN_MAX_AGE, FORM_TOKEN_REFUSED
from core.models import FormSubmission
from intake.models import Assessment
from tests.core.form_tokens import form_token_for
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _claim(user, token: str, age: timedelta) -> FormSubmission:
    return FormSubmission.objects.create(
        token=token, user=user, purpose="p", created_at=timezone.now() - age
    )


def _assessment_form(therapist):
    client = ClientFactory(therapist=therapist)
    url = reverse("intake:assessment_create", args=[client.pk])
    data = {
        "assessed_on": timezone.localdate().isoformat(),
        "slr_side": "right",
        "slr_pain": "none",
        FORM_TOKEN_FIELD: form_token_for(therapist, url),
    }
    return client, url, data


@pytest.fixture
def every_claim_purges(monkeypatch):
    monkeypatch.setattr(form_tokens, "form_submissions_purge_due", lambda: True)


@pytest.fixture
def no_claim_purges(monkeypatch):
    monkeypatch.setattr(form_tokens, "form_submissions_purge_due", lambda: False)


def test_the_command_deletes_claims_older_than_a_day_and_says_how_many(therapist):
    old = _claim(therapist, "old", FORM_TOKEN_MAX_AGE + timedelta(minutes=1))
    recent = _claim(therapist, "recent", FORM_TOKEN_MAX_AGE - timedelta(minutes=1))
    out = io.StringIO()
    call_command("form_submissions_purge", stdout=out)
    assert out.getvalue().strip() == "1 form submission(s) deleted."
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=recent.pk).exists()


def test_a_claim_now_and_then_purges_the_expired_ones_after_its_commit(
    therapist, therapist_client, every_claim_purges, django_capture_on_commit_callbacks
):
    old = _claim(therapist, "old", FORM_TOKEN_MAX_AGE + timedelta(minutes=1))
    recent = _claim(therapist, "recent", timedelta(hours=1))
    client, url, data = _assessment_form(therapist)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = therapist_client.post(url, data)
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert FormSubmission.objects.filter(pk=recent.pk).exists()
    assert FormSubmission.objects.count() == 2  # the recent one and this form's own claim


def test_most_claims_leave_the_purge_to_a_later_one(
    therapist, therapist_client, no_claim_purges, django_capture_on_commit_callbacks
):
    old = _claim(therapist, "old", FORM_TOKEN_MAX_AGE + timedelta(minutes=1))
    _client, url, data = _assessment_form(therapist)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert therapist_client.post(url, data).status_code == 302
    assert callbacks == []
    assert FormSubmission.objects.filter(pk=old.pk).exists()


def test_a_failing_purge_does_not_turn_the_saved_form_into_an_error(
    therapist, therapist_client, every_claim_purges, django_capture_on_commit_callbacks, monkeypatch
):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(form_tokens, "form_submissions_purge", locked)
    client, url, data = _assessment_form(therapist)
    with django_capture_on_commit_callbacks(execute=True):
        response = therapist_client.post(url, data)
    assert response.status_code == 302
    assert Assessment.objects.filter(client=client).count() == 1


def test_a_form_sent_again_after_its_claim_was_purged_is_refused_not_saved_twice(
    therapist, therapist_client, monkeypatch
):
    client, url, data = _assessment_form(therapist)
    assert therapist_client.post(url, data).status_code == 302
    # A day and a minute later: the claim is purged, and the page is sent again.
    later = time.time() + FORM_TOKEN_MAX_AGE.total_seconds() + 60
    FormSubmission.objects.update(
        created_at=timezone.now() - FORM_TOKEN_MAX_AGE - timedelta(minutes=1)
    )
    assert form_tokens.form_submissions_purge() == 1
    # The tokens' clock alone (the session's own limit would end the login too).
    monkeypatch.setattr("django.core.signing.time", SimpleNamespace(time=lambda: later))
    again = therapist_client.post(url, data)
    assert again.status_code == 200
    assert FORM_TOKEN_REFUSED in again.content.decode()
    assert Assessment.objects.filter(client=client).count() == 1


def test_about_one_claim_in_a_hundred_purges(monkeypatch):
    draws = iter(range(1_000))
    monkeypatch.setattr(form_tokens.random, "randrange", lambda n: next(draws) % n)
    due = sum(form_tokens.form_submissions_purge_due() for _ in range(1_000))
    assert due == 1_000 // form_tokens.FORM_SUBMISSIONS_PURGE_EVERY == 10
