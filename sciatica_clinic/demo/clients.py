"""Demo logins and fake clients for `manage.py seed_demo` (README "Demo logins")."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group, User
from django.db import transaction

from core.roles import MANAGER, THERAPIST
from intake.models import Client, HealthHistory


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


@dataclass(frozen=True)
class DemoCase:
    """A demo client with a story: intake history, screening and (maybe) tests."""

    first_name: str
    last_name: str
    age: int
    occupation: str
    history: dict
    answers: dict
    slr: tuple | None = None  # (side, pain, angle, quality)
    bragard: tuple | None = None  # (side, pain_returned)
    piriformis: tuple | None = None  # (side, buttock, radiating)


DEMO_CASES = (
    # The textbook case: piriformis positive, SLR negative: soft-tissue entrapment.
    DemoCase(
        "Sarah",
        "Mitchell",
        42,
        "Office manager",
        {
            "pain_location": "Right buttock, radiating to the back of the knee",
            "pain_side": HealthHistory.PainSide.RIGHT,
            "radiates_past_knee": False,
            "pain_character": [HealthHistory.Character.DEEP_ACHE],
            "pain_now": 5,
            "pain_worst": 7,
            "pain_best": 2,
            "aggravating_factors": "Sitting more than an hour",
            "contributing_factors": [HealthHistory.Factor.DESK_WORK],
        },
        {},
        slr=("right", "none", None, None),
        piriformis=("right", True, True),
    ),
    DemoCase(
        "Priya",
        "Shah",
        31,
        "Teacher",
        {
            "pain_location": "Left buttock and back of the thigh",
            "pain_side": HealthHistory.PainSide.LEFT,
            "radiates_past_knee": False,
            "pain_character": [HealthHistory.Character.DEEP_ACHE, HealthHistory.Character.TINGLING],
            "pain_now": 4,
            "pain_worst": 6,
            "pain_best": 1,
            "aggravating_factors": "Standing for long, climbing stairs",
            "contributing_factors": [HealthHistory.Factor.PREGNANCY],
        },
        {"pregnant": True, "pregnancy_weeks": 24},
        slr=("left", "hamstring_only", 65, "stretch"),
        piriformis=("left", False, False),
    ),
    DemoCase(
        "Tom",
        "Becker",
        58,
        "Builder",
        {
            "pain_location": "Low back into both legs",
            "pain_side": HealthHistory.PainSide.BOTH,
            "radiates_past_knee": True,
            "pain_character": [HealthHistory.Character.ELECTRIC, HealthHistory.Character.NUMBNESS],
            "pain_now": 8,
            "pain_worst": 9,
            "pain_best": 6,
            "aggravating_factors": "Bending, lifting",
            "contributing_factors": [HealthHistory.Factor.HEAVY_LIFTING],
        },
        {"saddle_anaesthesia": True, "bladder_bowel_change": True},
    ),
    DemoCase(
        "Margaret",
        "Osei",
        72,
        "Retired",
        {
            "pain_location": "Left buttock to the calf",
            "pain_side": HealthHistory.PainSide.LEFT,
            "radiates_past_knee": True,
            "pain_character": [HealthHistory.Character.ELECTRIC, HealthHistory.Character.BURNING],
            "pain_now": 6,
            "pain_worst": 8,
            "pain_best": 3,
            "medications": "Warfarin",
            "comorbidities": "Osteoporosis",
        },
        {"osteoporosis": True, "clotting_disorder_or_anticoagulants": True},
        slr=("left", "past_knee", 40, "shooting"),
        bragard=("left", True),
    ),
)


@transaction.atomic
def demo_cases_ensure(*, therapist: User) -> int:
    """Give the therapist's first demo clients the stories of `DEMO_CASES` (an intake history,
    a screening, tests), once: a client who already has a screening is left alone.

    Returns how many cases were written. A handful of rows, so it costs nothing next to the
    bulk clients.
    """
    from intake import services
    from intake.rules import (
        BragardFinding,
        PainQuality,
        PiriformisFinding,
        ScreeningAnswers,
        Side,
        SlrFinding,
        SlrPain,
    )

    clients = list(Client.objects.filter(therapist=therapist).order_by("id")[: len(DEMO_CASES)])
    screened = set(
        Client.objects.filter(pk__in=[c.pk for c in clients], screenings__isnull=False).values_list(
            "pk", flat=True
        )
    )
    today = date.today()
    written = 0
    for client, case in zip(clients, DEMO_CASES, strict=False):
        if client.pk in screened:
            continue
        born = date(today.year - case.age, 1, 1)
        services.client_update(
            client=client,
            first_name=case.first_name,
            last_name=case.last_name,
            date_of_birth=born,
            occupation=case.occupation,
        )
        services.health_history_save(
            client=client, onset_date=today - timedelta(days=30), **case.history
        )
        services.screening_record(
            client=client,
            recorded_by=therapist,
            screened_on=today - timedelta(days=2),
            answers=ScreeningAnswers(**case.answers),
        )
        if case.slr or case.piriformis:
            slr = bragard = piriformis = None
            if case.slr:
                side, pain, angle, quality = case.slr
                slr = SlrFinding(
                    Side(side), SlrPain(pain), angle, PainQuality(quality) if quality else None
                )
            if case.bragard:
                bragard = BragardFinding(Side(case.bragard[0]), case.bragard[1])
            if case.piriformis:
                side, buttock, radiating = case.piriformis
                piriformis = PiriformisFinding(Side(side), buttock, radiating)
            services.assessment_record(
                client=client,
                recorded_by=therapist,
                assessed_on=today - timedelta(days=2),
                slr=slr,
                bragard=bragard,
                piriformis=piriformis,
            )
        written += 1
    return written
