from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Client(models.Model):
    """A person treated at the clinic. Owned by one therapist; the manager sees all."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    occupation = models.CharField(max_length=200, blank=True)
    lifestyle = models.TextField(
        blank=True, help_text="Desk work, heavy lifting, sport, activity level."
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="clients"
    )
    physician_name = models.CharField("physician", max_length=200, blank=True)
    referral_date = models.DateField(null=True, blank=True)
    diagnosis_codes = models.CharField(
        max_length=200, blank=True, help_text="As on the physician's referral, e.g. M54.3."
    )
    consent_given = models.BooleanField("consent to treatment given", default=False)
    consent_date = models.DateField(null=True, blank=True)
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
