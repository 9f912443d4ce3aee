"""A visit's charge from its techniques (clinical rules §9.2-9.4): pure."""

from __future__ import annotations

from decimal import Decimal

from billing.rules.charges import (
    NO_CODE,
    NO_FEE,
    ChargedTechnique,
    ChargeLine,
    Fee,
    visit_charge,
)

FEES = {
    "97140": Fee("Soft-tissue release", Decimal("30.00")),
    "97112": Fee("Nerve gliding", Decimal("32.50")),
}


def test_minutes_add_up_per_code_and_units_follow_the_eight_minute_rule():
    charge = visit_charge(
        [
            ChargedTechnique("Hubcap", 20, "97140"),
            ChargedTechnique("Trigger points", 13, "97140"),
            ChargedTechnique("Nerve slider", 7, "97112"),
        ],
        FEES,
    )
    assert charge.lines == (
        ChargeLine("97112", "Nerve gliding", 7, 1, Decimal("32.50"), Decimal("32.50")),
        ChargeLine("97140", "Soft-tissue release", 33, 2, Decimal("30.00"), Decimal("60.00")),
    )
    assert charge.total == Decimal("92.50")
    assert (charge.units, charge.timed_minutes) == (3, 40)
    assert charge.not_billed == ()


def test_techniques_without_a_code_or_a_fee_are_named_and_not_counted():
    charge = visit_charge(
        [
            ChargedTechnique("Heat", 5, ""),
            ChargedTechnique("Stretching", 10, "97110"),
            ChargedTechnique("Hubcap", 7, "97140"),
        ],
        FEES,
    )
    # Only 97140's 7 minutes count: under 8, no unit.
    assert charge.lines == (
        ChargeLine("97140", "Soft-tissue release", 7, 0, Decimal("30.00"), Decimal("0.00")),
    )
    assert charge.total == Decimal("0.00")
    assert charge.not_billed == (
        NO_CODE.format(name="Heat"),
        NO_FEE.format(name="Stretching", code="97110"),
    )


def test_no_techniques_is_no_charge():
    charge = visit_charge([], FEES)
    assert (charge.lines, charge.total, charge.units) == ((), Decimal("0.00"), 0)
    assert isinstance(charge.total, Decimal)
