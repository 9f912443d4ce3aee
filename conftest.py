"""Shared fixtures: the cast (healthchecks' alice/bob/charlie): two therapists and the manager."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from core.roles import MANAGER, THERAPIST


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs ~0.4 s per user created, and most tests create several users.

    Production hashing is tested on its own (tests/foundation/test_app_starts.py).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, role: str | None, first_name: str) -> User:
    user = User.objects.create_user(
        username=username, password=f"{username}-password-1", first_name=first_name
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def therapist(db) -> User:
    """The owning therapist in permission tests."""
    return _user("alice", THERAPIST, "Alice")


@pytest.fixture
def colleague(db) -> User:
    """Another therapist: must not see the owner's clients."""
    return _user("bob", THERAPIST, "Bob")


@pytest.fixture
def manager(db) -> User:
    """The clinic manager: sees everything, curates the library."""
    return _user("carol", MANAGER, "Carol")


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def colleague_client(client, colleague):
    client.force_login(colleague)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client
