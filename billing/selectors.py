"""What billing reads: a visit's charge from its note, and a client's statement over dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from billing.models import Payment, ProcedureCode
from billing.rules.charges import ChargedTechnique, Fee, VisitCharge, visit_charge
from intake.models import Client
from protocols.models import Technique
from sessions.models.note import NoteTechnique, SessionNote


@dataclass(frozen=True)
class VisitBill:
    note: SessionNote
    charge: VisitCharge
    payments: tuple[Payment, ...]

    @property
    def paid(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def balance(self) -> Decimal:
        return self.charge.total - self.paid


@dataclass(frozen=True)
class Statement:
    client: Client
    bills: tuple[VisitBill, ...]
    start: date | None
    end: date | None

    @property
    def charged(self) -> Decimal:
        return sum((b.charge.total for b in self.bills), Decimal("0.00"))

    @property
    def paid(self) -> Decimal:
        return sum((b.paid for b in self.bills), Decimal("0.00"))

    @property
    def balance(self) -> Decimal:
        return self.charged - self.paid

    @property
    def procedure_codes(self) -> list[str]:
        return sorted({line.code for b in self.bills for line in b.charge.lines})


def fee_schedule() -> dict[str, Fee]:
    """The active procedure codes with the clinic's wording and fee (one query)."""
    return {
        p.code: Fee(description=p.description, fee=p.fee)
        for p in ProcedureCode.objects.filter(active=True)
    }


def _notes(client: Client) -> QuerySet[SessionNote]:
    return SessionNote.objects.filter(client=client).prefetch_related(
        Prefetch("techniques", queryset=NoteTechnique.objects.order_by("order", "id")),
        Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")),
    )


def bills_for(notes: list[SessionNote]) -> list[VisitBill]:
    """Each note's bill; the notes come with their techniques and payments prefetched. Two
    queries in all: the library's codes and the fee schedule."""
    slugs = {t.technique_slug for note in notes for t in note.techniques.all() if t.technique_slug}
    codes = dict(Technique.objects.filter(slug__in=slugs).values_list("slug", "procedure_code"))
    fees = fee_schedule()
    bills = []
    for note in notes:
        techniques = [
            ChargedTechnique(name=t.name, minutes=t.minutes, code=codes.get(t.technique_slug, ""))
            for t in note.techniques.all()
        ]
        bills.append(
            VisitBill(
                note=note,
                charge=visit_charge(techniques, fees),
                payments=tuple(note.payments.all()),
            )
        )
    return bills


def visit_bill(note: SessionNote) -> VisitBill:
    note = _notes(note.client).get(pk=note.pk)
    return bills_for([note])[0]


def client_statement(
    *, client: Client, start: date | None = None, end: date | None = None
) -> Statement:
    """The client's visits from `start` to `end` (both included, either open), oldest first,
    each with its charge and payments."""
    notes = _notes(client).select_related("therapist").order_by("visit_date", "id")
    if start:
        notes = notes.filter(visit_date__gte=start)
    if end:
        notes = notes.filter(visit_date__lte=end)
    return Statement(client=client, bills=tuple(bills_for(list(notes))), start=start, end=end)
