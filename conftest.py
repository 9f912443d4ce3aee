"""Shared fixtures: the cast: two therapists (alice, bob) and the manager (carol)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from core.roles import MANAGER, THERAPIST
from tests.core.factories import user_create
from tests.core.form_tokens import TokenClient


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs ~0.4 s per user created, and most tests create several users.

    Production hashing is tested on its own (tests/site/test_app_starts.py).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clinic_profile_read_afresh():
    """The clinic profile is kept in memory for a few seconds (accounts/clinic.py): a test
    that saved one and was rolled back must not leave it to the next test."""
    from accounts.clinic import clinic_profile_forget

    clinic_profile_forget()
    yield
    clinic_profile_forget()


@pytest.fixture
def therapist(db) -> User:
    """The owning therapist in permission tests."""
    return user_create("alice", THERAPIST, "Alice")


@pytest.fixture
def colleague(db) -> User:
    """Another therapist: must not see the owner's clients."""
    return user_create("bob", THERAPIST, "Bob")


@pytest.fixture
def manager(db) -> User:
    """The clinic manager: sees everything, curates the library."""
    return user_create("carol", MANAGER, "Carol")


@pytest.fixture
def client():
    """Django's test client, posting create forms with the token their page would carry."""
    return TokenClient()


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
