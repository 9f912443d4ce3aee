"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth.models import Group, User

from core.roles import THERAPIST
from intake.models import Client


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"therapist{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("therapist-password-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=extracted or THERAPIST))


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    date_of_birth = date(1980, 5, 17)
    therapist = factory.SubFactory(TherapistFactory)
    consent_given = True
    consent_date = date(2026, 1, 10)
