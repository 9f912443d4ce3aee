"""The intake link: issued, opened by the client with no login, used once; expired, used,
revoked and forged links get a clear page; the answers wait for the therapist's review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from intake.models import HealthHistory, IntakeLink, IntakeSubmission
from intake.portal import services
from intake.rules.safety import SafetyStatus
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.intake.portal.helpers import intake_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def sarah(therapist):
    return ClientFactory(
        therapist=therapist,
        first_name="Sarah",
        last_name="Mitchell",
        phone="",
        consent_given=False,
        consent_date=None,
    )


@pytest.fixture
def issued(sarah, therapist):
    return services.intake_link_issue(client=sarah, issued_by=therapist)


def form_url(token: str) -> str:
    return reverse("portal:intake_form", args=[token])


def test_only_a_hash_of_the_token_is_stored(issued):
    link, token = issued
    assert token.split(".", 1)[1].split(":")[0] not in link.token_hash
    assert len(link.token_hash) == 64
    assert link.expires_at - link.issued_at == timedelta(days=7)


def test_the_link_lifetime_is_a_setting(sarah, therapist, settings):
    settings.INTAKE_LINK_DAYS = 2
    link, _ = services.intake_link_issue(client=sarah, issued_by=therapist)
    assert link.expires_at - link.issued_at == timedelta(days=2)


def test_the_client_opens_the_form_without_a_login(issued):
    _, token = issued
    response = HttpClient().get(form_url(token))
    assert response.status_code == 200
    assert "Hello Sarah" in response.content.decode()


def test_a_sent_form_waits_for_review_and_changes_nothing_in_the_chart(issued, sarah):
    _, token = issued
    response = HttpClient().post(form_url(token), intake_post())
    assert response.status_code == 302
    submission = IntakeSubmission.objects.get()
    assert submission.status == IntakeSubmission.Status.AWAITING_REVIEW
    assert submission.pain_map == ["buttock_right:pain", "calf_right:tingling"]
    assert submission.answers["psfs"] == [{"activity": "Sitting through a film", "score": 3}]
    assert not HealthHistory.objects.filter(client=sarah).exists()
    sarah.refresh_from_db()
    assert sarah.phone == "" and not sarah.consent_given
    assert AuditEvent.objects.filter(url_name="portal:intake_form", client_id=sarah.pk).exists()


def test_a_second_submit_is_told_the_form_was_already_sent(issued):
    _, token = issued
    browser = HttpClient()
    browser.post(form_url(token), intake_post())
    response = browser.post(form_url(token), intake_post())
    assert response.status_code == 410
    assert services.LINK_USED in response.content.decode()
    assert IntakeSubmission.objects.count() == 1


def test_an_expired_link_gets_a_clear_page(issued):
    link, token = issued
    IntakeLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = HttpClient().get(form_url(token))
    assert response.status_code == 410
    assert services.LINK_EXPIRED in response.content.decode()


def test_a_revoked_link_gets_a_clear_page(issued, therapist):
    link, token = issued
    services.intake_link_revoke(link=link, revoked_by=therapist)
    response = HttpClient().get(form_url(token))
    assert response.status_code == 410
    assert services.LINK_REVOKED in response.content.decode()


@pytest.mark.parametrize("tamper", ["x", "1.abc:def", "{}"])
def test_a_forged_token_opens_nothing(issued, tamper):
    _, token = issued
    for bad in (tamper, token[:-2] + "zz", token + "a"):
        response = HttpClient().get(form_url(bad))
        assert response.status_code == 404
        assert services.LINK_NOT_FOUND in response.content.decode()


def test_too_many_tries_from_one_address_are_refused(issued, settings):
    settings.INTAKE_LINK_TRIES = 3
    browser = HttpClient()
    for _ in range(3):
        assert browser.get(form_url("forged")).status_code == 404
    _, token = issued
    assert browser.get(form_url(token)).status_code == 429


def test_a_form_with_a_missing_answer_names_the_field(issued):
    _, token = issued
    response = HttpClient().post(form_url(token), intake_post(red_flag_night_pain=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not IntakeSubmission.objects.exists()
    assert IntakeLink.objects.get().used_at is None


def test_an_unknown_pain_map_mark_is_refused(issued):
    _, token = issued
    response = HttpClient().post(form_url(token), intake_post(pain_map=["liver_left:pain"]))
    assert response.status_code == 200
    assert not IntakeSubmission.objects.exists()


def test_a_red_flag_raises_the_safety_status_before_review(issued, sarah):
    _, token = issued
    response = HttpClient().post(
        form_url(token), intake_post(red_flag_saddle_anaesthesia="yes"), follow=True
    )
    page = response.content.decode()
    assert "Please get medical help now" in page
    sarah.refresh_from_db()
    assert sarah.safety_status == SafetyStatus.EMERGENCY


def test_night_pain_tells_the_client_to_see_a_doctor_not_the_emergency_department(issued, sarah):
    _, token = issued
    response = HttpClient().post(
        form_url(token), intake_post(red_flag_night_pain="yes"), follow=True
    )
    page = response.content.decode()
    assert "Please see a doctor before your massage" in page
    assert "emergency department now" not in page
    sarah.refresh_from_db()
    assert sarah.safety_status == SafetyStatus.REFER_NOW


def test_the_therapist_accepts_and_the_chart_gets_the_pain_map(issued, sarah, therapist_client):
    _, token = issued
    HttpClient().post(form_url(token), intake_post())
    submission = IntakeSubmission.objects.get()
    url = reverse("intake:intake_submission_review", args=[sarah.pk, submission.pk])
    page = therapist_client.get(url)
    assert page.status_code == 200
    data = {
        "pain_location": "Right buttock to the calf",
        "pain_side": "",
        "pain_now": "6",
        "pain_worst": "8",
        "pain_best": "2",
        "onset_date": "2026-01-10",
        "pain_map": ["buttock_right:pain", "calf_right:tingling"],
        "medications": "Ibuprofen",
    }
    response = therapist_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    history = HealthHistory.objects.get(client=sarah)
    assert history.pain_side == "right"
    assert history.radiates_past_knee
    assert history.pain_map == ["buttock_right:pain", "calf_right:tingling"]
    submission.refresh_from_db()
    assert submission.status == IntakeSubmission.Status.ACCEPTED
    assert submission.answers["pain_location"] == "Right buttock down to the calf"
    sarah.refresh_from_db()
    assert sarah.consent_given and sarah.phone == "07700 900123"
    chart = therapist_client.get(sarah.get_absolute_url()).content.decode()
    assert "Calf, right: tingling" in chart


def test_acceptance_with_a_red_flag_waits_for_the_therapists_screening(issued, sarah, therapist):
    _, token = issued
    HttpClient().post(form_url(token), intake_post(red_flag_night_pain="yes"))
    submission = IntakeSubmission.objects.get()
    history = services.submission_history_fields(submission)
    with pytest.raises(ValueError, match="screen the client yourself"):
        services.intake_submission_accept(
            submission=submission, reviewed_by=therapist, history=history, contact={}
        )
    ScreeningFactory(client=sarah, screened_on=timezone.localdate())
    services.intake_submission_accept(
        submission=submission, reviewed_by=therapist, history=history, contact={}
    )
    sarah.refresh_from_db()
    # The client-reported flag is lowered by review; the therapist's screening governs.
    assert sarah.safety_status == SafetyStatus.TREAT


def test_today_shows_the_red_flag_before_any_review(issued, sarah, therapist_client):
    _, token = issued
    HttpClient().post(form_url(token), intake_post(red_flag_bladder_bowel_change="yes"))
    page = therapist_client.get(reverse("sessions:today")).content.decode()
    assert "Red flag: Sarah Mitchell reported" in page
    assert "awaiting review" in page


def test_staff_issue_a_link_from_the_chart_and_email_it(sarah, therapist_client, mailoutbox):
    sarah.email = "sarah@example.org"
    sarah.save()
    chart = therapist_client.get(sarah.get_absolute_url())
    assert "Send an intake link" in chart.content.decode()
    response = therapist_client.post(
        reverse("intake:intake_link_issue", args=[sarah.pk]), {"send_email": "on"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert len(mailoutbox) == 1
    assert "/intake/" in mailoutbox[0].body
    assert IntakeLink.objects.get().emailed_to == "sarah@example.org"
    assert AuditEvent.objects.filter(url_name="intake:intake_link_issue").exists()


@pytest.mark.parametrize("who", ["colleague_client", "client"])
def test_others_cannot_issue_or_review(request, who, sarah, issued):
    browser = request.getfixturevalue(who)
    response = browser.post(reverse("intake:intake_link_issue", args=[sarah.pk]), {})
    assert response.status_code in (302, 404)
    assert IntakeLink.objects.count() == 1
    _, token = issued
    HttpClient().post(form_url(token), intake_post())
    submission = IntakeSubmission.objects.get()
    url = reverse("intake:intake_submission_review", args=[sarah.pk, submission.pk])
    assert browser.get(url).status_code in (302, 404)


def test_the_manager_sees_the_answers_but_does_not_accept(manager_client, sarah, issued):
    _, token = issued
    HttpClient().post(form_url(token), intake_post())
    submission = IntakeSubmission.objects.get()
    url = reverse("intake:intake_submission_review", args=[sarah.pk, submission.pk])
    page = manager_client.get(url)
    assert page.status_code == 200
    assert "Accept into the chart" not in page.content.decode()
    assert manager_client.post(url, {}).status_code == 403


def test_after_booking_the_visit_page_offers_the_intake_link(therapist_client, sarah):
    from tests.sessions.factories import AppointmentFactory, clinic_time

    appointment = AppointmentFactory(client=sarah, starts_at=clinic_time(1, 10))
    page = therapist_client.get(reverse("sessions:appointment_detail", args=[appointment.pk]))
    assert "Send an intake link" in page.content.decode()


def test_the_clients_pages_are_never_cached(issued):
    _, token = issued
    response = HttpClient().get(form_url(token))
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
