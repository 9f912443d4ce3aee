"""Seed PostgreSQL at benchmark scale: 50,000 demo clients, 500,000 appointments, 200,000 notes.

`seed_demo --clients 50000` makes the demo logins and their clients (it bulk-inserts). Then
22 bench therapists, each handed 1,000 of the colleague's clients (the demo therapist keeps
25,000: the client list's worst case), and everyone's calendar: eight
visits a day, every day, for as many days as 500,000 appointments need (about seven years,
the last `FUTURE_DAYS` of them still to come). Each therapist's visits are back to back in
one-hour slots and each client belongs to one therapist, so neither exclusion constraint
(no overlap per therapist, none per client) can object.

Notes end up as `note_start` + `note_sign` leave them, without ever crossing the signed-note
lock (sessions/models/note_lock.py): technique rows go in before their note, and a signed note is
inserted signed, never updated (see `_notes_copy`). Amendments are inserted, which is all
the lock allows them.

Rows go in with COPY; `simple_history` records nothing for them (it records `save()` only),
so the history tables hold only what the services wrote (the "ready" clients below).

One demo client, found by `long_chart_client()`, has `LONG_CHART_VISITS` visits with a
signed note, a re-screen and a re-test each: the chart page's worst case. `READY_CLIENTS` clients of each therapist
have a health history, a screening, an assessment and an accepted plan, made through the
services, so the planner, the home-care sheet and the load test have someone to work on.
The library comes from its fixture (`library_load`), as `bin/setup` loads it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from bench.bulk import CopyWriter, ids_reserve, in_parallel, vacuum_analyze
from core.roles import THERAPIST
from core.vocabulary import Stage
from intake import services as intake_services
from intake.models import Assessment, Client, HealthHistory, Screening
from intake.rules import (
    PainQuality,
    PiriformisFinding,
    ScreeningAnswers,
    Side,
    SlrFinding,
    SlrPain,
)
from protocols.library import library_snapshot
from sessions.booking.scheduling import week_start
from sessions.models import (
    OCCUPYING_STATUSES,
    Appointment,
    NoteAmendment,
    NoteTechnique,
    SessionNote,
)
from sessions.planning import services as planning
from sessions.planning.planner import Plan

SLOT_HOURS = (9, 10, 11, 12, 13, 14, 15, 16)
FUTURE_DAYS = 60
LONG_CHART_VISITS = 200
LONG_CHART_EMAIL = "long-chart@bench.invalid"
READY_CLIENTS = 5
UNSIGNED_SHARE = 0.01
AMENDED_SHARE = 0.01
BENCH_PASSWORD = "bench-therapist-pass"
SEED = 2026

DEMO_THERAPISTS = ("therapist", "colleague")

# (slug, name, position, pressure, minutes): what a visit's technique rows are drawn from.
TECHNIQUES = (
    ("sacral-scoring-friction", "Sacral scoring and friction", "prone", 1, 8),
    ("hubcap-release", "Hubcap release", "prone", 2, 10),
    ("glute-med-min-stripping", "Gluteus medius and minimus stripping", "prone", 2, 12),
    ("hamstring-pin-stretch", "Hamstring pin and stretch", "prone", 2, 10),
    ("frog-leg-position", "Frog-leg position", "prone_frog", 2, 8),
    ("it-band-tfl-release", "IT band and TFL release", "side_lying", 2, 10),
    ("deep-rotators-side-lying", "Deep rotator access, side-lying", "side_lying", 3, 10),
    ("calf-release", "Gastrocnemius and soleus release", "prone", 2, 8),
)
REPORTS = (
    "Pain down the right leg after long drives; better after last visit.",
    "Buttock ache most mornings, eases with walking.",
    "Sharp pain sitting at work over an hour; did the stretches twice.",
    "Tingling to the calf at night less often this week.",
)
FINDINGS = (
    "Piriformis tender on the right, trigger point reproduces buttock pain.",
    "Hamstrings tight bilaterally; SLR stretch only, no neural signs.",
    "Gluteus minimus trigger points refer down the lateral thigh.",
)


@dataclass(frozen=True)
class Sizes:
    """How much to seed. `bin/bench` uses the full sizes; `--scale` shrinks them for a quick run."""

    clients: int = 50_000
    appointments: int = 500_000
    notes: int = 200_000
    bench_therapists: int = 22
    clients_per_bench_therapist: int = 1_000

    def scaled(self, factor: float) -> Sizes:
        if factor == 1:
            return self
        return Sizes(
            clients=max(100, round(self.clients * factor)),
            appointments=max(50_000, round(self.appointments * factor)),
            notes=max(LONG_CHART_VISITS + 100, round(self.notes * factor)),
            bench_therapists=max(18, round(self.bench_therapists * factor)),
            clients_per_bench_therapist=max(20, round(self.clients_per_bench_therapist * factor)),
        )


@dataclass(frozen=True)
class SeedReport:
    sizes: Sizes
    seconds: float
    steps: tuple[tuple[str, float], ...]
    counts: dict[str, int]


def long_chart_client() -> Client:
    return Client.objects.get(email=LONG_CHART_EMAIL)


def bench_therapists() -> list[User]:
    """Every therapist with a seeded calendar, the demo therapist first."""
    demo = list(User.objects.filter(username__in=DEMO_THERAPISTS).order_by("username").reverse())
    bench = list(User.objects.filter(username__startswith="bench-therapist-").order_by("username"))
    return demo + bench


def is_seeded() -> bool:
    return Client.objects.filter(email=LONG_CHART_EMAIL).exists()


def seed(*, sizes: Sizes = Sizes(), log=print) -> SeedReport:
    """Fill an empty, migrated database; refuse one that already holds the seed."""
    if is_seeded():
        raise RuntimeError("The database is already seeded (the long-chart client exists).")
    started = time.perf_counter()
    steps: list[tuple[str, float]] = []

    def step(label: str, fn):
        t0 = time.perf_counter()
        result = fn()
        steps.append((label, time.perf_counter() - t0))
        log(f"seed: {label}: {steps[-1][1]:.1f} s")
        return result

    step("library_load", lambda: call_command("library_load", stdout=_Discard()))
    step(
        f"seed_demo --clients {sizes.clients}",
        lambda: call_command("seed_demo", clients=sizes.clients, stdout=_Discard()),
    )
    therapists = step("bench therapists and their clients", lambda: _therapists_and_clients(sizes))
    long_client = step("long-chart client", lambda: _long_chart_client_create(therapists[0]))
    owned = _clients_by_therapist(therapists, exclude=long_client.pk)
    # The ready clients first: recording their screenings updates their rows (the stored
    # safety status), which the appointment COPY streams would otherwise wait on, in turn.
    step(
        "ready clients (history, screening, assessment, accepted plan, through the services)",
        lambda: _ready_clients(therapists),
    )
    visits = step(
        f"{sizes.appointments:,} appointments (2 COPY streams)",
        lambda: _appointments_copy(sizes, therapists, owned, long_client),
    )
    notes = step(
        f"{sizes.notes:,} notes with 3 technique rows each (2 COPY streams)",
        lambda: _notes_copy(sizes, visits),
    )
    step("amendments (COPY)", lambda: _amendments_copy(notes))
    step(
        "the long-chart client's re-screen and re-test at each visit",
        lambda: _long_chart_rechecks(long_client, visits),
    )
    step("VACUUM ANALYZE", vacuum_analyze)
    counts = {
        "therapists": len(therapists),
        "clients": Client.objects.count(),
        "appointments": Appointment.objects.count(),
        "notes": SessionNote.objects.count(),
        "signed notes": SessionNote.objects.filter(signed_at__isnull=False).count(),
        "technique rows": NoteTechnique.objects.count(),
        "amendments": NoteAmendment.objects.count(),
        "long-chart client's notes": long_client.session_notes.count(),
        "long-chart client's screenings": long_client.screenings.count(),
        "long-chart client's assessments": long_client.assessments.count(),
    }
    return SeedReport(sizes, time.perf_counter() - started, tuple(steps), counts)


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _therapists_and_clients(sizes: Sizes) -> list[User]:
    """The bench therapists, each given `clients_per_bench_therapist` of the colleague's
    demo clients (one UPDATE), so the clinic still has `sizes.clients` clients in all."""
    group = Group.objects.get(name=THERAPIST)
    password = make_password(BENCH_PASSWORD)  # one Argon2 hash for all: it takes ~0.3 s
    colleague = User.objects.get(username=DEMO_THERAPISTS[1])
    handed = list(
        # The newest: `seed_demo` books its demo week with the colleague's first clients.
        Client.objects.filter(therapist=colleague)
        .order_by("-id")
        .values_list("id", flat=True)[: sizes.bench_therapists * sizes.clients_per_bench_therapist]
    )
    for n in range(sizes.bench_therapists):
        user, created = User.objects.get_or_create(
            username=f"bench-therapist-{n + 1:02d}",
            defaults={"first_name": "Bench", "last_name": f"Therapist {n + 1:02d}"},
        )
        if created:
            user.password = password
            user.save()
        user.groups.add(group)
        share = handed[
            n * sizes.clients_per_bench_therapist : (n + 1) * sizes.clients_per_bench_therapist
        ]
        Client.objects.filter(pk__in=share).update(therapist=user)
    return bench_therapists()


def _long_chart_client_create(therapist: User) -> Client:
    return intake_services.client_create(
        therapist=therapist,
        first_name="Sarah",
        last_name="Longhistory",
        date_of_birth=date(1979, 4, 2),
        email=LONG_CHART_EMAIL,
        occupation="Office worker",
        consent_given=True,
        consent_date=timezone.localdate() - timedelta(days=2700),
    )


def intake_done(*, client: Client, therapist: User, today: date) -> None:
    """A client's intake through the services: history, a clear screening and the piriformis
    case's tests a month ago, so plans, check-ins and home-care sheets work for them."""
    intake_services.health_history_save(
        client=client,
        pain_location="Right buttock to the back of the thigh",
        pain_side=HealthHistory.PainSide.RIGHT,
        radiates_past_knee=False,
        pain_character=[HealthHistory.Character.DEEP_ACHE],
        pain_now=5,
        pain_worst=7,
        pain_best=2,
        onset_date=today - timedelta(days=120),
        aggravating_factors="Sitting more than an hour",
    )
    intake_services.screening_record(
        client=client,
        recorded_by=therapist,
        screened_on=today - timedelta(days=30),
        answers=ScreeningAnswers(),
    )
    intake_services.assessment_record(
        client=client,
        recorded_by=therapist,
        assessed_on=today - timedelta(days=30),
        slr=SlrFinding(side=Side.RIGHT, pain=SlrPain.NONE),
        bragard=None,
        piriformis=PiriformisFinding(side=Side.RIGHT, buttock_pain=True, radiating_pain=True),
    )


def _ready_clients(therapists: Sequence[User]) -> None:
    """Intake done through the services for a few clients of each therapist (and the long
    one), and a 60-minute week-2 plan accepted: the home-care sheet prints from it."""
    today = timezone.localdate()
    library = library_snapshot()
    request = planning.PlanRequest(
        minutes=60, stage=Stage.DECOMPRESSION, first_visit=False, acute=False
    )
    for therapist in therapists:
        clients = list(
            Client.objects.filter(therapist=therapist, health_history__isnull=True).order_by("id")[
                :READY_CLIENTS
            ]
        )
        if therapist.username == DEMO_THERAPISTS[0]:
            clients.append(long_chart_client())
        for client in clients:
            intake_done(client=client, therapist=therapist, today=today)
            proposal = planning.plan_propose(client=client, request=request, library=library)
            if not isinstance(proposal.result, Plan):
                raise RuntimeError(f"The planner refused a ready client: {proposal.result}")
            planning.plan_accept(
                client=client, therapist=therapist, proposal=proposal, plan=proposal.result
            )


def _long_chart_rechecks(client: Client, visits: Sequence[Visit]) -> None:
    """At every visit the check-in re-screens the red flags and the therapist re-tests the
    straight leg raise: a screening and an assessment per visit, the SLR onset angle opening
    from 35 to 75 degrees over the course. Clones of the client's first (service-made)
    screening and assessment, bulk-inserted: the chart and history pages' worst case."""
    screening = client.screenings.get()
    assessment = client.assessments.get()
    days = sorted(v.day for v in visits if v.long_chart)
    screenings, assessments = [], []
    for n, day in enumerate(days):
        screenings.append(_clone(screening, screened_on=day))
        assessments.append(
            _clone(
                assessment,
                assessed_on=day,
                slr_pain=SlrPain.PAST_KNEE,
                slr_onset_angle=35 + round(40 * n / max(1, len(days) - 1)),
                slr_quality=PainQuality.SHOOTING,
            )
        )
    Screening.objects.bulk_create(screenings, batch_size=500)
    Assessment.objects.bulk_create(assessments, batch_size=500)


def _clone(instance: models.Model, **changes) -> models.Model:
    values = {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if not f.primary_key
    }
    return type(instance)(**(values | changes))


def _clients_by_therapist(therapists: Sequence[User], *, exclude: int) -> dict[int, list[int]]:
    owned: dict[int, list[int]] = {t.pk: [] for t in therapists}
    rows = Client.objects.filter(therapist__in=therapists).exclude(pk=exclude)
    for client_id, therapist_id in rows.values_list("id", "therapist_id").order_by("id"):
        owned[therapist_id].append(client_id)
    return owned


# ---------------------------------------------------------------------------------------------
# COPY
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visit:
    """A past completed appointment: what a note needs."""

    appointment_id: int
    therapist_id: int
    client_id: int
    day: date
    ends_at: datetime
    minutes: int
    long_chart: bool


def _appointments_copy(
    sizes: Sizes, therapists: Sequence[User], owned: dict[int, list[int]], long_client: Client
) -> list[Visit]:
    """Every therapist's calendar, in two COPY streams (half the therapists each)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    today = timezone.localdate()
    quotas = [
        sizes.appointments // len(therapists) + (n < sizes.appointments % len(therapists))
        for n in range(len(therapists))
    ]
    days = -(-quotas[0] // len(SLOT_HOURS)) + 1  # a day spare for the slots skipped below
    first_day = today - timedelta(days=days - FUTURE_DAYS - 1)
    first_id = ids_reserve(Appointment, sizes.appointments)
    demo_id = therapists[0].pk
    # `seed_demo` booked a demo week through the services: leave those hours free.
    taken: dict[tuple[int, date], list[tuple[datetime, datetime]]] = {}
    for therapist_id, starts_at, ends_at in Appointment.objects.filter(
        status__in=OCCUPYING_STATUSES
    ).values_list("therapist_id", "starts_at", "ends_at"):
        key = (therapist_id, timezone.localdate(starts_at))
        taken.setdefault(key, []).append((starts_at, ends_at))
    # The long-chart client's visits: evenly spread over the demo therapist's past days,
    # before this week's (where the demo week is).
    past_days = (week_start(today) - first_day).days
    long_days = {
        first_day + timedelta(days=round(i * past_days / LONG_CHART_VISITS))
        for i in range(LONG_CHART_VISITS)
    }
    columns = ("id", "therapist_id", "client_id", "starts_at", "minutes", "ends_at", "status")

    def calendar(index: int, visits: list[Visit]):
        therapist_id = therapists[index].pk
        rng = random.Random(SEED + index)
        next_id = first_id + sum(quotas[:index])
        made = 0
        for offset in range(days):
            day = first_day + timedelta(days=offset)
            for slot, hour in enumerate(SLOT_HOURS):
                if made == quotas[index]:
                    return
                starts_at = datetime.combine(day, dtime(hour), zone)
                minutes = rng.choice((30, 45, 60, 60, 60))
                ends_at = starts_at + timedelta(minutes=minutes)
                if any(
                    s < ends_at and starts_at < e for s, e in taken.get((therapist_id, day), ())
                ):
                    continue
                long_visit = therapist_id == demo_id and day in long_days and slot == 2
                client_id = long_client.pk if long_visit else rng.choice(owned[therapist_id])
                if ends_at <= now:
                    roll = rng.random()
                    status = (
                        "completed"
                        if long_visit or roll < 0.88
                        else ("cancelled" if roll < 0.95 else "no_show")
                    )
                elif starts_at <= now:
                    status = "checked_in"
                else:
                    status = "cancelled" if rng.random() < 0.05 else "booked"
                if status == "completed" and day < today:
                    visits.append(
                        Visit(next_id, therapist_id, client_id, day, ends_at, minutes, long_visit)
                    )
                yield (next_id, therapist_id, client_id, starts_at, minutes, ends_at, status)
                next_id += 1
                made += 1

    def stream(indexes: range) -> list[Visit]:
        visits: list[Visit] = []
        writer = CopyWriter(Appointment, columns)
        writer.copy(row for index in indexes for row in calendar(index, visits))
        return visits

    half = len(therapists) // 2
    parts = in_parallel([lambda: stream(range(half)), lambda: stream(range(half, len(therapists)))])
    # One upcoming visit for the long-chart client, at 17:00, after the day's last slot.
    upcoming = datetime.combine(today + timedelta(days=2), dtime(17), zone)
    Appointment.objects.create(
        therapist_id=demo_id, client=long_client, starts_at=upcoming, minutes=60
    )
    return parts[0] + parts[1]


@dataclass(frozen=True)
class SeededNotes:
    count: int
    to_amend: tuple[tuple[int, int], ...]  # (note id, author id)


def _notes_copy(sizes: Sizes, visits: list[Visit]) -> SeededNotes:
    """Technique rows first, then their notes, signed ones already signed; two COPY streams.

    Each stream is one transaction and Django's foreign keys are checked at commit
    (DEFERRABLE INITIALLY DEFERRED), so a technique row may name a note inserted after it.
    That is the order the signed-note lock expects: a technique row is never added to a note
    that is already signed, and no signed note is ever updated (it is inserted signed).
    """
    rng = random.Random(SEED + 1)
    long_visits = [v for v in visits if v.long_chart]
    others = [v for v in visits if not v.long_chart]
    chosen = long_visits + rng.sample(others, sizes.notes - len(long_visits))
    chosen.sort(key=lambda v: v.appointment_id)
    first_id = ids_reserve(SessionNote, len(chosen))
    has_appointment = any(f.column == "appointment_id" for f in SessionNote._meta.concrete_fields)
    note_columns = (
        "id",
        "client_id",
        "therapist_id",
        "visit_date",
        "client_report",
        "pain_before",
        "findings",
        "working_hypothesis",
        "response_to_treatment",
        "pain_after",
        "frequency",
        "home_care_given",
        "created_at",
        "updated_at",
        "signed_at",
        "signed_by_id",
        *(("appointment_id",) if has_appointment else ()),
    )
    technique_columns = (
        "note_id",
        "order",
        "technique_slug",
        "name",
        "minutes",
        "position",
        "pressure",
    )
    note_rows: list[tuple] = []
    technique_rows: list[tuple] = []
    today = timezone.localdate()
    to_amend: list[tuple[int, int]] = []
    for n, visit in enumerate(chosen):
        note_id = first_id + n
        before = rng.randint(3, 8)
        # Notes of the last two days are still drafts, and a few older ones too.
        draft = (today - visit.day).days <= 2 or (
            not visit.long_chart and rng.random() < UNSIGNED_SHARE
        )
        signed_at = None if draft else visit.ends_at + timedelta(hours=2)
        note_rows.append(
            (
                note_id,
                visit.client_id,
                visit.therapist_id,
                visit.day,
                rng.choice(REPORTS),
                before,
                rng.choice(FINDINGS),
                "Soft-tissue entrapment (piriformis)",
                "Eased after the hubcap release; less guarding by the end.",
                max(0, before - rng.randint(1, 3)),
                "Once a week for three weeks",
                "Figure-4 stretch twice a day; tennis-ball release 60-90 s.",
                visit.ends_at,
                signed_at or visit.ends_at,
                signed_at,
                None if draft else visit.therapist_id,
                *((visit.appointment_id,) if has_appointment else ()),
            )
        )
        if not draft and rng.random() < AMENDED_SHARE:
            to_amend.append((note_id, visit.therapist_id))
        budget = visit.minutes
        for order, technique in enumerate(rng.sample(TECHNIQUES, 3)):
            slug, name, position, pressure, minutes = technique
            minutes = min(minutes, budget - (2 - order))
            budget -= minutes
            technique_rows.append((note_id, order, slug, name, minutes, position, pressure))

    def stream(first: int, last: int) -> int:
        # Three technique rows per note: the same notes' rows, then the notes.
        CopyWriter(NoteTechnique, technique_columns).copy(technique_rows[3 * first : 3 * last])
        return CopyWriter(SessionNote, note_columns).copy(note_rows[first:last])

    half = len(note_rows) // 2
    counts = in_parallel([lambda: stream(0, half), lambda: stream(half, len(note_rows))])
    return SeededNotes(sum(counts), tuple(to_amend))


def _amendments_copy(notes: SeededNotes) -> None:
    writer = CopyWriter(NoteAmendment, ("note_id", "author_id", "text"))
    writer.copy(
        (note_id, author_id, "Correction: the pain after was asked standing, not lying.")
        for note_id, author_id in notes.to_amend
    )
