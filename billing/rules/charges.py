"""A visit's charge from its charted techniques (clinical rules §9.2-9.4): pure, no models."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from billing.rules.units import units_by_code

CENT = Decimal("0.01")
NO_CODE = "{name}: no procedure code in the library, not billed"
NO_FEE = "{name}: procedure code {code} has no fee in the clinic's fee schedule, not billed"


@dataclass(frozen=True)
class ChargedTechnique:
    """One technique row of a note as billing sees it."""

    name: str
    minutes: int
    code: str  # "" when the library gives it none


@dataclass(frozen=True)
class Fee:
    description: str
    fee: Decimal  # per unit


@dataclass(frozen=True)
class ChargeLine:
    code: str
    description: str
    minutes: int
    units: int
    fee: Decimal
    amount: Decimal


@dataclass(frozen=True)
class VisitCharge:
    lines: tuple[ChargeLine, ...]
    total: Decimal
    timed_minutes: int
    not_billed: tuple[str, ...]  # why a technique's minutes were left out

    @property
    def units(self) -> int:
        return sum(line.units for line in self.lines)


def visit_charge(techniques: list[ChargedTechnique], fees: dict[str, Fee]) -> VisitCharge:
    """The visit's charge: each billed code's minutes added up over its techniques, its units
    by the 8-minute rule over the visit's billed minutes (clinical rules §9.3), times its fee
    (§9.4). A technique without a code, or whose code has no fee, is named in `not_billed` and
    its minutes count toward nothing."""
    minutes_by_code: dict[str, int] = {}
    not_billed: list[str] = []
    for technique in techniques:
        if not technique.code:
            not_billed.append(NO_CODE.format(name=technique.name))
        elif technique.code not in fees:
            not_billed.append(NO_FEE.format(name=technique.name, code=technique.code))
        else:
            minutes_by_code[technique.code] = (
                minutes_by_code.get(technique.code, 0) + technique.minutes
            )
    lines = []
    for shared in units_by_code(dict(sorted(minutes_by_code.items()))):
        fee = fees[shared.code]
        lines.append(
            ChargeLine(
                code=shared.code,
                description=fee.description,
                minutes=shared.minutes,
                units=shared.units,
                fee=fee.fee,
                amount=(fee.fee * shared.units).quantize(CENT),
            )
        )
    return VisitCharge(
        lines=tuple(lines),
        total=sum((line.amount for line in lines), Decimal("0.00")),
        timed_minutes=sum(minutes_by_code.values()),
        not_billed=tuple(not_billed),
    )
