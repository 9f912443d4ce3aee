"""Demo logins and fake clients for `manage.py seed_demo` (README "Demo logins")."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction

from intake.models import Client
from sciatica_clinic.roles import MANAGER, THERAPIST


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str


DEMO_LOGINS = (
    DemoLogin("therapist", "demo-therapist-pass", "Dana", "Reyes", THERAPIST),
    DemoLogin("colleague", "demo-colleague-pass", "Sam", "Okafor", THERAPIST),
    DemoLogin("manager", "demo-manager-pass", "Morgan", "Lee", MANAGER),
)


def demo_users_ensure() -> dict[str, User]:
    """Create the demo logins if missing; an existing user's password is left alone."""
    users = {}
    for login in DEMO_LOGINS:
        user, created = User.objects.get_or_create(
            username=login.username,
            defaults={"first_name": login.first_name, "last_name": login.last_name},
        )
        if created:
            user.set_password(login.password)
            user.save()
        user.groups.add(Group.objects.get(name=login.role))
        users[login.username] = user
    return users


@transaction.atomic
def demo_clients_ensure(*, therapists: list[User], count: int, seed: int = 2026) -> int:
    """Top the demo therapists' clients up to `count` in all; returns how many were added.

    Bulk inserts, so 50,000 clients take seconds (bench/ seeds with this).
    """
    from faker import Faker

    existing = Client.objects.filter(therapist__in=therapists).count()
    missing = max(0, count - existing)
    if not missing:
        return 0
    fake = Faker("en_GB")
    fake.seed_instance(seed + existing)
    rng = random.Random(seed + existing)
    today = date.today()
    occupations = ["Office worker", "Nurse", "Builder", "Teacher", "Driver", "Runner", "Retired"]
    batch = []
    for i in range(missing):
        batch.append(
            Client(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=today - timedelta(days=rng.randint(18 * 365, 85 * 365)),
                phone=fake.phone_number(),
                email=fake.email(),
                occupation=rng.choice(occupations),
                therapist=therapists[(existing + i) % len(therapists)],
                consent_given=True,
                consent_date=today - timedelta(days=rng.randint(0, 400)),
            )
        )
    Client.objects.bulk_create(batch, batch_size=2000)
    return missing
