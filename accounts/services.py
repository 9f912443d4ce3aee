"""Staff accounts: create, change, deactivate and reactivate; the clinic profile.

Each change is one function, atomic, locking the user row it changes, safe to repeat.
Emails go out after the commit (`accounts.emails`), so a rolled-back change sends nothing.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ClinicProfile, StaffProfile
from core.roles import MANAGER, ROLES

USERNAME_MAX = 150
EMAIL_TAKEN = "Another staff account already uses {email}: each person signs in with their own."
ROLE_UNKNOWN = "Choose Therapist or Clinic manager."
SELF_DEACTIVATE_REFUSED = "You cannot deactivate your own account: ask another clinic manager."
LAST_MANAGER_REFUSED = (
    "{name} is the clinic's only active manager: make someone else clinic manager first, "
    "or nobody could add staff or read the audit trail."
)


def staff_profile_of(user: User) -> StaffProfile:
    """The user's profile, made empty if the account predates profiles (demo, old data).
    For writing; pages read `staff_profile_read`."""
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    return profile


def staff_profile_read(user: User) -> StaffProfile:
    """The user's profile, or an unsaved empty one: reading a page writes nothing."""
    return StaffProfile.objects.filter(user=user).first() or StaffProfile(user=user)


def email_in_use(email: str, *, exclude: User | None = None) -> bool:
    users = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users.exists()


def username_from_email(email: str) -> str:
    """A free username made from the email's local part: `jane.doe`, then `jane.doe2`..."""
    local = email.split("@", 1)[0].lower()
    base = re.sub(r"[^a-z0-9._-]+", "", local)[: USERNAME_MAX - 6] or "staff"
    taken = set(User.objects.filter(username__istartswith=base).values_list("username", flat=True))
    taken = {name.lower() for name in taken}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _role_set(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValidationError({"role": ROLE_UNKNOWN})
    user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))


def staff_role(user: User) -> str | None:
    names = {group.name for group in user.groups.all()}
    return next((role for role in ROLES if role in names), None)


def _active_managers():
    return User.objects.filter(groups__name=MANAGER, is_active=True)


@transaction.atomic
def staff_create(
    *,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    licence_number: str = "",
    username: str = "",
    password: str | None = None,
) -> User:
    """A new staff account in `role`. Without a password the account has none it could sign
    in with (an unusable one) until its owner chooses one through the link sent to them."""
    email = email.strip()
    if email_in_use(email):
        raise ValidationError({"email": EMAIL_TAKEN.format(email=email)})
    user = User(
        username=username or username_from_email(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # The same person added twice at the same moment: the username made from the email
        # was taken between the check and the insert.
        raise ValidationError({"email": EMAIL_TAKEN.format(email=email)}) from None
    _role_set(user, role)
    StaffProfile.objects.create(user=user, licence_number=licence_number.strip())
    return user


@transaction.atomic
def staff_update(
    *, user: User, first_name: str, last_name: str, email: str, role: str, licence_number: str
) -> User:
    """Name, email, role and licence number of a staff member. The last active manager
    keeps the role."""
    user = User.objects.select_for_update().get(pk=user.pk)
    email = email.strip()
    if email_in_use(email, exclude=user):
        raise ValidationError({"email": EMAIL_TAKEN.format(email=email)})
    if role != MANAGER and user.is_active and _only_active_manager(user):
        raise ValidationError({"role": LAST_MANAGER_REFUSED.format(name=_name(user))})
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.save(update_fields=["first_name", "last_name", "email"])
    _role_set(user, role)
    profile = staff_profile_of(user)
    if profile.licence_number != licence_number.strip():
        profile.licence_number = licence_number.strip()
        profile.save()
    return user


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _only_active_manager(user: User) -> bool:
    managers = _active_managers()
    return managers.filter(pk=user.pk).exists() and not managers.exclude(pk=user.pk).exists()


@transaction.atomic
def staff_deactivate(*, user: User, by: User) -> User:
    """The account can no longer sign in; its sessions end at their next request (Django
    refuses an inactive user's session). Everything it wrote stays. Safe to repeat."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise ValidationError(SELF_DEACTIVATE_REFUSED)
    if not user.is_active:
        return user
    if _only_active_manager(user):
        raise ValidationError(LAST_MANAGER_REFUSED.format(name=_name(user)))
    user.is_active = False
    user.save(update_fields=["is_active"])
    profile = staff_profile_of(user)
    profile.deactivated_at = timezone.now()
    profile.deactivated_by = by
    profile.save()
    return user


@transaction.atomic
def staff_reactivate(*, user: User) -> User:
    """The account signs in again with its password. Safe to repeat."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    profile = staff_profile_of(user)
    profile.deactivated_at = None
    profile.deactivated_by = None
    profile.save()
    return user


@transaction.atomic
def clinic_profile_update(
    *, name: str, address: str, phone: str, email: str, two_factor_required: bool
) -> ClinicProfile:
    profile, _ = ClinicProfile.objects.select_for_update().get_or_create(
        pk=ClinicProfile.SINGLETON_PK, defaults={"name": name}
    )
    profile.name = name.strip()
    profile.address = address.strip()
    profile.phone = phone.strip()
    profile.email = email.strip()
    profile.two_factor_required = two_factor_required
    profile.save()
    return profile
