"""Users and their roles (core): the one place tests create a user."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group, User

from core.roles import THERAPIST


def user_password(username: str) -> str:
    """The password `user_create` gives a user unless told otherwise: `alice-password-1`."""
    return f"{username}-password-1"


def user_create(
    username: str, role: str | None, first_name: str, *, password: str | None = None
) -> User:
    """A user in `role`'s group (none if `role` is None)."""
    user = User.objects.create_user(
        username=username, password=password or user_password(username), first_name=first_name
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


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
