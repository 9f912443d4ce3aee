"""Factories for charting tests: notes, their technique rows, a signed note, form data."""

from __future__ import annotations

from datetime import date

import factory

from core.vocabulary import Position, Pressure
from sessions.charting.services import note_sign
from sessions.models.note import NoteTechnique, SessionNote
from tests.factories import ClientFactory


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


def accepted_plan_create(*, client, therapist, stage=None, minutes: int = 60, appointment=None):
    """An accepted plan for `client`, built by the real planner from the client's records.

    The client needs a screening that allows treatment, and the library must be in the
    database (`tests.planner.factories.library_into_database`).
    """
    from core.vocabulary import Stage
    from intake.services import client_clinical_state
    from sessions.planning.services import PlanRequest, plan_accept, plan_propose

    state = client_clinical_state(client=client)
    request = PlanRequest(
        minutes=minutes,
        stage=stage or Stage.FIREFIGHTING,
        first_visit=not client.session_plans.exists(),
        acute=state.acute,
    )
    proposal = plan_propose(client=client, request=request)
    return plan_accept(
        client=client,
        therapist=therapist,
        proposal=proposal,
        plan=proposal.result,
        appointment=appointment,
    )
