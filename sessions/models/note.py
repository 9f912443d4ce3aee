"""SOAP charting models (clinical rules §8): session notes, the techniques done, amendments.

A note is a draft until `note_sign` (sessions/charting/services.py) sets `signed_at`; from then on
no column of the note or its technique rows can change and neither can be deleted. The
service refuses, and so does the database: migration 0002 installs triggers on SQLite and
PostgreSQL that abort such statements. Corrections are `NoteAmendment` rows, which are
append-only too.

`SignedNotePdf` keeps the PDF of a signed note, rendered once per amendment, in the database:
several app servers share one PostgreSQL and no local disk.

Imported by sessions/models.py so that Django registers these models in the `visits` app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX, text_limit
from core.vocabulary import Position, Pressure
from intake.models import PAIN_MAX

TECHNIQUE_MINUTES_MAX = 90


def _pain_field(verbose_name: str, help_text: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        verbose_name,
        null=True,
        blank=True,
        validators=[MaxValueValidator(PAIN_MAX)],
        help_text=help_text,
    )


class SessionNote(models.Model):
    """The SOAP record of one visit: S, O, A, P, plus the techniques done (`techniques`)."""

    class Adherence(models.TextChoices):
        AS_ADVISED = "as_advised", "Did the home care as advised"
        PARTLY = "partly", "Did some of it"
        NOT_DONE = "not_done", "Did not do it"
        NONE_GIVEN = "none_given", "No home care given yet"

    client = models.ForeignKey(
        "intake.Client", on_delete=models.PROTECT, related_name="session_notes"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_notes"
    )
    visit_date = models.DateField()
    appointment = models.OneToOneField(
        "visits.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_note",
        help_text="The booked visit this note records.",
    )
    plan = models.ForeignKey(
        "visits.SessionPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_notes",
        help_text="The accepted plan the note was started from.",
    )

    # S: subjective
    client_report = models.TextField(
        blank=True,
        validators=[text_limit(LONG_TEXT_MAX)],
        help_text="What the client says: where it hurts, what sets it off.",
    )
    pain_before = _pain_field("pain before (0-10)", "0 = no pain, 10 = worst imaginable.")
    changes_since_last_visit = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    home_care_adherence = models.CharField(max_length=20, choices=Adherence.choices, blank=True)

    # O: objective
    findings = models.TextField(
        "tests and findings",
        blank=True,
        validators=[text_limit(LONG_TEXT_MAX)],
        help_text="Palpation, posture, movement, and any tests repeated today.",
    )
    retest = models.ForeignKey(
        "intake.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_notes",
        verbose_name="re-test recorded this visit",
        help_text="The assessment record (SLR, Bragard's, piriformis) of the tests repeated.",
    )

    # A: assessment
    working_hypothesis = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    response_to_treatment = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    pain_after = _pain_field("pain after (0-10)", "Asked at the end of the session.")
    adverse_response = models.TextField(
        blank=True,
        validators=[text_limit(SHORT_TEXT_MAX)],
        help_text='For example a "zing" down the leg or increased tingling.',
    )
    adverse_response_change = models.TextField(
        "what was changed in response",
        blank=True,
        validators=[text_limit(SHORT_TEXT_MAX)],
        help_text="For example: moved one inch lateral, lighter pressure, stopped the stretch.",
    )

    # P: plan
    next_visit = models.DateField(null=True, blank=True)
    frequency = models.CharField(
        max_length=200, blank=True, help_text="For example: twice a week for 2-3 weeks."
    )
    home_care_given = models.TextField(blank=True, validators=[text_limit(LONG_TEXT_MAX)])
    referrals = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])

    signed_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-visit_date", "-id"]
        indexes = [
            models.Index(fields=["client", "visit_date"]),
            models.Index(fields=["therapist", "signed_at", "visit_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pain_before__lte=PAIN_MAX), name="note_pain_before_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(pain_after__lte=PAIN_MAX), name="note_pain_after_0_to_10"
            ),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="note_signed_at_and_by_together",
            ),
            models.CheckConstraint(
                condition=Q(next_visit__isnull=True) | Q(next_visit__gt=F("visit_date")),
                name="note_next_visit_after_visit",
            ),
        ]

    def __str__(self) -> str:
        return f"Session note, {self.client}, {self.visit_date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:note_detail", args=[self.client_id, self.pk])

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def technique_minutes(self) -> int:
        return sum(row.minutes for row in self.techniques.all())


class NoteTechnique(models.Model):
    """One technique done in the session, as it really happened (pre-filled from the plan)."""

    note = models.ForeignKey(SessionNote, on_delete=models.CASCADE, related_name="techniques")
    order = models.PositiveSmallIntegerField(default=0)
    technique_slug = models.SlugField(
        max_length=100, blank=True, help_text="The library technique this row came from."
    )
    name = models.CharField("technique", max_length=200)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(TECHNIQUE_MINUTES_MAX)]
    )
    position = models.CharField(max_length=20, choices=Position.choices)
    pressure = models.PositiveSmallIntegerField(choices=Pressure.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["note", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=TECHNIQUE_MINUTES_MAX),
                name="note_technique_minutes_1_to_90",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.minutes} min"


class NoteAmendment(models.Model):
    """A dated, attributed correction to a signed note, shown beneath it. Never edited."""

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField("amendment", validators=[text_limit(SHORT_TEXT_MAX)])

    class Meta:
        ordering = ["note", "created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment to {self.note} by {self.author}, {self.created_at:%d %b %Y %H:%M}"


class SignedNotePdf(models.Model):
    """The printed PDF of a signed note as it stood with `amendment_count` amendments.

    Rendered on first print and kept, so every later print gives the same bytes; an
    amendment makes a new version (the count is part of the key). Append-only in the
    database like the note itself.
    """

    note = models.ForeignKey(SessionNote, on_delete=models.PROTECT, related_name="pdfs")
    amendment_count = models.PositiveIntegerField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["note", "amendment_count"], name="signed_note_pdf_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF of {self.note} with {self.amendment_count} amendment(s)"
