"""A plan is never accepted while the client's safety status forbids treatment, even when it
was proposed before a red flag was raised (clinical rules §2.1)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.vocabulary import Stage
from intake.rules.safety import SafetyStatus
from sessions.models import SessionPlan
from sessions.planning.services import (
    PLAN_SAFETY_CHANGED,
    PlanRequest,
    plan_accept,
    plan_propose,
)
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.factories import library_into_database

pytestmark = pytest.mark.django_db


def test_a_red_flag_raised_after_the_proposal_refuses_the_acceptance(therapist):
    library_into_database()
    client = sarah(therapist)
    request = PlanRequest(minutes=60, stage=Stage.MOBILITY, first_visit=False, acute=False)
    proposal = plan_propose(client=client, request=request)
    ScreeningFactory(client=client, progressive_weakness=True)  # a colleague's check-in, say
    with pytest.raises(ValidationError) as refused:
        plan_accept(client=client, therapist=therapist, proposal=proposal, plan=proposal.result)
    assert refused.value.messages == [
        PLAN_SAFETY_CHANGED.format(status=SafetyStatus.EMERGENCY.label)
    ]
    assert not SessionPlan.objects.exists()
