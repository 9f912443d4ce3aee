"""A small clinic for the security tests: two therapists, each with a client who has every kind
of record, and the manager; plus the project's URLs, walked from the resolver, with the
keyword arguments that point them at one therapist's records.

Built through the apps' own factories and services (the real planner accepts the plans, the
charting service signs the note), so the pages under test see what they see in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpResponse
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.roles import MANAGER, THERAPIST
from intake.models import Assessment, Client, IntakeLink, IntakeSubmission, Screening
from intake.portal.services import intake_link_issue, intake_submission_create
from intake.rules import RED_FLAG_QUESTIONS, Side
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique
from sessions.charting.services import note_amend
from sessions.models import Appointment
from sessions.models.note import NoteAmendment, SessionNote
from sessions.models.plan import SessionPlan
from tests.core.factories import user_create
from tests.core.form_tokens import TokenClient
from tests.intake.factories import (
    AssessmentFactory,
    ClientFactory,
    HealthHistoryFactory,
    ScreeningFactory,
    positive_slr,
)
from tests.sessions.factories import (
    AppointmentFactory,
    NoteTechniqueFactory,
    SessionNoteFactory,
    accepted_plan_create,
    clinic_time,
    library_into_database,
    signed_note_create,
)

PASSWORD = "world-password-1"

# What an attacker types into a name or a note.
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE_BREAK = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
PAYLOADS = (SCRIPT, ATTRIBUTE_BREAK, TEMPLATE)
HOSTILE_TEXT = " ".join(PAYLOADS)


@dataclass
class Corner:
    """One therapist's share of the world: a client and one record of every kind."""

    therapist: User
    client: Client
    screening: Screening
    assessment: Assessment
    appointment: Appointment
    plan: SessionPlan
    note: SessionNote  # a draft: the edit and sign pages apply
    signed_note: SessionNote  # signed: the amend page applies
    amendment: NoteAmendment
    intake_link: IntakeLink  # sent: its submission awaits review
    intake_submission: IntakeSubmission


@dataclass
class World:
    own: Corner  # alice's
    other: Corner  # bob's
    manager: User

    @property
    def users(self) -> dict[str, User]:
        return {"owner": self.own.therapist, "other": self.other.therapist, "manager": self.manager}


def corner_build(
    *, therapist: User, first_name: str, last_name: str, text: str, day_offset: int
) -> Corner:
    """A client with history, screening, assessment (SLR and Bragard positive: a referral
    letter for medical follow-up is due, and a plan is still allowed), a booked visit, an accepted plan, a draft note and a signed,
    amended note; every free-text field holds `text`."""
    today = timezone.localdate()
    client = ClientFactory(
        therapist=therapist,
        first_name=first_name,
        last_name=last_name,
        occupation=text,
        lifestyle=text,
        address=text,
        physician_name=text[:200],
    )
    HealthHistoryFactory(
        client=client,
        onset_date=today - timedelta(days=10),
        pain_location=text[:100],
        aggravating_factors=text,
        previous_treatments=text,
        medications=text,
        comorbidities=text,
    )
    screening = ScreeningFactory(client=client, screened_on=today, notes=text)
    assessment = AssessmentFactory(
        client=client,
        assessed_on=today,
        notes=text,
        **positive_slr(bragard_side=Side.LEFT, bragard_pain_returned=True),
    )
    appointment = AppointmentFactory(
        client=client, starts_at=clinic_time(day_offset, 10), note=text
    )
    plan = accepted_plan_create(client=client, therapist=therapist, appointment=appointment)
    soap = {
        field: text
        for field in (
            "client_report",
            "changes_since_last_visit",
            "findings",
            "working_hypothesis",
            "response_to_treatment",
            "frequency",
            "home_care_given",
            "referrals",
        )
    }
    note = SessionNoteFactory(client=client, visit_date=today, **soap)
    NoteTechniqueFactory(note=note, name=text[:100])
    signed_note = signed_note_create(client=client, visit_date=today - timedelta(days=7), **soap)
    amendment = note_amend(note=signed_note, author=therapist, text=text)
    intake_link, token = intake_link_issue(client=client, issued_by=therapist)
    intake_submission = intake_submission_create(token=token, answers=intake_answers(text))
    return Corner(
        therapist=therapist,
        client=client,
        screening=screening,
        assessment=assessment,
        appointment=appointment,
        plan=plan,
        note=note,
        signed_note=signed_note,
        amendment=amendment,
        intake_link=intake_link,
        intake_submission=intake_submission,
    )


OWN_NAME = ("Olive", "Ownerton")
OTHER_NAME = ("Oscar", "Otherby")


def world_build(
    *, own_name=OWN_NAME, other_name=OTHER_NAME, text: str = "Ordinary notes."
) -> World:
    library_into_database()
    alice = user_create("alice", THERAPIST, "Alice", password=PASSWORD)
    bob = user_create("bob", THERAPIST, "Bob", password=PASSWORD)
    carol = user_create("carol", MANAGER, "Carol", password=PASSWORD)
    return World(
        own=corner_build(
            therapist=alice, first_name=own_name[0], last_name=own_name[1], text=text, day_offset=1
        ),
        other=corner_build(
            therapist=bob,
            first_name=other_name[0],
            last_name=other_name[1],
            text="Other notes.",
            day_offset=2,
        ),
        manager=carol,
    )


# ---------------------------------------------------------------------------------------------
# The project's URLs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]  # the keyword arguments the pattern takes


def routes() -> list[Route]:
    """Every named URL of the project, walked from the resolver."""
    found: dict[str, Route] = {}

    def walk(resolver, namespace: str, inherited: tuple[str, ...]) -> None:
        for entry in resolver.url_patterns:
            keys = inherited + tuple(entry.pattern.regex.groupindex)
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, inner, keys)
            elif isinstance(entry, URLPattern) and entry.name:
                name = namespace + entry.name
                found.setdefault(name, Route(name=name, kwargs=keys))

    walk(get_resolver(), "", ())
    return sorted(found.values(), key=lambda route: route.name)


# The library's kinds of item, as the `kind` URL keyword names them (protocols/urls.py).
LIBRARY_MODELS = {
    "techniques": Technique,
    "exercises": HomeCareExercise,
    "stages": CareStage,
    "templates": SessionTemplate,
}

# Which of a corner's records a URL keyword points at; some pages need a particular one.
_NOTE_FOR = {"sessions:note_amend": "signed_note"}


def intake_answers(text: str) -> dict:
    """A client's intake answers (intake.portal.forms.IntakeForm.answers) holding `text` in
    every free-text answer; no red flag."""
    return {
        "contact": {"phone": text[:40], "email": "", "address": text},
        "pain_location": text,
        "onset_date": "2026-01-10",
        "pain_now": 5,
        "pain_worst": 7,
        "pain_best": 2,
        "aggravating_factors": text,
        "previous_treatments": text,
        "medications": text,
        "conditions": text,
        "pregnant": "no",
        "pregnancy_weeks": None,
        "red_flags": {q.name: False for q in RED_FLAG_QUESTIONS},
        "psfs": [{"activity": text, "score": 4}],
        "pain_map": ["calf_left:pain"],
        "consent": {"agreed": True, "signature": text, "signed_on": "2026-01-10"},
    }


def route_kwargs(route: Route, corner: Corner) -> dict:
    values = {
        "client_id": corner.client.pk,
        "appointment_id": corner.appointment.pk,
        "plan_id": corner.plan.pk,
        "note_id": getattr(corner, _NOTE_FOR.get(route.name, "note")).pk,
        "screening_id": corner.screening.pk,
        "assessment_id": corner.assessment.pk,
        "link_id": corner.intake_link.pk,
        "submission_id": corner.intake_submission.pk,
        "staff_id": corner.therapist.pk,
        # a password link that is not (or no longer) valid: the page says so
        "uidb64": "MQ",
        "token": "no-longer-valid",
    }
    if "slug" in route.kwargs:
        kind = route.name.split(":")[1].split("_")[0] + "s"  # technique_detail -> techniques
        kind = kind if kind in LIBRARY_MODELS else "techniques"
        values["kind"] = kind
        values["slug"] = (
            LIBRARY_MODELS[kind].objects.order_by("pk").values_list("slug", flat=True)[0]
        )
    elif "kind" in route.kwargs:
        values["kind"] = "techniques"
    unknown = set(route.kwargs) - set(values)
    if unknown:
        raise LookupError(
            f"tests/security/world.py: no value for {sorted(unknown)} of {route.name}"
        )
    return {key: values[key] for key in route.kwargs}


def route_url(route: Route, corner: Corner) -> str:
    return reverse(route.name, kwargs=route_kwargs(route, corner))


CLIENT_RECORD_KWARGS = {"client_id", "appointment_id", "plan_id", "note_id"}


def route_is_client_scoped(route: Route) -> bool:
    return bool(set(route.kwargs) & CLIENT_RECORD_KWARGS)


# Tables a request may legitimately write whatever its method: the audit trail, login
# sessions and throttling records, and the signed note's PDF, kept the first time it is
# printed so every later print is the same document (sessions/documents/printing.py); and
# the intake link's per-address request counter (intake/portal/services.py).
UNTRACKED_MODELS = {
    "intake.intakelinktry",
    "sciatica_clinic.auditevent",
    "visits.signednotepdf",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}


def database_snapshot() -> dict[str, dict]:
    """Every row of every tracked table, by primary key, as plain values."""
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in UNTRACKED_MODELS or not model._meta.managed:
            continue
        snapshot[label] = {
            row["pk"]: row for row in model._base_manager.values("pk", *_columns(model))
        }
    return snapshot


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields if not field.primary_key]


def snapshot_changes(before: dict, after: dict) -> list[tuple[str, object, dict | None]]:
    """(model label, pk, row after or None if deleted) for each row added, changed or deleted."""
    changes = []
    for label, rows in after.items():
        for pk, row in rows.items():
            if before[label].get(pk) != row:
                changes.append((label, pk, row))
        changes.extend((label, pk, None) for pk in before[label].keys() - rows.keys())
    return changes


def browser_for(user: User) -> HttpClient:
    """A test browser signed in as `user`, posting create forms with their page's token."""
    browser = TokenClient()
    browser.force_login(user)
    return browser


def post_isolated(browser: HttpClient, url: str, data) -> tuple[HttpResponse, list]:
    """POST, note what changed, then undo it so each attempt starts from the same world."""
    with transaction.atomic():
        before = database_snapshot()
        response = browser.post(url, data)
        changes = snapshot_changes(before, database_snapshot())
        transaction.set_rollback(True)
    return response, changes


def changes_describe(changes) -> list[str]:
    return [
        f"{label} {pk} {'deleted' if row is None else 'added or changed'}"
        for label, pk, row in changes
    ]


def changes_touching(changes, corner: Corner) -> list[str]:
    """The changed rows that are `corner`'s records or point at them."""
    ids = corner_ids(corner)
    found = []
    for label, pk, row in changes:
        if pk in ids.get(label, ()):
            found.append(f"{label} {pk} is the other therapist's record and changed")
            continue
        if row is None:
            continue
        model = apps.get_model(label)
        for field in model._meta.concrete_fields:
            target = field.related_model._meta.label_lower if field.is_relation else None
            if target in ids and row[field.attname] in ids[target]:
                found.append(f"{label} {pk}.{field.name} points at the other therapist's {target}")
    return found


# Pages reached with a query string that names a record (the booking form's client, the plan
# form's appointment): GET routes alone would not show their forms.
QUERY_PAGES = (
    ("sessions:appointment_book", "client={client}"),
    ("sessions:appointment_series_book", "client={client}"),
    ("sessions:plan_new", "appointment={appointment}"),
    ("sessions:plan_new", "minutes=60&stage=1&course=acute&appointment={appointment}"),
    ("sessions:plan_new", "minutes=60&stage=1&course=acute&appointment={appointment}&adjust=1"),
)


def corner_pages(corner: Corner) -> list[str]:
    """Every GET page of the project pointed at `corner`'s records."""
    pages = [route_url(route, corner) for route in routes()]
    # Note pages for the signed note too: its amend form and its stored PDF.
    for route in routes():
        if "note_id" in route.kwargs:
            kwargs = route_kwargs(route, corner) | {"note_id": corner.signed_note.pk}
            pages.append(reverse(route.name, kwargs=kwargs))
    pages = list(dict.fromkeys(pages))
    by_name = {route.name: route for route in routes()}
    ids = {"client": corner.client.pk, "appointment": corner.appointment.pk}
    for name, query in QUERY_PAGES:
        if name in by_name:
            pages.append(f"{route_url(by_name[name], corner)}?{query.format(**ids)}")
    return pages


def corner_ids(corner: Corner) -> dict[str, set[int]]:
    """The corner's record ids by model label (what a foreign key to them names)."""
    return {
        "intake.client": {corner.client.pk},
        "intake.screening": {corner.screening.pk},
        "intake.assessment": {corner.assessment.pk},
        "visits.appointment": {corner.appointment.pk},
        "visits.sessionplan": {corner.plan.pk},
        "visits.sessionnote": {corner.note.pk, corner.signed_note.pk},
        "visits.noteamendment": {corner.amendment.pk},
    }
