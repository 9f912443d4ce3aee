"""The plan as plain JSON, for snapshots: an accepted plan never changes with the library.

Plans stored in the database are in this format; keep it readable by `plan_from_dict`.
Version 2 keeps the missing-target line in its own key; version 1 had it among the notes
(condition "Primary target"), and reading one moves it there.
"""

from __future__ import annotations

from core.vocabulary import (
    FrequencyAdvice,
    Modification,
    Position,
    Pressure,
    SessionPhase,
    Stage,
    Tool,
)
from intake.rules import HypothesisKind
from sessions.planning.planner.messages import TARGET_CONDITION
from sessions.planning.planner.types import HomeCareItem, Plan, PlanItem, PlanPhase

PLAN_FORMAT_VERSION = 2


def plan_to_dict(plan: Plan) -> dict:
    """The plan as JSON-safe data (enum values as their stored values)."""
    return {
        "version": PLAN_FORMAT_VERSION,
        "minutes": plan.minutes,
        "stage": int(plan.stage),
        "first_visit": plan.first_visit,
        "acute": plan.acute,
        "hypothesis_kind": str(plan.hypothesis_kind),
        "phases": [
            {
                "phase": str(phase.phase),
                "items": [
                    {
                        "technique_slug": item.technique_slug,
                        "name": item.name,
                        "minutes": item.minutes,
                        "position": str(item.position) if item.position else None,
                        "tool": str(item.tool) if item.tool else None,
                        "pressure": int(item.pressure) if item.pressure else None,
                        "holds": item.holds,
                        "cautions": list(item.cautions),
                        "reason": item.reason,
                    }
                    for item in phase.items
                ],
            }
            for phase in plan.phases
        ],
        "home_care": [
            {
                "exercise_slug": entry.exercise_slug,
                "name": entry.name,
                "purpose": entry.purpose,
                "instructions": entry.instructions,
                "dosage": entry.dosage,
                "cautions": entry.cautions,
                "reason": entry.reason,
            }
            for entry in plan.home_care
        ],
        "frequency": {
            "per_week": plan.frequency.per_week,
            "weeks": plan.frequency.weeks,
            "then_every_weeks_min": plan.frequency.then_every_weeks_min,
            "then_every_weeks_max": plan.frequency.then_every_weeks_max,
            "text": plan.frequency.text,
        },
        "notes": [{"condition": n.condition, "text": n.text} for n in plan.notes],
        "stage_goal": plan.stage_goal,
        "medical_follow_up": plan.medical_follow_up,
        "target_missing": plan.target_missing,
    }


def plan_from_dict(data: dict) -> Plan:
    """The inverse of `plan_to_dict`, for every version stored."""
    notes = tuple(Modification(**note) for note in data["notes"])
    target_missing = data.get("target_missing", "")
    if "target_missing" not in data:
        target_missing = next((n.text for n in notes if n.condition == TARGET_CONDITION), "")
        notes = tuple(n for n in notes if n.condition != TARGET_CONDITION)
    return Plan(
        minutes=data["minutes"],
        stage=Stage(data["stage"]),
        first_visit=data["first_visit"],
        acute=data["acute"],
        hypothesis_kind=HypothesisKind(data["hypothesis_kind"]),
        phases=tuple(
            PlanPhase(
                phase=SessionPhase(phase["phase"]),
                items=tuple(
                    PlanItem(
                        technique_slug=item["technique_slug"],
                        name=item["name"],
                        minutes=item["minutes"],
                        position=Position(item["position"]) if item["position"] else None,
                        tool=Tool(item["tool"]) if item["tool"] else None,
                        pressure=Pressure(item["pressure"]) if item["pressure"] else None,
                        holds=item["holds"],
                        cautions=tuple(item["cautions"]),
                        reason=item["reason"],
                    )
                    for item in phase["items"]
                ),
            )
            for phase in data["phases"]
        ),
        home_care=tuple(HomeCareItem(**entry) for entry in data["home_care"]),
        frequency=FrequencyAdvice(**data["frequency"]),
        notes=notes,
        stage_goal=data["stage_goal"],
        medical_follow_up=data["medical_follow_up"],
        target_missing=target_missing,
    )
