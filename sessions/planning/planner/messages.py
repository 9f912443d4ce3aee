"""What the planner says, word for word: reasons, refusals, validation messages.

The pages show these texts as they are and the tests assert them, so they live in one
place; the modules that use them fill in the `{placeholders}`.
"""

from intake.rules import NOT_A_DIAGNOSIS

ASSESSMENT_NAME = "Initial assessment"
ASSESSMENT_CAUTION = NOT_A_DIAGNOSIS
ASSESSMENT_REASON = (
    "First visit: pain pattern, movement, posture, history and lifestyle, then the "
    "straight leg raise, Bragard's and piriformis tests."
)

# Why an item is on the plan (PlanItem.reason), short enough to read at a glance.
REASON_WARM_UP = "Warm-up: no deeper work on cold tissue."
REASON_FINDINGS = "{hypothesis}: works the {targets}."
REASON_NERVE_GLIDE = "{hypothesis}: gentle neural mobilisation only."
REASON_GUARDING = "{hypothesis}: eases the spasm and guarding around the nerve."
REASON_GOAL = "Towards this stage's goal: {goal}."
REASON_GENERAL = "General support towards this stage's goal: {goal}."
REASON_NEW = "New in {stage}."
# The primary target's work (clinical rules §6.2): what the hypothesis treats, and how hard
# this week lets it be done.
REASON_TARGET = "{hypothesis}: primary target, {target}{also}; week {week} intensity: {intensity}."
STAGE_INTENSITY = {
    1: "light, static or gently moving, no stretching or flossing",
    2: "about half depth (moderate at most), no end-range stretching",
    3: "the technique's full dose within this client's limits",
    4: "the technique's full dose within this client's limits",
}

# The one line a plan carries when it holds no work for the hypothesis's primary target.
# (Plans stored before format version 2 kept it among the notes, under this condition.)
TARGET_CONDITION = "Primary target"
TARGET_REMOVED = "No {target} on this plan: removed by the therapist (the proposal had {names})."
TARGET_NONE_FOR_STAGE = "No {target} on this plan: the library has none for {stage}."
TARGET_ALL_EXCLUDED = (
    "No {target} on this plan: every technique for it is excluded for this client ({why})."
)
TARGET_DOES_NOT_FIT = (
    "No {target} on this plan: the allowed techniques for it do not fit in {minutes} minutes "
    "with the warm-up and every time limit."
)

# Why a stage is suggested (clinical rules §6.1); the form reads "Suggested: <stage>, because
# <text>."
SUGGEST_VISIT = "this is visit {number} of the course of care, at {per_week} a week"
SUGGEST_NO_HISTORY = (
    "there is no pain history yet: taken as an acute flare until the intake says otherwise"
)
SUGGEST_IRRITABLE = "the pain is {pain}/10 now, an irritable presentation: settle it first"
SUGGEST_ACUTE = "the pain started under 6 weeks ago (acute): settle it first"
SUGGEST_CHRONIC = (
    "the pain is chronic (6 weeks or more) and not irritable ({pain}/10 now): no "
    "firefighting week needed"
)
SUGGEST_MUSCULAR = (
    "the tests point to a purely muscular problem and the pain is not irritable ({pain}/10 "
    "now): no firefighting week needed"
)

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
PLAN_HOME_CARE_HYPOTHESIS = "Home care: {name} does not suit this client: {why}."
PLAN_TARGET_UNEXPLAINED = "No {target} on this plan, and no line saying why."
PLAN_TARGET_MINUTES = (
    "{name}: {minutes} minutes is longer than {stage} allows for the primary target's work "
    "({cap} minutes at most)."
)

WHY_POSITION = "the {position} position is excluded"
WHY_TOOL = "the {tool} is not to be used"
WHY_TRAIT = "{trait} is excluded"
WHY_PRESSURE = "it needs at least {pressure} pressure, above the cap ({cap})"
# Why the working hypothesis rules a nerve exercise out at home (clinical rules §7.1).
WHY_HOME_NERVE_MUSCULAR = (
    "the tests point to the muscle, not the nerve, so no nerve exercises at home"
)
WHY_HOME_NERVE_UNDETERMINED = (
    "no working hypothesis yet, so no nerve exercises at home until the tests show the "
    "nerve is involved"
)
WHY_HOME_FLOSSING_UNCLEAR = (
    "the nerve is irritated from an unclear source, so at home it only slides (no flossing)"
)

# Cautions the planner adds to an item, and why a home-care exercise is on the sheet.
CAUTION_PRESSURE_HELD = "At {pressure} pressure, not the usual {usual}: {source}."
CAUTION_STATIC_ONLY = "Week 1: static compression only, no friction."
HOME_CARE_REASON_FINDINGS = "{stage}; for {findings}."
HOME_CARE_REASON_TARGET = "{stage}; for the primary target, {target}."
HOME_CARE_REASON_GENERAL = "{stage}; general self-care."

# A line the therapist swapped in on the adjust page (plan_adjust).
PLAN_ITEM_SWAPPED = "Chosen by the therapist in place of the proposal"
