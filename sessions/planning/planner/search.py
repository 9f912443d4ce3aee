"""The search for the best plan: every arrangement of positions is drafted (items picked,
then timed) and scored; the best draft wins, or the search says why none could be made."""

from __future__ import annotations

from dataclasses import dataclass

from core.vocabulary import LibraryPhase, Position, Pressure, SessionPhase, TechniqueData, Trait
from sessions.planning.planner.candidates import allowed_techniques, longest_of_each_family
from sessions.planning.planner.context import PlanContext
from sessions.planning.planner.messages import (
    REFUSAL_CANNOT_ARRANGE,
    REFUSAL_TOO_FEW_MINUTES,
    REFUSAL_TOO_MANY_MINUTES,
)
from sessions.planning.planner.picking import Picker
from sessions.planning.planner.scoring import (
    POSITION_ORDER,
    Profile,
    draft_score,
    finding_profile,
    relevance,
)
from sessions.planning.planner.shape import assessment_minutes_range, phase_budgets
from sessions.planning.planner.targets import dosed_for_stage, works_target
from sessions.planning.planner.timing import MinuteLimits, Slot, allocate, capacity


@dataclass(frozen=True, kw_only=True)
class Draft:
    """One arrangement, picked and timed: its slots, their minutes and its score."""

    slots: tuple[Slot, ...]
    minutes: tuple[int, ...]
    score: float
    on_target: bool


@dataclass(frozen=True, kw_only=True)
class Search:
    """The candidate techniques of one plan, worked out once, and the drafts made from them."""

    context: PlanContext
    budgets: dict[SessionPhase, int]
    candidates: dict[SessionPhase, list[TechniqueData]]
    relevance: dict[str, int]
    profiles: dict[str, Profile]
    limits: MinuteLimits
    assessment: tuple[int, int] | None
    target_slugs: frozenset[str]

    @classmethod
    def create(cls, context: PlanContext) -> Search:
        restrictions, stage, weights = context.restrictions, context.stage, context.weights
        # The target's work is timed within the stage's minutes (clinical rules §6.2).
        candidates = {
            phase: [dosed_for_stage(t, target=context.target, stage=stage) for t in techniques]
            for phase, techniques in allowed_techniques(
                context.library, restrictions=restrictions, stage=stage
            ).items()
        }
        allowed = [t for phase in candidates.values() for t in phase]
        scores = {t.slug: relevance(t, weights, stage) for t in allowed}
        for phase in (SessionPhase.TARGETED, SessionPhase.INTEGRATION):
            candidates[phase].sort(key=lambda t: -scores[t.slug])
        template = context.library.template
        return cls(
            context=context,
            budgets=phase_budgets(
                template=template, minutes=context.minutes, first_visit=context.first_visit
            ),
            candidates=candidates,
            relevance=scores,
            profiles={t.slug: finding_profile(t, weights, stage) for t in allowed},
            limits=restrictions.minute_limits(),
            assessment=(
                assessment_minutes_range(template=template, minutes=context.minutes)
                if context.first_visit
                else None
            ),
            target_slugs=frozenset(t.slug for t in allowed if works_target(t, context.target)),
        )

    def best_draft(self) -> Draft | None:
        """The highest-scoring draft over every warm-up position and every split between
        targeted and integration work (the first of equals); None when none can be timed.

        A draft holding work for the hypothesis's primary target beats any draft without
        (clinical rules §6.2): the hypothesis decides what is treated at every stage."""
        best: Draft | None = None
        tried: set[tuple[str, ...]] = set()
        for warm_up_position in self.warm_up_positions():
            order = self.position_order(warm_up_position)
            for split in order:
                targeted, integration = self.split_candidates(order=order, split=split)
                key = (
                    warm_up_position,
                    *(t.slug for t in targeted),
                    "|",
                    *(t.slug for t in integration),
                )
                if key in tried:
                    continue
                tried.add(key)
                draft = self.draft(
                    warm_up_position=warm_up_position,
                    order=order,
                    targeted=targeted,
                    integration=integration,
                )
                if draft is not None and (best is None or _rank(draft) > _rank(best)):
                    best = draft
        return best

    def warm_up_positions(self) -> list[Position]:
        """Positions with a warm-up technique done at light pressure, in the preferred order."""
        return sorted(
            {t.position for t in self.candidates[SessionPhase.WARM_UP] if self._light(t)},
            key=POSITION_ORDER.__getitem__,
        )

    @staticmethod
    def position_order(warm_up_position: Position) -> list[Position]:
        """The warm-up's position first, then the rest: prone, side-lying, supine, seated."""
        return [warm_up_position] + [p for p in Position if p != warm_up_position]

    def split_candidates(
        self, *, order: list[Position], split: Position
    ) -> tuple[list[TechniqueData], list[TechniqueData]]:
        """Targeted work in positions up to `split`, integration from `split` on.

        Positions then never go backwards in `order`, so each is one contiguous block.
        """
        rank = {position: index for index, position in enumerate(order)}
        split_rank = rank[split]
        targeted = [
            t for t in self.candidates[SessionPhase.TARGETED] if rank[t.position] <= split_rank
        ]
        integration = [
            t for t in self.candidates[SessionPhase.INTEGRATION] if rank[t.position] >= split_rank
        ]
        return targeted, integration

    def draft(
        self,
        *,
        warm_up_position: Position,
        order: list[Position],
        targeted: list[TechniqueData],
        integration: list[TechniqueData],
    ) -> Draft | None:
        """Choose and time the items of one arrangement; None when it cannot be timed."""
        rank = {position: index for index, position in enumerate(order)}
        warm_up = [
            t for t in self.candidates[SessionPhase.WARM_UP] if t.position == warm_up_position
        ]
        opener = next(t for t in warm_up if self._light(t))
        warm_up = [opener] + [t for t in warm_up if t is not opener]
        picker = Picker(
            minutes=self.context.minutes,
            budgets=self.budgets,
            limits=self.limits,
            relevance=self.relevance,
            profiles=self.profiles,
            assessment=self.assessment,
        )
        picker.add(SessionPhase.WARM_UP, opener)
        # The primary target's work goes in first, the most relevant that fits, so nothing
        # else can take its minutes or its place under a limit (clinical rules §6.2).
        target = next(
            (
                t
                for t in [*targeted, *integration]
                if t.slug in self.target_slugs and picker.fits(t)
            ),
            None,
        )
        if target is not None:
            picker.add(LibraryPhase(target.phase).session_phase, target)
        picker.pick(SessionPhase.WARM_UP, warm_up[1:])
        picker.pick(SessionPhase.TARGETED, targeted)
        education = next((t for t in integration if Trait.EDUCATION in t.traits), None)
        if education is not None and picker.fits(education):
            # The integration block always teaches: home care, activity, movement.
            picker.add(SessionPhase.INTEGRATION, education)
        picker.pick(SessionPhase.INTEGRATION, integration)
        picker.top_up([*warm_up, *targeted, *integration])
        if picker.lowest_total() > self.context.minutes:
            return None
        slots = picker.slots(rank)
        minutes = allocate(
            slots, total=self.context.minutes, budgets=self.budgets, limits=self.limits
        )
        if minutes is None:
            return None
        return Draft(
            slots=tuple(slots),
            minutes=tuple(minutes),
            score=draft_score(slots, minutes, self.budgets),
            on_target=any(
                slot.technique is not None and slot.technique.slug in self.target_slugs
                for slot in slots
            ),
        )

    def why_unfillable(self) -> str:
        """Which invariant the library cannot meet, in words (for the refusal)."""
        minutes = self.context.minutes
        allowed = longest_of_each_family(t for phase in self.candidates.values() for t in phase)
        per_position: dict[Position, int] = {}
        for t in allowed:
            per_position[t.position] = per_position.get(t.position, 0) + t.max_minutes
        most = capacity(per_position, self.limits)
        assessment_lo, assessment_hi = self.assessment or (0, 0)
        if most + assessment_hi < minutes:
            return REFUSAL_TOO_FEW_MINUTES.format(capacity=most + assessment_hi, minutes=minutes)
        openers = [t.min_minutes for t in self.candidates[SessionPhase.WARM_UP] if self._light(t)]
        needed = min(openers) + assessment_lo
        if needed > minutes:
            return REFUSAL_TOO_MANY_MINUTES.format(
                assessment=" and assessment" if self.context.first_visit else "",
                needed=needed,
                minutes=minutes,
            )
        return REFUSAL_CANNOT_ARRANGE.format(minutes=minutes)

    def _light(self, technique: TechniqueData) -> bool:
        """Done at light pressure for this client: it may open the treatment."""
        return self.context.pressure(technique) == Pressure.LIGHT


def _rank(draft: Draft) -> tuple[bool, float]:
    return (draft.on_target, draft.score)
