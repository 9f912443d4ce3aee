"""Account pages: signing in, changing and resetting a password, choosing the first one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from accounts.forms import (
    PasswordResetRequestForm,
    StaffLoginForm,
    StaffPasswordChangeForm,
    StaffSetPasswordForm,
)
from accounts.models import StaffProfile
from accounts.services import staff_role

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
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")
    template_name = "registration/password_reset_form.html"


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
    return render(
        request,
        "accounts/account.html",
        {
            "account": user,
            "profile": StaffProfile.objects.filter(user=user).first(),
            "role": staff_role(user),
        },
    )
