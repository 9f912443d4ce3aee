"""Billing records (clinical rules §9): the clinic's procedure codes with their wording and fee,
therapists' billing numbers, and payments against a charted visit.

Money is `Decimal` in a `DecimalField` (cents exact), never a float.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from protocols.models import PROCEDURE_CODE_ERROR

MONEY_MAX_DIGITS = 9  # up to 9,999,999.99
FEE_MAX = Decimal("99999.99")
NPI_ERROR = "An NPI is 10 digits whose last digit checks the others (as on the NPI registry)."


def npi_is_valid(npi: str) -> bool:
    """The National Provider Identifier check: 10 digits, the last a Luhn check digit over
    the prefix 80840 and the first nine (CMS, NPI check digit)."""
    if len(npi) != 10 or not npi.isdigit():
        return False
    digits = [int(d) for d in "80840" + npi]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _npi_validator(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value and not npi_is_valid(value):
        raise ValidationError(NPI_ERROR)


class ProcedureCode(models.Model):
    """A procedure (CPT) code the clinic bills, in the clinic's own words, with its fee per
    unit (clinical rules §9.2, §9.4). Techniques name it by code (`Technique.procedure_code`)."""

    code = models.CharField(
        "procedure code",
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Z]{5}$", PROCEDURE_CODE_ERROR)],
    )
    description = models.CharField(
        "the clinic's description",
        max_length=200,
        help_text="In the clinic's own words, as printed on the superbill (not the CPT text).",
    )
    fee = models.DecimalField(
        "fee per unit",
        max_digits=MONEY_MAX_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="For one 15-minute unit.",
    )
    active = models.BooleanField(default=True, help_text="Inactive codes are no longer billed.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="procedure_fee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class BillingProvider(models.Model):
    """A therapist's billing number: the NPI printed on their superbills where they have one
    (clinical rules §9.4). Their licence number is their staff profile's (`billing.clinic`)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_provider"
    )
    npi = models.CharField(
        "NPI", max_length=10, blank=True, validators=[_npi_validator], help_text=NPI_ERROR
    )

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Billing numbers of {self.user}"


class Payment(models.Model):
    """Money received for one charted visit (clinical rules §9.4). Never edited: a mistake is
    put right by a refund, a payment with a negative amount, so the record keeps both."""

    class Method(models.TextChoices):
        CARD = "card", "Card"
        CASH = "cash", "Cash"
        CHEQUE = "cheque", "Cheque"
        TRANSFER = "transfer", "Bank transfer"
        INSURANCE = "insurance", "Insurer"

    note = models.ForeignKey(
        "visits.SessionNote", on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.DecimalField(max_digits=MONEY_MAX_DIGITS, decimal_places=2)
    method = models.CharField(max_length=20, choices=Method.choices)
    paid_on = models.DateField("date paid")
    reference = models.CharField(
        max_length=100, blank=True, help_text="Receipt, cheque or transaction number, if any."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["note", "paid_on"])]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="payment_amount_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} by {self.get_method_display()} on {self.paid_on:%d %b %Y}"
