"""Factories for the sessions app's tests (booking)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from sessions.models import Appointment
from tests.factories import ClientFactory


def clinic_time(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """An aware moment `day_offset` days from today at hour:minute, clinic wall-clock time."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class AppointmentFactory(factory.django.DjangoModelFactory):
    """Saves directly (no overlap check): tests that need the rules call the services."""

    class Meta:
        model = Appointment

    client = factory.SubFactory(ClientFactory)
    therapist = factory.LazyAttribute(lambda o: o.client.therapist)
    # One a day from tomorrow, so factory rows never overlap by accident.
    starts_at = factory.Sequence(lambda n: clinic_time(1 + n, 10))
    minutes = 60


def plan_accepted(appointment, *, minutes: int | None = None, stage=None):
    """Accept the planner's proposal for `appointment`'s client, linked to the appointment.

    The client needs a screening and an assessment and the library must be in the database
    (tests.planner.factories: `library_into_database`, `sarah`).
    """
    from core.vocabulary import Stage
    from sessions.planning.services import PlanRequest, plan_accept, plan_propose

    proposal = plan_propose(
        client=appointment.client,
        request=PlanRequest(
            minutes=minutes or appointment.minutes,
            stage=stage or Stage.MOBILITY,
            first_visit=False,
            acute=True,
        ),
    )
    return plan_accept(
        client=appointment.client,
        therapist=appointment.therapist,
        proposal=proposal,
        plan=proposal.result,
        appointment=appointment,
    )
