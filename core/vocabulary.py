"""The clinical vocabulary shared by intake, the library and the planner.

Plain enums and frozen dataclasses, no ORM: intake's rules produce `Restrictions`,
the library describes techniques and exercises with the same words, and the planner
checks one against the other with `Restrictions.permits`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class Position(models.TextChoices):
    """Client positions (clinical rules §4). Order is the planner's preferred order of blocks."""

    PRONE = "prone", "Prone"
    PRONE_FROG = "prone_frog", "Prone, frog-leg"
    SIDE_LYING = "side_lying", "Side-lying"
    SUPINE = "supine", "Supine"
    SEATED = "seated", "Seated"
    # Home-care exercises only (clinical rules §7): cat-cow and bird dog are on hands and knees, the
    # monster walk and the hip hinge standing. Neither is prone, so pregnancy does not exclude them.
    QUADRUPED = "quadruped", "Hands and knees"
    STANDING = "standing", "Standing"


PRONE_POSITIONS = frozenset({Position.PRONE, Position.PRONE_FROG})


class Pressure(models.IntegerChoices):
    """Pressure as an ordered scale (clinical rules §4): a cap is a maximum on it."""

    LIGHT = 1, "Light"
    MODERATE = 2, "Moderate"
    DEEP = 3, "Deep"


class Tool(models.TextChoices):
    """What the therapist works with (clinical rules §4)."""

    PALM = "palm", "Palm"
    SOFT_FIST = "soft_fist", "Soft fist"
    FOREARM = "forearm", "Forearm"
    THUMB = "thumb", "Thumb"
    FINGERTIPS = "fingertips", "Fingertips"
    KNUCKLES = "knuckles", "Knuckles"
    ELBOW = "elbow", "Elbow (olecranon)"
    HANDS = "hands", "Hands (passive movement)"
    HEAT_PACK = "heat_pack", "Heat pack"
    VERBAL = "verbal", "Verbal / demonstration"


class Trait(models.TextChoices):
    """Properties of a technique or exercise that a restriction can exclude (clinical rules §2.3, §6)."""

    VIGOROUS_FRICTION = "vigorous_friction", "Vigorous friction"
    SUSTAINED_PRESSURE = "sustained_pressure", "Sustained heavy trigger-point pressure"
    STATIC_COMPRESSION = "static_compression", "Static compression"
    STRETCH = "stretch", "Stretching"
    AGGRESSIVE_STRETCH = "aggressive_stretch", "Strong / end-range stretching"
    NEURAL_MOBILISATION = "neural_mobilisation", "Neural mobilisation (nerve flossing)"
    # A slider glides the nerve without tensioning it (one end eased as the other is
    # moved): the gentle neural work week 1 allows, where flossing waits for week 2.
    NEURAL_SLIDER = "neural_slider", "Neural slider (gliding without tension)"
    HEAT = "heat", "Heat"
    ICE = "ice", "Ice"
    PERCUSSION = "percussion", "Percussion (tapotement)"
    STRENGTHENING = "strengthening", "Strengthening exercise"
    LUMBAR_DIRECT = "lumbar_direct", "Direct work over the lumbar spine"
    EDUCATION = "education", "Education"


class Finding(models.TextChoices):
    """What a technique addresses (clinical rules §3.1)."""

    PIRIFORMIS = "piriformis", "Piriformis / deep rotators"
    HAMSTRING = "hamstring", "Hamstrings"
    NEURAL = "neural", "Neural involvement"
    GLUTEUS_MINIMUS = "gluteus_minimus", "Gluteus minimus (pseudo-sciatica)"
    GENERAL = "general", "General"


class Stage(models.IntegerChoices):
    """Course-of-care stages (clinical rules §6)."""

    FIREFIGHTING = 1, "Week 1 · Firefighting"
    DECOMPRESSION = 2, "Week 2 · Decompression"
    MOBILITY = 3, "Week 3 · Mobility"
    STRENGTHENING = 4, "Week 4 · Strengthening and maintenance"


class SessionPhase(models.TextChoices):
    """The session shape (clinical rules §5): the blocks a timed plan is made of, in order."""

    ASSESSMENT = "assessment", "Initial assessment"
    WARM_UP = "warm_up", "Preparation and warm-up"
    TARGETED = "targeted", "Targeted intervention"
    INTEGRATION = "integration", "Integration and education"


class LibraryPhase(models.TextChoices):
    """The six technique phases of clinical rules §4, plus the clinical rules §5 blocks supporting work belongs to."""

    WARM_UP = "warm_up", "Preparation and warm-up"
    SACRUM = "sacrum", "Phase 1 · Sacrum and gluteal attachments"
    DEEP_ROTATORS = "deep_rotators", "Phase 2 · Deep hip rotators"
    HAMSTRINGS = "hamstrings", "Phase 3 · Hamstrings"
    ADVANCED_POSITIONING = "advanced_positioning", "Phase 4 · Advanced positioning"
    SIDE_LYING = "side_lying", "Phase 5 · Side-lying"
    LOWER_LEG = "lower_leg", "Phase 6 · Lower leg"
    TARGETED = "targeted", "Targeted intervention (supporting)"
    INTEGRATION = "integration", "Integration and education"

    @property
    def session_phase(self) -> SessionPhase:
        """Which block of the timed session (clinical rules §5) work of this library phase goes in."""
        if self == LibraryPhase.WARM_UP:
            return SessionPhase.WARM_UP
        if self == LibraryPhase.INTEGRATION:
            return SessionPhase.INTEGRATION
        return SessionPhase.TARGETED


@dataclass(frozen=True)
class Modification:
    """A visible note a restriction puts on the plan, e.g. "side-lying only: pregnancy, 24 weeks"."""

    condition: str
    text: str


@dataclass(frozen=True)
class Restrictions:
    """What the plan may not contain for this client (clinical rules §2.3), merged over all conditions.

    The empty value (the default) restricts nothing. Combine with `|`: the result is at
    least as strict as each side. `max_prone_minutes` limits the time face-down: the
    minutes in all of `PRONE_POSITIONS` added together (high blood pressure: "avoid
    prolonged prone", whichever prone position).
    """

    excluded_positions: frozenset[Position] = frozenset()
    forbidden_tools: frozenset[Tool] = frozenset()
    excluded_traits: frozenset[Trait] = frozenset()
    pressure_cap: Pressure = Pressure.DEEP
    max_session_minutes: int | None = None
    max_prone_minutes: int | None = None
    notes: tuple[Modification, ...] = field(default=())

    def __or__(self, other: Restrictions) -> Restrictions:
        caps = [m for m in (self.max_session_minutes, other.max_session_minutes) if m]
        # Zero is a limit here (no prone work at all), so only None means "no limit".
        prone = [m for m in (self.max_prone_minutes, other.max_prone_minutes) if m is not None]
        return Restrictions(
            excluded_positions=self.excluded_positions | other.excluded_positions,
            forbidden_tools=self.forbidden_tools | other.forbidden_tools,
            excluded_traits=self.excluded_traits | other.excluded_traits,
            pressure_cap=min(self.pressure_cap, other.pressure_cap),
            max_session_minutes=min(caps) if caps else None,
            max_prone_minutes=min(prone) if prone else None,
            notes=self.notes + tuple(n for n in other.notes if n not in self.notes),
        )

    def minute_limits(self) -> tuple[tuple[frozenset[Position], int], ...]:
        """Every limit on the minutes spent in a set of positions (today the one on all
        prone positions together), as (positions, minutes)."""
        if self.max_prone_minutes is None:
            return ()
        return ((PRONE_POSITIONS, self.max_prone_minutes),)

    def permits(
        self,
        *,
        position: Position,
        tool: Tool,
        traits: frozenset[Trait] | set[Trait],
        min_pressure: Pressure,
    ) -> bool:
        """True when work of this kind may appear on the plan at some pressure within the cap."""
        return (
            position not in self.excluded_positions
            and tool not in self.forbidden_tools
            and not (set(traits) & self.excluded_traits)
            and min_pressure <= self.pressure_cap
        )


# The library as plain data: what `protocols` hands the planner (no ORM inside the planner).


@dataclass(frozen=True)
class TechniqueData:
    """One technique of the library (clinical rules §4) as the planner sees it.

    `max_pressure` is the pressure the technique is normally done at; `min_pressure` the
    lightest at which it still makes sense. A pressure cap between the two modifies the
    technique (done at the cap); a cap below `min_pressure` excludes it.

    `variant_of` is the slug of the main version when this is another version of the same
    work (side-lying, week 1's gentler form); a plan holds one technique per `family`.
    """

    slug: str
    name: str
    phase: LibraryPhase
    position: Position
    tool: Tool
    min_pressure: Pressure
    max_pressure: Pressure
    default_minutes: int
    min_minutes: int
    max_minutes: int
    holds: str = ""
    cautions: str = ""
    traits: frozenset[Trait] = frozenset()
    stages: frozenset[Stage] = frozenset(Stage)
    findings: frozenset[Finding] = frozenset({Finding.GENERAL})
    anatomy: str = ""
    order: int = 0
    variant_of: str = ""

    @property
    def family(self) -> str:
        """The slug naming this technique's versions of the same work: its main version's."""
        return self.variant_of or self.slug


@dataclass(frozen=True)
class ExerciseData:
    """One home-care exercise (clinical rules §7) as the planner sees it."""

    slug: str
    name: str
    purpose: str
    instructions: str
    dosage: str
    cautions: str = ""
    position: Position = Position.SUPINE
    traits: frozenset[Trait] = frozenset()
    stages: frozenset[Stage] = frozenset(Stage)
    findings: frozenset[Finding] = frozenset({Finding.GENERAL})
    order: int = 0


# The usual session (clinical rules §5: 30 to 90 minutes): what booking and planning offer first
# when nothing (an accepted plan, an appointment) says otherwise.
SESSION_MINUTES_DEFAULT = 60


@dataclass(frozen=True)
class SessionTemplateData:
    """The session shape (clinical rules §5): the reference split and what may shrink.

    `phase_minutes` is the treatment split at `reference_minutes` without the assessment
    (clinical rules §5: warm-up 10, targeted 20, integration 15); a first visit adds
    `assessment_minutes` at the reference length. Other lengths scale in proportion, but
    the warm-up never drops below `min_warm_up_minutes`.
    """

    name: str
    reference_minutes: int
    assessment_minutes: int
    phase_minutes: tuple[tuple[SessionPhase, int], ...]
    min_warm_up_minutes: int
    min_session_minutes: int = 30
    max_session_minutes: int = 90


@dataclass(frozen=True)
class FrequencyAdvice:
    """How often to book (clinical rules §6): `per_week` visits for `weeks`, then every N-M weeks."""

    per_week: int
    weeks: int
    then_every_weeks_min: int
    then_every_weeks_max: int
    text: str


@dataclass(frozen=True)
class CareStageData:
    """A course-of-care stage (clinical rules §6)."""

    stage: Stage
    name: str
    goal: str
    in_clinic: str
    home_care: str
    acute_frequency: FrequencyAdvice
    chronic_frequency: FrequencyAdvice


@dataclass(frozen=True)
class Library:
    """Everything the planner needs from the library, as one immutable value."""

    techniques: tuple[TechniqueData, ...]
    exercises: tuple[ExerciseData, ...]
    template: SessionTemplateData
    stages: tuple[CareStageData, ...]
