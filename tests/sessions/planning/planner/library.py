"""A realistic library as plain data, for the planner's tests and bench (clinical rules §4-7).

The ten techniques of clinical rules §4 with the work that supports them, the
reference 60-minute template, the four care stages and the home-care exercises of
clinical rules §7, in the project's own words. Week 1's "static compression only" on the
trochanteric attachments is its own entry (the friction version is excluded that week),
a variant of the friction version as the side-lying warm-ups are of the prone ones.
"""

from __future__ import annotations

from core.vocabulary import (
    CareStageData,
    ExerciseData,
    Finding,
    FrequencyAdvice,
    Library,
    Position,
    SessionPhase,
    SessionTemplateData,
    Stage,
    TechniqueData,
    Trait,
)
from tests.sessions.planning.planner.techniques import TECHNIQUES

F = Finding


def _e(slug, name, position, traits, stages, findings, order, **text) -> ExerciseData:
    return ExerciseData(
        slug=slug,
        name=name,
        purpose=text.get("purpose", name),
        instructions=text.get("instructions", f"Do the {name.lower()} slowly, within comfort."),
        dosage=text.get("dosage", "10 repetitions, once a day"),
        cautions=text.get("cautions", "Stop if tingling or shooting pain increases."),
        position=position,
        traits=frozenset(traits),
        stages=frozenset(stages),
        findings=frozenset(findings),
        order=order,
    )


S1, S2, S3, S4 = Stage.FIREFIGHTING, Stage.DECOMPRESSION, Stage.MOBILITY, Stage.STRENGTHENING
T = Trait

EXERCISES: tuple[ExerciseData, ...] = (
    _e(
        "ice-pack",
        "Ice pack",
        Position.SIDE_LYING,
        {T.ICE},
        {S1},
        {F.GENERAL},
        10,
        dosage="20 minutes, 3 times a day",
        purpose="Calm sharp, recent pain",
    ),
    _e(
        "heat-pack",
        "Heat pack",
        Position.SIDE_LYING,
        {T.HEAT},
        {S2, S3, S4},
        {F.GENERAL},
        20,
        dosage="15-20 minutes before exercises",
    ),
    _e(
        "diaphragmatic-breathing",
        "Diaphragmatic breathing",
        Position.SUPINE,
        {T.EDUCATION},
        {S1, S2},
        {F.GENERAL, F.NEURAL},
        30,
        dosage="5 minutes, twice a day",
    ),
    _e(
        "posture-workstation",
        "Posture and workstation set-up",
        Position.SEATED,
        {T.EDUCATION},
        set(Stage),
        {F.GENERAL},
        40,
    ),
    _e(
        "hip-hinge-lifting",
        "Lifting with a hip hinge",
        Position.SEATED,
        {T.EDUCATION},
        {S2, S3, S4},
        {F.GENERAL},
        50,
    ),
    _e(
        "tennis-ball-piriformis",
        "Tennis-ball piriformis release",
        Position.SUPINE,
        {T.SUSTAINED_PRESSURE},
        {S2, S3, S4},
        {F.PIRIFORMIS},
        60,
        dosage="Hold 60-90 s per spot, breathing; 2-3 spots",
    ),
    _e(
        "seated-nerve-flossing",
        "Seated nerve flossing",
        Position.SEATED,
        {T.NEURAL_MOBILISATION},
        {S2, S3, S4},
        {F.NEURAL, F.HAMSTRING},
        70,
    ),
    _e(
        "sciatic-nerve-slider-home",
        "Sciatic nerve slider, lying down",
        Position.SUPINE,
        {T.NEURAL_SLIDER},
        set(Stage),
        {F.NEURAL},
        75,
    ),
    _e(
        "hamstring-heel-slides",
        "Heel slides for tight hamstrings",
        Position.SUPINE,
        set(),
        {S1, S2},
        {F.HAMSTRING},
        76,
    ),
    _e(
        "sciatic-nerve-glide",
        "Sciatic nerve glide",
        Position.SUPINE,
        {T.NEURAL_MOBILISATION},
        {S3, S4},
        {F.NEURAL},
        80,
    ),
    _e(
        "foam-roll-it-band",
        "Foam rolling, IT band",
        Position.SIDE_LYING,
        set(),
        {S3, S4},
        {F.GENERAL},
        90,
    ),
    _e(
        "foam-roll-hamstrings",
        "Foam rolling, hamstrings",
        Position.SEATED,
        set(),
        {S3, S4},
        {F.HAMSTRING},
        100,
    ),
    _e(
        "foam-roll-glutes",
        "Foam rolling, glutes (crossed leg)",
        Position.SEATED,
        set(),
        {S3, S4},
        {F.PIRIFORMIS},
        110,
    ),
    _e("foam-roll-calves", "Foam rolling, calves", Position.SEATED, set(), {S4}, {F.GENERAL}, 120),
    _e(
        "figure-4-stretch",
        "Figure-4 piriformis stretch",
        Position.SUPINE,
        {T.STRETCH},
        {S3, S4},
        {F.PIRIFORMIS},
        130,
    ),
    _e(
        "hamstring-chair-stretch",
        "Hamstring stretch on a chair",
        Position.SEATED,
        {T.STRETCH},
        {S3, S4},
        {F.HAMSTRING},
        140,
    ),
    _e("cat-cow", "Cat-cow", Position.SEATED, {T.STRETCH}, {S3, S4}, {F.GENERAL}, 150),
    _e(
        "modified-plank",
        "Modified plank",
        Position.PRONE,
        {T.STRENGTHENING},
        {S4},
        {F.GENERAL},
        160,
        dosage="30 s, 3 times",
    ),
    _e("bird-dog", "Bird dog", Position.SEATED, {T.STRENGTHENING}, {S4}, {F.GENERAL}, 170),
    _e("side-plank", "Side plank", Position.SIDE_LYING, {T.STRENGTHENING}, {S4}, {F.GENERAL}, 180),
    _e("dead-bug", "Dead bug", Position.SUPINE, {T.STRENGTHENING}, {S4}, {F.GENERAL}, 190),
    _e(
        "clamshell",
        "Clamshell",
        Position.SIDE_LYING,
        {T.STRENGTHENING},
        {S3, S4},
        {F.PIRIFORMIS},
        200,
    ),
    _e(
        "bridge", "Bridge", Position.SUPINE, {T.STRENGTHENING}, {S4}, {F.PIRIFORMIS, F.GENERAL}, 210
    ),
    _e("monster-walk", "Monster walk", Position.SEATED, {T.STRENGTHENING}, {S4}, {F.GENERAL}, 220),
    _e(
        "single-leg-deadlift",
        "Single-leg deadlift",
        Position.SEATED,
        {T.STRENGTHENING},
        {S4},
        {F.HAMSTRING},
        230,
    ),
)

TEMPLATE = SessionTemplateData(
    name="Reference 60-minute treatment",
    reference_minutes=60,
    assessment_minutes=15,
    phase_minutes=(
        (SessionPhase.WARM_UP, 10),
        (SessionPhase.TARGETED, 20),
        (SessionPhase.INTEGRATION, 15),
    ),
    min_warm_up_minutes=5,
)

ACUTE = FrequencyAdvice(
    per_week=2,
    weeks=3,
    then_every_weeks_min=2,
    then_every_weeks_max=4,
    text="Acute flare: 2 sessions a week for 2-3 weeks, then every 2-4 weeks.",
)
CHRONIC = FrequencyAdvice(
    per_week=1,
    weeks=10,
    then_every_weeks_min=2,
    then_every_weeks_max=4,
    text="Chronic: about 8-12 weekly sessions with home care, then every 2-4 weeks.",
)


def _stage(stage: Stage, goal: str, in_clinic: str, home_care: str) -> CareStageData:
    return CareStageData(
        stage=stage,
        name=stage.label,
        goal=goal,
        in_clinic=in_clinic,
        home_care=home_care,
        acute_frequency=ACUTE,
        chronic_frequency=CHRONIC,
    )


STAGES = (
    _stage(
        S1,
        "calm inflammation and the nervous system",
        "Breathing education; very light sacral friction; hubcap static compression only.",
        "Ice 20 minutes 3 times a day; no stretching yet.",
    ),
    _stage(
        S2,
        "start releasing the entrapment",
        "Hamstring pin and stretch at about half depth; side-lying IT band.",
        "Gentle nerve flossing.",
    ),
    _stage(
        S3,
        "range of motion and the deep rotators",
        "Frog position; side-lying deep rotator trigger points.",
        "Figure-4 stretch; cat-cow.",
    ),
    _stage(
        S4,
        "prevent recurrence",
        "Full chain including calves and plantar fascia; tapotement.",
        "Planks 30 s x 3; bridges.",
    ),
)

LIBRARY = Library(techniques=TECHNIQUES, exercises=EXERCISES, template=TEMPLATE, stages=STAGES)


def technique(slug: str) -> TechniqueData:
    return next(t for t in TECHNIQUES if t.slug == slug)
