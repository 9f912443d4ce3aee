"""Planning a session for a client: proposal, adjustment and acceptance.

Views call these; the clinical decisions are the pure functions of `sessions.planning.planner`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.vocabulary import SESSION_MINUTES_DEFAULT, Library, Restrictions, Stage
from intake.models import Client
from intake.rules import Hypothesis, Triage
from intake.services import ClinicalState, client_clinical_state
from protocols.library import library_snapshot
from sessions.models.plan import SessionPlan
from sessions.planning.planner import (
    Plan,
    PlanRow,
    Presentation,
    Refusal,
    plan_adjust,
    plan_build,
    plan_to_dict,
    plan_validate,
    plan_warnings,
    stage_suggest,
)
from sessions.planning.selectors import plans_accepted

PLAN_NOT_VALID = "This plan cannot be accepted as it is:"
PLAN_WARNINGS_UNSEEN = (
    "Read the warning below before accepting: accept again if the plan is what you intend."
)
PLAN_SAFETY_CHANGED = (
    'The client\'s safety status is now "{status}": no massage plan can be accepted. '
    "Open the chart to see why."
)


@dataclass(frozen=True)
class PlanRequest:
    """What the therapist asks for on "Plan a session"."""

    minutes: int
    stage: Stage
    first_visit: bool
    acute: bool


@dataclass(frozen=True)
class Proposal:
    """The planner's answer for a request, with everything it was made from."""

    request: PlanRequest
    state: ClinicalState
    library: Library
    result: Plan | Refusal

    @property
    def triage(self) -> Triage:
        return self.state.triage

    @property
    def hypothesis(self) -> Hypothesis:
        return self.state.hypothesis


def plan_course_visits(*, client: Client) -> int:
    """Accepted plans in the current course of care: since (and with) the latest first visit."""
    plans = plans_accepted(client=client)
    started = plans.filter(first_visit=True).values_list("accepted_at", flat=True).first()
    if started is None:
        return plans.count()
    return plans.filter(accepted_at__gte=started).count()


def plan_request_defaults(*, client: Client, state: ClinicalState, library: Library) -> dict:
    """The form's starting values: the stage suggested from the visit number in the course
    of care and the client's presentation (clinical rules §6.1), with why; a first visit
    when the client has no plan yet; acute from the history."""
    visits = plan_course_visits(client=client)
    stage_one = next((s for s in library.stages if s.stage == Stage.FIREFIGHTING), None)
    if stage_one is None:
        per_week = 1
    else:
        frequency = stage_one.acute_frequency if state.acute else stage_one.chronic_frequency
        per_week = frequency.per_week
    history = state.health_history
    suggestion = stage_suggest(
        visit_number=visits + 1,
        per_week=per_week,
        presentation=Presentation(
            chronicity=state.chronicity,
            pain_now=history.pain_now if history else None,
            hypothesis_kind=state.hypothesis.kind,
        ),
    )
    return {
        "minutes": SESSION_MINUTES_DEFAULT,
        "stage": suggestion.stage,
        "suggestion": suggestion,
        "first_visit": not plans_accepted(client=client).exists(),
        "acute": state.acute,
    }


def plan_propose(
    *,
    client: Client,
    request: PlanRequest,
    library: Library | None = None,
    state: ClinicalState | None = None,
) -> Proposal:
    """The proposed plan (or refusal) from the client's current screening and assessment
    (`state`, when the caller has just read it)."""
    state = state or client_clinical_state(client=client)
    library = library or library_snapshot()
    result = plan_build(
        triage=state.triage,
        hypothesis=state.hypothesis,
        stage=request.stage,
        minutes=request.minutes,
        first_visit=request.first_visit,
        library=library,
        acute=request.acute,
    )
    return Proposal(request=request, state=state, library=library, result=result)


class PlanWarningsUnseen(ValidationError):
    """Accepting a plan with warnings the therapist has not been shown yet."""

    def __init__(self, warnings: Sequence[str]):
        super().__init__([PLAN_WARNINGS_UNSEEN, *warnings])
        self.warnings = list(warnings)


@dataclass(frozen=True)
class Adjusted:
    """The therapist's version of a proposal: what stops it being accepted (`problems`)
    and what the therapist may accept once read (`warnings`, `plan_warnings`)."""

    plan: Plan
    problems: list[str]
    warnings: list[str]


def plan_adjusted(*, proposal: Proposal, rows: Sequence[PlanRow]) -> Adjusted:
    """The therapist's version of the proposed plan, what is wrong with it and what it
    warns about (if anything)."""
    if not isinstance(proposal.result, Plan):
        raise TypeError("Only a proposed plan can be adjusted, not a refusal.")
    plan = plan_adjust(
        proposal.result,
        rows=rows,
        triage=proposal.triage,
        hypothesis=proposal.hypothesis,
        library=proposal.library,
    )
    problems = plan_validate(
        plan, triage=proposal.triage, hypothesis=proposal.hypothesis, library=proposal.library
    )
    warnings = plan_warnings(
        plan, proposed=proposal.result, hypothesis=proposal.hypothesis, library=proposal.library
    )
    return Adjusted(plan=plan, problems=problems, warnings=warnings)


@transaction.atomic
def plan_accept(
    *,
    client: Client,
    therapist,
    proposal: Proposal,
    plan: Plan,
    appointment=None,
    warnings_seen: Collection[str] = (),
) -> SessionPlan:
    """Store `plan` as accepted: validated again, then saved as a snapshot with its inputs.

    The client's row is locked and the safety status read again first: a red flag raised since
    the plan was proposed (a colleague's check-in, say) refuses it (`PLAN_SAFETY_CHANGED`).
    A plan with warnings (`plan_warnings`: the primary target's work taken out, clinical
    rules §6.2) is the therapist's call, accepted only once every warning is among
    `warnings_seen` (else `PlanWarningsUnseen`); the snapshot records them as accepted.
    """
    Client.objects.select_for_update().filter(pk=client.pk).first()
    now = client_clinical_state(client=client)
    if now.triage.blocks_treatment:
        raise ValidationError(PLAN_SAFETY_CHANGED.format(status=now.safety.status.label))
    problems = plan_validate(
        plan, triage=proposal.triage, hypothesis=proposal.hypothesis, library=proposal.library
    )
    if problems:
        raise ValidationError([PLAN_NOT_VALID, *problems])
    warnings = plan_warnings(
        plan, proposed=proposal.result, hypothesis=proposal.hypothesis, library=proposal.library
    )
    if not set(warnings) <= set(warnings_seen):
        raise PlanWarningsUnseen(warnings)
    state = proposal.state
    session_plan = SessionPlan(
        client=client,
        therapist=therapist,
        appointment=appointment,
        minutes=plan.minutes,
        stage=plan.stage,
        first_visit=plan.first_visit,
        acute=plan.acute,
        hypothesis_kind=plan.hypothesis_kind,
        triage_outcome=state.triage.outcome,
        adjusted=plan != proposal.result,
        accepted_at=timezone.now(),
        snapshot={
            "plan": plan_to_dict(plan),
            "inputs": {
                "triage": {
                    "outcome": str(state.triage.outcome),
                    "reasons": list(state.triage.reasons),
                    "restrictions": _restrictions_to_dict(state.triage.restrictions),
                },
                "hypothesis": {
                    "kind": str(state.hypothesis.kind),
                    "findings": sorted(str(f) for f in state.hypothesis.findings),
                    "reasons": list(state.hypothesis.reasons),
                    "medical_follow_up": state.hypothesis.medical_follow_up,
                },
                "screening_id": state.screening.pk if state.screening else None,
                "assessment_id": state.assessment.pk if state.assessment else None,
                "template": proposal.library.template.name,
                "proposed": plan_to_dict(proposal.result),
            },
            "warnings_accepted": warnings,
        },
    )
    session_plan.full_clean()
    session_plan.save()
    return session_plan


def _restrictions_to_dict(restrictions: Restrictions) -> dict:
    return {
        "excluded_positions": sorted(str(p) for p in restrictions.excluded_positions),
        "forbidden_tools": sorted(str(t) for t in restrictions.forbidden_tools),
        "excluded_traits": sorted(str(t) for t in restrictions.excluded_traits),
        "pressure_cap": int(restrictions.pressure_cap),
        "max_session_minutes": restrictions.max_session_minutes,
        "max_prone_minutes": restrictions.max_prone_minutes,
        "notes": [{"condition": n.condition, "text": n.text} for n in restrictions.notes],
    }
