"""The inputs of one plan, with what follows from them worked out once."""

from __future__ import annotations

from dataclasses import dataclass

from core.vocabulary import Finding, Library, Pressure, Restrictions, Stage, TechniqueData
from intake.rules import Hypothesis, Triage
from sessions.planning.planner.restrictions import used_pressure
from sessions.planning.planner.scoring import finding_weights


@dataclass(frozen=True, kw_only=True)
class PlanContext:
    """One client and visit as the planner sees them: the screening, the hypothesis, the
    stage and length, the merged restrictions, the finding weights and the stage's goal."""

    triage: Triage
    hypothesis: Hypothesis
    stage: Stage
    minutes: int
    first_visit: bool
    acute: bool
    library: Library
    restrictions: Restrictions
    weights: dict[Finding, int]
    stage_goal: str

    @classmethod
    def create(
        cls,
        *,
        triage: Triage,
        hypothesis: Hypothesis,
        stage: Stage,
        minutes: int,
        first_visit: bool,
        library: Library,
        acute: bool,
        restrictions: Restrictions,
        goal: str,
    ) -> PlanContext:
        return cls(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=minutes,
            first_visit=first_visit,
            acute=acute,
            library=library,
            restrictions=restrictions,
            weights=finding_weights(hypothesis=hypothesis),
            # The library writes goals as sentences; the plan quotes them inside its own.
            stage_goal=goal.strip().rstrip("."),
        )

    def pressure(self, technique: TechniqueData) -> Pressure:
        return used_pressure(technique=technique, restrictions=self.restrictions)
