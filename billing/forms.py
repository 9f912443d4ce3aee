"""Billing forms: payments, the fee schedule, therapists' NPIs, a statement's dates."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from billing.models import FEE_MAX, NPI_ERROR, Payment, ProcedureCode, npi_is_valid
from core.form_tokens import FormTokenMixin
from protocols.models import PROCEDURE_CODE_ERROR

PAYMENT_ALREADY_SAVED = "Already saved: this payment was recorded at {time}."
PAYMENT_ZERO = "Give the amount paid (a refund as a negative amount): it cannot be 0."
PAYMENT_TOO_LARGE = "Check the amount: a payment for one visit is at most 99,999.99."
PAID_IN_FUTURE = "The date paid cannot be in the future."
RANGE_END_BEFORE_START = "The end date is before the start date."
CODE_TAKEN = "{code} is already in the fee schedule: change it in its row."

AMOUNT_MAX = Decimal("99999.99")


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PaymentForm(FormTokenMixin, forms.ModelForm):
    """Money received for one visit, sent once (`core.form_tokens`)."""

    form_token_purpose = "billing.payment_record"
    form_repeat_message = PAYMENT_ALREADY_SAVED

    class Meta:
        model = Payment
        fields = ["amount", "method", "paid_on", "reference"]
        widgets = {"paid_on": _date_input()}
        help_texts = {"amount": "A refund is a negative amount, e.g. -20.00."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"step": "0.01", "inputmode": "decimal"})
        if not self.is_bound:
            self.initial.setdefault("paid_on", timezone.localdate())

    def clean_amount(self) -> Decimal:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise forms.ValidationError(PAYMENT_ZERO)
        if abs(amount) > AMOUNT_MAX:
            raise forms.ValidationError(PAYMENT_TOO_LARGE)
        return amount

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(PAID_IN_FUTURE)
        return paid_on


class ProcedureCodeForm(forms.ModelForm):
    """One row of the fee schedule: the code is fixed once added."""

    class Meta:
        model = ProcedureCode
        fields = ["code", "description", "fee", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee"].max_value = FEE_MAX
        self.fields["fee"].widget.attrs.update({"step": "0.01", "max": str(FEE_MAX), "min": "0"})
        if self.instance.pk:
            self.fields["code"].disabled = True
        self.fields["code"].error_messages["invalid"] = PROCEDURE_CODE_ERROR
        for name in ("code", "description", "fee"):
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["code"].widget.attrs.update({"size": 6, "inputmode": "numeric"})

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def validate_unique(self):
        # The service adds or updates by code; a second row for a code is named instead.
        code = self.cleaned_data.get("code")
        if not self.instance.pk and code and ProcedureCode.objects.filter(code=code).exists():
            self.add_error("code", CODE_TAKEN.format(code=code))


class ProviderNpiForm(forms.Form):
    npi = forms.CharField(label="NPI", max_length=10, required=False, help_text=NPI_ERROR)

    def clean_npi(self) -> str:
        npi = self.cleaned_data["npi"].strip()
        if npi and not npi_is_valid(npi):
            raise forms.ValidationError(NPI_ERROR)
        return npi


class StatementForm(forms.Form):
    """The dates of a superbill for a range of visits; both optional."""

    start = forms.DateField(label="From", required=False, widget=_date_input())
    end = forms.DateField(label="To", required=False, widget=_date_input())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", RANGE_END_BEFORE_START)
        return data
