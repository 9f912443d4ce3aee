"""Timing: whole minutes for each chosen item, within its bounds, adding up to the booked
length and within every minute limit on positions (e.g. all prone work together).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.vocabulary import Position, SessionPhase, TechniqueData

MinuteLimits = tuple[tuple[frozenset[Position], int], ...]


def capacity(per_position: dict[Position, int], limits: MinuteLimits) -> int:
    """The most of `per_position`'s minutes that fit under `limits` (which never overlap)."""
    over = (sum(per_position.get(p, 0) for p in positions) - limit for positions, limit in limits)
    return sum(per_position.values()) - sum(max(0, excess) for excess in over)


@dataclass(frozen=True, kw_only=True)
class Slot:
    """One line being timed: the bounds and the target the allocation aims at."""

    phase: SessionPhase
    technique: TechniqueData | None  # None: the assessment block
    lo: int
    hi: int
    target: float
    position: Position | None
    relevance: float


def allocate(
    slots: Sequence[Slot],
    *,
    total: int,
    budgets: dict[SessionPhase, int],
    limits: MinuteLimits,
) -> list[int] | None:
    """Integer minutes within each slot's bounds, adding up to `total`, within the minute
    limits on positions (each position's own, and e.g. all prone work together).

    Every slot starts at its shortest time. Each block is then filled up to its budget, a
    minute at a time to the slot furthest below its target (ties to the earlier slot);
    whatever a block cannot hold goes to the other blocks the same way. None when the
    bounds cannot meet `total`.
    """
    minutes = [slot.lo for slot in slots]
    # For each slot, the limits its minutes count against; `used` per limit.
    counts_against = [
        [k for k, (positions, _) in enumerate(limits) if slot.position in positions]
        for slot in slots
    ]
    used = [
        sum(minutes[i] for i, against in enumerate(counts_against) if k in against)
        for k in range(len(limits))
    ]
    if any(used[k] > limit for k, (_, limit) in enumerate(limits)):
        return None
    if sum(minutes) > total:
        return None
    room = _Room(limits=limits, counts_against=counts_against, used=used)
    for phase, budget in budgets.items():
        indexes = [i for i, slot in enumerate(slots) if slot.phase == phase]
        wanted = budget - sum(minutes[i] for i in indexes)
        _fill(slots, minutes, room, indexes, min(wanted, total - sum(minutes)))
    remaining = total - sum(minutes)
    remaining -= _fill(slots, minutes, room, range(len(slots)), remaining)
    return None if remaining else minutes


@dataclass(kw_only=True)
class _Room:
    """What is left under each minute limit while `allocate` hands out minutes."""

    limits: MinuteLimits
    counts_against: list[list[int]]
    used: list[int]

    def has_room(self, slot_index: int) -> bool:
        return all(self.used[k] < self.limits[k][1] for k in self.counts_against[slot_index])

    def take(self, slot_index: int) -> None:
        for k in self.counts_against[slot_index]:
            self.used[k] += 1


def _fill(
    slots: Sequence[Slot],
    minutes: list[int],
    room: _Room,
    indexes: Iterable[int],
    wanted: int,
) -> int:
    """Hand out up to `wanted` minutes among `indexes`; returns how many were placed."""
    heap = [(minutes[i] - slots[i].target, i) for i in indexes if minutes[i] < slots[i].hi]
    heapq.heapify(heap)
    placed = 0
    while placed < wanted and heap:
        _, i = heapq.heappop(heap)
        if not room.has_room(i):
            continue
        minutes[i] += 1
        placed += 1
        room.take(i)
        if minutes[i] < slots[i].hi:
            heapq.heappush(heap, (minutes[i] - slots[i].target, i))
    return placed
