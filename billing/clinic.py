"""Who a superbill says it is from: the clinic's details and the therapist's professional numbers.

The one place billing reads them: the clinic profile the manager keeps (accounts app), and the
licence number from the staff member's profile when they have one.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.clinic import clinic_profile
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
    profile = clinic_profile()
    return ClinicDetails(
        name=profile.name, address=profile.address, phone=profile.phone, email=profile.email
    )


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
