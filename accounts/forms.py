"""Sign-in, passwords, staff and clinic profile forms."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.emails import SEND_ERRORS, email_render, email_send
from accounts.models import LICENCE_NUMBER_MAX, ClinicProfile
from accounts.reset_limits import RESET_TOO_MANY, reset_request_admit
from accounts.services import EMAIL_TAKEN, email_in_use
from core.form_tokens import FormTokenMixin
from core.roles import MANAGER, THERAPIST

logger = logging.getLogger(__name__)

ACCOUNT_DEACTIVATED = (
    "This account has been deactivated by the clinic manager, so it cannot sign in. "
    "If you work here again, ask the clinic manager to reactivate it."
)


class StaffLoginForm(auth_forms.AuthenticationForm):
    """Django's sign-in form (through django-axes' backend), saying plainly when the right
    password was given for a deactivated account instead of "wrong password"."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            if error.code == "invalid_login" and self._deactivated():
                raise ValidationError(ACCOUNT_DEACTIVATED, code="inactive") from None
            raise

    def _deactivated(self) -> bool:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = User.objects.filter(username=username, is_active=False).first()
        return user is not None and user.check_password(password)


def password_link(*, request, user, url_name: str) -> str:
    """An absolute one-time link for `user` to choose a password (Django's token: it stops
    working once the password changes or the user signs in, and after PASSWORD_RESET_TIMEOUT)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        url_name,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """Django's reset form, sending our message (in the clinic's name) to every active
    account with the address, including an account that has not chosen a password yet
    (invited, link lost). Unknown addresses get the same answer and no message; a message
    the mail server refuses is logged, and the answer is still the same.

    Requests are limited per address and per network address (accounts/reset_limits.py),
    whether the address is known or not; an unknown address renders the message it would
    have sent, and the view holds every answer to the same minimum time."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"]
        ip = self.request.META.get("REMOTE_ADDR") if self.request is not None else None
        wait = reset_request_admit(email=email, ip=ip)
        if wait:
            raise ValidationError(
                RESET_TOO_MANY.format(window=settings.PASSWORD_RESET_WINDOW_MINUTES, minutes=wait),
                code="throttled",
            )
        return email

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *args, **kwargs):
        email = self.cleaned_data["email"]
        if not self.get_users(email).exists():
            _reset_message_render_unsent(email)
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):  # noqa: E501
        link = "{protocol}://{domain}{path}".format(
            protocol=context["protocol"],
            domain=context["domain"],
            path=reverse(
                "accounts:password_reset_confirm",
                kwargs={"uidb64": context["uid"], "token": context["token"]},
            ),
        )
        try:
            email_send(
                to=to_email,
                name="password_reset",
                context={"user": context["user"], "link": link},
            )
        except SEND_ERRORS as error:
            logger.warning("Password reset email to %s not sent: %s", to_email, error)


def _reset_message_render_unsent(email: str) -> None:
    """The work of a reset message for an address with no account (a token, the link, the
    message rendered), nothing sent: the answer should not be quicker than a known one's."""
    from django.contrib.auth.tokens import default_token_generator

    nobody = User(username=email, email=email)
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": "MA", "token": default_token_generator.make_token(nobody)},
    )
    email_render("password_reset", {"user": nobody, "link": f"https://clinic.invalid{path}"})


class StaffSetPasswordForm(auth_forms.SetPasswordForm):
    """Choosing a password through a link: Django's validators apply."""


class StaffPasswordChangeForm(auth_forms.PasswordChangeForm):
    """Changing one's password: the current one, then a new one the validators accept."""


ROLE_CHOICES = [(THERAPIST, "Therapist"), (MANAGER, "Clinic manager")]


class StaffForm(forms.Form):
    """A staff member's details, as the manager records them."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        max_length=254, help_text="Their sign-in link and password resets go here."
    )
    licence_number = forms.CharField(
        max_length=LICENCE_NUMBER_MAX,
        required=False,
        help_text="Professional registration or licence number (therapists).",
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, widget=forms.RadioSelect, initial=THERAPIST)

    def __init__(self, *args, editing: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if email_in_use(email, exclude=self.editing):
            raise ValidationError(EMAIL_TAKEN.format(email=email))
        return email


class StaffCreateForm(FormTokenMixin, StaffForm):
    form_token_purpose = "accounts.staff_create"
    form_repeat_message = "Already added: this account was made at {time}."


class ClinicProfileForm(forms.ModelForm):
    """The clinic's details as printed on its documents and emails."""

    class Meta:
        model = ClinicProfile
        fields = ["name", "address", "phone", "email", "two_factor_required"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_name(self):
        # One line: it heads every page and is the sender's name of every email.
        return " ".join(self.cleaned_data["name"].split())

    def clean_address(self):
        lines = [line.strip() for line in self.cleaned_data["address"].splitlines()]
        return "\n".join(line for line in lines if line)

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())
