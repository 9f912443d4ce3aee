"""The clinic profile as every page, PDF and email reads it: one row, kept in memory for a
short while so a page costs no query for it.

Each worker process keeps what it read for `CLINIC_PROFILE_CACHE_SECONDS` (30); a save in the same process forgets
it at once, other workers see the change within that time. Until the manager saves the
profile, the name is `CLINIC_NAME` from the environment and the contact details are empty.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import ClinicProfile

_cached: dict[str, object] = {}


def clinic_profile() -> ClinicProfile:
    """The clinic's profile (unsaved, with the name from the environment, before the first
    save)."""
    profile, read_at = _cached.get("profile"), _cached.get("at", 0.0)
    if profile is not None and time.monotonic() - read_at < settings.CLINIC_PROFILE_CACHE_SECONDS:
        return profile
    profile = ClinicProfile.objects.filter(pk=ClinicProfile.SINGLETON_PK).first()
    if profile is None:
        profile = ClinicProfile(pk=ClinicProfile.SINGLETON_PK, name=settings.CLINIC_NAME)
    _cached.update(profile=profile, at=time.monotonic())
    return profile


def clinic_profile_remember(profile: ClinicProfile) -> None:
    """Keep `profile` as the one read (tests: the profile of an empty database, without
    asking it)."""
    _cached.update(profile=profile, at=time.monotonic())


def clinic_profile_forget() -> None:
    """Read the profile from the database next time (after a save; in tests, after a
    rollback)."""
    _cached.clear()


@receiver(post_save, sender=ClinicProfile)
@receiver(post_delete, sender=ClinicProfile)
def _profile_changed(**kwargs) -> None:
    clinic_profile_forget()
