"""A staff member's professional details and the clinic's own details."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

LICENCE_NUMBER_MAX = 50


class StaffProfile(models.Model):
    """What the clinic records about a staff member beyond Django's user: the licence number
    printed on their notes, and when and by whom the account was deactivated.

    Deactivating sets the user's `is_active` off (Django then refuses the sign-in and ends
    their sessions at the next request); nothing of theirs is deleted.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    licence_number = models.CharField(
        max_length=LICENCE_NUMBER_MAX,
        blank=True,
        help_text="Professional registration or licence number, as on their notes.",
    )
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "staff profile"

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ClinicProfile(models.Model):
    """The clinic's name and contact details, on every PDF and email; and whether every
    staff member must sign in with a second factor. One row (pk 1), made on first save."""

    SINGLETON_PK = 1

    name = models.CharField(max_length=200)
    address = models.TextField(
        max_length=500, blank=True, help_text="As printed on letters: one line per line."
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True, help_text="Clients and physicians reply to this address.")
    two_factor_required = models.BooleanField(
        "require two-factor sign-in for all staff",
        default=False,
        help_text="Everyone then signs in with a code from an authenticator app as well as "
        "their password; staff without one set it up at their next sign-in.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "clinic profile"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="clinic_profile_single_row"),
        ]

    def __str__(self) -> str:
        return self.name


class PasswordResetRequest(models.Model):
    """One password-reset request that was let through, counted against its address and its
    network address (accounts/reset_limits.py). Kept in the database, not in a process: every
    app server counts the same requests. Rows older than the window are deleted as new ones
    come. `key` is "email:" or "ip:" followed by a SHA-256, so no address is stored in clear.
    """

    key = models.CharField(max_length=80)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["key", "created_at"], name="reset_request_key_time")]

    def __str__(self) -> str:
        return f"Password reset request {self.key[:12]}… at {self.created_at:%Y-%m-%d %H:%M}"
