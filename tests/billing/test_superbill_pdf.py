"""The superbill PDF (clinical rules §9.4): what it says, that printing it is in the audit trail,
and the provider's numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from billing.clinic import provider_for
from billing.models import BillingProvider, Payment
from core.models import AuditEvent
from intake.diagnosis_codes import IcdCode
from intake.services import referral_diagnoses_set
from tests.billing.factories import billed_note_create
from tests.intake.factories import ClientFactory
from tests.sessions.documents.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(therapist):
    client = ClientFactory(
        therapist=therapist,
        first_name="Maria",
        last_name="Okonkwo",
        physician_name="Dr Jane Patel",
        referral_date="2026-02-20",
    )
    referral_diagnoses_set(client=client, codes=[IcdCode("M54.32", "Sciatica, left side")])
    return client


def test_a_visits_superbill_has_everything_an_insurer_asks_for(
    therapist_client, therapist, referred
):
    note = billed_note_create(client=referred, visit_date="2026-03-02")
    Payment.objects.create(
        note=note,
        amount=Decimal("40.00"),
        method="cash",
        paid_on=note.visit_date,
        recorded_by=therapist,
    )
    BillingProvider.objects.create(user=therapist, npi="1234567893")

    response = therapist_client.get(reverse("billing:superbill_pdf", args=[referred.pk, note.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "Superbill and receipt",
        "Maria Okonkwo",
        "Dr Jane Patel",
        "M54.32 Sciatica, left side",
        "97140 Hands-on soft-tissue release 33 2 30.00 60.00",
        "97112 Nerve gliding and movement retraining 7 1 32.50 32.50",
        "Total charges 92.50",
        "Paid 40.00",
        "Balance due 52.50",
        "NPI 1234567893",
        "Licence no. not recorded",
        "Signature of the therapist",
    ]:
        assert expected in text, expected
    assert "DRAFT" not in text


def test_a_range_superbill_lists_each_visit_and_their_totals(therapist_client, referred):
    billed_note_create(client=referred, visit_date="2026-03-02")
    billed_note_create(client=referred, visit_date="2026-03-09", rows=[("effleurage", "97124", 23)])
    billed_note_create(client=referred, visit_date="2026-04-20")

    response = therapist_client.get(
        reverse("billing:superbill_range_pdf", args=[referred.pk]),
        {"start": "2026-03-01", "end": "2026-03-31"},
    )

    text = pdf_text(response.content)
    assert "2 Mar 2026" in text and "9 Mar 2026" in text and "20 Apr 2026" not in text
    assert "97124 Therapeutic massage 23 2 25.00 50.00" in text
    assert "Total charges 142.50" in text


def test_a_draft_notes_superbill_says_it_may_change(therapist_client, referred):
    note = billed_note_create(client=referred, sign=False)
    response = therapist_client.get(reverse("billing:superbill_pdf", args=[referred.pk, note.pk]))
    assert "is not signed yet; its charges may still change" in pdf_text(response.content)


def test_printing_a_superbill_is_in_the_audit_trail(manager_client, manager, referred):
    note = billed_note_create(client=referred)
    manager_client.get(reverse("billing:superbill_pdf", args=[referred.pk, note.pk]))
    manager_client.get(reverse("billing:superbill_range_pdf", args=[referred.pk]))
    events = AuditEvent.objects.filter(user=manager, client_id=referred.pk)
    assert [e.action for e in events.order_by("id")] == ["print", "print"]


def test_the_provider_carries_the_licence_number_of_a_staff_profile(therapist):
    from accounts.models import StaffProfile

    StaffProfile.objects.create(user=therapist, licence_number="LMT-20417")
    therapist.refresh_from_db()
    provider = provider_for(therapist)
    assert (provider.licence_number, provider.npi) == ("LMT-20417", "")
