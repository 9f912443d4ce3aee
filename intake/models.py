from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX, text_limit
from intake.rules import (
    BRAGARD_REQUIRES_POSITIVE_SLR,
    MAX_PREGNANCY_WEEKS,
    MIN_PREGNANCY_WEEKS,
    SCREENING_QUESTIONS,
    SLR_ANGLE_OUT_OF_RANGE,
    SLR_POSITIVE_MAX_ANGLE,
    SLR_POSITIVE_MIN_ANGLE,
    BragardFinding,
    Chronicity,
    Hypothesis,
    PainQuality,
    PiriformisFinding,
    Reading,
    ScreeningAnswers,
    Side,
    SlrFinding,
    SlrPain,
    Triage,
    age_on,
    bragard_interpret,
    hypothesis_evaluate,
    pain_chronicity,
    piriformis_interpret,
    screening_evaluate,
    slr_interpret,
)
from intake.rules.pain_map import marks_clean
from intake.rules.safety import ClearanceEvent, SafetyStatus, ScreeningEvent


class Client(models.Model):
    """A person treated at the clinic. Owned by one therapist; the manager sees all."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    occupation = models.CharField(max_length=200, blank=True)
    lifestyle = models.TextField(
        blank=True,
        validators=[text_limit(SHORT_TEXT_MAX)],
        help_text="Desk work, heavy lifting, sport, activity level.",
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clients"
    )
    physician_name = models.CharField("physician", max_length=200, blank=True)
    referral_date = models.DateField(null=True, blank=True)
    # The referral's diagnosis codes are `ReferralDiagnosis` rows, each checked against
    # ICD-10-CM. This keeps the text recorded before codes were checked, where it did not read
    # as codes, until the therapist enters the codes it means (clinical rules §9.1).
    diagnosis_codes_as_written = models.CharField(
        "diagnosis codes as written", max_length=200, blank=True, editable=False
    )
    consent_given = models.BooleanField("consent to treatment given", default=False)
    consent_date = models.DateField(null=True, blank=True)
    # Derived from the screenings and clearances by `intake.rules.safety.safety_evaluate`, stored so
    # that list pages (Today, calendars) show it without a query; only
    # `intake.services.client_safety_refresh` writes it.
    safety_status = models.CharField(
        max_length=20,
        choices=SafetyStatus.choices,
        default=SafetyStatus.NOT_SCREENED,
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["therapist", "last_name", "first_name"]),
            models.Index(fields=["last_name", "first_name"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given=False) | Q(consent_date__isnull=False),
                name="client_consent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("intake:client_chart", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# Pain is scored 0 (none) to 10 (worst imaginable), at intake and at every visit.
PAIN_MAX = 10
PAIN_OUT_OF_RANGE = f"Rate the pain from 0 (none) to {PAIN_MAX} (worst imaginable)."
PAIN_BEST_ABOVE_WORST = "The best pain cannot be higher than the worst pain."
UNKNOWN_CHOICE = "Unknown choice: {value}."


class HealthHistory(models.Model):
    """The pain profile and history taken at intake (clinical rules §2.4), one per client, kept up to
    date; every change is in its history."""

    class PainSide(models.TextChoices):
        LEFT = "left", "Left"
        RIGHT = "right", "Right"
        BOTH = "both", "Both"

    class Character(models.TextChoices):
        BURNING = "burning", "Burning"
        ELECTRIC = "electric", "Electric / shooting"
        DEEP_ACHE = "deep_ache", "Deep ache"
        TINGLING = "tingling", "Tingling"
        NUMBNESS = "numbness", "Numbness"

    class Factor(models.TextChoices):
        """Occupation and lifestyle factors that load the lower back (clinical rules §2.4)."""

        DESK_WORK = "desk_work", "Desk work / long sitting"
        HEAVY_LIFTING = "heavy_lifting", "Heavy lifting"
        WEAK_CORE = "weak_core", "Weak core"
        PREGNANCY = "pregnancy", "Pregnancy"
        EXCESS_WEIGHT = "excess_weight", "Excess weight"

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="health_history")
    pain_location = models.CharField(
        max_length=200, help_text="Where it hurts, e.g. right buttock to the back of the knee."
    )
    pain_side = models.CharField(max_length=5, choices=PainSide.choices)
    radiates_past_knee = models.BooleanField("pain radiates past the knee")
    pain_character = models.JSONField(
        "character of the pain", default=list, blank=True, help_text="Tick all that apply."
    )
    pain_now = models.PositiveSmallIntegerField("pain now (0-10)")
    pain_worst = models.PositiveSmallIntegerField("pain at its worst (0-10)")
    pain_best = models.PositiveSmallIntegerField("pain at its best (0-10)")
    aggravating_factors = models.TextField(
        blank=True,
        validators=[text_limit(LONG_TEXT_MAX)],
        help_text="e.g. sitting more than an hour, bending, coughing.",
    )
    onset_date = models.DateField(help_text="When it started; an approximate date is fine.")
    previous_treatments = models.TextField(
        blank=True,
        validators=[text_limit(LONG_TEXT_MAX)],
        help_text="What was tried and how well it worked.",
    )
    medications = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    comorbidities = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    contributing_factors = models.JSONField(
        "occupation and lifestyle factors", default=list, blank=True
    )
    # Body pain map marks, "<region>:<sensation>" codes (intake.rules.pain_map, clinical rules §2.5).
    pain_map = models.JSONField("body pain map", default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "health histories"
        constraints = [
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__gte": 0, f"{name}__lte": PAIN_MAX}),
                    name=f"health_history_{name}_0_to_10",
                    violation_error_message=PAIN_OUT_OF_RANGE,
                )
                for name in ("pain_now", "pain_worst", "pain_best")
            ),
            models.CheckConstraint(
                condition=Q(pain_best__lte=F("pain_worst")),
                name="health_history_best_not_above_worst",
                violation_error_message=PAIN_BEST_ABOVE_WORST,
            ),
        ]

    def __str__(self) -> str:
        return f"Health history of {self.client}"

    def get_absolute_url(self) -> str:
        return self.client.get_absolute_url()

    def clean(self) -> None:
        for field, choices in (
            ("pain_character", self.Character),
            ("contributing_factors", self.Factor),
        ):
            values = getattr(self, field)
            if not isinstance(values, list):
                raise ValidationError({field: UNKNOWN_CHOICE.format(value=values)})
            unknown = [v for v in values if v not in choices.values]
            if unknown:
                raise ValidationError({field: UNKNOWN_CHOICE.format(value=unknown[0])})
        if not isinstance(self.pain_map, list):
            raise ValidationError({"pain_map": UNKNOWN_CHOICE.format(value=self.pain_map)})
        try:
            self.pain_map = marks_clean(self.pain_map)
        except ValueError as error:
            raise ValidationError({"pain_map": str(error)}) from error

    def chronicity(self, *, on: date) -> Chronicity:
        return pain_chronicity(onset=self.onset_date, on=on)

    def pain_character_labels(self) -> list[str]:
        return [self.Character(c).label for c in self.pain_character]

    def contributing_factor_labels(self) -> list[str]:
        return [self.Factor(f).label for f in self.contributing_factors]


_QUESTION = {q.name: q.question for q in SCREENING_QUESTIONS}


class Screening(models.Model):
    """One dated screening (clinical rules §2.1-2.3): every question answered yes or no explicitly
    (no defaults: a forgotten answer fails at the database). The latest one governs."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="screenings")
    screened_on = models.DateField("date of screening")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Red flags (clinical rules §2.1)
    bladder_bowel_change = models.BooleanField(_QUESTION["bladder_bowel_change"])
    saddle_anaesthesia = models.BooleanField(_QUESTION["saddle_anaesthesia"])
    progressive_weakness = models.BooleanField(_QUESTION["progressive_weakness"])
    night_pain = models.BooleanField(_QUESTION["night_pain"])
    suspected_sequestration = models.BooleanField(_QUESTION["suspected_sequestration"])
    # Absolute contraindications (clinical rules §2.2)
    acute_inflammation = models.BooleanField(_QUESTION["acute_inflammation"])
    infection_or_wound = models.BooleanField(_QUESTION["infection_or_wound"])
    severe_cardiovascular = models.BooleanField(_QUESTION["severe_cardiovascular"])
    recent_surgery_without_clearance = models.BooleanField(
        _QUESTION["recent_surgery_without_clearance"]
    )
    suspected_cauda_equina = models.BooleanField(_QUESTION["suspected_cauda_equina"])
    # Relative contraindications (clinical rules §2.3)
    pregnant = models.BooleanField(_QUESTION["pregnant"])
    pregnancy_weeks = models.PositiveSmallIntegerField("weeks of pregnancy", null=True, blank=True)
    osteoporosis = models.BooleanField(_QUESTION["osteoporosis"])
    clotting_disorder_or_anticoagulants = models.BooleanField(
        _QUESTION["clotting_disorder_or_anticoagulants"]
    )
    muscle_relaxants = models.BooleanField(_QUESTION["muscle_relaxants"])
    diabetes_or_neuropathy = models.BooleanField(_QUESTION["diabetes_or_neuropathy"])
    previous_back_surgery = models.BooleanField(_QUESTION["previous_back_surgery"])
    high_blood_pressure = models.BooleanField(_QUESTION["high_blood_pressure"])
    athlete = models.BooleanField(_QUESTION["athlete"])
    notes = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-screened_on", "-id"]
        indexes = [models.Index(fields=["client", "-screened_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(pregnant=False, pregnancy_weeks__isnull=True)
                    | Q(
                        pregnant=True,
                        pregnancy_weeks__gte=MIN_PREGNANCY_WEEKS,
                        pregnancy_weeks__lte=MAX_PREGNANCY_WEEKS,
                    )
                ),
                name="screening_pregnancy_weeks_only_when_pregnant",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening of {self.client} on {self.screened_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return self.client.get_absolute_url()

    def answers(self) -> ScreeningAnswers:
        return ScreeningAnswers(
            **{name: getattr(self, name) for name in ScreeningAnswers.field_names()}
        )

    def client_age(self) -> int:
        """The client's age on the day of this screening (clinical rules §2.3's older-adult row)."""
        return age_on(date_of_birth=self.client.date_of_birth, on=self.screened_on)

    def evaluate(self) -> Triage:
        return screening_evaluate(self.answers(), age=self.client_age())

    def safety_event(self) -> ScreeningEvent:
        return ScreeningEvent(
            answers=self.answers(),
            age=self.client_age(),
            on=self.screened_on,
            recorded_at=self.created_at,
        )


class Assessment(models.Model):
    """One dated set of assessment tests (clinical rules §3). An empty side means the test was not done.
    The database holds the same rules as the form: angles 0-90, the SLR details only with
    pain, and Bragard only after a positive SLR on its side."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField("date of assessment")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    slr_side = models.CharField(
        "straight leg raise: side", max_length=5, choices=Side.choices, blank=True
    )
    slr_pain = models.CharField(
        "straight leg raise: where the pain went",
        max_length=16,
        choices=SlrPain.choices,
        blank=True,
    )
    slr_onset_angle = models.PositiveSmallIntegerField(
        "straight leg raise: hip angle at pain onset (degrees)", null=True, blank=True
    )
    slr_quality = models.CharField(
        "straight leg raise: quality of the pain",
        max_length=10,
        choices=PainQuality.choices,
        blank=True,
    )
    bragard_side = models.CharField(
        "Bragard's: side", max_length=5, choices=Side.choices, blank=True
    )
    bragard_pain_returned = models.BooleanField(
        "Bragard's: pain returned on dorsiflexion", null=True, blank=True
    )
    piriformis_side = models.CharField(
        "piriformis test: side", max_length=5, choices=Side.choices, blank=True
    )
    piriformis_buttock_pain = models.BooleanField(
        "piriformis test: buttock pain", null=True, blank=True
    )
    piriformis_radiating_pain = models.BooleanField(
        "piriformis test: radiating pain", null=True, blank=True
    )
    notes = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["client", "-assessed_on", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(slr_onset_angle__isnull=True)
                | Q(slr_onset_angle__gte=0, slr_onset_angle__lte=90),
                name="assessment_slr_angle_0_to_90",
                violation_error_message=SLR_ANGLE_OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=(
                    Q(slr_side="", slr_pain="", slr_onset_angle__isnull=True, slr_quality="")
                    | (
                        ~Q(slr_side="")
                        & Q(slr_pain=SlrPain.NONE, slr_onset_angle__isnull=True, slr_quality="")
                    )
                    | (
                        ~Q(slr_side="")
                        & Q(
                            slr_pain__in=[SlrPain.HAMSTRING_ONLY, SlrPain.PAST_KNEE],
                            slr_onset_angle__isnull=False,
                        )
                        & ~Q(slr_quality="")
                    )
                ),
                name="assessment_slr_details_only_with_pain",
            ),
            models.CheckConstraint(
                condition=(
                    Q(bragard_side="", bragard_pain_returned__isnull=True)
                    | Q(
                        bragard_side=F("slr_side"),
                        bragard_pain_returned__isnull=False,
                        slr_pain=SlrPain.PAST_KNEE,
                        slr_quality=PainQuality.SHOOTING,
                        slr_onset_angle__gte=SLR_POSITIVE_MIN_ANGLE,
                        slr_onset_angle__lte=SLR_POSITIVE_MAX_ANGLE,
                    )
                ),
                name="assessment_bragard_after_positive_slr_same_side",
                violation_error_message=BRAGARD_REQUIRES_POSITIVE_SLR,
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        piriformis_side="",
                        piriformis_buttock_pain__isnull=True,
                        piriformis_radiating_pain__isnull=True,
                    )
                    | (
                        ~Q(piriformis_side="")
                        & Q(
                            piriformis_buttock_pain__isnull=False,
                            piriformis_radiating_pain__isnull=False,
                        )
                    )
                ),
                name="assessment_piriformis_answers_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.client} on {self.assessed_on:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return self.client.get_absolute_url()

    @property
    def slr(self) -> SlrFinding | None:
        if not self.slr_side:
            return None
        return SlrFinding(
            side=Side(self.slr_side),
            pain=SlrPain(self.slr_pain),
            onset_angle=self.slr_onset_angle,
            quality=PainQuality(self.slr_quality) if self.slr_quality else None,
        )

    @property
    def bragard(self) -> BragardFinding | None:
        if not self.bragard_side:
            return None
        return BragardFinding(
            side=Side(self.bragard_side), pain_returned=self.bragard_pain_returned
        )

    @property
    def piriformis(self) -> PiriformisFinding | None:
        if not self.piriformis_side:
            return None
        return PiriformisFinding(
            side=Side(self.piriformis_side),
            buttock_pain=self.piriformis_buttock_pain,
            radiating_pain=self.piriformis_radiating_pain,
        )

    def readings(self) -> list[tuple[str, Reading]]:
        """Each test done, named, with its interpretation, for the chart."""
        out = []
        if self.slr:
            out.append(("Straight leg raise", slr_interpret(self.slr)))
        if self.bragard:
            out.append(("Bragard's test", bragard_interpret(self.bragard)))
        if self.piriformis:
            out.append(("Piriformis test", piriformis_interpret(self.piriformis)))
        return out

    def evaluate(self) -> Hypothesis:
        return hypothesis_evaluate(slr=self.slr, bragard=self.bragard, piriformis=self.piriformis)


class MedicalClearance(models.Model):
    """A physician's clearance of the client's red flags (clinical rules §2.1): who cleared them,
    when, and what. Every red flag raised by a screening recorded before it is lowered; a
    flag raised after it holds again until the next clearance."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="clearances")
    physician_name = models.CharField("cleared by (physician)", max_length=200)
    cleared_on = models.DateField("date of the clearance")
    cleared_what = models.CharField(
        "what was cleared", max_length=300, help_text="e.g. night pain: imaging normal."
    )
    note = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-cleared_on", "-id"]
        indexes = [models.Index(fields=["client", "-cleared_on", "-id"])]

    def __str__(self) -> str:
        return f"Medical clearance of {self.client} on {self.cleared_on:%d %b %Y}"

    def safety_event(self) -> ClearanceEvent:
        return ClearanceEvent(on=self.cleared_on, recorded_at=self.created_at)


class ReferralDiagnosis(models.Model):
    """One ICD-10-CM diagnosis code of the client's physician referral (clinical rules §2.4,
    §9.1): a billable code checked against the official code set, with its description as
    the code set gave it when it was entered, in the referral's order."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="diagnoses")
    position = models.PositiveSmallIntegerField()
    code = models.CharField("ICD-10-CM code", max_length=8)
    description = models.CharField(max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["client", "position"]
        verbose_name = "referral diagnosis code"
        constraints = [
            models.UniqueConstraint(fields=["client", "code"], name="referral_diagnosis_once"),
            models.UniqueConstraint(
                fields=["client", "position"], name="referral_diagnosis_position_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class OutcomeMeasure(models.Model):
    """A functional outcome score on a date (clinical rules §9.5): the PSFS, with its activities
    (`PsfsActivity`), or a licensed questionnaire's score alone (the Oswestry index: the score,
    never its questions)."""

    class Kind(models.TextChoices):
        PSFS = "psfs", "Patient-Specific Functional Scale"
        ODI = "odi", "Oswestry Disability Index"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="outcome_measures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    measured_on = models.DateField("date taken")
    # PSFS: the activities' mean, 0-10 (higher is better); Oswestry: 0-100 % (higher is worse).
    score = models.DecimalField(max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["client", "kind", "measured_on", "id"]
        indexes = [models.Index(fields=["client", "kind", "measured_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="psfs", score__gte=0, score__lte=10)
                | Q(kind="odi", score__gte=0, score__lte=100),
                name="outcome_score_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score} on {self.measured_on:%d %b %Y}"


class PsfsActivity(models.Model):
    """One activity of a PSFS, as the client named it, and its rating 0-10."""

    measure = models.ForeignKey(OutcomeMeasure, on_delete=models.CASCADE, related_name="activities")
    position = models.PositiveSmallIntegerField()
    activity = models.CharField(max_length=200)
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "position"], name="psfs_activity_once"),
            models.CheckConstraint(condition=Q(score__lte=10), name="psfs_activity_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.score}/10"


# The client intake link and submissions live in their own module; imported here so Django
# finds the models of the intake app.
from intake.portal.models import IntakeLink, IntakeLinkTry, IntakeSubmission  # noqa: E402, F401
