"""The client intake link and what the client sends through it (issue 20).

A link is issued by staff for one client, works once, until it expires or is revoked; only a
hash of its token is stored. The client's answers are kept exactly as sent in a submission
awaiting the therapist's review: nothing in the chart changes until the therapist accepts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from intake.models import Client


class IntakeLink(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", "Waiting for the client"
        USED = "used", "Sent by the client"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="intake_links")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # sha256 of the random part of the token, hex: the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    emailed_to = models.EmailField(blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
                name="intake_link_used_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"Intake link for {self.client} issued {self.issued_at:%Y-%m-%d}"

    def state(self, *, now=None) -> State:
        now = now or timezone.now()
        if self.used_at:
            return self.State.USED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.ACTIVE


class IntakeSubmission(models.Model):
    """The client's answers as sent (`answers`, a JSON object: see `intake.portal.forms`), and
    the therapist's review of them."""

    class Status(models.TextChoices):
        AWAITING_REVIEW = "awaiting", "Submitted by the client, awaiting review"
        ACCEPTED = "accepted", "Accepted into the chart"

    link = models.OneToOneField(IntakeLink, on_delete=models.PROTECT, related_name="submission")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="intake_submissions")
    submitted_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()
    # The red-flag question names answered yes (intake.rules.RED_FLAG_QUESTIONS), kept apart so
    # Today and the safety status read them without parsing the answers.
    red_flags = models.JSONField(default=list, blank=True)
    pain_map = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING_REVIEW)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "client"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="awaiting") | Q(reviewed_at__isnull=False),
                name="intake_submission_accepted_has_review",
            ),
        ]

    def __str__(self) -> str:
        return f"Intake form from {self.client} sent {self.submitted_at:%Y-%m-%d}"

    @property
    def awaiting_review(self) -> bool:
        return self.status == self.Status.AWAITING_REVIEW


class IntakeLinkTry(models.Model):
    """One request to an intake link page, by address: the rate limit counts these in the
    database, so every app server sees the same count. Rows older than the window are purged."""

    ip_address = models.GenericIPAddressField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "at"])]

    def __str__(self) -> str:
        return f"{self.ip_address} at {self.at:%Y-%m-%d %H:%M}"
