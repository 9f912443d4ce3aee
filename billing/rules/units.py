"""Billable units of timed procedure codes by the 8-minute rule (clinical rules §9.3).

Timed codes (massage 97124, manual therapy 97140, neuromuscular re-education 97112,
therapeutic exercise 97110, ...) are billed in 15-minute units. The total timed minutes of the
visit decide how many units it bills; the units then go to the codes: first each code's whole
15 minutes, then any unit left to the codes with the most minutes over.
"""

from __future__ import annotations

from dataclasses import dataclass

UNIT_MINUTES = 15
# A unit needs more than half its 15 minutes: 8 minutes make the first unit.
MINUTES_FOR_A_UNIT = 8


def units_for_minutes(total_minutes: int) -> int:
    """The units a visit's total timed minutes bill (clinical rules §9.3): none under 8 minutes,
    1 for 8-22, 2 for 23-37, 3 for 38-52, and so on, a unit for each 15 minutes with the last
    one counted from its 8th minute."""
    if total_minutes < 0:
        raise ValueError(f"Minutes cannot be negative: {total_minutes}.")
    return (total_minutes + UNIT_MINUTES - MINUTES_FOR_A_UNIT) // UNIT_MINUTES


@dataclass(frozen=True)
class CodeUnits:
    code: str
    minutes: int
    units: int


def units_by_code(minutes_by_code: dict[str, int]) -> list[CodeUnits]:
    """Share the visit's units among its timed codes (clinical rules §9.3), in the order given.

    The visit bills `units_for_minutes(total)`. Each code first gets one unit per whole
    15 minutes of its own; a unit still left goes to the code with the most minutes over,
    then the next (a tie goes to the code with more minutes in all, then the one given first).
    So a code done for under 8 minutes can still bill a unit when the visit's minutes add up
    to one, and no code gets more than one unit beyond its whole 15 minutes.
    """
    if any(minutes < 0 for minutes in minutes_by_code.values()):
        raise ValueError("Minutes cannot be negative.")
    codes = list(minutes_by_code)
    units = {code: minutes_by_code[code] // UNIT_MINUTES for code in codes}
    left = units_for_minutes(sum(minutes_by_code.values())) - sum(units.values())
    by_remainder = sorted(
        codes,
        key=lambda code: (
            -(minutes_by_code[code] % UNIT_MINUTES),
            -minutes_by_code[code],
            codes.index(code),
        ),
    )
    for code in by_remainder[:left]:
        units[code] += 1
    return [
        CodeUnits(code=code, minutes=minutes_by_code[code], units=units[code]) for code in codes
    ]
