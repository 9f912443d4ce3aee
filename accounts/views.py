"""Account pages: signing in, changing and resetting a password, choosing the first one."""

from __future__ import annotations

import copy
import time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import two_factor
from accounts.clinic import clinic_profile
from accounts.emails import email_try
from accounts.forms import (
    ClinicProfileForm,
    PasswordResetRequestForm,
    StaffLoginForm,
    StaffPasswordChangeForm,
    StaffSetPasswordForm,
)
from accounts.models import StaffProfile
from accounts.reset_limits import answer_no_sooner
from accounts.services import clinic_profile_update, staff_role
from core.roles import user_is_manager

PASSWORD_CHANGED = "Your password is changed. Any other device signed in as you is signed out."
PASSWORD_SET = "Your password is set: sign in with it."


class LoginView(auth_views.LoginView):
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = StaffPasswordChangeForm
    success_url = reverse_lazy("home")
    template_name = "registration/password_change_form.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per address and network address, each accepted
    request answered no sooner than PASSWORD_RESET_ANSWER_MS (accounts/reset_limits.py)."""

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")
    template_name = "registration/password_reset_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        started = time.monotonic()
        response = super().form_valid(form)
        answer_no_sooner(started)
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the reset email: a new password, then sign in with it."""

    form_class = StaffSetPasswordForm
    success_url = reverse_lazy("login")
    template_name = "registration/password_reset_confirm.html"
    heading = "Choose a new password"

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=self.heading, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_SET)
        return response


class WelcomeView(PasswordResetConfirmView):
    """The link a new staff member receives: the same one-time token, their first password."""

    heading = "Welcome: choose your password"


@require_GET
@login_required
def account(request):
    """The signed-in staff member's own account: who they are here, their password."""
    user = request.user
    enrolled = two_factor.two_factor_enrolled(user)
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "profile": StaffProfile.objects.filter(user=user).first(),
            "role": staff_role(user),
            "two_factor_on": enrolled,
            "two_factor_required": two_factor.two_factor_required(),
            "recovery_codes_left": two_factor.recovery_codes_left(user) if enrolled else 0,
        },
    )


CLINIC_PROFILE_SAVED = "The clinic's details are saved: new PDFs and emails carry them."
CLINIC_PROFILE_MANAGER_ONLY = "Only the clinic manager edits the clinic's details."
EMAIL_CHECK_SENT = "A test message was sent to {email}: check that it arrived."
EMAIL_CHECK_FAILED = "The test message to {email} could not be sent: {reason}."
EMAIL_CHECK_NO_ADDRESS = (
    "Your account has no email address: ask for one to be added on the Staff page."
)


@require_http_methods(["GET", "POST"])
@login_required
def clinic_profile_edit(request):
    """The manager's page for the clinic's name, address, phone and email."""
    if not user_is_manager(request.user):
        raise PermissionDenied(CLINIC_PROFILE_MANAGER_ONLY)
    # A copy: the form writes into its instance while validating, and the one in memory is
    # what every page of this process reads.
    current = copy.copy(clinic_profile())
    form = ClinicProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        clinic_profile_update(**form.cleaned_data)
        messages.success(request, CLINIC_PROFILE_SAVED)
        return redirect("accounts:clinic_profile")
    return render(request, "accounts/clinic_profile.html", {"form": form})


@require_POST
@login_required
def clinic_email_check(request):
    """Send the manager a test message through the configured mail server."""
    if not user_is_manager(request.user):
        raise PermissionDenied(CLINIC_PROFILE_MANAGER_ONLY)
    address = request.user.email
    if not address:
        messages.error(request, EMAIL_CHECK_NO_ADDRESS)
        return redirect("accounts:clinic_profile")
    reason = email_try(
        to=address,
        name="email_check",
        context={"name": request.user.first_name or request.user.username},
    )
    if reason:
        messages.error(request, EMAIL_CHECK_FAILED.format(email=address, reason=reason))
    else:
        messages.success(request, EMAIL_CHECK_SENT.format(email=address))
    return redirect("accounts:clinic_profile")
