"""Planning a session in the browser: propose, refuse, adjust, accept, and the stored snapshot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.vocabulary import Stage
from intake.services import SCREENING_MISSING
from protocols.models import SessionTemplate, Technique
from sessions.models.plan import SessionPlan
from sessions.planning.planner import (
    PLAN_POSITION_SPLIT,
    PLAN_SAME_WORK,
    PLAN_TOTAL_MISMATCH,
    REFUSAL_NEXT_STEP_EMERGENCY,
    Plan,
    plan_to_dict,
)
from sessions.planning.views import APPOINTMENT_NOT_FOUND, PLAN_ACCEPTED
from tests.intake.factories import ScreeningFactory, sarah
from tests.sessions.factories import AppointmentFactory, library_into_database
from tests.sessions.planning.pages import review_form, select_options

pytestmark = pytest.mark.django_db

QUERY = "?minutes=60&stage=3&course=acute"


@pytest.fixture
def library():
    library_into_database()


@pytest.fixture
def sarah_record(library, therapist):
    return sarah(therapist)


def new_url(client_record, query=QUERY):
    return reverse("sessions:plan_new", args=[client_record.pk]) + query


def review_url(client_record):
    return reverse("sessions:plan_review", args=[client_record.pk])


def proposal_form(browser, client_record, query=QUERY, adjust=False):
    page = browser.get(new_url(client_record, query + ("&adjust=1" if adjust else "")))
    assert page.status_code == 200
    return page, review_form(page.content.decode())


def line_index(data: dict, slug: str) -> int:
    return next(
        int(name.split("-")[1])
        for name, value in data.items()
        if name.endswith("-technique") and value == slug
    )


def test_the_form_suggests_week_one_and_a_first_visit_for_a_new_client(
    therapist_client, sarah_record
):
    page = therapist_client.get(reverse("sessions:plan_new", args=[sarah_record.pk]))
    form = page.context["form"]
    assert form.initial["stage"] == Stage.FIREFIGHTING
    assert form.initial["first_visit"] is True
    assert form.initial["course"] == "acute"
    assert (
        "Suggested: Week 1 · Firefighting, because the pain started under 6 weeks ago "
        "(acute): settle it first."
    ) in page.content.decode()
    assert "plan" not in page.context


def test_the_proposal_is_a_timed_run_sheet_with_reasons_home_care_and_frequency(
    therapist_client, sarah_record
):
    page, _ = proposal_form(therapist_client, sarah_record, QUERY + "&first_visit=on")
    html = page.content.decode()
    plan = page.context["plan"]
    assert isinstance(plan, Plan) and plan.minutes == 60
    for heading in (
        "Initial assessment",
        "Preparation and warm-up",
        "Targeted intervention",
        "Integration and education",
    ):
        assert heading in html
    assert "Reposition the client: <strong>Prone, frog-leg</strong>" in html
    assert "Soft-tissue entrapment (piriformis): primary target, the deep rotators" in html
    assert "0–15" in html  # the assessment block's clock minutes
    for entry in plan.home_care:
        assert entry.name in html
    assert plan.frequency.text in html
    assert not SessionPlan.objects.exists()


def test_an_impossible_length_typed_into_the_address_is_a_field_error_not_a_crash(
    therapist_client, sarah_record
):
    page = therapist_client.get(new_url(sarah_record, "?minutes=62&stage=9&course=acute"))
    assert page.status_code == 200
    form = page.context["form"]
    assert "minutes" in form.errors and "stage" in form.errors
    assert "plan" not in page.context


def test_a_red_flag_shows_the_refusal_with_its_reasons_and_the_next_step(
    therapist, therapist_client, library
):
    client_record = sarah(therapist, saddle_anaesthesia=True)
    page = therapist_client.get(reverse("sessions:plan_new", args=[client_record.pk]))
    html = page.content.decode()
    assert page.context["refusal"].emergency
    assert "Emergency department today." in html
    assert "Saddle anaesthesia: numbness in the groin, inner thighs or perineum" in html
    assert REFUSAL_NEXT_STEP_EMERGENCY in html
    assert "Accept this plan" not in html


def test_a_client_never_screened_is_asked_for_a_screening_first(
    therapist, therapist_client, library
):
    from tests.intake.factories import ClientFactory

    client_record = ClientFactory(therapist=therapist)
    page = therapist_client.get(reverse("sessions:plan_new", args=[client_record.pk]))
    assert page.context["refusal"].reasons == (SCREENING_MISSING,)
    assert SCREENING_MISSING in page.content.decode()


def test_accepting_the_proposal_stores_a_snapshot_and_shows_it(
    therapist, therapist_client, sarah_record
):
    page, data = proposal_form(therapist_client, sarah_record, QUERY + "&first_visit=on")
    response = therapist_client.post(
        review_url(sarah_record), {**data, "action": "accept"}, follow=True
    )
    session_plan = SessionPlan.objects.get()
    assert response.redirect_chain[-1][0] == session_plan.get_absolute_url()
    assert PLAN_ACCEPTED in response.content.decode()
    assert session_plan.plan == page.context["plan"]
    assert session_plan.snapshot["plan"] == plan_to_dict(page.context["plan"])
    assert session_plan.snapshot["inputs"]["hypothesis"]["kind"] == "entrapment_piriformis"
    assert not session_plan.adjusted
    assert (session_plan.therapist, session_plan.client) == (therapist, sarah_record)
    assert (session_plan.minutes, session_plan.stage, session_plan.first_visit) == (60, 3, True)


def test_a_high_blood_pressure_plan_keeps_the_combined_prone_limit_with_its_inputs(
    therapist, therapist_client, library
):
    client_record = sarah(therapist, high_blood_pressure=True)
    _, data = proposal_form(therapist_client, client_record)
    therapist_client.post(review_url(client_record), {**data, "action": "accept"})
    restrictions = SessionPlan.objects.get().snapshot["inputs"]["triage"]["restrictions"]
    assert restrictions["max_prone_minutes"] == 20


def test_a_plan_accepted_before_the_combined_prone_limit_still_opens(
    therapist, therapist_client, library
):
    client_record = sarah(therapist, high_blood_pressure=True)
    _, data = proposal_form(therapist_client, client_record)
    therapist_client.post(review_url(client_record), {**data, "action": "accept"})
    session_plan = SessionPlan.objects.get()
    snapshot = session_plan.snapshot
    # How the inputs were stored while high blood pressure limited each prone position
    # on its own.
    old = snapshot["inputs"]["triage"]["restrictions"]
    del old["max_prone_minutes"]
    old["max_minutes_per_position"] = [["prone", 20], ["prone_frog", 20]]
    SessionPlan.objects.filter(pk=session_plan.pk).update(snapshot=snapshot)
    page = therapist_client.get(session_plan.get_absolute_url())
    assert page.status_code == 200
    assert SessionPlan.objects.get().plan == session_plan.plan


def test_later_library_edits_never_change_an_accepted_plan(therapist_client, sarah_record):
    _, data = proposal_form(therapist_client, sarah_record)
    therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    session_plan = SessionPlan.objects.get()
    before = session_plan.plan
    for technique in Technique.objects.all():
        technique.name = f"Renamed {technique.pk}"
        technique.default_minutes = technique.max_minutes = technique.min_minutes
        technique.save()
    page = therapist_client.get(session_plan.get_absolute_url())
    assert page.context["plan"] == before
    assert "Renamed" not in page.content.decode()
    assert before.items[0].name in page.content.decode()


def test_swapping_a_technique_for_an_allowed_alternative_is_checked_then_accepted(
    therapist_client, sarah_record
):
    page, data = proposal_form(therapist_client, sarah_record, adjust=True)
    html = page.content.decode()
    index = line_index(data, "gluteus-medius-minimus-stripping")
    options = select_options(html, f"line-{index}-technique")
    assert "hubcap-release" in options
    assert "hubcap-static-compression" not in options  # week 1 only: not allowed in week 3
    data[f"line-{index}-technique"] = "hubcap-release"
    checked = therapist_client.post(review_url(sarah_record), {**data, "action": "check"})
    assert "The adjusted plan keeps every rule" in checked.content.decode()
    assert checked.context["proposal_query"] == "minutes=60&stage=3&course=acute"
    assert not SessionPlan.objects.exists()
    therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    session_plan = SessionPlan.objects.get()
    assert session_plan.adjusted
    slugs = [item.technique_slug for item in session_plan.plan.items]
    assert "hubcap-release" in slugs and "gluteus-medius-minimus-stripping" not in slugs
    swapped = next(i for i in session_plan.plan.items if i.technique_slug == "hubcap-release")
    assert swapped.reason.startswith("Chosen by the therapist in place of the proposal.")


def test_swapping_in_a_second_version_of_the_same_work_is_named_and_nothing_is_saved(
    therapist_client, sarah_record
):
    page, data = proposal_form(therapist_client, sarah_record, adjust=True)
    assert "gentle-stretching" in data.values()
    index = line_index(data, "movement-re-education")
    assert "gentle-side-lying-stretch" in select_options(
        page.content.decode(), f"line-{index}-technique"
    )
    data[f"line-{index}-technique"] = "gentle-side-lying-stretch"
    data[f"line-{index}-minutes"] = "5"
    page = therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    message = PLAN_SAME_WORK.format(
        name="Gentle assisted stretch, side-lying", other="Gentle assisted stretching, supine"
    )
    assert message in page.context["problems"]
    assert message in page.content.decode()
    assert not SessionPlan.objects.exists()


def test_moving_minutes_so_the_total_is_wrong_is_named_and_nothing_is_saved(
    therapist_client, sarah_record
):
    _, data = proposal_form(therapist_client, sarah_record, adjust=True)
    index = line_index(data, "frog-leg-position")
    data[f"line-{index}-minutes"] = str(int(data[f"line-{index}-minutes"]) + 1)
    page = therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert page.status_code == 200
    assert PLAN_TOTAL_MISMATCH.format(total=61, minutes=60) in page.context["problems"]
    assert "This plan cannot be accepted as it is" in page.content.decode()
    assert not SessionPlan.objects.exists()


def test_moving_minutes_between_items_keeps_the_plan_valid(therapist_client, sarah_record):
    _, data = proposal_form(therapist_client, sarah_record, adjust=True)
    giver = line_index(data, "trigger-point-ischemic-compression")
    taker = line_index(data, "frog-leg-position")
    data[f"line-{giver}-minutes"] = str(int(data[f"line-{giver}-minutes"]) - 1)
    data[f"line-{taker}-minutes"] = str(int(data[f"line-{taker}-minutes"]) + 1)
    therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    frog = next(
        i for i in SessionPlan.objects.get().plan.items if i.technique_slug == "frog-leg-position"
    )
    assert frog.minutes == int(data[f"line-{taker}-minutes"])


def test_reordering_that_splits_a_position_block_is_named(therapist_client, sarah_record):
    _, data = proposal_form(therapist_client, sarah_record, adjust=True)
    frog = line_index(data, "frog-leg-position")
    data[f"line-{frog}-order"] = "1"  # before the prone work of the same block
    page = therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert page.context["problems"] == [PLAN_POSITION_SPLIT.format(position="Prone")]
    assert not SessionPlan.objects.exists()


def test_a_technique_slug_not_on_offer_is_a_field_error(therapist_client, sarah_record):
    _, data = proposal_form(therapist_client, sarah_record, adjust=True)
    data["line-3-technique"] = "hubcap-static-compression"
    page = therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert page.status_code == 200
    assert page.context["formset"].forms[3].errors["technique"]
    assert not SessionPlan.objects.exists()


def test_a_screening_recorded_meanwhile_replaces_the_plan_with_a_refusal(
    therapist_client, sarah_record
):
    _, data = proposal_form(therapist_client, sarah_record)
    ScreeningFactory(
        client=sarah_record, night_pain=True, screened_on=sarah_record.screenings.get().screened_on
    )
    page = therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert page.context["refusal"].reasons == ("Unrelenting night pain",)
    assert not SessionPlan.objects.exists()


def test_the_third_visit_of_an_acute_course_suggests_week_two(therapist_client, sarah_record):
    for query in (
        QUERY.replace("stage=3", "stage=1") + "&first_visit=on",
        QUERY.replace("stage=3", "stage=1"),
    ):
        _, data = proposal_form(therapist_client, sarah_record, query)
        therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert SessionPlan.objects.count() == 2
    page = therapist_client.get(reverse("sessions:plan_new", args=[sarah_record.pk]))
    assert page.context["form"].initial["stage"] == Stage.DECOMPRESSION
    assert page.context["form"].initial["first_visit"] is False
    assert (
        "Suggested: Week 2 · Decompression, because this is visit 3 of the course of care, "
        "at 2 a week."
    ) in page.content.decode()


def test_planning_from_an_appointment_takes_its_length_and_links_the_plan(
    therapist_client, sarah_record
):
    appointment = AppointmentFactory(client=sarah_record, minutes=45)
    page = therapist_client.get(
        reverse("sessions:plan_new", args=[sarah_record.pk]) + f"?appointment={appointment.pk}"
    )
    assert page.context["form"].initial["minutes"] == 45
    query = f"?minutes=45&stage=2&course=acute&appointment={appointment.pk}"
    _, data = proposal_form(therapist_client, sarah_record, query)
    therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    assert SessionPlan.objects.get().appointment == appointment


def test_another_clients_appointment_is_ignored_with_a_warning(
    therapist, therapist_client, sarah_record
):
    other = AppointmentFactory(client=sarah(therapist), minutes=45)
    page = therapist_client.get(
        reverse("sessions:plan_new", args=[sarah_record.pk]) + f"?appointment={other.pk}"
    )
    assert APPOINTMENT_NOT_FOUND in page.content.decode()
    assert page.context["form"].initial["minutes"] == 60


def test_a_library_without_a_template_is_a_message_not_an_error(therapist_client, sarah_record):
    SessionTemplate.objects.update(retired=True)
    page = therapist_client.get(new_url(sarah_record))
    assert page.status_code == 200
    assert "no active session template" in page.content.decode()


def test_the_plan_list_query_count_does_not_grow_with_plans(
    therapist_client, sarah_record, django_assert_num_queries
):
    _, data = proposal_form(therapist_client, sarah_record)
    therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    url = reverse("sessions:plan_list", args=[sarah_record.pk])
    with CaptureQueriesContext(connection) as one:
        therapist_client.get(url)
    with_one_plan = len(one.captured_queries)
    for _ in range(4):
        _, data = proposal_form(therapist_client, sarah_record)  # each page its own token
        therapist_client.post(review_url(sarah_record), {**data, "action": "accept"})
    with django_assert_num_queries(with_one_plan):
        page = therapist_client.get(url)
    assert page.content.decode().count("60 min") == 5


def test_a_refusal_links_the_referral_letter(therapist, therapist_client, library):
    client_record = sarah(therapist, night_pain=True)
    page = therapist_client.get(reverse("sessions:plan_new", args=[client_record.pk]))
    letter = reverse("sessions:referral_letter", args=[client_record.pk])
    assert f'href="{letter}"' in page.content.decode()


def test_neural_findings_suggest_follow_up_with_the_referral_letter(
    therapist, therapist_client, library
):
    from tests.intake.factories import AssessmentFactory, positive_slr

    client_record = sarah(therapist)
    AssessmentFactory(
        client=client_record,
        assessed_on=client_record.assessments.get().assessed_on,
        **positive_slr(bragard_side="left", bragard_pain_returned=True),
    )
    page, _ = proposal_form(therapist_client, client_record, QUERY.replace("stage=3", "stage=2"))
    html = page.content.decode()
    assert page.context["plan"].medical_follow_up
    assert "Suggest medical follow-up." in html
    assert reverse("sessions:referral_letter", args=[client_record.pk]) in html


def test_a_chronic_settled_presentation_is_suggested_week_two_with_the_reason(
    therapist_client, sarah_record
):
    """Clinical rules §6.1: firefighting is for an acute or irritable presentation."""
    history = sarah_record.health_history
    history.onset_date = timezone.localdate() - timedelta(days=120)
    history.pain_now = 4
    history.save()
    page = therapist_client.get(reverse("sessions:plan_new", args=[sarah_record.pk]))
    assert page.context["form"].initial["stage"] == Stage.DECOMPRESSION
    assert page.context["form"].initial["course"] == "chronic"
    assert (
        "Suggested: Week 2 · Decompression, because the pain is chronic (6 weeks or more) and "
        "not irritable (4/10 now): no firefighting week needed."
    ) in page.content.decode()


def test_an_irritable_chronic_presentation_still_starts_with_firefighting(
    therapist_client, sarah_record
):
    history = sarah_record.health_history
    history.onset_date = timezone.localdate() - timedelta(days=120)
    history.pain_now, history.pain_worst = 8, 9
    history.save()
    page = therapist_client.get(reverse("sessions:plan_new", args=[sarah_record.pk]))
    assert page.context["form"].initial["stage"] == Stage.FIREFIGHTING
    assert (
        "Suggested: Week 1 · Firefighting, because the pain is 8/10 now, an irritable "
        "presentation: settle it first."
    ) in page.content.decode()
