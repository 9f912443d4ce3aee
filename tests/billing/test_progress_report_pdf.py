"""The progress report PDF for the referring physician (clinical rules §9.6)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from billing.rules.recommendation import RECOMMEND_IMPROVING
from core.models import AuditEvent
from intake.diagnosis_codes import IcdCode
from intake.services import oswestry_record, psfs_record, referral_diagnoses_set
from tests.billing.factories import billed_note_create
from tests.intake.factories import ClientFactory
from tests.sessions.documents.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def course(therapist):
    client = ClientFactory(therapist=therapist, physician_name="Dr Jane Patel")
    referral_diagnoses_set(client=client, codes=[IcdCode("M54.32", "Sciatica, left side")])
    for day, before, adverse in ((2, 7, "Zing down the left leg"), (9, 6, ""), (16, 4, "")):
        billed_note_create(
            client=client,
            visit_date=date(2026, 3, day),
            pain_before=before,
            pain_after=before - 2,
            adverse_response=adverse,
            adverse_response_change="Moved an inch lateral" if adverse else "",
        )
    psfs_record(
        client=client,
        measured_on=date(2026, 3, 2),
        activities=[("Sitting", 3)],
        recorded_by=therapist,
    )
    psfs_record(
        client=client,
        measured_on=date(2026, 3, 16),
        activities=[("Sitting", 6)],
        recorded_by=therapist,
    )
    oswestry_record(client=client, measured_on=date(2026, 3, 2), score=42, recorded_by=therapist)
    return client


def test_the_report_covers_the_course_findings_outcomes_and_a_recommendation(therapist, course):
    response = browser_for(therapist).get(reverse("billing:progress_report_pdf", args=[course.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "Dr Jane Patel",
        "M54.32 Sciatica, left side",
        "3 visits from 2 March 2026 to 16 March 2026",
        "a clinically important improvement",
        "Patient-Specific Functional Scale: 3.0 (2 Mar 2026) → 6.0 (16 Mar 2026). A clinically important improvement.",
        "Oswestry Disability Index: 42.0 (2 Mar 2026). Baseline only.",
        "Zing down the left leg — changed: Moved an inch lateral",
        "Home-care adherence",
        " ".join(RECOMMEND_IMPROVING.split()),
        "they are not a medical diagnosis",
    ]:
        assert expected in text, expected


def test_the_manager_reads_it_a_colleague_does_not_and_printing_is_audited(
    manager, colleague, course
):
    url = reverse("billing:progress_report_pdf", args=[course.pk])
    assert browser_for(colleague).get(url).status_code == 404
    assert browser_for(manager).get(url).status_code == 200
    assert AuditEvent.objects.filter(user=manager, client_id=course.pk, action="print").exists()
