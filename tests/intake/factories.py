"""Factories for intake records: clients, health history, screening, assessment."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from intake.models import Assessment, Client, HealthHistory, MedicalClearance, Screening
from intake.rules import SCREENING_QUESTIONS, PainQuality, Side, SlrPain
from intake.services import client_safety_refresh
from tests.core.factories import TherapistFactory


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1980, 5, 17)
    therapist = factory.SubFactory(TherapistFactory)
    consent_given = True
    consent_date = date(2026, 1, 10)


class HealthHistoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthHistory

    client = factory.SubFactory(ClientFactory)
    pain_location = "Right buttock to the back of the knee"
    pain_side = HealthHistory.PainSide.RIGHT
    radiates_past_knee = False
    pain_character = factory.LazyFunction(lambda: [HealthHistory.Character.DEEP_ACHE])
    pain_now = 5
    pain_worst = 7
    pain_best = 2
    onset_date = date(2026, 1, 5)


class ScreeningFactory(factory.django.DjangoModelFactory):
    """Every answer no unless given: pass e.g. `saddle_anaesthesia=True`."""

    class Meta:
        model = Screening

    client = factory.SubFactory(ClientFactory)
    recorded_by = factory.SelfAttribute("client.therapist")
    screened_on = date(2026, 2, 1)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for question in SCREENING_QUESTIONS:
            kwargs.setdefault(question.name, False)
        return kwargs

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the screening services do: the client's stored safety status follows.
        screening = super()._create(model_class, *args, **kwargs)
        client_safety_refresh(client=screening.client)
        return screening


class MedicalClearanceFactory(factory.django.DjangoModelFactory):
    """A physician's clearance of every red flag raised before it."""

    class Meta:
        model = MedicalClearance

    client = factory.SubFactory(ClientFactory)
    recorded_by = factory.SelfAttribute("client.therapist")
    physician_name = "Dr. Amal Haddad"
    cleared_on = date(2026, 2, 2)
    cleared_what = "Night pain: examined, imaging normal"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        clearance = super()._create(model_class, *args, **kwargs)
        client_safety_refresh(client=clearance.client)
        return clearance


class AssessmentFactory(factory.django.DjangoModelFactory):
    """The demo case "Sarah": SLR negative, piriformis positive, on the right."""

    class Meta:
        model = Assessment

    client = factory.SubFactory(ClientFactory)
    recorded_by = factory.SelfAttribute("client.therapist")
    assessed_on = date(2026, 2, 1)
    slr_side = Side.RIGHT
    slr_pain = SlrPain.NONE
    piriformis_side = Side.RIGHT
    piriformis_buttock_pain = True
    piriformis_radiating_pain = True


def positive_slr(**kwargs) -> dict:
    """Assessment fields for a positive SLR on the left (shooting past the knee at 45°)."""
    return {
        "slr_side": Side.LEFT,
        "slr_pain": SlrPain.PAST_KNEE,
        "slr_onset_angle": 45,
        "slr_quality": PainQuality.SHOOTING,
        "piriformis_side": "",
        "piriformis_buttock_pain": None,
        "piriformis_radiating_pain": None,
        **kwargs,
    }


def sarah(therapist, **screening):
    """The demo case Sarah: piriformis positive, SLR negative, an acute flare; screened today."""
    client = ClientFactory(therapist=therapist, first_name="Sarah", last_name="Miles")
    today = timezone.localdate()
    HealthHistoryFactory(client=client, onset_date=today - timedelta(days=10))
    ScreeningFactory(client=client, screened_on=today, **screening)
    AssessmentFactory(
        client=client,
        assessed_on=today,
        slr_side=Side.RIGHT,
        slr_pain=SlrPain.NONE,
        piriformis_side=Side.RIGHT,
    )
    return client
