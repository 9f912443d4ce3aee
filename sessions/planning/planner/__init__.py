"""The session planner: a timed, safe, explained plan for one client and one visit.

Pure functions over the plain data of `core.vocabulary` and `intake.rules` (no ORM,
no request), so every rule here is testable in microseconds:

- `course_restrictions` and `hypothesis_restrictions` turn the care stage and the
  working hypothesis into `Restrictions`, merged with the triage's own (clinical rules
  §2.3, §3.1, §6);
- `phase_budgets` and `assessment_minutes_range` scale the session shape (clinical
  rules §5);
- `plan_build` selects, orders and times the work, or returns a `Refusal`;
- `plan_validate` checks any plan (also one a therapist adjusted) against the invariants
  `plan_build` promises, returning one message per violation.

The invariants, for every input: item minutes add up to the booked minutes and each
stays within its technique's range (the assessment block within its own range); the
treatment opens with a light warm-up and no moderate or deep item comes before a warm-up
item; nothing a restriction excludes, no pressure above the cap, no forbidden tool, no
more minutes face-down (all prone positions together) than the prone limit; each position
in one contiguous block; no two versions of the same work (one technique per family); home
care obeys the same restrictions, the stage and the hypothesis (clinical rules §7.1); a
plan without work for the hypothesis's primary target says why in one line, and in week 1
each item of that work runs 5 minutes at most (§6.2); a first visit opens with the
assessment block; same input, same plan.

One job per module:

- `types`: the answers (`Plan` and its items, `Refusal`);
- `messages`: every text the planner shows, word for word;
- `restrictions`: the stage's and the hypothesis's rules, merged with the screening's;
- `shape`: bookable lengths and the minutes of each block;
- `candidates`: the library's techniques this client may have, per block;
- `context`: one client and visit, as items and reasons need them;
- `build`: `plan_build`, over `search` (drafts: `picking` chooses the items, `timing` gives
  them minutes, `scoring` ranks the drafts), `items` and `wording` (reasons, cautions);
- `targets`: the hypothesis's primary target, the work every plan carries for it at the
  stage's intensity and minutes, and the one line saying why when it cannot (clinical
  rules §6.2);
- `home_care`: the exercises, following the same target at the stage's intensity
  (clinical rules §7.1);
- `validate` (with the warnings a therapist may accept), `snapshot` (JSON), `adjust` (the
  therapist's changes), `course` (stages, and the stage suggested for the client's
  presentation, clinical rules §6.1).
"""

from __future__ import annotations

from sessions.planning.planner.adjust import (
    PlanRow,
    plan_adjust,
    plan_alternatives,
)
from sessions.planning.planner.build import (
    plan_build,
)
from sessions.planning.planner.course import (
    IRRITABLE_PAIN_FROM,
    Presentation,
    StageSuggestion,
    stage_for_visit,
    stage_suggest,
)
from sessions.planning.planner.home_care import (
    HOME_CARE_MAX,
    HOME_NERVE_WORK,
    exercise_works_target,
    home_care_select,
    why_exercise_unsuited,
)
from sessions.planning.planner.items import (
    assessment_item,
)
from sessions.planning.planner.messages import (
    ASSESSMENT_CAUTION,
    ASSESSMENT_NAME,
    ASSESSMENT_REASON,
    CAUTION_PRESSURE_HELD,
    CAUTION_STATIC_ONLY,
    HOME_CARE_REASON_FINDINGS,
    HOME_CARE_REASON_GENERAL,
    HOME_CARE_REASON_TARGET,
    PLAN_ASSESSMENT_MINUTES,
    PLAN_ASSESSMENT_MISSING,
    PLAN_ASSESSMENT_NOT_FIRST_VISIT,
    PLAN_COLD_TISSUE,
    PLAN_DUPLICATE,
    PLAN_EMPTY_PHASE,
    PLAN_HOME_CARE_HYPOTHESIS,
    PLAN_HOME_CARE_NOT_ALLOWED,
    PLAN_HOME_CARE_STAGE,
    PLAN_HOME_CARE_UNKNOWN,
    PLAN_ITEM_MINUTES,
    PLAN_ITEM_SWAPPED,
    PLAN_LENGTH_NOT_BOOKABLE,
    PLAN_LENGTH_RESTRICTED,
    PLAN_NO_WARM_UP,
    PLAN_NOT_ALLOWED,
    PLAN_PHASE_ORDER,
    PLAN_POSITION_SPLIT,
    PLAN_PRESSURE_ABOVE_CAP,
    PLAN_PRESSURE_OUT_OF_RANGE,
    PLAN_PRONE_LIMIT,
    PLAN_SAME_WORK,
    PLAN_STAGE_UNSUITED,
    PLAN_TARGET_MINUTES,
    PLAN_TARGET_UNEXPLAINED,
    PLAN_TOTAL_MISMATCH,
    PLAN_TREATMENT_BLOCKED,
    PLAN_UNKNOWN_TECHNIQUE,
    PLAN_WRONG_PHASE,
    REASON_FINDINGS,
    REASON_GENERAL,
    REASON_GOAL,
    REASON_GUARDING,
    REASON_NERVE_GLIDE,
    REASON_NEW,
    REASON_TARGET,
    REASON_WARM_UP,
    REFUSAL_CANNOT_ARRANGE,
    REFUSAL_LENGTH_NOT_BOOKABLE,
    REFUSAL_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_DO_NOT_TREAT,
    REFUSAL_NEXT_STEP_EMERGENCY,
    REFUSAL_NEXT_STEP_LENGTH,
    REFUSAL_NEXT_STEP_LENGTH_RESTRICTED,
    REFUSAL_NEXT_STEP_LIBRARY,
    REFUSAL_NEXT_STEP_REFER,
    REFUSAL_NO_STAGE,
    REFUSAL_NO_WARM_UP,
    REFUSAL_TOO_FEW_MINUTES,
    REFUSAL_TOO_MANY_MINUTES,
    STAGE_INTENSITY,
    SUGGEST_ACUTE,
    SUGGEST_CHRONIC,
    SUGGEST_IRRITABLE,
    SUGGEST_MUSCULAR,
    SUGGEST_NO_HISTORY,
    SUGGEST_VISIT,
    TARGET_ALL_EXCLUDED,
    TARGET_CONDITION,
    TARGET_DOES_NOT_FIT,
    TARGET_NONE_FOR_STAGE,
    TARGET_REMOVED,
    WHY_HOME_FLOSSING_UNCLEAR,
    WHY_HOME_NERVE_MUSCULAR,
    WHY_HOME_NERVE_UNDETERMINED,
    WHY_POSITION,
    WHY_PRESSURE,
    WHY_TOOL,
    WHY_TRAIT,
)
from sessions.planning.planner.restrictions import (
    course_restrictions,
    exercise_allowed,
    hypothesis_restrictions,
    plan_restrictions,
    technique_allowed,
    used_pressure,
)
from sessions.planning.planner.scoring import (
    finding_weights,
)
from sessions.planning.planner.shape import (
    assessment_minutes_range,
    phase_budgets,
    session_length_bookable,
)
from sessions.planning.planner.snapshot import (
    PLAN_FORMAT_VERSION,
    plan_from_dict,
    plan_to_dict,
)
from sessions.planning.planner.targets import (
    PRIMARY_TARGETS,
    TARGET_MAX_MINUTES,
    TARGET_WORK,
    adjusted_target_missing,
    dosed_for_stage,
    items_for_target,
    primary_target,
    target_minutes_cap,
    target_missing_line,
    works_target,
)
from sessions.planning.planner.types import (
    ASSESSMENT_SLUG,
    HomeCareItem,
    Plan,
    PlanItem,
    PlanPhase,
    Refusal,
    RefusalKind,
    RunSheetRow,
)
from sessions.planning.planner.validate import (
    plan_validate,
    plan_warnings,
)

__all__ = [
    "ASSESSMENT_CAUTION",
    "ASSESSMENT_NAME",
    "ASSESSMENT_REASON",
    "ASSESSMENT_SLUG",
    "CAUTION_PRESSURE_HELD",
    "CAUTION_STATIC_ONLY",
    "HOME_CARE_MAX",
    "HOME_CARE_REASON_FINDINGS",
    "HOME_CARE_REASON_GENERAL",
    "HOME_CARE_REASON_TARGET",
    "HOME_NERVE_WORK",
    "HomeCareItem",
    "IRRITABLE_PAIN_FROM",
    "PLAN_ASSESSMENT_MINUTES",
    "PLAN_ASSESSMENT_MISSING",
    "PLAN_ASSESSMENT_NOT_FIRST_VISIT",
    "PLAN_COLD_TISSUE",
    "PLAN_DUPLICATE",
    "PLAN_EMPTY_PHASE",
    "PLAN_FORMAT_VERSION",
    "PLAN_HOME_CARE_HYPOTHESIS",
    "PLAN_HOME_CARE_NOT_ALLOWED",
    "PLAN_HOME_CARE_STAGE",
    "PLAN_HOME_CARE_UNKNOWN",
    "PLAN_ITEM_MINUTES",
    "PLAN_ITEM_SWAPPED",
    "PLAN_LENGTH_NOT_BOOKABLE",
    "PLAN_LENGTH_RESTRICTED",
    "PLAN_NOT_ALLOWED",
    "PLAN_NO_WARM_UP",
    "PLAN_PHASE_ORDER",
    "PLAN_POSITION_SPLIT",
    "PLAN_PRESSURE_ABOVE_CAP",
    "PLAN_PRESSURE_OUT_OF_RANGE",
    "PLAN_PRONE_LIMIT",
    "PLAN_SAME_WORK",
    "PLAN_STAGE_UNSUITED",
    "PLAN_TARGET_MINUTES",
    "PLAN_TARGET_UNEXPLAINED",
    "PLAN_TOTAL_MISMATCH",
    "PLAN_TREATMENT_BLOCKED",
    "PLAN_UNKNOWN_TECHNIQUE",
    "PLAN_WRONG_PHASE",
    "PRIMARY_TARGETS",
    "Plan",
    "PlanItem",
    "PlanPhase",
    "PlanRow",
    "Presentation",
    "REASON_FINDINGS",
    "REASON_GENERAL",
    "REASON_GOAL",
    "REASON_GUARDING",
    "REASON_NERVE_GLIDE",
    "REASON_NEW",
    "REASON_TARGET",
    "REASON_WARM_UP",
    "REFUSAL_CANNOT_ARRANGE",
    "REFUSAL_LENGTH_NOT_BOOKABLE",
    "REFUSAL_LENGTH_RESTRICTED",
    "REFUSAL_NEXT_STEP_DO_NOT_TREAT",
    "REFUSAL_NEXT_STEP_EMERGENCY",
    "REFUSAL_NEXT_STEP_LENGTH",
    "REFUSAL_NEXT_STEP_LENGTH_RESTRICTED",
    "REFUSAL_NEXT_STEP_LIBRARY",
    "REFUSAL_NEXT_STEP_REFER",
    "REFUSAL_NO_STAGE",
    "REFUSAL_NO_WARM_UP",
    "REFUSAL_TOO_FEW_MINUTES",
    "REFUSAL_TOO_MANY_MINUTES",
    "Refusal",
    "RefusalKind",
    "RunSheetRow",
    "STAGE_INTENSITY",
    "SUGGEST_ACUTE",
    "SUGGEST_CHRONIC",
    "SUGGEST_IRRITABLE",
    "SUGGEST_MUSCULAR",
    "SUGGEST_NO_HISTORY",
    "SUGGEST_VISIT",
    "StageSuggestion",
    "TARGET_ALL_EXCLUDED",
    "TARGET_CONDITION",
    "TARGET_DOES_NOT_FIT",
    "TARGET_MAX_MINUTES",
    "TARGET_NONE_FOR_STAGE",
    "TARGET_REMOVED",
    "TARGET_WORK",
    "WHY_HOME_FLOSSING_UNCLEAR",
    "WHY_HOME_NERVE_MUSCULAR",
    "WHY_HOME_NERVE_UNDETERMINED",
    "WHY_POSITION",
    "WHY_PRESSURE",
    "WHY_TOOL",
    "WHY_TRAIT",
    "adjusted_target_missing",
    "assessment_item",
    "assessment_minutes_range",
    "course_restrictions",
    "dosed_for_stage",
    "exercise_allowed",
    "exercise_works_target",
    "finding_weights",
    "home_care_select",
    "hypothesis_restrictions",
    "items_for_target",
    "phase_budgets",
    "plan_adjust",
    "plan_alternatives",
    "plan_build",
    "plan_from_dict",
    "plan_restrictions",
    "plan_to_dict",
    "plan_validate",
    "plan_warnings",
    "primary_target",
    "session_length_bookable",
    "stage_for_visit",
    "stage_suggest",
    "target_minutes_cap",
    "target_missing_line",
    "technique_allowed",
    "used_pressure",
    "why_exercise_unsuited",
    "works_target",
]
