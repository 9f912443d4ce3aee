"""The database keeps accepted plans sound, whatever writes them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.rules import HypothesisKind, TriageOutcome
from sessions.models.plan import SessionPlan
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def plan_row(client, **fields) -> SessionPlan:
    values = {
        "client": client,
        "therapist": client.therapist,
        "minutes": 60,
        "stage": 1,
        "first_visit": True,
        "acute": True,
        "hypothesis_kind": HypothesisKind.ENTRAPMENT_PIRIFORMIS,
        "triage_outcome": TriageOutcome.TREAT,
        "snapshot": {"plan": {}},
        "accepted_at": timezone.now(),
        **fields,
    }
    return SessionPlan(**values)


@pytest.mark.parametrize(
    "fields",
    [
        {"minutes": 25},
        {"minutes": 95},
        {"stage": 5},
        {"triage_outcome": TriageOutcome.REFER_NOW},
        {"triage_outcome": TriageOutcome.DO_NOT_TREAT},
    ],
)
def test_the_database_refuses_an_impossible_plan(fields):
    client = ClientFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        plan_row(client, **fields).save()
    assert not SessionPlan.objects.exists()


def test_a_sound_plan_row_is_kept_with_its_history():
    session_plan = plan_row(ClientFactory())
    session_plan.save()
    assert session_plan.history.count() == 1
