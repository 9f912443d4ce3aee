"""The billing pages: who may open them (owner, colleague, manager, anonymous), recording a
payment once, the fee schedule and therapists' NPIs, and the query count of the list."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from billing.forms import PAYMENT_ZERO, RANGE_END_BEFORE_START
from billing.models import NPI_ERROR, BillingProvider, Payment, ProcedureCode
from billing.views import FEES_MANAGER_ONLY
from tests.billing.factories import billed_note_create
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(therapist):
    return billed_note_create(client=ClientFactory(therapist=therapist))


def _urls(note):
    return [
        reverse("billing:client_billing", args=[note.client_id]),
        reverse("billing:payment_create", args=[note.client_id, note.pk]),
        reverse("billing:superbill_pdf", args=[note.client_id, note.pk]),
        reverse("billing:superbill_range_pdf", args=[note.client_id]),
    ]


def test_the_owner_and_the_manager_open_every_billing_page(therapist, manager, note):
    for browser in (browser_for(therapist), browser_for(manager)):
        for url in _urls(note):
            assert browser.get(url).status_code == 200, url


def test_a_colleague_gets_404_and_anonymous_the_login_page(colleague_client, note):
    anonymous = Client()
    for url in _urls(note):
        assert colleague_client.get(url).status_code == 404, url
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url


def test_the_billing_page_shows_codes_units_charge_paid_and_balance(therapist_client, note):
    Payment.objects.create(
        note=note,
        amount=Decimal("50.00"),
        method="card",
        paid_on=note.visit_date,
        recorded_by=note.therapist,
    )
    page = therapist_client.get(reverse("billing:client_billing", args=[note.client_id]))
    text = page.content.decode()
    assert (
        "<code>97140</code> Hands-on soft-tissue release: 33 min, 2 units × 30.00 = 60.00" in text
    )
    assert (
        "<code>97112</code> Nerve gliding and movement retraining: 7 min, 1 unit × 32.50 = 32.50"
        in text
    )
    bill = page.context["statement"].bills[0]
    assert (bill.charge.total, bill.paid, bill.balance) == (
        Decimal("92.50"),
        Decimal("50.00"),
        Decimal("42.50"),
    )


def test_the_billing_page_costs_the_same_queries_for_many_visits(
    therapist_client, therapist, django_assert_max_num_queries
):
    client = ClientFactory(therapist=therapist)
    for day in range(1, 13):
        billed_note_create(client=client, visit_date=f"2026-03-{day:02d}")
    with django_assert_max_num_queries(14):
        therapist_client.get(reverse("billing:client_billing", args=[client.pk]))


def _payment_form(browser, note) -> tuple[str, str]:
    url = reverse("billing:payment_create", args=[note.client_id, note.pk])
    page = browser.get(url).content.decode()
    return url, page.split('name="form_token" value="')[1].split('"')[0]


def test_a_payment_is_recorded_once_however_often_it_is_sent(manager_client, manager, note):
    url, token = _payment_form(manager_client, note)
    data = {"amount": "92.50", "method": "card", "paid_on": "2026-03-02", "form_token": token}

    first = manager_client.post(url, data)
    again = manager_client.post(url, data)

    assert first.status_code == again.status_code == 302
    payment = Payment.objects.get(note=note)
    assert (payment.amount, payment.recorded_by) == (Decimal("92.50"), manager)


def test_a_payment_of_nothing_or_in_the_future_is_refused_with_the_field_named(
    therapist_client, note
):
    url, token = _payment_form(therapist_client, note)
    response = therapist_client.post(
        url, {"amount": "0", "method": "card", "paid_on": "2999-01-01", "form_token": token}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [PAYMENT_ZERO]
    assert "paid_on" in response.context["form"].errors
    assert not Payment.objects.exists()


def test_a_garbled_amount_is_a_message_not_an_error_page(therapist_client, note):
    url, token = _payment_form(therapist_client, note)
    response = therapist_client.post(
        url, {"amount": "1e999", "method": "card", "paid_on": "2026-03-02", "form_token": token}
    )
    assert response.status_code == 200 and "amount" in response.context["form"].errors


def test_a_statement_range_ending_before_it_starts_is_named(therapist_client, note):
    response = therapist_client.get(
        reverse("billing:superbill_range_pdf", args=[note.client_id]),
        {"start": "2026-03-10", "end": "2026-03-01"},
    )
    assert response.status_code == 200
    assert response.context["range_form"].errors["end"] == [RANGE_END_BEFORE_START]


def browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_everyone_reads_the_fee_schedule_and_only_the_manager_changes_it(therapist, manager, note):
    therapist_client, manager_client = browser_for(therapist), browser_for(manager)
    url = reverse("billing:procedure_codes")
    assert "Hands-on soft-tissue release" in therapist_client.get(url).content.decode()
    refused = therapist_client.post(url, {})
    assert refused.status_code == 403 and FEES_MANAGER_ONLY in refused.content.decode()

    page = manager_client.get(url)
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
    }
    for i, form in enumerate(formset.forms):
        for name in ("code", "description", "fee"):
            value = form[name].value()
            data[f"form-{i}-{name}"] = "" if value is None else str(value)
        if form.instance.pk:
            data[f"form-{i}-id"] = str(form.instance.pk)
            data[f"form-{i}-active"] = "on"
    first = next(i for i, f in enumerate(formset.forms) if f.instance.code == "97124")
    data[f"form-{first}-fee"] = "27.50"
    last = formset.total_form_count() - 1
    data.update(
        {
            f"form-{last}-code": "97110",
            f"form-{last}-description": "Home exercises taught",
            f"form-{last}-fee": "20.00",
            f"form-{last}-active": "on",
        }
    )

    assert manager_client.post(url, data).status_code == 302
    assert ProcedureCode.objects.get(code="97124").fee == Decimal("27.50")
    assert ProcedureCode.objects.get(code="97110").description == "Home exercises taught"


def test_the_manager_records_a_therapists_npi_and_a_wrong_one_is_named(therapist, manager):
    therapist_client, manager_client = browser_for(therapist), browser_for(manager)
    url = reverse("billing:providers")
    assert therapist_client.get(url).status_code == 403
    prefix = f"t{therapist.pk}"
    bad = manager_client.post(url, {f"{prefix}-npi": "1234567890"})
    assert bad.status_code == 200 and f"NPI: {NPI_ERROR}" in bad.content.decode()

    assert manager_client.post(url, {f"{prefix}-npi": "1234567893"}).status_code == 302
    assert BillingProvider.objects.get(user=therapist).npi == "1234567893"


def test_the_chart_links_to_billing(therapist_client, note):
    page = therapist_client.get(note.client.get_absolute_url()).content.decode()
    assert reverse("billing:client_billing", args=[note.client_id]) in page
