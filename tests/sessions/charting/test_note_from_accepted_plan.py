"""A note starts from the accepted plan: techniques with minutes, position and pressure."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import Finding, Position, Pressure, Stage
from intake.rules import Hypothesis, HypothesisKind, Triage, TriageOutcome
from sessions.charting import services as charting
from sessions.charting.services import TechniqueRow, plan_note_prefill
from sessions.planning.planner import ASSESSMENT_SLUG, plan_build
from tests.intake.factories import sarah
from tests.sessions.factories import accepted_plan_create, library_into_database, note_form_data
from tests.sessions.planning.planner.library import LIBRARY

ENTRAPMENT = Hypothesis(
    HypothesisKind.ENTRAPMENT_PIRIFORMIS,
    findings=frozenset({Finding.PIRIFORMIS, Finding.GLUTEUS_MINIMUS}),
)


def _plan(**kwargs):
    options = {
        "triage": Triage(outcome=TriageOutcome.TREAT),
        "hypothesis": ENTRAPMENT,
        "stage": Stage.MOBILITY,
        "minutes": 60,
        "first_visit": True,
        "library": LIBRARY,
        "acute": False,
    }
    return plan_build(**{**options, **kwargs})


def test_the_techniques_are_the_plans_items_without_the_assessment_block():
    plan = _plan(first_visit=True)

    rows, _ = plan_note_prefill(plan)

    expected = [item for item in plan.items if item.technique_slug != ASSESSMENT_SLUG]
    assert len(expected) < len(plan.items)
    assert rows == [
        TechniqueRow(
            name=item.name,
            minutes=item.minutes,
            position=item.position,
            pressure=item.pressure,
            slug=item.technique_slug,
        )
        for item in expected
    ]
    assessment_minutes = sum(i.minutes for i in plan.items if i.technique_slug == ASSESSMENT_SLUG)
    assert sum(row.minutes for row in rows) == plan.minutes - assessment_minutes


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("minutes", [30, 45, 60, 90])
def test_every_prefilled_row_is_a_complete_technique_row(stage, minutes):
    plan = _plan(stage=stage, minutes=minutes, first_visit=False)

    rows, soap = plan_note_prefill(plan)

    assert rows
    assert sum(row.minutes for row in rows) == plan.minutes
    assert all(
        isinstance(row.position, Position) and isinstance(row.pressure, Pressure) for row in rows
    )
    assert soap["frequency"] == plan.frequency.text
    assert soap["working_hypothesis"] == "Soft-tissue entrapment (piriformis)"
    for entry in plan.home_care:
        assert f"{entry.name}: {entry.dosage}" in soap["home_care_given"]


@pytest.mark.django_db
def test_a_note_started_from_an_accepted_plan_is_prefilled_and_linked(therapist):
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)

    note = charting.note_start(
        client=client, therapist=therapist, visit_date=timezone.localdate(), plan=session_plan
    )

    rows, soap = plan_note_prefill(session_plan.plan)
    assert note.plan == session_plan
    assert [(t.name, t.minutes, t.position, t.pressure) for t in note.techniques.all()] == [
        (r.name, r.minutes, r.position, r.pressure) for r in rows
    ]
    assert note.frequency == soap["frequency"]


@pytest.mark.django_db
def test_this_visits_plan_wins_over_the_plan_section_copied_from_my_last_note(therapist):
    """The reported bug: "Start from my last note" replaced this visit's home care (its plan's)
    with last visit's. The copy fills what the plan does not say (the referrals here)."""
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)
    today = timezone.localdate()
    charting.note_start(
        client=client,
        therapist=therapist,
        visit_date=today,
        soap={
            "frequency": "As I said before",
            "home_care_given": "Week-1 list",
            "referrals": "GP letter sent",
        },
    )

    note = charting.note_start(
        client=client,
        therapist=therapist,
        visit_date=today,
        plan=session_plan,
        start_from_last=True,
    )

    _, from_plan = charting.plan_note_prefill(session_plan.plan)
    assert note.frequency == from_plan["frequency"] != "As I said before"
    assert note.home_care_given == from_plan["home_care_given"] != "Week-1 list"
    assert note.referrals == "GP letter sent"
    assert note.techniques.exists()


@pytest.mark.django_db
def test_another_clients_plan_is_refused(therapist):
    library_into_database()
    session_plan = accepted_plan_create(client=sarah(therapist), therapist=therapist)
    other = sarah(therapist)

    with pytest.raises(ValidationError) as error:
        charting.note_start(
            client=other, therapist=therapist, visit_date=timezone.localdate(), plan=session_plan
        )

    assert error.value.message_dict == {"plan": [charting.PLAN_OTHER_CLIENT]}


@pytest.mark.django_db
def test_from_accepted_plan_to_signed_note_through_the_pages(therapist_client, therapist):
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)
    start_url = reverse("sessions:note_create", args=[client.pk])

    assert therapist_client.get(start_url).context["form"].initial["plan"] == session_plan.pk
    response = therapist_client.post(
        start_url, {"visit_date": timezone.localdate().isoformat(), "plan": session_plan.pk}
    )
    note = client.session_notes.get()
    edit = therapist_client.get(response["Location"])
    rows = [
        {
            k: str(form.initial.get(k, ""))
            for k in ("name", "minutes", "position", "pressure", "slug")
        }
        for form in edit.context["formset"].forms
        if form.initial
    ]
    rows[0]["minutes"] = str(int(rows[0]["minutes"]) + 1)
    therapist_client.post(
        response["Location"],
        note_form_data(techniques=rows, visit_date=timezone.localdate().isoformat(), next_visit=""),
    )
    therapist_client.post(reverse("sessions:note_sign", args=[client.pk, note.pk]))

    note.refresh_from_db()
    assert note.signed_at is not None
    assert note.techniques.first().minutes == int(rows[0]["minutes"])
    assert note.techniques.count() == len(rows)
