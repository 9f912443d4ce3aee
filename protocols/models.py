"""The library the clinic manager curates (clinical rules §4-7): techniques, the session template,
the course-of-care stages and the home-care exercises.

Rows are never deleted, only retired: old plans and notes still name them by slug.
The properties a restriction acts on (traits, stages, findings) are short JSON lists of
vocabulary values, so reading the whole library takes one query per model.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from core.limits import LONG_TEXT_MAX, STEP_TEXT_MAX, text_limit
from core.vocabulary import (
    Finding,
    FrequencyAdvice,
    LibraryPhase,
    Position,
    Pressure,
    Stage,
    Tool,
    Trait,
)
from protocols.rendering import dosage_text, frequency_text

MINUTES_ORDER_ERROR = (
    "The usual minutes must lie between the shortest and the longest useful minutes."
)
PRESSURE_ORDER_ERROR = "The usual pressure cannot be lighter than the lightest useful pressure."
CHOICE_LIST_ERROR = "Unknown value %(value)s: choose from the list."
CHOICE_LIST_EMPTY_ERROR = "Choose at least one."
DOSAGE_EMPTY_ERROR = "Give at least repetitions, a hold, minutes or a dosage note."
WARM_UP_BELOW_MINIMUM_ERROR = "The warm-up cannot be shorter than its minimum."
SESSION_RANGE_ERROR = "The reference length must lie within the shortest and longest session."
PHASES_TOO_LONG_ERROR = (
    "Warm-up, targeted work and integration together exceed the reference length."
)
VARIANT_OF_ITSELF_ERROR = "A technique cannot be a variant of itself."
VARIANT_OF_VARIANT_ERROR = (
    "“%(main)s” is itself a variant of another technique: choose the main version of the work."
)
VARIANT_HAS_VARIANTS_ERROR = (
    "Other techniques are variants of this one (%(variants)s), so it cannot be a variant itself."
)
STAGE_TAKEN_ERROR = "Another active stage already covers this week: retire it first."
FREQUENCY_RANGE_ERROR = "“Then every” must run from the smaller to the larger number of weeks."

PROCEDURE_CODE_ERROR = "A procedure code is five digits or capital letters, e.g. 97140."

MAX_TECHNIQUE_MINUTES = 90
MAX_SESSION_MINUTES = 240


@deconstructible
class ChoiceListValidator:
    """Validates a JSON list: every item one of `choices`' values, no repeats, optionally non-empty."""

    def __init__(self, choices: type[models.Choices], *, allow_empty: bool) -> None:
        self.choices = choices
        self.allow_empty = allow_empty

    def __call__(self, value) -> None:
        if not isinstance(value, list):
            raise ValidationError(CHOICE_LIST_ERROR, params={"value": repr(value)})
        if not value and not self.allow_empty:
            raise ValidationError(CHOICE_LIST_EMPTY_ERROR)
        for item in value:
            if item not in self.choices.values:
                raise ValidationError(CHOICE_LIST_ERROR, params={"value": repr(item)})

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, ChoiceListValidator)
            and self.choices is other.choices
            and self.allow_empty == other.allow_empty
        )


def _minutes_field(verbose_name: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TECHNIQUE_MINUTES)],
    )


def _list_field(choices: type[models.Choices], *, allow_empty: bool, **kwargs) -> models.JSONField:
    return models.JSONField(
        default=list,
        blank=allow_empty,
        validators=[ChoiceListValidator(choices, allow_empty=allow_empty)],
        error_messages={"blank": CHOICE_LIST_EMPTY_ERROR},
        **kwargs,
    )


class TaggedMixin:
    """The JSON lists as vocabulary members, for templates (`.label`, `.value`)."""

    @property
    def stage_list(self) -> list[Stage]:
        return [Stage(value) for value in sorted(self.stages)]

    @property
    def trait_list(self) -> list[Trait]:
        return [Trait(value) for value in self.traits]

    @property
    def finding_list(self) -> list[Finding]:
        return [Finding(value) for value in self.findings]


class LibraryQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)


class LibraryManager(models.Manager.from_queryset(LibraryQuerySet)):
    """Rows are found by slug in fixtures and in exported files (natural keys)."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Technique(TaggedMixin, models.Model):
    """One hands-on technique or block of education (clinical rules §4, §5)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Plans and notes refer to it by this; fixed once set."
    )
    phase = models.CharField(max_length=32, choices=LibraryPhase.choices)
    anatomy = models.CharField(
        "anatomy targets", max_length=300, help_text="Muscles, ligaments or areas worked."
    )
    position = models.CharField("client position", max_length=16, choices=Position.choices)
    tool = models.CharField("therapist tool", max_length=16, choices=Tool.choices)
    min_pressure = models.PositiveSmallIntegerField(
        "lightest useful pressure",
        choices=Pressure.choices,
        help_text="Below this the technique no longer makes sense: a lower cap excludes it.",
    )
    max_pressure = models.PositiveSmallIntegerField(
        "usual pressure",
        choices=Pressure.choices,
        help_text="The pressure it is normally done at.",
    )
    default_minutes = _minutes_field("usual minutes")
    min_minutes = _minutes_field("shortest useful minutes")
    max_minutes = _minutes_field("longest useful minutes")
    holds = models.CharField(
        max_length=200, blank=True, help_text="Hold times, e.g. “trigger points 60-90 s”."
    )
    cautions = models.TextField(validators=[text_limit(LONG_TEXT_MAX)])
    traits = _list_field(
        Trait,
        allow_empty=True,
        help_text="What a restriction may exclude (e.g. vigorous friction, stretching).",
    )
    stages = _list_field(Stage, allow_empty=False, help_text="Course-of-care weeks it suits.")
    findings = _list_field(Finding, allow_empty=False, help_text="What it addresses.")
    # By slug, as plans and notes name techniques: slugs never change and rows are never
    # deleted. A family is a main technique and the ones naming it here.
    variant_of = models.SlugField(
        "variant of",
        max_length=80,
        blank=True,
        help_text="The main version of the same work, when this is another version of it "
        "(e.g. side-lying, or week 1's gentler form). A plan never holds two versions.",
    )
    # The code it is billed under (clinical rules §9.2): the code only; the clinic's wording
    # and fee for it are the billing app's.
    procedure_code = models.CharField(
        "procedure code (CPT)",
        max_length=5,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Z]{4}[0-9A-Z]$", PROCEDURE_CODE_ERROR),
        ],
        help_text="The timed code this work is billed under, e.g. 97140 (manual therapy) or "
        "97124 (massage). Leave empty for work that is not billed on its own, such as heat.",
    )
    retired = models.BooleanField(
        default=False, help_text="Retired techniques stay on old plans but are not offered."
    )
    order = models.PositiveIntegerField(default=0)

    objects = LibraryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(variant_of=F("slug")), name="technique_not_a_variant_of_itself"
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__gt=0), name="technique_minutes_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__lte=F("default_minutes"))
                & Q(default_minutes__lte=F("max_minutes")),
                name="technique_minutes_in_range",
            ),
            models.CheckConstraint(
                condition=Q(min_pressure__lte=F("max_pressure")),
                name="technique_pressure_range",
            ),
            models.CheckConstraint(
                condition=Q(min_pressure__in=Pressure.values) & Q(max_pressure__in=Pressure.values),
                name="technique_pressure_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("protocols:technique_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        errors = {}
        if None not in (self.min_minutes, self.default_minutes, self.max_minutes) and not (
            self.min_minutes <= self.default_minutes <= self.max_minutes
        ):
            errors["default_minutes"] = MINUTES_ORDER_ERROR
        if None not in (self.min_pressure, self.max_pressure) and (
            self.min_pressure > self.max_pressure
        ):
            errors["max_pressure"] = PRESSURE_ORDER_ERROR
        variant_error = self._variant_error()
        if variant_error:
            errors["variant_of"] = variant_error
        if errors:
            raise ValidationError(errors)

    @property
    def family(self) -> str:
        """The slug that names this technique's family of versions: its main version's."""
        return self.variant_of or self.slug

    def other_versions(self) -> models.QuerySet[Technique]:
        """The rest of this technique's family (retired ones too), in the manager's order."""
        return Technique.objects.filter(Q(slug=self.family) | Q(variant_of=self.family)).exclude(
            pk=self.pk
        )

    def _variant_error(self) -> ValidationError | None:
        """A family is one level deep: a main version and its variants, never a chain.

        The main version need not be in this library yet (an imported file may name one
        the manager skipped): the planner groups techniques by the slug alone.
        """
        if not self.variant_of:
            return None
        if self.variant_of == self.slug:
            return ValidationError(VARIANT_OF_ITSELF_ERROR)
        main = Technique.objects.filter(slug=self.variant_of).exclude(variant_of="").first()
        if main is not None:
            return ValidationError(VARIANT_OF_VARIANT_ERROR, params={"main": main.name})
        variants = Technique.objects.filter(variant_of=self.slug)
        if self.slug and variants.exists():
            names = ", ".join(f"“{name}”" for name in variants.values_list("name", flat=True))
            return ValidationError(VARIANT_HAS_VARIANTS_ERROR, params={"variants": names})
        return None


class TechniqueStepManager(models.Manager):
    def get_by_natural_key(self, technique_slug: str, order: int):
        return self.get(technique__slug=technique_slug, order=order)


class TechniqueStep(models.Model):
    """One numbered step of a technique's instructions."""

    technique = models.ForeignKey(Technique, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(validators=[text_limit(STEP_TEXT_MAX)])

    objects = TechniqueStepManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["technique", "order"]
        constraints = [
            models.UniqueConstraint(fields=["technique", "order"], name="technique_step_unique"),
            models.CheckConstraint(condition=Q(order__gt=0), name="technique_step_order_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.technique} · step {self.order}"

    def natural_key(self) -> tuple[str, int]:
        return (*self.technique.natural_key(), self.order)

    natural_key.dependencies = ["protocols.technique"]


class SessionTemplate(models.Model):
    """The session shape (clinical rules §5). The planner uses the first active template by order."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    reference_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
        help_text="The booked length the split below is written for.",
    )
    assessment_minutes = models.PositiveSmallIntegerField(
        "first-visit assessment minutes",
        validators=[MaxValueValidator(MAX_SESSION_MINUTES)],
        help_text="Added on a first visit at the reference length.",
    )
    warm_up_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    targeted_minutes = models.PositiveSmallIntegerField(
        "targeted intervention minutes",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    integration_minutes = models.PositiveSmallIntegerField(
        "integration and education minutes",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    min_warm_up_minutes = models.PositiveSmallIntegerField(
        "minimum warm-up minutes",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
        help_text="Shorter sessions shrink in proportion but never below this warm-up.",
    )
    min_session_minutes = models.PositiveSmallIntegerField(
        "shortest session", validators=[MinValueValidator(1)]
    )
    max_session_minutes = models.PositiveSmallIntegerField(
        "longest session", validators=[MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    retired = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    objects = LibraryManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warm_up_minutes__gt=0)
                & Q(targeted_minutes__gt=0)
                & Q(integration_minutes__gt=0)
                & Q(min_warm_up_minutes__gt=0)
                & Q(min_session_minutes__gt=0),
                name="template_minutes_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_warm_up_minutes__lte=F("warm_up_minutes")),
                name="template_warm_up_minimum",
            ),
            models.CheckConstraint(
                condition=Q(min_session_minutes__lte=F("reference_minutes"))
                & Q(reference_minutes__lte=F("max_session_minutes")),
                name="template_reference_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    reference_minutes__gte=F("warm_up_minutes")
                    + F("targeted_minutes")
                    + F("integration_minutes")
                ),
                name="template_phases_fit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("protocols:template_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        errors = {}
        if None not in (self.min_warm_up_minutes, self.warm_up_minutes) and (
            self.min_warm_up_minutes > self.warm_up_minutes
        ):
            errors["min_warm_up_minutes"] = WARM_UP_BELOW_MINIMUM_ERROR
        if None not in (
            self.min_session_minutes,
            self.reference_minutes,
            self.max_session_minutes,
        ) and not (self.min_session_minutes <= self.reference_minutes <= self.max_session_minutes):
            errors["reference_minutes"] = SESSION_RANGE_ERROR
        phases = (self.warm_up_minutes, self.targeted_minutes, self.integration_minutes)
        if None not in phases and self.reference_minutes and sum(phases) > self.reference_minutes:
            errors["integration_minutes"] = PHASES_TOO_LONG_ERROR
        if errors:
            raise ValidationError(errors)


def _weeks_field(verbose_name: str, maximum: int = 52) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name, validators=[MinValueValidator(1), MaxValueValidator(maximum)]
    )


class CareStage(models.Model):
    """A stage of the course of care (clinical rules §6)."""

    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    goal = models.TextField(validators=[text_limit(LONG_TEXT_MAX)])
    in_clinic = models.TextField("in-clinic emphasis", validators=[text_limit(LONG_TEXT_MAX)])
    home_care = models.TextField("home-care emphasis", validators=[text_limit(LONG_TEXT_MAX)])
    acute_per_week = _weeks_field("acute: visits a week", maximum=7)
    acute_weeks = _weeks_field("acute: for how many weeks")
    acute_then_every_weeks_min = _weeks_field("acute: then one visit every (from) weeks")
    acute_then_every_weeks_max = _weeks_field("acute: … to weeks")
    acute_note = models.CharField("acute: note", max_length=300, blank=True)
    chronic_per_week = _weeks_field("chronic: visits a week", maximum=7)
    chronic_weeks = _weeks_field("chronic: for how many weeks")
    chronic_then_every_weeks_min = _weeks_field("chronic: then one visit every (from) weeks")
    chronic_then_every_weeks_max = _weeks_field("chronic: … to weeks")
    chronic_note = models.CharField("chronic: note", max_length=300, blank=True)
    retired = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    objects = LibraryManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "care stage"
        ordering = ["order", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(retired=False),
                name="care_stage_one_active",
                violation_error_message=STAGE_TAKEN_ERROR,
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="care_stage_valid_stage"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{p}_per_week__gt": 0})
                    & Q(**{f"{p}_weeks__gt": 0})
                    & Q(**{f"{p}_then_every_weeks_min__gt": 0})
                    & Q(**{f"{p}_then_every_weeks_min__lte": F(f"{p}_then_every_weeks_max")}),
                    name=f"care_stage_{p}_frequency_valid",
                )
                for p in ("acute", "chronic")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("protocols:stage_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        errors = {}
        for prefix in ("acute", "chronic"):
            low = getattr(self, f"{prefix}_then_every_weeks_min")
            high = getattr(self, f"{prefix}_then_every_weeks_max")
            if None not in (low, high) and low > high:
                errors[f"{prefix}_then_every_weeks_max"] = FREQUENCY_RANGE_ERROR
        if errors:
            raise ValidationError(errors)

    def frequency(self, prefix: str) -> FrequencyAdvice:
        """The acute or chronic booking advice as the vocabulary's value."""
        per_week = getattr(self, f"{prefix}_per_week")
        weeks = getattr(self, f"{prefix}_weeks")
        low = getattr(self, f"{prefix}_then_every_weeks_min")
        high = getattr(self, f"{prefix}_then_every_weeks_max")
        return FrequencyAdvice(
            per_week=per_week,
            weeks=weeks,
            then_every_weeks_min=low,
            then_every_weeks_max=high,
            text=frequency_text(
                per_week=per_week,
                weeks=weeks,
                then_every_weeks_min=low,
                then_every_weeks_max=high,
                note=getattr(self, f"{prefix}_note"),
            ),
        )

    @property
    def acute_frequency(self) -> FrequencyAdvice:
        return self.frequency("acute")

    @property
    def chronic_frequency(self) -> FrequencyAdvice:
        return self.frequency("chronic")


def _optional_count(verbose_name: str, maximum: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(maximum)],
    )


class HomeCareExercise(TaggedMixin, models.Model):
    """One home-care exercise or piece of self-care advice (clinical rules §7)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Plans and sheets refer to it by this; fixed once set.",
    )
    purpose = models.CharField(max_length=300)
    instructions = models.TextField(
        validators=[text_limit(LONG_TEXT_MAX)],
        help_text="Plain words for the client, one step per line (printed as a numbered list).",
    )
    reps = _optional_count("repetitions", 100)
    hold_seconds = _optional_count("hold (seconds)", 600)
    duration_minutes = _optional_count("minutes each time", 120)
    sets = _optional_count("sets", 20)
    times_per_day = _optional_count("times a day", 12)
    dosage_note = models.CharField(
        max_length=200, blank=True, help_text="E.g. “each side”, “for the first 2-3 days”."
    )
    cautions = models.TextField(validators=[text_limit(LONG_TEXT_MAX)])
    position = models.CharField(max_length=16, choices=Position.choices)
    traits = _list_field(
        Trait, allow_empty=True, help_text="What a restriction may exclude (e.g. stretching)."
    )
    stages = _list_field(Stage, allow_empty=False, help_text="Course-of-care weeks it suits.")
    findings = _list_field(Finding, allow_empty=False, help_text="What it addresses.")
    retired = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    objects = LibraryManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "home-care exercise"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(reps__isnull=True) | Q(reps__gt=0))
                & (Q(hold_seconds__isnull=True) | Q(hold_seconds__gt=0))
                & (Q(duration_minutes__isnull=True) | Q(duration_minutes__gt=0))
                & (Q(sets__isnull=True) | Q(sets__gt=0))
                & (Q(times_per_day__isnull=True) | Q(times_per_day__gt=0)),
                name="exercise_dosage_positive",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=False)
                | Q(hold_seconds__isnull=False)
                | Q(duration_minutes__isnull=False)
                | ~Q(dosage_note=""),
                name="exercise_dosage_given",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("protocols:exercise_detail", args=[self.slug])

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        if (
            self.reps is None
            and self.hold_seconds is None
            and self.duration_minutes is None
            and not self.dosage_note.strip()
        ):
            raise ValidationError({"dosage_note": DOSAGE_EMPTY_ERROR})

    @property
    def dosage(self) -> str:
        return dosage_text(
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            duration_minutes=self.duration_minutes,
            sets=self.sets,
            times_per_day=self.times_per_day,
            note=self.dosage_note,
        )

    @property
    def instruction_steps(self) -> list[str]:
        return [line.strip() for line in self.instructions.splitlines() if line.strip()]
