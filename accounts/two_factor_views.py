"""Two-factor pages: setting up an authenticator, typing a code at sign-in, recovery codes,
turning it off. The rules are in `accounts.two_factor`."""

from __future__ import annotations

from datetime import timedelta

import django_otp
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.two_factor import ENROLLED_KEY, SETUP_KEY

CODE_WRONG = (
    "That code did not match. Type the 6 digits your app shows now (they change every 30 "
    "seconds), or one of your recovery codes."
)
CODE_THROTTLED = "Too many wrong codes in a row: wait {seconds} second(s), then try again."
SETUP_CODE_WRONG = (
    "That code did not match the new secret. Check the app's clock is set automatically, "
    "then type the code it shows now."
)
SET_UP = "Two-factor sign-in is on: you will be asked for a code from your app when you sign in."
TURNED_OFF = "Two-factor sign-in is off for your account."
TURN_OFF_REFUSED = "The clinic requires two-factor sign-in: it cannot be turned off."
SETUP_FIRST = "Set up two-factor sign-in first."


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def _throttle_wait(user) -> int:
    """Seconds until the authenticator accepts another try (0: now)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or device.throttling_failure_count == 0:
        return 0
    allowed, _ = device.verify_is_allowed()
    if allowed:
        return 0
    delay = device.get_throttle_factor() * (2 ** (device.throttling_failure_count - 1))
    until = device.throttling_failure_timestamp + timedelta(seconds=delay)
    return max(1, int((until - timezone.now()).total_seconds()) + 1)


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    if not two_factor.two_factor_enrolled(request.user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = "".join(form.cleaned_data["code"].split())
        # An app code while the app is locked after wrong ones is not even tried (django-otp's
        # throttle); a recovery code is tried on its own device.
        wait = _throttle_wait(request.user) if code.isdigit() else 0
        device = django_otp.match_token(request.user, code)
        if device is not None:
            django_otp.login(request, device)
            request.session[ENROLLED_KEY] = True
            return redirect(_next_url(request))
        form.add_error("code", CODE_THROTTLED.format(seconds=wait) if wait else CODE_WRONG)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def two_factor_setup(request):
    """Scan the QR code (or type the secret), then type the code the app shows: the
    authenticator is saved, recovery codes are shown once.

    Someone who has an authenticator already types a code from it first: a password alone
    must not be enough to replace it."""
    if two_factor.two_factor_enrolled(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor_verify')}?next={_next_url(request)}")
    key = two_factor.setup_key(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_matches(key, form.cleaned_data["code"]):
            device = two_factor.totp_device_confirm(user=request.user, key_hex=key)
            codes = two_factor.recovery_codes_new(request.user)
            del request.session[SETUP_KEY]
            django_otp.login(request, device)
            request.session[ENROLLED_KEY] = True
            messages.success(request, SET_UP)
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error("code", SETUP_CODE_WRONG)
    uri = two_factor.setup_uri(key_hex=key, username=request.user.username)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": two_factor.setup_qr_data_uri(uri),
            "secret": two_factor.secret_base32(key),
            "required": two_factor.two_factor_required(),
            "enrolled": request.session.get(ENROLLED_KEY, False),
            "next": _next_url(request),
        },
    )


@require_POST
@login_required
def recovery_codes(request):
    """A new set of recovery codes (the old ones stop working), shown once."""
    if not two_factor.two_factor_enrolled(request.user):
        messages.error(request, SETUP_FIRST)
        return redirect("accounts:account")
    codes = two_factor.recovery_codes_new(request.user)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "next": "/"})


@require_POST
@login_required
def two_factor_off(request):
    if two_factor.two_factor_required():
        messages.error(request, TURN_OFF_REFUSED)
    else:
        two_factor.two_factor_remove(request.user)
        request.session[ENROLLED_KEY] = False
        messages.success(request, TURNED_OFF)
    return redirect("accounts:account")
