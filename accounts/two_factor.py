"""Two-factor sign-in: a time-based code from an authenticator app (TOTP, django-otp), with
recovery codes for a lost phone; the clinic manager can require it of every staff member.

A staff member with an authenticator set up, or anyone when the clinic requires it, is
asked for a code after their password (`TwoFactorMiddleware`) before any other page; one
without an authenticator while it is required sets one up first. Whether they have one is
looked up once, at sign-in, and kept in the session, so other pages cost no query.
"""

from __future__ import annotations

import base64
from urllib.parse import quote, urlencode

import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.clinic import clinic_profile

ENROLLED_KEY = "_two_factor_enrolled"
SETUP_KEY = "_two_factor_setup_key"
RECOVERY_CODE_COUNT = 10
TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def two_factor_enrolled(user) -> bool:
    return user_has_device(user, confirmed=True)


@receiver(user_logged_in, dispatch_uid="accounts.two_factor.remember_enrolment")
def _remember_enrolment(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_KEY] = two_factor_enrolled(user)


def two_factor_required() -> bool:
    return clinic_profile().two_factor_required


def two_factor_pending(request) -> str | None:
    """What a signed-in user must do before anything else: "verify" (type a code), "setup"
    (set up an authenticator: the clinic requires it), or None."""
    enrolled = request.session.get(ENROLLED_KEY, False)
    if not enrolled and not two_factor_required():
        return None
    if request.user.is_verified():
        return None
    return "verify" if enrolled else "setup"


# Setting up ------------------------------------------------------------------------------------


def setup_key(request) -> str:
    """The secret offered on the setup page, kept in the session until confirmed (so
    showing the page writes no row)."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = request.session[SETUP_KEY] = random_hex(20)
    return key


def secret_base32(key_hex: str) -> str:
    """The secret as typed into an app by hand: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(key_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def setup_uri(*, key_hex: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = " ".join(clinic_profile().name.split()).replace(":", " ")
    label = quote(f"{issuer}:{username}")
    query = urlencode(
        {
            "secret": base64.b32encode(bytes.fromhex(key_hex)).decode().rstrip("="),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": TOTP_DIGITS,
            "period": TOTP_STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def setup_qr_data_uri(uri: str) -> str:
    """The QR code as an inline SVG image (the pages allow `data:` images; no request for it)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def totp_matches(key_hex: str, token: str) -> bool:
    token = token.strip().replace(" ", "")
    if not token.isdigit() or len(token) != TOTP_DIGITS:
        return False
    totp = TOTP(bytes.fromhex(key_hex), step=TOTP_STEP_SECONDS, t0=0, digits=TOTP_DIGITS)
    return totp.verify(int(token), tolerance=1)


@transaction.atomic
def totp_device_confirm(*, user, key_hex: str) -> TOTPDevice:
    """The user's authenticator, replacing any earlier one."""
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key_hex, confirmed=True)


@transaction.atomic
def recovery_codes_new(user) -> list[str]:
    """Ten new single-use recovery codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def two_factor_remove(user) -> None:
    """The authenticator and recovery codes are forgotten (turned off, or reset by the
    manager for a lost phone)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
