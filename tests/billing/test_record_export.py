"""The whole record on request (clinical rules §9.7): a ZIP of every PDF and a FHIR R4 bundle
that validates against the FHIR models (fhir.resources, R4B)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle

from billing.record_export import client_fhir_bundle
from core.models import AuditEvent
from intake.diagnosis_codes import IcdCode
from intake.services import psfs_record, referral_diagnoses_set
from tests.billing.factories import billed_note_create
from tests.intake.factories import AssessmentFactory, ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(therapist):
    client = ClientFactory(therapist=therapist, phone="555 0100", referral_date=date(2026, 2, 20))
    referral_diagnoses_set(client=client, codes=[IcdCode("M54.32", "Sciatica, left side")])
    billed_note_create(client=client, visit_date=date(2026, 3, 2))
    billed_note_create(client=client, visit_date=date(2026, 3, 9), sign=False)
    AssessmentFactory(client=client)
    psfs_record(
        client=client,
        measured_on=date(2026, 3, 2),
        activities=[("Sitting", 3)],
        recorded_by=therapist,
    )
    return client


def test_the_fhir_bundle_validates_and_holds_each_kind_of_record(record):
    data = client_fhir_bundle(client=record)

    bundle = Bundle.model_validate(data)  # raises on anything FHIR does not allow

    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Patient") == 1
    assert kinds.count("Condition") == 1
    assert kinds.count("Encounter") == 2
    assert kinds.count("Procedure") == 6
    assert kinds.count("Observation") >= 4 + 1  # pain before/after x2, tests, PSFS
    condition = next(
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Condition"
    )
    assert (condition.code.coding[0].system, condition.code.coding[0].code) == (
        "http://hl7.org/fhir/sid/icd-10-cm",
        "M54.32",
    )
    procedure_codes = {
        c.code
        for e in bundle.entry
        if e.resource.get_resource_type() == "Procedure"
        for c in e.resource.code.coding or []
    }
    assert procedure_codes == {"97140", "97112"}
    statuses = sorted(
        e.resource.status for e in bundle.entry if e.resource.get_resource_type() == "Encounter"
    )
    assert statuses == ["finished", "in-progress"]


def test_the_zip_holds_every_pdf_and_the_bundle_and_is_an_audited_export(manager, record):
    browser = Client()
    browser.force_login(manager)
    response = browser.get(reverse("billing:record_export", args=[record.pk]))

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert len([n for n in names if n.startswith("session-notes/")]) == 2
    assert any(n.startswith("superbill-") for n in names)
    assert any(n.startswith("progress-report-") for n in names)
    for name in names:
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF"), name
    Bundle.model_validate(json.loads(archive.read("fhir-r4-bundle.json")))
    assert AuditEvent.objects.filter(user=manager, client_id=record.pk, action="export").exists()


def test_a_colleague_cannot_export_the_record(colleague, record):
    browser = Client()
    browser.force_login(colleague)
    assert browser.get(reverse("billing:record_export", args=[record.pk])).status_code == 404
