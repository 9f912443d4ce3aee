"""Picking: greedy choice of the items of one draft, by relevance, within each block's
budget and the minute limits on positions, then laid out as slots to be timed."""

from __future__ import annotations

from collections.abc import Sequence

from core.vocabulary import Finding, LibraryPhase, Position, SessionPhase, TechniqueData
from sessions.planning.planner.candidates import LIBRARY_PHASE_ORDER
from sessions.planning.planner.scoring import Profile, marginal_gain
from sessions.planning.planner.timing import MinuteLimits, Slot, capacity


class Picker:
    """The items chosen so far for one draft, and the rules for adding more."""

    def __init__(
        self,
        *,
        minutes: int,
        budgets: dict[SessionPhase, int],
        limits: MinuteLimits,
        relevance: dict[str, int],
        profiles: dict[str, Profile],
        assessment: tuple[int, int] | None,
    ):
        """`assessment` is the assessment block's (shortest, longest) minutes on a first visit."""
        self.minutes = minutes
        self.budgets = budgets
        self.limits = limits
        self.relevance = relevance
        self.profiles = profiles
        self.assessment = assessment
        self.chosen: list[tuple[SessionPhase, TechniqueData]] = []
        self.chosen_slugs: set[str] = set()
        self.chosen_families: set[str] = set()
        self.gain: dict[str, float] = {}
        self.minimum_by_position: dict[Position, int] = {}

    def fits(self, technique: TechniqueData) -> bool:
        """It may still be added: no other version of the same work is on the plan, and
        its shortest time fits every minute limit on its position."""
        if technique.family in self.chosen_families:
            return False
        for positions, limit in self.limits:
            if technique.position in positions:
                reserved = sum(self.minimum_by_position.get(p, 0) for p in positions)
                if reserved + technique.min_minutes > limit:
                    return False
        return True

    def add(self, phase: SessionPhase, technique: TechniqueData) -> None:
        self.chosen.append((phase, technique))
        self.chosen_slugs.add(technique.slug)
        self.chosen_families.add(technique.family)
        self.minimum_by_position[technique.position] = (
            self.minimum_by_position.get(technique.position, 0) + technique.min_minutes
        )

    def pick(self, phase: SessionPhase, candidates: Sequence[TechniqueData]) -> None:
        """Add the candidate with the most to add, while its shortest time fits the block's
        budget, until the usual times fill it. A finding already covered in this block
        counts for less each time (REPEAT_DECAY); ties go to the earlier candidate. Work that
        adds nothing for this client (a nerve slider on a purely muscular plan) is left to
        `top_up`, which only adds it when the session cannot be filled otherwise."""
        budget = self.budgets[phase]
        in_phase = [t for p, t in self.chosen if p == phase]
        covered: dict[Finding, int] = {}
        for technique in in_phase:
            _cover(covered, technique)
        lowest = sum(t.min_minutes for t in in_phase)
        usual = sum(max(t.default_minutes, t.min_minutes) for t in in_phase)
        remaining = [t for t in candidates if t.slug not in self.chosen_slugs]
        while usual < budget:
            best: TechniqueData | None = None
            best_gain = 0.0
            for technique in remaining:
                if lowest + technique.min_minutes > budget or not self.fits(technique):
                    continue
                gain = marginal_gain(self.profiles[technique.slug], covered)
                if gain > best_gain:
                    best, best_gain = technique, gain
            if best is None:
                return
            self.add(phase, best)
            self.gain[best.slug] = best_gain
            _cover(covered, best)
            remaining.remove(best)
            lowest += best.min_minutes
            usual += max(best.default_minutes, best.min_minutes)

    def capacity(self) -> int:
        """The most minutes the chosen items can stretch to, within the minute limits."""
        per_position: dict[Position, int] = {}
        for _, technique in self.chosen:
            per_position[technique.position] = (
                per_position.get(technique.position, 0) + technique.max_minutes
            )
        total = capacity(per_position, self.limits)
        return total + (self.assessment[1] if self.assessment else 0)

    def lowest_total(self) -> int:
        return sum(t.min_minutes for _, t in self.chosen) + (
            self.assessment[0] if self.assessment else 0
        )

    def top_up(self, candidates: Sequence[TechniqueData]) -> None:
        """When the chosen items cannot stretch to the booked minutes, add more of the
        allowed ones (most relevant first) while they still fit."""
        if self.capacity() >= self.minutes:
            return
        phase_of = {t.slug: LibraryPhase(t.phase).session_phase for t in candidates}
        ordered = sorted(
            (t for t in candidates if t.slug not in self.chosen_slugs),
            key=lambda t: -self.relevance[t.slug],
        )
        for technique in ordered:
            if self.capacity() >= self.minutes:
                return
            if self.lowest_total() + technique.min_minutes > self.minutes:
                continue
            if self.fits(technique):
                self.add(phase_of[technique.slug], technique)

    def slots(self, rank: dict[Position, int]) -> list[Slot]:
        """The chosen items in session order, each with its minute bounds and target."""
        budgets = self.budgets
        slots: list[Slot] = []
        if self.assessment:
            lo, hi = self.assessment
            slots.append(
                Slot(
                    phase=SessionPhase.ASSESSMENT,
                    technique=None,
                    lo=lo,
                    hi=hi,
                    target=float(budgets[SessionPhase.ASSESSMENT]),
                    position=None,
                    relevance=0,
                )
            )
        for phase in (SessionPhase.WARM_UP, SessionPhase.TARGETED, SessionPhase.INTEGRATION):
            in_phase = [t for p, t in self.chosen if p == phase]
            if phase != SessionPhase.WARM_UP:
                in_phase.sort(
                    key=lambda t: (
                        rank[t.position],
                        LIBRARY_PHASE_ORDER[t.phase],
                        t.order,
                        t.slug,
                    )
                )
            usual = sum(max(t.default_minutes, 1) for t in in_phase) or 1
            for technique in in_phase:
                slots.append(
                    Slot(
                        phase=phase,
                        technique=technique,
                        lo=technique.min_minutes,
                        hi=technique.max_minutes,
                        target=max(technique.default_minutes, 1) * budgets[phase] / usual,
                        position=Position(technique.position),
                        relevance=self.gain.get(technique.slug, self.relevance[technique.slug]),
                    )
                )
        return slots


def _cover(covered: dict[Finding, int], technique: TechniqueData) -> None:
    for finding in technique.findings:
        covered[finding] = covered.get(finding, 0) + 1
