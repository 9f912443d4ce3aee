"""The session planner: a timed, safe, explained plan for one client and one visit.

Pure functions over the plain data of `core.vocabulary` and `intake.rules` (no ORM,
no request), so every rule here is testable in microseconds:

- `course_restrictions` and `hypothesis_restrictions` turn the care stage and the
  working hypothesis into `Restrictions`, merged with the triage's own (DOMAIN 2.3, 3.1, 6);
- `phase_budgets` and `assessment_minutes_range` scale the session shape (DOMAIN 5);
- `plan_build` selects, orders and times the work, or returns a `Refusal`;
- `plan_validate` checks any plan (also one a therapist adjusted) against the invariants
  `plan_build` promises, returning one message per violation.

The invariants, for every input: item minutes add up to the booked minutes and each
stays within its technique's range (the assessment block within its own range); the
treatment opens with a light warm-up and no moderate or deep item comes before a warm-up
item; nothing a restriction excludes, no pressure above the cap, no forbidden tool, no
more minutes face-down (all prone positions together) than the prone limit; each position
in one contiguous block; no two versions of the same work (one technique per family); home
care obeys the same restrictions; a first visit opens with the assessment block; same
input, same plan.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from django.db import models

from core.vocabulary import (
    PRONE_POSITIONS,
    CareStageData,
    ExerciseData,
    Finding,
    FrequencyAdvice,
    Library,
    LibraryPhase,
    Modification,
    Position,
    Pressure,
    Restrictions,
    SessionPhase,
    SessionTemplateData,
    Stage,
    TechniqueData,
    Tool,
    Trait,
)
from intake.rules import Hypothesis, HypothesisKind, Triage, TriageOutcome

SESSION_STEP_MINUTES = 5
ASSESSMENT_SLUG = "initial-assessment"
ASSESSMENT_NAME = "Initial assessment"
# Seed 000 spends "the first 15-20 minutes" of a first visit on assessment: the template
# names the lower figure, the block may run up to a third longer.
ASSESSMENT_LONGEST_RATIO = 4 / 3
HOME_CARE_MAX = 5
# Relevance weights (DOMAIN 3.1 "what massage does"): a finding the assessment made, a
# finding the hypothesis calls for as secondary work, and general support.
PRIMARY_FINDING_WEIGHT = 10
SECONDARY_FINDING_WEIGHT = 5
GENERAL_WEIGHT = 3
# A technique whose first suitable stage is this one is the stage's new work (DOMAIN 6);
# less than a primary finding, so the findings still lead.
NEW_THIS_STAGE_BONUS = 4
# Each further item on the same finding counts for less (x0.7): the session covers the
# chain (glutes, rotators, hamstrings, calves) rather than one muscle five ways.
REPEAT_DECAY = 0.7
# Draft scores: the items' relevance, less these per repositioning and per minute a block
# strays from the session shape (heavier than any relevance, so the shape is kept).
POSITION_CHANGE_PENALTY = 3
# DOMAIN 5: "all prone work together, then side-lying, then supine": going back up that
# order (side-lying warm-up, then prone work) costs extra.
BACKWARD_MOVE_PENALTY = 10
SHAPE_DEVIATION_PENALTY = 30

# Why an item is on the plan (PlanItem.reason), short enough to read at a glance.
REASON_WARM_UP = "Warm-up: no deeper work on cold tissue."
REASON_FINDINGS = "{hypothesis}: works the {targets}."
REASON_NERVE_GLIDE = "{hypothesis}: gentle neural mobilisation only."
REASON_GUARDING = "{hypothesis}: eases the spasm and guarding around the nerve."
REASON_GOAL = "Towards this stage's goal: {goal}."
REASON_GENERAL = "General support towards this stage's goal: {goal}."
REASON_NEW = "New in {stage}."
FINDING_TARGETS = {
    Finding.PIRIFORMIS: "deep rotators",
    Finding.HAMSTRING: "hamstrings",
    Finding.GLUTEUS_MINIMUS: "gluteus minimus",
    Finding.NEURAL: "sciatic nerve's glide",
    Finding.GENERAL: "surrounding tissue",
}

# Refusal texts (shown as they are on the refusal page; tests assert them).
REFUSAL_NEXT_STEP_EMERGENCY = (
    "Send the client to the emergency department today and give them the referral letter. "
    "No massage."
)
REFUSAL_NEXT_STEP_REFER = (
    "Refer the client to a physician now and give them the referral letter. "
    "No massage until a physician has seen them."
)
REFUSAL_NEXT_STEP_DO_NOT_TREAT = (
    "No massage this visit. Book again once the condition has resolved or a physician has "
    "cleared treatment, and repeat the screening at that visit."
)
REFUSAL_LENGTH_NOT_BOOKABLE = (
    "{minutes} minutes is not a bookable length: sessions run from {shortest} to {longest} "
    "minutes in {step}-minute steps."
)
REFUSAL_NEXT_STEP_LENGTH = (
    "Choose a length from {shortest} to {longest} minutes in {step}-minute steps."
)
REFUSAL_LENGTH_RESTRICTED = "The screening limits this client's sessions to {limit} minutes; {minutes} minutes were asked for."
REFUSAL_NEXT_STEP_LENGTH_RESTRICTED = "Plan a session of {limit} minutes or less."
REFUSAL_NO_STAGE = (
    "The library has no course-of-care stage for {stage}, so there is no frequency advice."
)
REFUSAL_NO_WARM_UP = (
    "No warm-up technique in the library is allowed for this client at light pressure, and "
    "deeper work never starts on cold tissue."
)
REFUSAL_TOO_FEW_MINUTES = (
    "The techniques the library allows for this client fill at most {capacity} of the "
    "{minutes} minutes (each has a longest allowed time)."
)
REFUSAL_TOO_MANY_MINUTES = (
    "The shortest safe plan for this client (warm-up{assessment}) needs {needed} minutes, "
    "more than the {minutes} booked."
)
REFUSAL_CANNOT_ARRANGE = (
    "The techniques the library allows for this client cannot be arranged into {minutes} "
    "minutes with warm-up first, one block per position and every time limit respected."
)
REFUSAL_NEXT_STEP_LIBRARY = (
    "Ask the clinic manager to add or widen techniques that suit this client and stage, "
    "or plan a different session length."
)

# Validation messages (plan_validate; shown on the adjust page).
PLAN_TREATMENT_BLOCKED = "Screening blocks treatment today: no plan can be accepted."
PLAN_TOTAL_MISMATCH = (
    "The items add up to {total} minutes, but the session is booked for {minutes}."
)
PLAN_LENGTH_NOT_BOOKABLE = "{minutes} minutes is not a bookable session length."
PLAN_LENGTH_RESTRICTED = "The screening limits this client's sessions to {limit} minutes."
PLAN_EMPTY_PHASE = "The {phase} block has no items."
PLAN_PHASE_ORDER = (
    "The blocks must run in order: initial assessment, warm-up, targeted work, integration."
)
PLAN_ASSESSMENT_MISSING = "A first visit starts with the initial assessment block."
PLAN_ASSESSMENT_NOT_FIRST_VISIT = "Only a first visit has an initial assessment block."
PLAN_ASSESSMENT_MINUTES = (
    "Initial assessment: {minutes} minutes is outside {lo} to {hi} minutes for a {total}-minute "
    "first visit."
)
PLAN_UNKNOWN_TECHNIQUE = "{name} is not in the current library."
PLAN_WRONG_PHASE = "{name} belongs in the {expected} block, not in {actual}."
PLAN_DUPLICATE = "{name} appears more than once."
PLAN_SAME_WORK = (
    "{name} and {other} are versions of the same work: keep only one of them in a session."
)
PLAN_ITEM_MINUTES = "{name}: {minutes} minutes is outside its allowed {lo} to {hi} minutes."
PLAN_NO_WARM_UP = "The treatment must open with a warm-up item at light pressure."
PLAN_COLD_TISSUE = (
    "{name} ({pressure} pressure) comes before any warm-up: no deeper work on cold tissue."
)
PLAN_NOT_ALLOWED = "{name} is not allowed for this client: {why}."
PLAN_PRESSURE_ABOVE_CAP = "{name}: {pressure} pressure is above this client's cap ({cap})."
PLAN_PRESSURE_OUT_OF_RANGE = (
    "{name}: {pressure} pressure is outside the technique's range ({lo} to {hi})."
)
PLAN_STAGE_UNSUITED = "{name} does not suit {stage}."
PLAN_PRONE_LIMIT = (
    "Prone and frog-leg together: {minutes} minutes face-down, above this client's limit "
    "of {limit} minutes in any prone position."
)
PLAN_POSITION_SPLIT = (
    "{position} appears in more than one block: keep each position together so the client "
    "is repositioned as little as possible."
)
PLAN_HOME_CARE_UNKNOWN = "Home care: {name} is not in the current library."
PLAN_HOME_CARE_NOT_ALLOWED = "Home care: {name} is not allowed for this client: {why}."
PLAN_HOME_CARE_STAGE = "Home care: {name} does not suit {stage}."

WHY_POSITION = "the {position} position is excluded"
WHY_TOOL = "the {tool} is not to be used"
WHY_TRAIT = "{trait} is excluded"
WHY_PRESSURE = "it needs at least {pressure} pressure, above the cap ({cap})"


class RefusalKind(models.TextChoices):
    """Why there is no plan: the screening's outcome, the length, or the library."""

    REFER_NOW = "refer_now", "Refer now: do not treat"
    DO_NOT_TREAT = "do_not_treat", "Do not treat today"
    SESSION_LENGTH = "session_length", "Session length not possible"
    LIBRARY_CANNOT_FILL = "library_cannot_fill", "The library cannot fill this plan"


@dataclass(frozen=True)
class Refusal:
    """No plan: what blocks it, in words for the therapist, and what to do next.

    `referral` is True when the next step is a physician (the page offers the referral
    letter); `emergency` when that physician is the emergency department today.
    """

    kind: RefusalKind
    reasons: tuple[str, ...]
    next_step: str
    referral: bool = False
    emergency: bool = False


@dataclass(frozen=True)
class PlanItem:
    """One timed line of the run sheet. The assessment block has no position, tool or pressure."""

    technique_slug: str
    name: str
    minutes: int
    position: Position | None
    tool: Tool | None
    pressure: Pressure | None
    holds: str
    cautions: tuple[str, ...]
    reason: str

    @property
    def is_assessment(self) -> bool:
        return self.technique_slug == ASSESSMENT_SLUG


@dataclass(frozen=True)
class PlanPhase:
    phase: SessionPhase
    items: tuple[PlanItem, ...]

    @property
    def minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def label(self) -> str:
        return SessionPhase(self.phase).label


@dataclass(frozen=True)
class HomeCareItem:
    """One home-care exercise chosen for the client and stage (DOMAIN 7)."""

    exercise_slug: str
    name: str
    purpose: str
    instructions: str
    dosage: str
    cautions: str
    reason: str


@dataclass(frozen=True)
class RunSheetRow:
    """A plan item with its clock times and whether the client changes position before it."""

    phase: SessionPhase
    item: PlanItem
    starts_at: int
    ends_at: int
    position_change: bool
    first_in_phase: bool
    phase_minutes: int


@dataclass(frozen=True)
class Plan:
    """A proposed (or adjusted) session plan. Items are in the order they are done."""

    minutes: int
    stage: Stage
    first_visit: bool
    acute: bool
    hypothesis_kind: HypothesisKind
    phases: tuple[PlanPhase, ...]
    home_care: tuple[HomeCareItem, ...]
    frequency: FrequencyAdvice
    notes: tuple[Modification, ...]
    stage_goal: str
    medical_follow_up: bool

    @property
    def items(self) -> tuple[PlanItem, ...]:
        return tuple(item for phase in self.phases for item in phase.items)

    def run_sheet(self) -> list[RunSheetRow]:
        """The items with clock minutes from the start, position changes marked."""
        rows: list[RunSheetRow] = []
        clock = 0
        previous: Position | None = None
        for phase in self.phases:
            for index, item in enumerate(phase.items):
                changes = item.position is not None and item.position != previous
                rows.append(
                    RunSheetRow(
                        phase=phase.phase,
                        item=item,
                        starts_at=clock,
                        ends_at=clock + item.minutes,
                        position_change=changes,
                        first_in_phase=index == 0,
                        phase_minutes=phase.minutes,
                    )
                )
                clock += item.minutes
                if item.position is not None:
                    previous = item.position
        return rows


# ---------------------------------------------------------------------------------------
# Rules: what the stage and the hypothesis add to the triage's restrictions.


def course_restrictions(*, stage: Stage, acute: bool) -> Restrictions:
    """What the care stage forbids, in clinic and at home (DOMAIN 6; DOMAIN 7 for ice/heat).

    Week 1 (firefighting) calms inflammation and the nervous system: light pressure, static
    compression only on the trochanteric attachments, no stretching of any kind, no vigorous
    friction, no sustained heavy pressure, no percussion, no nerve flossing yet (it starts in
    week 2), no strengthening; in an acute flare ice, not heat (seed 001: ice for the first
    48-72 hours of sharp pain). Week 2 (decompression) works at about half depth (seed 001:
    "tolerates 50% depth"): moderate at most, still no end-range stretching or percussion.
    Weeks 3 and 4 add nothing; the techniques' own stages decide what suits them. A chronic
    case uses heat for tightness, not ice.
    """
    traits: set[Trait] = set()
    notes: list[Modification] = []
    cap = Pressure.DEEP
    if stage == Stage.FIREFIGHTING:
        cap = Pressure.LIGHT
        traits |= {
            Trait.STRETCH,
            Trait.AGGRESSIVE_STRETCH,
            Trait.VIGOROUS_FRICTION,
            Trait.SUSTAINED_PRESSURE,
            Trait.PERCUSSION,
            Trait.NEURAL_MOBILISATION,
            Trait.STRENGTHENING,
        }
        notes.append(
            Modification(
                "Stage 1 (firefighting)",
                "Light pressure; static compression only on the trochanteric attachments; "
                "no stretching, vigorous friction or nerve flossing yet, in clinic or at home.",
            )
        )
        if acute:
            traits.add(Trait.HEAT)
            notes.append(
                Modification("Acute flare", "Ice, not heat, while the pain is sharp and recent.")
            )
    elif stage == Stage.DECOMPRESSION:
        cap = Pressure.MODERATE
        traits |= {Trait.AGGRESSIVE_STRETCH, Trait.PERCUSSION}
        notes.append(
            Modification(
                "Stage 2 (decompression)",
                "Work at about half depth (moderate at most); no end-range stretching.",
            )
        )
    if not acute:
        traits.add(Trait.ICE)
    return Restrictions(excluded_traits=frozenset(traits), pressure_cap=cap, notes=tuple(notes))


def hypothesis_restrictions(*, hypothesis: Hypothesis) -> Restrictions:
    """What the working hypothesis forbids (DOMAIN 3.1).

    Neural involvement (likely compression): manage secondary spasm and guarding only,
    gentle neural mobilisation, no aggressive stretching, no deep or sustained heavy
    pressure near an irritated nerve (seed 001 FAQ), suggest medical follow-up; compression sources are
    outside massage scope. Irritation of unclear source: the same caution, reassess at the
    next visit. Entrapment and muscular findings add no restriction. A hypothesis asking
    for medical follow-up always puts that on the plan.
    """
    kind = hypothesis.kind
    notes: list[Modification] = []
    traits: frozenset[Trait] = frozenset()
    cap = Pressure.DEEP
    if kind == HypothesisKind.NEURAL_COMPRESSION:
        traits = frozenset(
            {Trait.AGGRESSIVE_STRETCH, Trait.VIGOROUS_FRICTION, Trait.SUSTAINED_PRESSURE}
        )
        cap = Pressure.MODERATE
        notes.append(
            Modification(
                "Neural findings",
                "Manage spasm and guarding only, gentle neural mobilisation, no aggressive "
                "stretching; suggest medical follow-up. A compressed nerve root (disc, "
                "stenosis) is outside massage scope: this plan does not claim to fix it.",
            )
        )
    elif kind == HypothesisKind.IRRITATION_UNCLEAR:
        traits = frozenset({Trait.AGGRESSIVE_STRETCH, Trait.VIGOROUS_FRICTION})
        cap = Pressure.MODERATE
        notes.append(
            Modification(
                "Nerve irritation, source unclear",
                "Cautious plan: moderate pressure at most, no aggressive stretching; "
                "reassess at the next visit.",
            )
        )
    elif kind == HypothesisKind.UNDETERMINED:
        notes.append(
            Modification(
                "No working hypothesis yet",
                "General plan: record the assessment tests to tailor the next one.",
            )
        )
    if hypothesis.medical_follow_up and kind != HypothesisKind.NEURAL_COMPRESSION:
        notes.append(Modification("Medical follow-up", "Suggest the client sees a physician."))
    return Restrictions(excluded_traits=traits, pressure_cap=cap, notes=tuple(notes))


def plan_restrictions(
    *, triage: Triage, hypothesis: Hypothesis, stage: Stage, acute: bool
) -> Restrictions:
    """Everything the plan must respect: screening, stage and hypothesis, merged (DOMAIN 2.3)."""
    return (
        triage.restrictions
        | course_restrictions(stage=stage, acute=acute)
        | hypothesis_restrictions(hypothesis=hypothesis)
    )


def finding_weights(*, hypothesis: Hypothesis) -> dict[Finding, int]:
    """How strongly the plan favours work on each finding (DOMAIN 3.1 "what massage does").

    The assessment's own findings weigh most. Entrapment also calls for the glutes and
    hamstrings; a muscular hypothesis for hamstrings and gluteus minimus; neural involvement
    for neural mobilisation and guarding relief (general work); an unclear or missing
    hypothesis for general work.
    """
    weights = {Finding.GENERAL: GENERAL_WEIGHT}
    secondary = {
        HypothesisKind.ENTRAPMENT_PIRIFORMIS: (
            (Finding.PIRIFORMIS, PRIMARY_FINDING_WEIGHT),
            (Finding.GLUTEUS_MINIMUS, SECONDARY_FINDING_WEIGHT),
            (Finding.HAMSTRING, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.NEURAL_COMPRESSION: (
            (Finding.NEURAL, PRIMARY_FINDING_WEIGHT),
            (Finding.GENERAL, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.IRRITATION_UNCLEAR: (
            (Finding.NEURAL, SECONDARY_FINDING_WEIGHT),
            (Finding.GENERAL, SECONDARY_FINDING_WEIGHT),
        ),
        HypothesisKind.MUSCULAR_HAMSTRING: (
            (Finding.HAMSTRING, PRIMARY_FINDING_WEIGHT),
            (Finding.GLUTEUS_MINIMUS, PRIMARY_FINDING_WEIGHT),
        ),
        HypothesisKind.UNDETERMINED: ((Finding.GENERAL, SECONDARY_FINDING_WEIGHT),),
    }
    for finding, weight in secondary.get(hypothesis.kind, ()):
        weights[finding] = max(weights.get(finding, 0), weight)
    for finding in hypothesis.findings:
        if finding != Finding.GENERAL:
            weights[finding] = max(weights.get(finding, 0), PRIMARY_FINDING_WEIGHT)
    return weights


def technique_allowed(
    *, technique: TechniqueData, restrictions: Restrictions, stage: Stage
) -> bool:
    """A technique may go on the plan: permitted at some pressure within the cap, and suits the stage."""
    return (
        stage in technique.stages
        and restrictions.permits(
            position=technique.position,
            tool=technique.tool,
            traits=technique.traits,
            min_pressure=technique.min_pressure,
        )
        and _position_open(restrictions, technique.position)
    )


def exercise_allowed(
    *,
    exercise: ExerciseData,
    restrictions: Restrictions,
    stage: Stage,
) -> bool:
    """Home care obeys the plan's restrictions (DOMAIN 6-7): no excluded trait or position, right stage.

    Tools and pressure caps describe the therapist's hands, not the client's exercises.
    """
    return (
        stage in exercise.stages
        and exercise.position not in restrictions.excluded_positions
        and not (exercise.traits & restrictions.excluded_traits)
    )


def used_pressure(*, technique: TechniqueData, restrictions: Restrictions) -> Pressure:
    """The pressure the plan asks for: the technique's usual one, held down to the cap."""
    return Pressure(min(technique.max_pressure, restrictions.pressure_cap))


def _position_open(restrictions: Restrictions, position: Position) -> bool:
    """False when a minute limit covering the position is zero (no time there at all)."""
    return all(
        minutes > 0 for positions, minutes in restrictions.minute_limits() if position in positions
    )


MinuteLimits = tuple[tuple[frozenset[Position], int], ...]


def _capacity(per_position: dict[Position, int], limits: MinuteLimits) -> int:
    """The most of `per_position`'s minutes that fit under `limits` (which never overlap)."""
    over = (sum(per_position.get(p, 0) for p in positions) - limit for positions, limit in limits)
    return sum(per_position.values()) - sum(max(0, excess) for excess in over)


# ---------------------------------------------------------------------------------------
# The session shape (DOMAIN 5).


def session_length_bookable(*, template: SessionTemplateData, minutes: int) -> bool:
    """Sessions run 30 to 90 minutes (seed 004) in 5-minute steps."""
    return (
        template.min_session_minutes <= minutes <= template.max_session_minutes
        and minutes % SESSION_STEP_MINUTES == 0
    )


def assessment_minutes_range(*, template: SessionTemplateData, minutes: int) -> tuple[int, int]:
    """The assessment block's allowed minutes at this length (seed 000: 15-20 of 60, scaled).

    It is not a technique, so it has its own rule: from the template's figure to a third
    more, both scaled to the session length, never under one minute.
    """
    scale = minutes / template.reference_minutes
    lo = max(1, math.floor(template.assessment_minutes * scale))
    hi = max(lo, math.ceil(template.assessment_minutes * ASSESSMENT_LONGEST_RATIO * scale))
    return lo, hi


def phase_budgets(
    *, template: SessionTemplateData, minutes: int, first_visit: bool
) -> dict[SessionPhase, int]:
    """Target minutes per block, adding up to `minutes` (DOMAIN 5).

    A first visit takes the template's assessment minutes scaled to the length (15 of 60);
    the rest is split in the reference proportions (warm-up 10 : targeted 20 :
    integration 15) by largest remainders, with the warm-up never under its minimum.
    """
    assessment = 0
    if first_visit:
        assessment = _round_half_up(
            template.assessment_minutes * minutes / template.reference_minutes
        )
        lo, hi = assessment_minutes_range(template=template, minutes=minutes)
        assessment = min(max(assessment, lo), hi, minutes)
    treatment = minutes - assessment
    weights = dict(template.phase_minutes)
    phases = (SessionPhase.WARM_UP, SessionPhase.TARGETED, SessionPhase.INTEGRATION)
    shares = [max(0, weights.get(phase, 0)) for phase in phases]
    if not sum(shares):
        shares = [1, 2, 1]
    exact = [treatment * share / sum(shares) for share in shares]
    split = [math.floor(value) for value in exact]
    by_remainder = sorted(range(len(phases)), key=lambda i: (split[i] - exact[i], i))
    for i in by_remainder[: treatment - sum(split)]:
        split[i] += 1
    floor = min(template.min_warm_up_minutes, treatment)
    while split[0] < floor:
        donor = max((1, 2), key=lambda i: (split[i], -i))
        if split[donor] == 0:
            break
        split[donor] -= 1
        split[0] += 1
    budgets = dict(zip(phases, split, strict=True))
    if first_visit:
        budgets = {SessionPhase.ASSESSMENT: assessment, **budgets}
    return budgets


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


# ---------------------------------------------------------------------------------------
# plan_build


def plan_build(
    *,
    triage: Triage,
    hypothesis: Hypothesis,
    stage: Stage,
    minutes: int,
    first_visit: bool,
    library: Library,
    acute: bool = True,
) -> Plan | Refusal:
    """The session plan for this client and visit, or why there is none (DOMAIN 2-7).

    A red flag or absolute contraindication refuses with the triage's reasons and the next
    step. Otherwise the work is chosen by the findings (DOMAIN 3.1) and the stage (DOMAIN 6),
    within every restriction (DOMAIN 2.3), timed to the booked minutes in the session shape
    of DOMAIN 5, ordered warm-up first and grouped by position. When the library cannot
    satisfy every invariant the answer is a refusal saying why, never a broken plan.
    """
    refusal = _screening_refusal(triage)
    if refusal:
        return refusal
    template = library.template
    if not session_length_bookable(template=template, minutes=minutes):
        return Refusal(
            kind=RefusalKind.SESSION_LENGTH,
            reasons=(
                REFUSAL_LENGTH_NOT_BOOKABLE.format(
                    minutes=minutes,
                    shortest=template.min_session_minutes,
                    longest=template.max_session_minutes,
                    step=SESSION_STEP_MINUTES,
                ),
            ),
            next_step=REFUSAL_NEXT_STEP_LENGTH.format(
                shortest=template.min_session_minutes,
                longest=template.max_session_minutes,
                step=SESSION_STEP_MINUTES,
            ),
        )
    restrictions = plan_restrictions(triage=triage, hypothesis=hypothesis, stage=stage, acute=acute)
    limit = restrictions.max_session_minutes
    if limit is not None and minutes > limit:
        return Refusal(
            kind=RefusalKind.SESSION_LENGTH,
            reasons=(REFUSAL_LENGTH_RESTRICTED.format(limit=limit, minutes=minutes),),
            next_step=REFUSAL_NEXT_STEP_LENGTH_RESTRICTED.format(limit=limit),
        )
    care_stage = _care_stage(library, stage)
    if care_stage is None:
        return _library_refusal(REFUSAL_NO_STAGE.format(stage=Stage(stage).label))

    context = _Context.create(
        triage=triage,
        hypothesis=hypothesis,
        stage=stage,
        minutes=minutes,
        first_visit=first_visit,
        library=library,
        acute=acute,
        restrictions=restrictions,
        care_stage=care_stage,
    )
    if not context.warm_up_positions():
        return _library_refusal(REFUSAL_NO_WARM_UP)
    best: _Draft | None = None
    tried: set[tuple[str, ...]] = set()
    for warm_up_position in context.warm_up_positions():
        order = context.position_order(warm_up_position)
        for split in order:
            targeted, integration = context.split_candidates(order=order, split=split)
            key = (
                warm_up_position,
                *(t.slug for t in targeted),
                "|",
                *(t.slug for t in integration),
            )
            if key in tried:
                continue
            tried.add(key)
            draft = context.draft(
                warm_up_position=warm_up_position,
                order=order,
                targeted=targeted,
                integration=integration,
            )
            if draft is not None and (best is None or draft.score > best.score):
                best = draft
    if best is None:
        return _library_refusal(context.why_unfillable())
    return context.plan_from(best)


def _screening_refusal(triage: Triage) -> Refusal | None:
    """Red flags refer now; absolute contraindications stop this visit (DOMAIN 2.1, 2.2)."""
    if triage.outcome == TriageOutcome.REFER_NOW:
        return Refusal(
            kind=RefusalKind.REFER_NOW,
            reasons=triage.reasons,
            next_step=REFUSAL_NEXT_STEP_EMERGENCY if triage.emergency else REFUSAL_NEXT_STEP_REFER,
            referral=True,
            emergency=triage.emergency,
        )
    if triage.outcome == TriageOutcome.DO_NOT_TREAT:
        return Refusal(
            kind=RefusalKind.DO_NOT_TREAT,
            reasons=triage.reasons,
            next_step=(
                REFUSAL_NEXT_STEP_EMERGENCY if triage.emergency else REFUSAL_NEXT_STEP_DO_NOT_TREAT
            ),
            referral=True,
            emergency=triage.emergency,
        )
    return None


def _library_refusal(reason: str) -> Refusal:
    return Refusal(
        kind=RefusalKind.LIBRARY_CANNOT_FILL, reasons=(reason,), next_step=REFUSAL_NEXT_STEP_LIBRARY
    )


def _care_stage(library: Library, stage: Stage) -> CareStageData | None:
    return next((data for data in library.stages if data.stage == stage), None)


@dataclass(frozen=True)
class _Slot:
    """One line being timed: the bounds and the target the allocation aims at."""

    phase: SessionPhase
    technique: TechniqueData | None  # None: the assessment block
    lo: int
    hi: int
    target: float
    position: Position | None
    relevance: float


@dataclass(frozen=True)
class _Draft:
    slots: tuple[_Slot, ...]
    minutes: tuple[int, ...]
    score: float


_LIBRARY_PHASE_ORDER = {phase: index for index, phase in enumerate(LibraryPhase)}
_POSITION_ORDER = {position: index for index, position in enumerate(Position)}


@dataclass
class _Context:
    """The inputs of one `plan_build` call, with the candidate techniques worked out once."""

    triage: Triage
    hypothesis: Hypothesis
    stage: Stage
    minutes: int
    first_visit: bool
    acute: bool
    library: Library
    restrictions: Restrictions
    care_stage: CareStageData
    budgets: dict[SessionPhase, int]
    weights: dict[Finding, int]
    candidates: dict[SessionPhase, list[TechniqueData]]
    relevance: dict[str, int]
    profiles: dict[str, tuple[tuple[tuple[Finding, int], ...], int]]
    limits: MinuteLimits

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
        care_stage: CareStageData,
    ) -> _Context:
        weights = finding_weights(hypothesis=hypothesis)
        allowed = sorted(
            (
                t
                for t in _unique_techniques(library.techniques)
                if technique_allowed(technique=t, restrictions=restrictions, stage=stage)
            ),
            key=lambda t: (_LIBRARY_PHASE_ORDER[t.phase], t.order, t.slug),
        )
        relevance = {t.slug: _relevance(t, weights, stage) for t in allowed}
        profiles = {
            t.slug: (
                tuple((f, weights[f]) for f in sorted(t.findings) if weights.get(f)),
                NEW_THIS_STAGE_BONUS if _new_this_stage(t, stage) else 0,
            )
            for t in allowed
        }
        candidates: dict[SessionPhase, list[TechniqueData]] = {
            SessionPhase.WARM_UP: [],
            SessionPhase.TARGETED: [],
            SessionPhase.INTEGRATION: [],
        }
        for technique in allowed:
            candidates[LibraryPhase(technique.phase).session_phase].append(technique)
        for phase in (SessionPhase.TARGETED, SessionPhase.INTEGRATION):
            candidates[phase].sort(key=lambda t: -relevance[t.slug])
        return cls(
            triage=triage,
            hypothesis=hypothesis,
            stage=stage,
            minutes=minutes,
            first_visit=first_visit,
            acute=acute,
            library=library,
            restrictions=restrictions,
            care_stage=care_stage,
            budgets=phase_budgets(
                template=library.template, minutes=minutes, first_visit=first_visit
            ),
            weights=weights,
            candidates=candidates,
            relevance=relevance,
            profiles=profiles,
            limits=restrictions.minute_limits(),
        )

    @property
    def stage_goal(self) -> str:
        # The library writes goals as sentences; the plan quotes them inside its own.
        return self.care_stage.goal.strip().rstrip(".")

    def pressure(self, technique: TechniqueData) -> Pressure:
        return used_pressure(technique=technique, restrictions=self.restrictions)

    def warm_up_positions(self) -> list[Position]:
        """Positions with a warm-up technique done at light pressure, in the preferred order."""
        return sorted(
            {
                t.position
                for t in self.candidates[SessionPhase.WARM_UP]
                if self.pressure(t) == Pressure.LIGHT
            },
            key=_POSITION_ORDER.__getitem__,
        )

    def position_order(self, warm_up_position: Position) -> list[Position]:
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
    ) -> _Draft | None:
        """Choose and time the items of one arrangement; None when it cannot be timed."""
        rank = {position: index for index, position in enumerate(order)}
        warm_up = [
            t for t in self.candidates[SessionPhase.WARM_UP] if t.position == warm_up_position
        ]
        opener = next(t for t in warm_up if self.pressure(t) == Pressure.LIGHT)
        warm_up = [opener] + [t for t in warm_up if t is not opener]
        picker = _Picker(self)
        if self.first_visit:
            picker.add_assessment()
        picker.add(SessionPhase.WARM_UP, opener)
        picker.pick(SessionPhase.WARM_UP, warm_up[1:])
        picker.pick(SessionPhase.TARGETED, targeted)
        education = next((t for t in integration if Trait.EDUCATION in t.traits), None)
        if education is not None and picker.fits(education):
            # Seed 000's phase 3 always teaches: home care, activity, movement.
            picker.add(SessionPhase.INTEGRATION, education)
        picker.pick(SessionPhase.INTEGRATION, integration)
        picker.top_up([*warm_up, *targeted, *integration])
        if picker.lowest_total() > self.minutes:
            return None
        slots = picker.slots(rank)
        minutes = _allocate(slots, total=self.minutes, budgets=self.budgets, limits=self.limits)
        if minutes is None:
            return None
        moves = [
            (before.position, after.position)
            for before, after in zip(slots, slots[1:], strict=False)
            if before.position is not None and before.position != after.position
        ]
        backwards = sum(1 for a, b in moves if _POSITION_ORDER[b] < _POSITION_ORDER[a])
        spent: dict[SessionPhase, int] = {}
        for slot, m in zip(slots, minutes, strict=True):
            spent[slot.phase] = spent.get(slot.phase, 0) + m
        deviation = sum(abs(spent.get(phase, 0) - budget) for phase, budget in self.budgets.items())
        score = sum(slot.relevance for slot in slots)
        score -= POSITION_CHANGE_PENALTY * len(moves) + BACKWARD_MOVE_PENALTY * backwards
        score -= SHAPE_DEVIATION_PENALTY * deviation
        return _Draft(tuple(slots), tuple(minutes), score)

    def why_unfillable(self) -> str:
        """Which invariant the library cannot meet, in words (for the refusal)."""
        allowed = _longest_of_each_family(t for phase in self.candidates.values() for t in phase)
        per_position: dict[Position, int] = {}
        for t in allowed:
            per_position[t.position] = per_position.get(t.position, 0) + t.max_minutes
        capacity = _capacity(per_position, self.limits)
        assessment_lo = assessment_hi = 0
        if self.first_visit:
            assessment_lo, assessment_hi = assessment_minutes_range(
                template=self.library.template, minutes=self.minutes
            )
        if capacity + assessment_hi < self.minutes:
            return REFUSAL_TOO_FEW_MINUTES.format(
                capacity=capacity + assessment_hi, minutes=self.minutes
            )
        openers = [
            t.min_minutes
            for t in self.candidates[SessionPhase.WARM_UP]
            if self.pressure(t) == Pressure.LIGHT
        ]
        needed = min(openers) + assessment_lo
        if needed > self.minutes:
            return REFUSAL_TOO_MANY_MINUTES.format(
                assessment=" and assessment" if self.first_visit else "",
                needed=needed,
                minutes=self.minutes,
            )
        return REFUSAL_CANNOT_ARRANGE.format(minutes=self.minutes)

    def plan_from(self, draft: _Draft) -> Plan:
        phases: list[PlanPhase] = []
        for phase in SessionPhase:
            items = tuple(
                self.item(slot, minutes)
                for slot, minutes in zip(draft.slots, draft.minutes, strict=True)
                if slot.phase == phase
            )
            if items:
                phases.append(PlanPhase(phase=phase, items=items))
        return Plan(
            minutes=self.minutes,
            stage=Stage(self.stage),
            first_visit=self.first_visit,
            acute=self.acute,
            hypothesis_kind=HypothesisKind(self.hypothesis.kind),
            phases=tuple(phases),
            home_care=self.home_care(),
            frequency=(
                self.care_stage.acute_frequency if self.acute else self.care_stage.chronic_frequency
            ),
            notes=self.restrictions.notes,
            stage_goal=self.stage_goal,
            medical_follow_up=self.hypothesis.medical_follow_up
            or self.hypothesis.kind == HypothesisKind.NEURAL_COMPRESSION,
        )

    def item(self, slot: _Slot, minutes: int) -> PlanItem:
        technique = slot.technique
        if technique is None:
            return assessment_item(minutes)
        pressure = self.pressure(technique)
        cautions = [technique.cautions] if technique.cautions else []
        if pressure < technique.max_pressure:
            cautions.append(
                f"At {Pressure(pressure).label.lower()} pressure, not the usual "
                f"{Pressure(technique.max_pressure).label.lower()}: {self.cap_source()}."
            )
        if self.stage == Stage.FIREFIGHTING and Trait.STATIC_COMPRESSION in technique.traits:
            cautions.append("Week 1: static compression only, no friction.")
        return PlanItem(
            technique_slug=technique.slug,
            name=technique.name,
            minutes=minutes,
            position=Position(technique.position),
            tool=Tool(technique.tool),
            pressure=pressure,
            holds=technique.holds,
            cautions=tuple(cautions),
            reason=self.reason(slot.phase, technique),
        )

    def cap_source(self) -> str:
        """Which rule holds the pressure down, for the item's caution."""
        cap = self.restrictions.pressure_cap
        sources = []
        if self.triage.restrictions.pressure_cap == cap:
            conditions = ", ".join(
                dict.fromkeys(n.condition for n in self.triage.restrictions.notes)
            )
            sources.append(f"screening ({conditions})" if conditions else "screening")
        if course_restrictions(stage=self.stage, acute=self.acute).pressure_cap == cap:
            sources.append(Stage(self.stage).label)
        if hypothesis_restrictions(hypothesis=self.hypothesis).pressure_cap == cap:
            sources.append(HypothesisKind(self.hypothesis.kind).label)
        return "; ".join(sources)

    def reason(self, phase: SessionPhase, technique: TechniqueData) -> str:
        """Why this item is on the plan, in words a therapist reads at a glance."""
        if phase == SessionPhase.WARM_UP:
            return REASON_WARM_UP
        kind = HypothesisKind(self.hypothesis.kind)
        matched = sorted(
            (
                f
                for f in technique.findings
                if f != Finding.GENERAL and self.weights.get(f, 0) >= SECONDARY_FINDING_WEIGHT
            ),
            key=lambda f: (-self.weights[f], list(Finding).index(f)),
        )
        nerve = kind in (HypothesisKind.NEURAL_COMPRESSION, HypothesisKind.IRRITATION_UNCLEAR)
        if phase == SessionPhase.INTEGRATION and Trait.NEURAL_MOBILISATION not in technique.traits:
            matched = [f for f in matched if f != Finding.NEURAL]
            nerve = False
        if nerve and (Finding.NEURAL in technique.findings or not matched):
            text = (
                REASON_NERVE_GLIDE
                if Trait.NEURAL_MOBILISATION in technique.traits
                else REASON_GUARDING
            ).format(hypothesis=kind.label)
        elif matched:
            targets = " and ".join(FINDING_TARGETS[Finding(f)] for f in matched[:2])
            text = REASON_FINDINGS.format(hypothesis=kind.label, targets=targets)
        elif phase == SessionPhase.INTEGRATION:
            text = REASON_GOAL.format(goal=self.stage_goal)
        else:
            text = REASON_GENERAL.format(goal=self.stage_goal)
        if _new_this_stage(technique, self.stage):
            text += " " + REASON_NEW.format(stage=Stage(self.stage).label)
        return text

    def home_care(self) -> tuple[HomeCareItem, ...]:
        """Up to HOME_CARE_MAX exercises for this client and stage, most relevant first (DOMAIN 7)."""
        allowed = [
            e
            for e in _unique_exercises(self.library.exercises)
            if exercise_allowed(exercise=e, restrictions=self.restrictions, stage=self.stage)
        ]
        scored = sorted(
            allowed,
            key=lambda e: (-_relevance(e, self.weights, self.stage), e.order, e.slug),
        )[:HOME_CARE_MAX]
        chosen = sorted(scored, key=lambda e: (e.order, e.slug))
        return tuple(
            HomeCareItem(
                exercise_slug=e.slug,
                name=e.name,
                purpose=e.purpose,
                instructions=e.instructions,
                dosage=e.dosage,
                cautions=e.cautions,
                reason=self.home_care_reason(e),
            )
            for e in chosen
        )

    def home_care_reason(self, exercise: ExerciseData) -> str:
        matched = sorted(
            Finding(f).label.lower()
            for f in exercise.findings
            if f != Finding.GENERAL and self.weights.get(f, 0) >= SECONDARY_FINDING_WEIGHT
        )
        stage = Stage(self.stage).label
        if matched:
            return f"{stage}; for {' and '.join(matched)}."
        return f"{stage}; general self-care."


class _Picker:
    """Greedy selection for one draft: by relevance, within each block's budget and limits."""

    def __init__(self, context: _Context):
        self.context = context
        self.chosen: list[tuple[SessionPhase, TechniqueData]] = []
        self.chosen_slugs: set[str] = set()
        self.chosen_families: set[str] = set()
        self.gain: dict[str, float] = {}
        self.assessment: tuple[int, int] | None = None
        self.minimum_by_position: dict[Position, int] = {}

    def add_assessment(self) -> None:
        self.assessment = assessment_minutes_range(
            template=self.context.library.template, minutes=self.context.minutes
        )

    def fits(self, technique: TechniqueData) -> bool:
        """It may still be added: no other version of the same work is on the plan, and
        its shortest time fits every minute limit on its position."""
        if technique.family in self.chosen_families:
            return False
        for positions, limit in self.context.limits:
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
        counts for less each time (REPEAT_DECAY); ties go to the earlier candidate."""
        budget = self.context.budgets[phase]
        in_phase = [t for p, t in self.chosen if p == phase]
        covered: dict[Finding, int] = {}
        for technique in in_phase:
            self._cover(covered, technique)
        lowest = sum(t.min_minutes for t in in_phase)
        usual = sum(max(t.default_minutes, t.min_minutes) for t in in_phase)
        remaining = [t for t in candidates if t.slug not in self.chosen_slugs]
        while usual < budget:
            best: TechniqueData | None = None
            best_gain = -1.0
            for technique in remaining:
                if lowest + technique.min_minutes > budget or not self.fits(technique):
                    continue
                gain = self.marginal(technique, covered)
                if gain > best_gain:
                    best, best_gain = technique, gain
            if best is None:
                return
            self.add(phase, best)
            self.gain[best.slug] = best_gain
            self._cover(covered, best)
            remaining.remove(best)
            lowest += best.min_minutes
            usual += max(best.default_minutes, best.min_minutes)

    def marginal(self, technique: TechniqueData, covered: dict[Finding, int]) -> float:
        weighted, bonus = self.context.profiles[technique.slug]
        return bonus + sum(weight * REPEAT_DECAY ** covered.get(f, 0) for f, weight in weighted)

    @staticmethod
    def _cover(covered: dict[Finding, int], technique: TechniqueData) -> None:
        for finding in technique.findings:
            covered[finding] = covered.get(finding, 0) + 1

    def capacity(self) -> int:
        per_position: dict[Position, int] = {}
        for _, technique in self.chosen:
            per_position[technique.position] = (
                per_position.get(technique.position, 0) + technique.max_minutes
            )
        total = _capacity(per_position, self.context.limits)
        return total + (self.assessment[1] if self.assessment else 0)

    def lowest_total(self) -> int:
        return sum(t.min_minutes for _, t in self.chosen) + (
            self.assessment[0] if self.assessment else 0
        )

    def top_up(self, candidates: Sequence[TechniqueData]) -> None:
        """When the chosen items cannot stretch to the booked minutes, add more of the
        allowed ones (most relevant first) while they still fit."""
        if self.capacity() >= self.context.minutes:
            return
        phase_of = {t.slug: LibraryPhase(t.phase).session_phase for t in candidates}
        relevance = self.context.relevance
        ordered = sorted(
            (t for t in candidates if t.slug not in self.chosen_slugs),
            key=lambda t: -relevance[t.slug],
        )
        for technique in ordered:
            if self.capacity() >= self.context.minutes:
                return
            if self.lowest_total() + technique.min_minutes > self.context.minutes:
                continue
            if self.fits(technique):
                self.add(phase_of[technique.slug], technique)

    def slots(self, rank: dict[Position, int]) -> list[_Slot]:
        """The chosen items in session order, each with its minute bounds and target."""
        budgets = self.context.budgets
        slots: list[_Slot] = []
        if self.assessment:
            lo, hi = self.assessment
            slots.append(
                _Slot(
                    SessionPhase.ASSESSMENT,
                    None,
                    lo,
                    hi,
                    float(budgets[SessionPhase.ASSESSMENT]),
                    None,
                    0,
                )
            )
        for phase in (SessionPhase.WARM_UP, SessionPhase.TARGETED, SessionPhase.INTEGRATION):
            in_phase = [t for p, t in self.chosen if p == phase]
            if phase != SessionPhase.WARM_UP:
                in_phase.sort(
                    key=lambda t: (
                        rank[t.position],
                        _LIBRARY_PHASE_ORDER[t.phase],
                        t.order,
                        t.slug,
                    )
                )
            usual = sum(max(t.default_minutes, 1) for t in in_phase) or 1
            for technique in in_phase:
                slots.append(
                    _Slot(
                        phase,
                        technique,
                        technique.min_minutes,
                        technique.max_minutes,
                        max(technique.default_minutes, 1) * budgets[phase] / usual,
                        Position(technique.position),
                        self.gain.get(technique.slug, self.context.relevance[technique.slug]),
                    )
                )
        return slots


def _allocate(
    slots: Sequence[_Slot],
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


@dataclass
class _Room:
    """What is left under each minute limit while `_allocate` hands out minutes."""

    limits: MinuteLimits
    counts_against: list[list[int]]
    used: list[int]

    def has_room(self, slot_index: int) -> bool:
        return all(self.used[k] < self.limits[k][1] for k in self.counts_against[slot_index])

    def take(self, slot_index: int) -> None:
        for k in self.counts_against[slot_index]:
            self.used[k] += 1


def _fill(
    slots: Sequence[_Slot],
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


def _relevance(
    entry: TechniqueData | ExerciseData, weights: dict[Finding, int], stage: Stage
) -> int:
    score = sum(weights.get(finding, 0) for finding in entry.findings)
    if _new_this_stage(entry, stage):
        score += NEW_THIS_STAGE_BONUS
    return score


def _new_this_stage(entry: TechniqueData | ExerciseData, stage: Stage) -> bool:
    """Work that first suits this stage is the stage's emphasis (seed 001's 4-week case)."""
    return len(entry.stages) < len(Stage) and bool(entry.stages) and min(entry.stages) == stage


def _unique_techniques(techniques: Iterable[TechniqueData]) -> list[TechniqueData]:
    """The first technique of each slug: a library is keyed by slug."""
    seen: dict[str, TechniqueData] = {}
    for technique in techniques:
        seen.setdefault(technique.slug, technique)
    return list(seen.values())


def _longest_of_each_family(techniques: Iterable[TechniqueData]) -> list[TechniqueData]:
    """One technique per family, the one that can run longest: a plan holds one version
    of each work, so the others add no capacity."""
    longest: dict[str, TechniqueData] = {}
    for technique in techniques:
        kept = longest.get(technique.family)
        if kept is None or technique.max_minutes > kept.max_minutes:
            longest[technique.family] = technique
    return list(longest.values())


def _unique_exercises(exercises: Iterable[ExerciseData]) -> list[ExerciseData]:
    seen: dict[str, ExerciseData] = {}
    for exercise in exercises:
        seen.setdefault(exercise.slug, exercise)
    return list(seen.values())


def assessment_item(minutes: int) -> PlanItem:
    """The first-visit assessment block (seed 000 "Initial Assessment Protocol")."""
    return PlanItem(
        technique_slug=ASSESSMENT_SLUG,
        name=ASSESSMENT_NAME,
        minutes=minutes,
        position=None,
        tool=None,
        pressure=None,
        holds="",
        cautions=("The tests guide the massage; they are not a medical diagnosis.",),
        reason=(
            "First visit: pain pattern, movement, posture, history and lifestyle, then the "
            "straight leg raise, Bragard's and piriformis tests."
        ),
    )


# ---------------------------------------------------------------------------------------
# plan_validate


def plan_validate(
    plan: Plan, *, triage: Triage, hypothesis: Hypothesis, library: Library
) -> list[str]:
    """Every invariant `plan_build` promises, checked on any plan; one message per violation.

    Used on a therapist's adjusted plan before it can be accepted, and by the tests on every
    generated plan. Techniques are judged by the current library's data (DOMAIN 2.3, 5, 6).
    """
    if triage.blocks_treatment:
        return [PLAN_TREATMENT_BLOCKED]
    errors: list[str] = []
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    template = library.template
    if not session_length_bookable(template=template, minutes=plan.minutes):
        errors.append(PLAN_LENGTH_NOT_BOOKABLE.format(minutes=plan.minutes))
    limit = restrictions.max_session_minutes
    if limit is not None and plan.minutes > limit:
        errors.append(PLAN_LENGTH_RESTRICTED.format(limit=limit))
    total = sum(item.minutes for item in plan.items)
    if total != plan.minutes:
        errors.append(PLAN_TOTAL_MISMATCH.format(total=total, minutes=plan.minutes))
    errors += _validate_blocks(plan, template)
    errors += _validate_items(plan, restrictions, library)
    errors += _validate_warm_up(plan)
    errors += _validate_positions(plan, restrictions)
    errors += _validate_home_care(plan, restrictions, library)
    return errors


def _validate_blocks(plan: Plan, template: SessionTemplateData) -> list[str]:
    errors = []
    order = list(SessionPhase)
    indexes = [order.index(phase.phase) for phase in plan.phases]
    if indexes != sorted(set(indexes)):
        errors.append(PLAN_PHASE_ORDER)
    for phase in plan.phases:
        if not phase.items:
            errors.append(PLAN_EMPTY_PHASE.format(phase=phase.label.lower()))
    has_assessment = any(phase.phase == SessionPhase.ASSESSMENT for phase in plan.phases)
    if plan.first_visit:
        items = plan.items
        if not items or not items[0].is_assessment:
            errors.append(PLAN_ASSESSMENT_MISSING)
        else:
            lo, hi = assessment_minutes_range(template=template, minutes=plan.minutes)
            if not lo <= items[0].minutes <= hi:
                errors.append(
                    PLAN_ASSESSMENT_MINUTES.format(
                        minutes=items[0].minutes, lo=lo, hi=hi, total=plan.minutes
                    )
                )
    elif has_assessment:
        errors.append(PLAN_ASSESSMENT_NOT_FIRST_VISIT)
    return errors


def _validate_items(plan: Plan, restrictions: Restrictions, library: Library) -> list[str]:
    errors = []
    techniques = {t.slug: t for t in _unique_techniques(library.techniques)}
    seen: set[str] = set()
    families: dict[str, str] = {}
    stage_label = Stage(plan.stage).label
    for phase in plan.phases:
        for item in phase.items:
            if item.is_assessment or phase.phase == SessionPhase.ASSESSMENT:
                if item.is_assessment != (phase.phase == SessionPhase.ASSESSMENT):
                    errors.append(
                        PLAN_WRONG_PHASE.format(
                            name=item.name,
                            expected=SessionPhase.ASSESSMENT.label.lower(),
                            actual=phase.label.lower(),
                        )
                    )
                if item.is_assessment and ASSESSMENT_SLUG in seen:
                    errors.append(PLAN_DUPLICATE.format(name=item.name))
                seen.add(item.technique_slug)
                continue
            technique = techniques.get(item.technique_slug)
            if technique is None:
                errors.append(PLAN_UNKNOWN_TECHNIQUE.format(name=item.name))
                continue
            name = technique.name
            if technique.slug in seen:
                errors.append(PLAN_DUPLICATE.format(name=name))
            elif technique.family in families:
                errors.append(PLAN_SAME_WORK.format(name=name, other=families[technique.family]))
            seen.add(technique.slug)
            families.setdefault(technique.family, name)
            expected = LibraryPhase(technique.phase).session_phase
            if expected != phase.phase:
                errors.append(
                    PLAN_WRONG_PHASE.format(
                        name=name, expected=expected.label.lower(), actual=phase.label.lower()
                    )
                )
            if not technique.min_minutes <= item.minutes <= technique.max_minutes:
                errors.append(
                    PLAN_ITEM_MINUTES.format(
                        name=name,
                        minutes=item.minutes,
                        lo=technique.min_minutes,
                        hi=technique.max_minutes,
                    )
                )
            if plan.stage not in technique.stages:
                errors.append(PLAN_STAGE_UNSUITED.format(name=name, stage=stage_label))
            why = _why_not_permitted(
                restrictions,
                position=item.position or technique.position,
                tool=item.tool or technique.tool,
                traits=technique.traits,
                min_pressure=technique.min_pressure,
            )
            if why:
                errors.append(PLAN_NOT_ALLOWED.format(name=name, why=why))
            pressure = item.pressure or technique.max_pressure
            if pressure > restrictions.pressure_cap:
                errors.append(
                    PLAN_PRESSURE_ABOVE_CAP.format(
                        name=name,
                        pressure=Pressure(pressure).label.lower(),
                        cap=Pressure(restrictions.pressure_cap).label.lower(),
                    )
                )
            if not technique.min_pressure <= pressure <= technique.max_pressure:
                errors.append(
                    PLAN_PRESSURE_OUT_OF_RANGE.format(
                        name=name,
                        pressure=Pressure(pressure).label.lower(),
                        lo=Pressure(technique.min_pressure).label.lower(),
                        hi=Pressure(technique.max_pressure).label.lower(),
                    )
                )
    return errors


def _validate_warm_up(plan: Plan) -> list[str]:
    """The treatment opens with a light warm-up item; nothing moderate or deep before a warm-up."""
    errors = []
    treatment = [
        (phase.phase, item)
        for phase in plan.phases
        for item in phase.items
        if phase.phase != SessionPhase.ASSESSMENT and not item.is_assessment
    ]
    if not treatment:
        return [PLAN_NO_WARM_UP]
    first_phase, first_item = treatment[0]
    if first_phase != SessionPhase.WARM_UP or first_item.pressure != Pressure.LIGHT:
        errors.append(PLAN_NO_WARM_UP)
    warmed = False
    for phase, item in treatment:
        if item.pressure is not None and item.pressure > Pressure.LIGHT and not warmed:
            errors.append(
                PLAN_COLD_TISSUE.format(
                    name=item.name, pressure=Pressure(item.pressure).label.lower()
                )
            )
        if phase == SessionPhase.WARM_UP:
            warmed = True
    return errors


def _validate_positions(plan: Plan, restrictions: Restrictions) -> list[str]:
    """One contiguous block per position (DOMAIN 5); no more minutes in all prone
    positions together than the prone limit (DOMAIN 2.3)."""
    errors = []
    blocks: list[Position] = []
    totals: dict[Position, int] = {}
    for item in plan.items:
        if item.position is None:
            continue
        totals[item.position] = totals.get(item.position, 0) + item.minutes
        if not blocks or blocks[-1] != item.position:
            blocks.append(item.position)
    for position in Position:
        if blocks.count(position) > 1:
            errors.append(PLAN_POSITION_SPLIT.format(position=position.label))
    prone = sum(totals.get(position, 0) for position in PRONE_POSITIONS)
    if restrictions.max_prone_minutes is not None and prone > restrictions.max_prone_minutes:
        errors.append(PLAN_PRONE_LIMIT.format(minutes=prone, limit=restrictions.max_prone_minutes))
    return errors


def _validate_home_care(plan: Plan, restrictions: Restrictions, library: Library) -> list[str]:
    errors = []
    exercises = {e.slug: e for e in _unique_exercises(library.exercises)}
    for entry in plan.home_care:
        exercise = exercises.get(entry.exercise_slug)
        if exercise is None:
            errors.append(PLAN_HOME_CARE_UNKNOWN.format(name=entry.name))
            continue
        if plan.stage not in exercise.stages:
            errors.append(
                PLAN_HOME_CARE_STAGE.format(name=exercise.name, stage=Stage(plan.stage).label)
            )
        why = _why_exercise_not_permitted(restrictions, exercise)
        if why:
            errors.append(PLAN_HOME_CARE_NOT_ALLOWED.format(name=exercise.name, why=why))
    return errors


def _why_not_permitted(
    restrictions: Restrictions,
    *,
    position: Position,
    tool: Tool,
    traits: frozenset[Trait],
    min_pressure: Pressure,
) -> str:
    """The first reason `restrictions` exclude this work, in words; empty when permitted."""
    if position in restrictions.excluded_positions or not _position_open(restrictions, position):
        return WHY_POSITION.format(position=Position(position).label.lower())
    if tool in restrictions.forbidden_tools:
        return WHY_TOOL.format(tool=Tool(tool).label.lower())
    excluded = sorted(traits & restrictions.excluded_traits, key=list(Trait).index)
    if excluded:
        return WHY_TRAIT.format(trait=" and ".join(Trait(t).label.lower() for t in excluded))
    if min_pressure > restrictions.pressure_cap:
        return WHY_PRESSURE.format(
            pressure=Pressure(min_pressure).label.lower(),
            cap=Pressure(restrictions.pressure_cap).label.lower(),
        )
    return ""


def _why_exercise_not_permitted(restrictions: Restrictions, exercise: ExerciseData) -> str:
    if exercise.position in restrictions.excluded_positions:
        return WHY_POSITION.format(position=Position(exercise.position).label.lower())
    excluded = sorted(exercise.traits & restrictions.excluded_traits, key=list(Trait).index)
    if excluded:
        return WHY_TRAIT.format(trait=" and ".join(Trait(t).label.lower() for t in excluded))
    return ""


# ---------------------------------------------------------------------------------------
# Plain JSON form, for snapshots: an accepted plan never changes with the library.

PLAN_FORMAT_VERSION = 1


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
    }


def plan_from_dict(data: dict) -> Plan:
    """The inverse of `plan_to_dict`."""
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
        notes=tuple(Modification(**note) for note in data["notes"]),
        stage_goal=data["stage_goal"],
        medical_follow_up=data["medical_follow_up"],
    )


# ---------------------------------------------------------------------------------------
# The course of care and the therapist's adjustments.


def stage_for_visit(*, visit_number: int, per_week: int) -> Stage:
    """The care stage of the n-th visit of a course (DOMAIN 6, seed 001's four weeks).

    The stages are the course's weeks: at `per_week` visits a week (the stage-1 frequency
    advice: 2 in an acute flare, 1 in a chronic case) visit n falls in week
    ceil(n / per_week); from week 4 on it is strengthening and maintenance.
    """
    week = math.ceil(max(1, visit_number) / max(1, per_week))
    return Stage(min(week, len(Stage)))


@dataclass(frozen=True)
class PlanRow:
    """One line of a plan as the therapist left it on the adjust page."""

    phase: SessionPhase
    technique_slug: str
    minutes: int


PLAN_ITEM_SWAPPED = "Chosen by the therapist in place of the proposal"


def plan_alternatives(
    *, plan: Plan, triage: Triage, hypothesis: Hypothesis, library: Library
) -> dict[SessionPhase, list[TechniqueData]]:
    """The techniques a therapist may swap in, per block: allowed for this client and stage
    (the same rules as `plan_build`), in the library's order."""
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    allowed: dict[SessionPhase, list[TechniqueData]] = {
        SessionPhase.WARM_UP: [],
        SessionPhase.TARGETED: [],
        SessionPhase.INTEGRATION: [],
    }
    techniques = sorted(
        _unique_techniques(library.techniques),
        key=lambda t: (_LIBRARY_PHASE_ORDER[t.phase], t.order, t.slug),
    )
    for technique in techniques:
        if technique_allowed(technique=technique, restrictions=restrictions, stage=plan.stage):
            allowed[LibraryPhase(technique.phase).session_phase].append(technique)
    return allowed


def plan_adjust(
    plan: Plan,
    *,
    rows: Sequence[PlanRow],
    triage: Triage,
    hypothesis: Hypothesis,
    library: Library,
) -> Plan:
    """The plan with the therapist's lines, in the order given (not validated: see
    `plan_validate`). A technique kept from the proposal keeps its reason and cautions; a
    swapped-in one is built the way `plan_build` builds items (pressure held to the cap,
    cautions added) and says it was the therapist's choice. A slug the library no longer
    has stays as a line `plan_validate` will name."""
    restrictions = plan_restrictions(
        triage=triage, hypothesis=hypothesis, stage=plan.stage, acute=plan.acute
    )
    context = _Context.create(
        triage=triage,
        hypothesis=hypothesis,
        stage=plan.stage,
        minutes=plan.minutes,
        first_visit=plan.first_visit,
        library=library,
        acute=plan.acute,
        restrictions=restrictions,
        care_stage=_care_stage(library, plan.stage)
        or CareStageData(plan.stage, "", plan.stage_goal, "", "", plan.frequency, plan.frequency),
    )
    proposed = {item.technique_slug: item for item in plan.items}
    techniques = {t.slug: t for t in _unique_techniques(library.techniques)}
    phases: dict[SessionPhase, list[PlanItem]] = {}
    for row in rows:
        if row.technique_slug == ASSESSMENT_SLUG:
            item = assessment_item(row.minutes)
        elif row.technique_slug in proposed:
            item = replace(proposed[row.technique_slug], minutes=row.minutes)
        elif row.technique_slug in techniques:
            built = context.item(
                _Slot(row.phase, techniques[row.technique_slug], 0, 0, 0.0, None, 0),
                row.minutes,
            )
            item = replace(built, reason=f"{PLAN_ITEM_SWAPPED}. {built.reason}")
        else:
            item = PlanItem(
                row.technique_slug, row.technique_slug, row.minutes, None, None, None, "", (), ""
            )
        phases.setdefault(row.phase, []).append(item)
    return replace(
        plan,
        phases=tuple(PlanPhase(phase=phase, items=tuple(items)) for phase, items in phases.items()),
    )
