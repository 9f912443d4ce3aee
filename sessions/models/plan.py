"""Accepted session plans: a snapshot the library can no longer change.

The model lives here and is imported by `sessions/models.py`; the services that make
and accept plans are in `sessions/planning/services.py`, the rules in `sessions/planning/planner/`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.vocabulary import Stage
from intake.rules import HypothesisKind, TriageOutcome
from sessions.planning.planner import Plan, plan_from_dict

PLAN_MINUTES_MIN = 30
PLAN_MINUTES_MAX = 90


class SessionPlan(models.Model):
    """A plan the therapist accepted for one visit, stored as a snapshot.

    `snapshot` holds the plan exactly as accepted (`planner.plan_to_dict`) and the inputs
    it was made from (triage, hypothesis, template): later library edits, new screenings
    or a changed planner never alter it. The columns beside it repeat what lists and
    filters need. `appointment` links the booked visit when the plan was made from one.
    `snapshot["warnings_accepted"]` lists the warnings the therapist read and accepted
    (`planner.plan_warnings`), absent from plans accepted before there were any.
    """

    client = models.ForeignKey(
        "intake.Client", on_delete=models.PROTECT, related_name="session_plans"
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="session_plans"
    )
    appointment = models.ForeignKey(
        "visits.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="session_plans",
    )
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(PLAN_MINUTES_MIN), MaxValueValidator(PLAN_MINUTES_MAX)]
    )
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    first_visit = models.BooleanField()
    acute = models.BooleanField("acute flare")
    hypothesis_kind = models.CharField(max_length=32, choices=HypothesisKind.choices)
    triage_outcome = models.CharField(max_length=20, choices=TriageOutcome.choices)
    adjusted = models.BooleanField(
        default=False, help_text="The therapist changed the proposed plan before accepting it."
    )
    snapshot = models.JSONField()
    accepted_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-accepted_at", "-id"]
        indexes = [models.Index(fields=["client", "-accepted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=PLAN_MINUTES_MIN) & Q(minutes__lte=PLAN_MINUTES_MAX),
                name="session_plan_minutes_30_to_90",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="session_plan_valid_stage"
            ),
            models.CheckConstraint(
                condition=Q(
                    triage_outcome__in=[
                        TriageOutcome.TREAT,
                        TriageOutcome.TREAT_WITH_MODIFICATIONS,
                    ]
                ),
                name="session_plan_only_when_treating",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client}: {self.minutes}-minute plan, {self.get_stage_display()}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:plan_detail", args=[self.client_id, self.pk])

    @property
    def plan(self) -> Plan:
        """The accepted plan as the planner's value (run sheet, items, home care)."""
        return plan_from_dict(self.snapshot["plan"])

    @property
    def warnings_accepted(self) -> list[str]:
        """The warnings the therapist accepted the plan with (clinical rules §6.2)."""
        return list(self.snapshot.get("warnings_accepted", []))
