"""The primary target on the pages (clinical rules §6.2): a therapist who swaps the target's
work off a proposal is warned first, may accept (their judgment), and the accepted plan says
"removed by the therapist" above its items on the plan page and on the visit's run sheet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from protocols.models import Technique
from sessions.models.plan import SessionPlan
from sessions.planning.planner import TARGET_CONDITION, TARGET_REMOVED, plan_to_dict
from tests.intake.factories import AssessmentFactory, positive_slr, sarah
from tests.sessions.factories import AppointmentFactory, library_into_database
from tests.sessions.planning.pages import review_form, select_options

pytestmark = pytest.mark.django_db

WEEK_1 = "?minutes=60&stage=1&course=acute"
SLIDER = "sciatic-nerve-slider"
NERVE_WORK = {"neural_mobilisation", "neural_slider"}


@pytest.fixture
def neural_client(therapist):
    """Sarah's record with a later assessment pointing to the nerve: SLR and Bragard's
    positive (neural involvement, likely compression)."""
    library_into_database()
    client_record = sarah(therapist)
    AssessmentFactory(
        client=client_record,
        assessed_on=client_record.assessments.get().assessed_on,
        **positive_slr(bragard_side="left", bragard_pain_returned=True),
    )
    return client_record


def review_url(client_record):
    return reverse("sessions:plan_review", args=[client_record.pk])


def slider_swapped(browser, client_record, query=WEEK_1):
    """The adjust page's form with the nerve slider swapped for other work of its block and
    position that fits its minutes (and is not a version of planned work); and the line the
    plan should then carry."""
    page = browser.get(reverse("sessions:plan_new", args=[client_record.pk]) + query + "&adjust=1")
    html = page.content.decode()
    data = review_form(html)
    name = next(k for k, v in data.items() if k.endswith("-technique") and v == SLIDER)
    index = name.split("-")[1]
    minutes = int(data[f"line-{index}-minutes"])
    planned = Technique.objects.filter(
        slug__in=[v for k, v in data.items() if k.endswith("-technique")]
    )
    families = {t.variant_of or t.slug for t in planned}
    slider = Technique.objects.get(slug=SLIDER)
    other = next(
        t
        for t in Technique.objects.filter(slug__in=select_options(html, name))
        if not set(t.traits) & NERVE_WORK
        and (t.variant_of or t.slug) not in families
        and t.position == slider.position
        and t.min_minutes <= minutes <= t.max_minutes
    )
    data[name] = other.slug
    line = TARGET_REMOVED.format(target="gentle neural mobilisation", names=slider.name)
    return data, line


def test_checking_a_plan_without_the_targets_work_warns_and_shows_the_line_above_the_items(
    therapist_client, neural_client
):
    data, line = slider_swapped(therapist_client, neural_client)
    page = therapist_client.post(review_url(neural_client), {**data, "action": "check"})
    html = page.content.decode()
    assert page.context["problems"] == []
    assert page.context["warnings"] == [line]
    assert "Accepting it is your clinical judgment" in html
    assert "The adjusted plan keeps every rule" not in html
    assert page.context["plan"].target_missing == line
    # In the warning above the run sheet's items (said once there, not again beside it),
    # and in the side panel's modifications.
    assert html.index(line) < html.index("plan-run-sheet")
    assert "plan-missing-target" not in html
    assert f"<strong>Primary target:</strong> {line}" in html
    assert not SessionPlan.objects.exists()


def test_accepting_straight_away_shows_the_warning_first_and_saves_nothing(
    therapist_client, neural_client
):
    data, line = slider_swapped(therapist_client, neural_client)
    page = therapist_client.post(review_url(neural_client), {**data, "action": "accept"})
    assert page.status_code == 200
    assert page.context["warnings"] == [line]
    assert page.context["warnings_unseen"]
    assert "Not accepted yet: read this first" in page.content.decode()
    assert not SessionPlan.objects.exists()


def test_the_plan_is_accepted_once_the_warning_was_shown_and_records_it(
    therapist_client, neural_client
):
    data, line = slider_swapped(therapist_client, neural_client)
    checked = therapist_client.post(review_url(neural_client), {**data, "action": "check"})
    seen = review_form(checked.content.decode())
    assert seen["warning_seen"] == line
    response = therapist_client.post(
        review_url(neural_client), {**seen, "action": "accept"}, follow=True
    )
    session_plan = SessionPlan.objects.get()
    assert session_plan.adjusted
    assert session_plan.warnings_accepted == [line]
    assert session_plan.snapshot["plan"]["target_missing"] == line
    assert session_plan.plan.target_missing == line
    assert SLIDER not in {item.technique_slug for item in session_plan.plan.items}
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == session_plan.get_absolute_url()
    assert "Accepted with a warning" in html
    assert html.index(line) < html.index("plan-run-sheet")


def test_a_warning_seen_for_another_change_does_not_count(therapist_client, neural_client):
    data, line = slider_swapped(therapist_client, neural_client)
    page = therapist_client.post(
        review_url(neural_client),
        {**data, "warning_seen": "No work for the hamstrings on this plan.", "action": "accept"},
    )
    assert page.context["warnings_unseen"]
    assert not SessionPlan.objects.exists()


def test_the_proposal_itself_is_accepted_without_any_warning(therapist_client, neural_client):
    page = therapist_client.get(reverse("sessions:plan_new", args=[neural_client.pk]) + WEEK_1)
    assert page.context["plan"].target_missing == ""
    assert "plan-missing-target" not in page.content.decode()
    data = review_form(page.content.decode())
    therapist_client.post(review_url(neural_client), {**data, "action": "accept"})
    assert SessionPlan.objects.get().warnings_accepted == []


def test_the_visits_run_sheet_shows_the_line_above_its_items(
    therapist, therapist_client, neural_client
):
    appointment = AppointmentFactory(client=neural_client, therapist=therapist, minutes=60)
    data, line = slider_swapped(
        therapist_client, neural_client, WEEK_1 + f"&appointment={appointment.pk}"
    )
    checked = therapist_client.post(review_url(neural_client), {**data, "action": "check"})
    therapist_client.post(
        review_url(neural_client), {**review_form(checked.content.decode()), "action": "accept"}
    )
    assert SessionPlan.objects.get().appointment == appointment
    page = therapist_client.get(reverse("sessions:run_sheet", args=[appointment.pk]))
    html = page.content.decode()
    assert f"<strong>Primary target:</strong> {line}" in html
    assert html.index(line) < html.index('class="runsheet-items"')
    # Once, in its own line: not repeated among the modifications to respect.
    assert html.count(line) == 1


def test_a_plan_stored_before_the_line_had_its_own_place_still_shows_it(
    therapist, therapist_client, neural_client
):
    """Format 1 kept the line among the notes: the plan page reads it into its place."""
    page = therapist_client.get(reverse("sessions:plan_new", args=[neural_client.pk]) + WEEK_1)
    data = review_form(page.content.decode())
    therapist_client.post(review_url(neural_client), {**data, "action": "accept"})
    session_plan = SessionPlan.objects.get()
    old = plan_to_dict(session_plan.plan)
    old["version"] = 1
    del old["target_missing"]
    line = "No gentle neural mobilisation on this plan: the library has none for Week 1."
    old["notes"].append({"condition": TARGET_CONDITION, "text": line})
    session_plan.snapshot = {**session_plan.snapshot, "plan": old}
    session_plan.save()
    assert session_plan.plan.target_missing == line
    assert TARGET_CONDITION not in {n.condition for n in session_plan.plan.notes}
    html = therapist_client.get(session_plan.get_absolute_url()).content.decode()
    assert html.index(line) < html.index("plan-run-sheet")
