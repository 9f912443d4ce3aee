"""The demo clinic's fee schedule: the codes the shipped library names, in the demo clinic's own
words (clinical rules §9.2: CPT's descriptors are not shipped), with demo fees. Only codes not
yet in the schedule are added: the manager's changes survive every run."""

from __future__ import annotations

from decimal import Decimal

from billing.models import ProcedureCode
from billing.services import procedure_code_save

DEMO_FEES = (
    ("97110", "Home exercises taught and practised", Decimal("22.00")),
    ("97112", "Nerve gliding and movement retraining", Decimal("32.50")),
    ("97124", "Therapeutic massage", Decimal("25.00")),
    ("97140", "Hands-on soft-tissue release (trigger points, myofascial work)", Decimal("30.00")),
)


def demo_fees_ensure() -> int:
    existing = set(ProcedureCode.objects.values_list("code", flat=True))
    added = 0
    for code, description, fee in DEMO_FEES:
        if code not in existing:
            procedure_code_save(code=code, description=description, fee=fee)
            added += 1
    return added
