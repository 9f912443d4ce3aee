"""The inputs of one plan, with what follows from them worked out once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from core.vocabulary import Finding, Library, Pressure, Restrictions, Stage, TechniqueData
from intake.rules import Hypothesis, Triage
from sessions.planning.planner.restrictions import used_pressure
from sessions.planning.planner.scoring import finding_weights
from sessions.planning.planner.targets import primary_target


@dataclass(frozen=True, kw_only=True)
class PlanContext:
    """One client and visit as the planner sees them: the screening, the hypothesis, the
    stage and length, the merged restrictions and the stage's goal as the library words it."""

    triage: Triage
    hypothesis: Hypothesis
    stage: Stage
    minutes: int
    first_visit: bool
    acute: bool
    library: Library
    restrictions: Restrictions
    goal: str

    @cached_property
    def weights(self) -> dict[Finding, int]:
        return finding_weights(hypothesis=self.hypothesis)

    @property
    def stage_goal(self) -> str:
        # The library writes goals as sentences; the plan quotes them inside its own.
        return self.goal.strip().rstrip(".")

    @property
    def target(self) -> Finding | None:
        """The hypothesis's primary target (clinical rules §6.2)."""
        return primary_target(self.hypothesis.kind)

    def pressure(self, technique: TechniqueData) -> Pressure:
        return used_pressure(technique=technique, restrictions=self.restrictions)
