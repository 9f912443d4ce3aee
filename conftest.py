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
def clinic_profile_as_in_a_fresh_database(settings):
    """Each test starts with the clinic profile of an empty database (the name from the
    environment), as a worker holds it in memory between its re-reads (accounts/clinic.py):
    pages then cost the queries they cost in steady state, and a profile one test saved
    and rolled back is not seen by the next."""
    from accounts.clinic import clinic_profile_forget, clinic_profile_remember
    from accounts.models import ClinicProfile

    settings.CLINIC_PROFILE_CACHE_SECONDS = 3600
    clinic_profile_remember(ClinicProfile(pk=ClinicProfile.SINGLETON_PK, name=settings.CLINIC_NAME))
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
