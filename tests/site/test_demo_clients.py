"""seed_demo gives a few demo clients a story: a piriformis case, a pregnancy, a red flag."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from intake.models import Assessment, Client, Screening
from intake.rules import HypothesisKind, TriageOutcome
from intake.services import client_clinical_state

pytestmark = pytest.mark.django_db


def state_of(full_name: str):
    first, last = full_name.split()
    return client_clinical_state(client=Client.objects.get(first_name=first, last_name=last))


def test_seed_demo_writes_the_demo_cases_once():
    call_command("seed_demo", clients=12)
    assert Client.objects.count() == 12
    assert state_of("Sarah Mitchell").hypothesis.kind == HypothesisKind.ENTRAPMENT_PIRIFORMIS
    pregnant = state_of("Priya Shah").triage
    assert pregnant.outcome == TriageOutcome.TREAT_WITH_MODIFICATIONS
    assert pregnant.reasons == ("Pregnancy, 24 weeks",)
    assert state_of("Tom Becker").triage.emergency
    assert state_of("Margaret Osei").hypothesis.medical_follow_up
    counts = (Screening.objects.count(), Assessment.objects.count())
    call_command("seed_demo", clients=12)
    assert (Screening.objects.count(), Assessment.objects.count()) == counts == (4, 3)


def test_seed_demo_with_fewer_clients_than_cases_writes_what_fits():
    call_command("seed_demo", clients=2)
    assert Screening.objects.count() == 1  # the therapist owns one of the two clients
