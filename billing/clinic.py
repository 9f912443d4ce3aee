"""Who a superbill says it is from: the clinic's details and the therapist's professional numbers.

The one place billing reads them. The clinic's profile and the staff members' licence numbers
belong to the accounts app (a profile the manager edits); until it is part of the project the
clinic is its configured name (`CLINIC_NAME`) with no address, and a licence number is read
from a staff profile only when the user has one. Switch `clinic_details` to
`accounts.clinic.clinic_profile()` here, and nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from core.staff import staff_display_name


@dataclass(frozen=True)
class ClinicDetails:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Provider:
    """The treating therapist as a superbill names them."""

    name: str
    licence_number: str
    npi: str


def clinic_details() -> ClinicDetails:
    return ClinicDetails(name=settings.CLINIC_NAME)


def provider_for(user) -> Provider:
    """The therapist's name, licence number (from their staff profile, where there is one) and
    NPI (`billing.BillingProvider`, where entered). Reads what the caller fetched with
    `select_related("billing_provider")`; otherwise one query."""
    profile = getattr(user, "staff_profile", None)
    try:
        npi = user.billing_provider.npi
    except user._meta.model.billing_provider.RelatedObjectDoesNotExist:
        npi = ""
    return Provider(
        name=staff_display_name(user),
        licence_number=getattr(profile, "licence_number", "") or "",
        npi=npi,
    )
