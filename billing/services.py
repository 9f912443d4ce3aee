"""Billing writes, one atomic function each (clinical rules §9.4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from billing.models import BillingProvider, Payment, ProcedureCode
from sessions.models.note import SessionNote


@transaction.atomic
def payment_record(
    *,
    note: SessionNote,
    amount: Decimal,
    method: str,
    paid_on: date,
    reference: str = "",
    recorded_by,
) -> Payment:
    """Record money received for the visit `note` charts (a refund is a negative amount).
    Sent once per form token by the view (`core.form_tokens.submit_once`)."""
    payment = Payment(
        note=note,
        amount=amount,
        method=method,
        paid_on=paid_on,
        reference=reference,
        recorded_by=recorded_by,
    )
    payment.full_clean()
    payment.save()
    return payment


@transaction.atomic
def procedure_code_save(
    *, code: str, description: str, fee: Decimal, active: bool = True
) -> ProcedureCode:
    """Add the code to the clinic's fee schedule or change its wording, fee or whether it is
    billed; nothing is written when nothing changed. Locks the row it changes."""
    procedure = ProcedureCode.objects.select_for_update().filter(code=code).first()
    if procedure is None:
        procedure = ProcedureCode(code=code)
    elif (procedure.description, procedure.fee, procedure.active) == (description, fee, active):
        return procedure
    procedure.description, procedure.fee, procedure.active = description, fee, active
    procedure.full_clean()
    procedure.save()
    return procedure


@transaction.atomic
def provider_npi_set(*, user, npi: str) -> BillingProvider:
    """Record (or clear) the therapist's NPI; nothing is written when it is unchanged."""
    provider = BillingProvider.objects.select_for_update().filter(user=user).first()
    if provider is None:
        provider = BillingProvider(user=user)
    elif provider.npi == npi:
        return provider
    provider.npi = npi
    provider.full_clean()
    provider.save()
    return provider
