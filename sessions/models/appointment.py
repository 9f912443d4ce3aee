from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.limits import SHORT_TEXT_MAX, text_limit
from core.staff import staff_display_name
from sessions.booking.scheduling import clinic_clock, visit_ends_at
from sessions.models.constraints import PostgresExclusionConstraint, TsTzRange

# ---------------------------------------------------------------------------------------------
# Booking: appointments. Services in sessions/booking/services.py.
# ---------------------------------------------------------------------------------------------

APPOINTMENT_MINUTES_MIN = 30
APPOINTMENT_MINUTES_MAX = 90


class Appointment(models.Model):
    """One booked visit of a client with their therapist (clinical rules §1, §5: 30-90 minutes).

    `ends_at` is derived from `starts_at` + `minutes` on save and stored, so the database can
    refuse overlaps: on PostgreSQL two exclusion constraints (one per therapist, one per client)
    over TSTZRANGE(starts_at, ends_at); on SQLite the booking service checks inside its
    IMMEDIATE transaction. Cancelled, no-show, refused and referred appointments free their
    slot. The status changes only through `sessions/visits/services.py`, whose transitions
    `sessions/visits/transitions.py` lists.
    """

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CHECKED_IN = "checked_in", "Checked in"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"
        REFUSED = "refused", "Treatment declined"
        REFERRED = "referred", "Referred"

    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    client = models.ForeignKey(
        "intake.Client", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(APPOINTMENT_MINUTES_MIN),
            MaxValueValidator(APPOINTMENT_MINUTES_MAX),
        ],
        help_text=f"Session length, {APPOINTMENT_MINUTES_MIN}-{APPOINTMENT_MINUTES_MAX} minutes.",
    )
    ends_at = models.DateTimeField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    note = models.TextField(blank=True, validators=[text_limit(SHORT_TEXT_MAX)])
    cancellation_reason = models.CharField(max_length=300, blank=True)
    # Why a client who came was not treated: declined (refused) or sent on (referred).
    not_treated_reason = models.CharField(max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["therapist", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=APPOINTMENT_MINUTES_MIN)
                & Q(minutes__lte=APPOINTMENT_MINUTES_MAX),
                name="appointment_minutes_30_to_90",
                violation_error_message="A session lasts 30 to 90 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="appointment_ends_after_start",
            ),
            PostgresExclusionConstraint(
                name="appointment_therapist_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                    ("therapist", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["booked", "checked_in", "completed"]),
            ),
            PostgresExclusionConstraint(
                name="appointment_client_no_overlap",
                expressions=[
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                    ("client", RangeOperators.EQUAL),
                ],
                condition=Q(status__in=["booked", "checked_in", "completed"]),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.client} with {self.therapist_name}, {local:%a %d %b %Y %H:%M}"

    def save(self, *args, **kwargs):
        self.times_set(starts_at=self.starts_at, minutes=self.minutes)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sessions:appointment_detail", args=[self.pk])

    def times_set(self, *, starts_at, minutes: int) -> None:
        """Set the start and length, and the stored end derived from them: in UTC, so the
        length is real minutes even across a clock change (docs/engineering-notes.md
        "Clock changes")."""
        self.starts_at = starts_at.astimezone(UTC)
        self.minutes = minutes
        self.ends_at = visit_ends_at(starts_at=starts_at, minutes=minutes)

    @property
    def clock_span(self) -> str:
        """'10:00–11:00' in the clinic's zone; a time the autumn clock change repeats carries
        its UTC offset."""
        zone = timezone.get_default_timezone()
        start = clinic_clock(self.starts_at, zone=zone)
        return f"{start}\u2013{clinic_clock(self.ends_at, zone=zone)}"

    @property
    def therapist_name(self) -> str:
        return staff_display_name(self.therapist)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_on_clinic_today(self) -> bool:
        return timezone.localdate(self.starts_at) == timezone.localdate()


# The statuses whose appointments hold their time slot (the exclusion constraints' condition).
OCCUPYING_STATUSES = (
    Appointment.Status.BOOKED,
    Appointment.Status.CHECKED_IN,
    Appointment.Status.COMPLETED,
)
