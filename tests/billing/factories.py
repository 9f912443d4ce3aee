"""Billing test data: a fee schedule, techniques with codes, a charted visit."""

from __future__ import annotations

from decimal import Decimal

from billing.models import ProcedureCode
from protocols.models import Technique
from sessions.charting.services import note_sign
from tests.protocols.factories import TechniqueFactory
from tests.sessions.factories import NoteTechniqueFactory, SessionNoteFactory

FEES = {
    "97140": ("Hands-on soft-tissue release", Decimal("30.00")),
    "97124": ("Therapeutic massage", Decimal("25.00")),
    "97112": ("Nerve gliding and movement retraining", Decimal("32.50")),
}


def fee_schedule_create() -> None:
    for code, (description, fee) in FEES.items():
        ProcedureCode.objects.get_or_create(
            code=code, defaults={"description": description, "fee": fee}
        )


def coded_technique(slug: str, code: str) -> Technique:
    return Technique.objects.filter(slug=slug).first() or TechniqueFactory(
        slug=slug, name=slug.replace("-", " ").capitalize(), procedure_code=code
    )


def billed_note_create(
    *, sign: bool = True, rows: list[tuple[str, str, int]] | None = None, **kwargs
):
    """A note whose techniques are (slug, code, minutes): by default 33 minutes of manual
    therapy and 7 of neuromuscular re-education (3 units: two 97140, one 97112)."""
    fee_schedule_create()
    note = SessionNoteFactory(**kwargs)
    for slug, code, minutes in rows or [
        ("hubcap-circular-friction", "97140", 20),
        ("trigger-point-ischemic-compression", "97140", 13),
        ("sciatic-nerve-slider", "97112", 7),
    ]:
        coded_technique(slug, code)
        NoteTechniqueFactory(note=note, technique_slug=slug, name=slug, minutes=minutes)
    return note_sign(note=note, user=note.therapist) if sign else note
