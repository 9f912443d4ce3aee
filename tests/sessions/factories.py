"""Factories for the sessions app: the library the planner plans from, appointments, accepted
plans, notes (with their technique rows), a signed note, the note form's data."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import factory
from django.utils import timezone

from core.vocabulary import Library, Position, Pressure, Stage
from intake.services import client_clinical_state
from sessions.charting.services import note_sign
from sessions.models import Appointment
from sessions.models.note import NoteTechnique, SessionNote
from sessions.planning.services import PlanRequest, plan_accept, plan_propose
from tests.intake.factories import ClientFactory
from tests.protocols.factories import (
    CareStageFactory,
    ExerciseFactory,
    SessionTemplateFactory,
    TechniqueFactory,
)
from tests.sessions.planning.planner.library import LIBRARY


def library_into_database(library: Library = LIBRARY) -> None:
    """Store the plain-data library as active library rows (what `library_snapshot` reads)."""
    for t in library.techniques:
        TechniqueFactory(
            slug=t.slug,
            name=t.name,
            phase=t.phase,
            position=t.position,
            tool=t.tool,
            min_pressure=t.min_pressure,
            max_pressure=t.max_pressure,
            default_minutes=t.default_minutes,
            min_minutes=t.min_minutes,
            max_minutes=t.max_minutes,
            holds=t.holds,
            cautions=t.cautions or "Check in with the client.",
            anatomy=t.anatomy or "Gluteals",
            traits=sorted(str(x) for x in t.traits),
            stages=sorted(int(x) for x in t.stages),
            findings=sorted(str(x) for x in t.findings),
            order=t.order,
            variant_of=t.variant_of,
        )
    for e in library.exercises:
        ExerciseFactory(
            slug=e.slug,
            name=e.name,
            purpose=e.purpose,
            instructions=e.instructions,
            cautions=e.cautions or "Stop if tingling increases.",
            position=e.position,
            traits=sorted(str(x) for x in e.traits),
            stages=sorted(int(x) for x in e.stages),
            findings=sorted(str(x) for x in e.findings),
            order=e.order,
        )
    template = library.template
    phases = dict(template.phase_minutes)
    SessionTemplateFactory(
        name=template.name,
        reference_minutes=template.reference_minutes,
        assessment_minutes=template.assessment_minutes,
        warm_up_minutes=phases["warm_up"],
        targeted_minutes=phases["targeted"],
        integration_minutes=phases["integration"],
        min_warm_up_minutes=template.min_warm_up_minutes,
    )
    for stage in library.stages:
        CareStageFactory(
            stage=stage.stage,
            slug=f"week-{int(stage.stage)}",
            name=stage.name,
            goal=stage.goal,
            in_clinic=stage.in_clinic,
            home_care=stage.home_care,
            acute_per_week=stage.acute_frequency.per_week,
            acute_weeks=stage.acute_frequency.weeks,
            chronic_per_week=stage.chronic_frequency.per_week,
            chronic_weeks=stage.chronic_frequency.weeks,
        )


def clinic_time(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """An aware moment `day_offset` days from today at hour:minute, clinic wall-clock time."""
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class AppointmentFactory(factory.django.DjangoModelFactory):
    """Saves directly (no overlap check): tests that need the rules call the services."""

    class Meta:
        model = Appointment

    client = factory.SubFactory(ClientFactory)
    therapist = factory.LazyAttribute(lambda o: o.client.therapist)
    # One a day from tomorrow, so factory rows never overlap by accident.
    starts_at = factory.Sequence(lambda n: clinic_time(1 + n, 10))
    minutes = 60


def accepted_plan_create(
    *,
    client=None,
    therapist=None,
    appointment=None,
    stage: Stage | None = None,
    minutes: int | None = None,
    first_visit: bool | None = None,
    acute: bool | None = None,
):
    """An accepted plan, built by the real planner from the client's records.

    `client` and `therapist` default to the appointment's, and the plan is linked to it;
    `minutes` defaults to the appointment's length (60 without one), `stage` to week 1,
    `first_visit` to whether the client has no plan yet, `acute` to what the records say.
    The client needs a screening that allows treatment, and the library must be in the
    database (`library_into_database`).
    """
    if appointment is not None:
        client = client or appointment.client
        therapist = therapist or appointment.therapist
    if minutes is None:
        minutes = appointment.minutes if appointment is not None else 60
    if first_visit is None:
        first_visit = not client.session_plans.exists()
    if acute is None:
        acute = client_clinical_state(client=client).acute
    request = PlanRequest(
        minutes=minutes, stage=stage or Stage.FIREFIGHTING, first_visit=first_visit, acute=acute
    )
    proposal = plan_propose(client=client, request=request)
    return plan_accept(
        client=client,
        therapist=therapist,
        proposal=proposal,
        plan=proposal.result,
        appointment=appointment,
    )


class SessionNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionNote

    client = factory.SubFactory(ClientFactory)
    therapist = factory.SelfAttribute("client.therapist")
    visit_date = date(2026, 3, 2)
    client_report = "Shooting pain down the left leg after sitting for an hour."
    pain_before = 6
    changes_since_last_visit = "Sleeping better."
    home_care_adherence = SessionNote.Adherence.PARTLY
    findings = "Left piriformis tender; SLR left positive at 45 degrees."
    working_hypothesis = "Soft-tissue entrapment (piriformis)."
    response_to_treatment = "Buttock pain eased; leg pain unchanged."
    pain_after = 4
    frequency = "Twice a week for 2 weeks"
    home_care_given = "Tennis-ball piriformis release, 60-90 s each side."
    referrals = ""


class NoteTechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoteTechnique

    note = factory.SubFactory(SessionNoteFactory)
    order = factory.Sequence(int)
    technique_slug = "sacral-scoring-and-friction"
    name = "Sacral scoring and friction"
    minutes = 8
    position = Position.PRONE
    pressure = Pressure.MODERATE


def signed_note_create(**kwargs) -> SessionNote:
    """A complete note with two technique rows, signed by its therapist."""
    note = SessionNoteFactory(**kwargs)
    NoteTechniqueFactory(note=note)
    NoteTechniqueFactory(
        note=note,
        technique_slug="hubcap-release",
        name='"Hubcap" release',
        minutes=6,
        pressure=Pressure.LIGHT,
    )
    return note_sign(note=note, user=note.therapist)


def note_form_data(*, techniques: list[dict] | None = None, **soap) -> dict:
    """A complete, valid POST for the note edit page (SOAP fields plus the techniques formset)."""
    data = {
        "visit_date": "2026-03-02",
        "client_report": "Rewritten report",
        "pain_before": "9",
        "changes_since_last_visit": "Rewritten changes",
        "home_care_adherence": SessionNote.Adherence.NOT_DONE,
        "findings": "Rewritten findings",
        "working_hypothesis": "Rewritten hypothesis",
        "response_to_treatment": "Rewritten response",
        "pain_after": "1",
        "adverse_response": "",
        "adverse_response_change": "",
        "next_visit": "2026-03-09",
        "frequency": "Rewritten frequency",
        "home_care_given": "Rewritten home care",
        "referrals": "Rewritten referrals",
        **soap,
    }
    rows = (
        techniques
        if techniques is not None
        else [
            {"name": "Rewritten technique", "minutes": "20", "position": "supine", "pressure": "3"}
        ]
    )
    data.update(
        {
            "techniques-TOTAL_FORMS": str(len(rows)),
            "techniques-INITIAL_FORMS": "0",
            "techniques-MIN_NUM_FORMS": "0",
            "techniques-MAX_NUM_FORMS": "40",
        }
    )
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"techniques-{index}-{key}"] = value
    return data
