from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.vocabulary import Stage
from sessions.documents import home_care
from sessions.planning.planner import plan_to_dict
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import AppointmentFactory, accepted_plan_create, library_into_database
from tests.sessions.planning.planner.library import LIBRARY

pytestmark = pytest.mark.django_db

BY_SLUG = {exercise.slug: exercise for exercise in LIBRARY.exercises}


def _url(client):
    return reverse("sessions:home_care_sheet", args=[client.pk])


@pytest.fixture
def planned(therapist):
    library_into_database()
    client = sarah(therapist)
    client.first_name = "Zoë"
    client.last_name = "Ñúñez-O'Brien"
    client.save()
    session_plan = accepted_plan_create(
        client=client, therapist=therapist, stage=Stage.STRENGTHENING
    )
    return client, session_plan


def _add_to_plan(session_plan, slug, cautions="Careful"):
    """Put a library exercise into the stored plan, as if the plan had offered it."""
    exercise = BY_SLUG[slug]
    snapshot = session_plan.snapshot
    snapshot["plan"]["home_care"].append(
        {
            "exercise_slug": slug,
            "name": exercise.name,
            "purpose": exercise.purpose,
            "instructions": exercise.instructions,
            "dosage": "10 repetitions",
            "cautions": cautions,
            "reason": "test",
        }
    )
    type(session_plan).objects.filter(pk=session_plan.pk).update(snapshot=snapshot)


def test_the_sheet_lists_the_plans_exercises_with_dosage_and_cautions(therapist_client, planned):
    client, session_plan = planned

    response = therapist_client.get(_url(client))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Your home care, Zoë" in text
    assert session_plan.plan.home_care
    for entry in session_plan.plan.home_care:
        assert entry.name in text
        assert " ".join(entry.dosage.split()) in text
        assert " ".join(entry.cautions.split())[:40] in text


def test_the_sheet_carries_the_stop_rule_the_red_flags_and_ice_or_heat(therapist_client, planned):
    client, _ = planned

    text = pdf_text(therapist_client.get(_url(client)).content)

    assert home_care.STOP_RULE in text
    assert home_care.STOP_RULE_EFFORT in text
    assert "Get medical help now if…" in text
    for flag in home_care.RED_FLAGS_PLAIN:
        assert " ".join(flag.split()) in text
    assert " ".join(home_care.RED_FLAGS_ACTION.split()) in text
    assert "Ice and heat" in text
    assert " ".join(home_care.ICE_HEAT_SKIN.split()) in text


def test_an_exercise_excluded_since_the_plan_never_appears(therapist_client, planned):
    client, session_plan = planned
    _add_to_plan(session_plan, "modified-plank")
    assert "Modified plank" in pdf_text(therapist_client.get(_url(client)).content)

    ScreeningFactory(
        client=client, screened_on=timezone.localdate(), pregnant=True, pregnancy_weeks=20
    )

    assert "Modified plank" not in pdf_text(therapist_client.get(_url(client)).content)


def test_an_exercise_of_another_stage_never_appears(therapist_client, planned):
    client, session_plan = planned
    _add_to_plan(session_plan, "ice-pack")

    assert BY_SLUG["ice-pack"].name not in pdf_text(therapist_client.get(_url(client)).content)


def test_the_next_booked_appointment_is_printed(therapist_client, planned):
    client, _ = planned
    day = timezone.localdate() + timedelta(days=2)
    AppointmentFactory(
        client=client, starts_at=timezone.make_aware(datetime.combine(day, time(14, 30)))
    )

    text = pdf_text(therapist_client.get(_url(client)).content)

    assert f"{day:%A} {day.day} {day:%B %Y} at 14:30, with Alice" in text


def test_without_a_booking_the_sheet_says_to_call(therapist_client, planned):
    client, _ = planned
    assert "Not booked yet: please call Sciatica Clinic to book." in pdf_text(
        therapist_client.get(_url(client)).content
    )


def test_no_plan_no_sheet_and_the_reason(therapist_client, therapist):
    library_into_database()
    client = sarah(therapist)

    response = therapist_client.get(_url(client), follow=True)

    assert escape(home_care.HOME_CARE_NO_PLAN) in response.content.decode()


def test_a_red_flag_since_the_plan_means_a_referral_not_exercises(therapist_client, planned):
    client, _ = planned
    ScreeningFactory(client=client, screened_on=timezone.localdate(), saddle_anaesthesia=True)

    response = therapist_client.get(_url(client), follow=True)

    assert response.redirect_chain
    assert "No home-care sheet: the latest screening says" in response.content.decode()


def test_the_manager_prints_it_too(manager_client, planned):
    client, _ = planned
    assert manager_client.get(_url(client)).status_code == 200


def test_a_colleague_gets_404(colleague_client, planned):
    client, _ = planned
    assert colleague_client.get(_url(client)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, planned):
    patient, _ = planned
    response = client.get(_url(patient))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_plan_to_dict_round_trip_is_what_the_sheet_reads(planned):
    _, session_plan = planned
    assert plan_to_dict(session_plan.plan) == session_plan.snapshot["plan"]


HEAT_PACK_CAUTIONS = (
    "Never fall asleep on a heating pad. If your skin has reduced feeling (for example with "
    "diabetes), check it often. Not on the belly in pregnancy."
)


def test_the_cautions_are_those_of_the_clients_conditions_and_the_general_ones(
    therapist_client, planned
):
    client, session_plan = planned
    _add_to_plan(session_plan, "heat-pack", cautions=HEAT_PACK_CAUTIONS)

    before = pdf_text(therapist_client.get(_url(client)).content)
    ScreeningFactory(client=client, screened_on=timezone.localdate(), diabetes_or_neuropathy=True)
    after = pdf_text(therapist_client.get(_url(client)).content)

    assert "Never fall asleep on a heating pad." in before
    assert "reduced feeling" not in before and "pregnancy" not in before
    assert "Never fall asleep on a heating pad." in after
    assert "If your skin has reduced feeling (for example with diabetes), check it often." in after
    assert "pregnancy" not in after
    for text in (before, after):
        assert home_care.STOP_RULE in text
        assert "Get medical help now if…" in text
