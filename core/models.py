from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One look at, change to, print or export of a client's record, or an attempt at one
    that was refused or not saved.

    Written by `core.middleware.AuditTrailMiddleware`, never edited: the database
    refuses UPDATE and DELETE on this table (`core/audit_lock.py`). The client is
    stored as a bare id, not a foreign key, so the trail outlives the record it describes.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CHANGE = "change", "Changed"
        PRINT = "print", "Printed"
        EXPORT = "export", "Exported"
        # A write whose form came back (an error to fix): nothing was saved.
        NOT_SAVED = "not_saved", "Not saved"
        # The app said no (403, 404 for a colleague's client, a conflict): nothing shown or saved.
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    client_id = models.PositiveBigIntegerField()
    object_type = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    url_name = models.CharField(max_length=200)
    path = models.CharField(max_length=500)
    method = models.CharField(max_length=10)
    status = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client_id", "-at"]),
            models.Index(fields=["user", "-at"]),
            models.Index(fields=["-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} client {self.client_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def object_label(self) -> str:
        """What was looked at, in words: "session note 12"."""
        try:
            name = apps.get_model(self.object_type)._meta.verbose_name
        except LookupError:
            name = self.object_type
        return f"{name} {self.object_id}"


class FormSubmission(models.Model):
    """A form token claimed by the write it allowed: the same form sent again finds it here
    and is answered with the first result instead of a second record (`core.form_tokens`).

    The token is unique in the database, so of two requests sending the same token at the
    same moment only one can claim it; the other waits for it and then reads its result.
    Kept a day (`form_submissions_purge`), as long as a token is accepted.
    """

    token = models.CharField(max_length=64)
    purpose = models.CharField(max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    url = models.CharField(max_length=500, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token"], name="form_submission_token_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} by {self.user_id} at {self.created_at:%Y-%m-%d %H:%M}"
