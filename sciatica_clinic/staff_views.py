"""The staff page, for the clinic manager: add a therapist or manager, correct their details,
deactivate and reactivate an account, send a new sign-in link, and hand a departing
therapist's clients to a colleague. The services are `accounts.services` and
`sciatica_clinic.reassign`; this top layer joins staff to their clients."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.emails import email_try
from accounts.forms import StaffCreateForm, StaffForm, password_link
from accounts.services import (
    staff_create,
    staff_deactivate,
    staff_profile_read,
    staff_reactivate,
    staff_role,
    staff_update,
)
from accounts.two_factor import two_factor_enrolled, two_factor_remove
from core.form_tokens import submit_once
from core.roles import user_is_manager
from core.staff import staff_display_name
from sciatica_clinic.reassign import (
    HandoverForm,
    RequestTrace,
    clients_reassign,
    handover_preview,
)

INVITE_SENT = "{name}'s account is ready: a link to choose a password was emailed to {email}."
INVITE_FAILED = (
    "{name}'s account is ready, but the email to {email} could not be sent ({reason}). "
    "Check the email settings, then use 'Send a new sign-in link' below."
)
LINK_SENT = "A new sign-in link was emailed to {email}."
DETAILS_SAVED = "{name}'s details are saved."
DEACTIVATED = (
    "{name}'s account is deactivated: it can no longer sign in. Their records stay as they are."
)
DEACTIVATED_WITH_CLIENTS = DEACTIVATED + " They still have {count} client(s): hand them over."
REACTIVATED = "{name}'s account is active again: they sign in with their password."
TWO_FACTOR_RESET = (
    "{name}'s two-factor sign-in is reset: they sign in with their password, then set up "
    "their app again if the clinic requires it."
)
HANDED_OVER = "{clients} client(s) and {visits} booked visit(s) of {old} are now {new}'s."


def _manager_only(request) -> None:
    if not user_is_manager(request.user):
        raise PermissionDenied("Only the clinic manager manages staff accounts.")


def _staff_get(staff_id: int) -> User:
    return get_object_or_404(
        User.objects.select_related("staff_profile", "staff_profile__deactivated_by"),
        pk=staff_id,
    )


def _invite(request, user: User, *, first: bool) -> None:
    """Email `user` their one-time link to choose a password; say on the page whether it left."""
    name = staff_display_name(user)
    reason = email_try(
        to=user.email,
        name="staff_welcome",
        context={
            "user": user,
            "link": password_link(request=request, user=user, url_name="accounts:welcome"),
            "invited_by": staff_display_name(request.user),
            "role": staff_role(user) or "staff",
        },
    )
    if reason:
        messages.warning(request, INVITE_FAILED.format(name=name, email=user.email, reason=reason))
    elif first:
        messages.success(request, INVITE_SENT.format(name=name, email=user.email))
    else:
        messages.success(request, LINK_SENT.format(email=user.email))


@require_GET
@login_required
def staff_list(request):
    _manager_only(request)
    staff = (
        User.objects.select_related("staff_profile", "staff_profile__deactivated_by")
        .prefetch_related(Prefetch("groups", queryset=Group.objects.only("name")))
        .annotate(client_count=Count("clients"))
        .order_by("-is_active", "first_name", "last_name", "username")
    )
    return render(request, "sciatica_clinic/staff_list.html", {"staff": staff})


@require_http_methods(["GET", "POST"])
@login_required
def staff_add(request):
    _manager_only(request)
    form = StaffCreateForm(request.POST or None, form_token_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = submit_once(
                form,
                create=lambda: staff_create(**form.cleaned_data),
                url=lambda user: reverse("staff_edit", args=[user.pk]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _invite(request, user, first=True)
            return redirect("staff_list")
    return render(request, "sciatica_clinic/staff_form.html", {"form": form, "member": None})


@require_http_methods(["GET", "POST"])
@login_required
def staff_edit(request, staff_id: int):
    _manager_only(request)
    member = _staff_get(staff_id)
    profile = staff_profile_read(member)
    initial = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": member.email,
        "licence_number": profile.licence_number,
        "role": staff_role(member),
    }
    form = StaffForm(request.POST or None, initial=initial, editing=member)
    if request.method == "POST" and form.is_valid():
        try:
            member = staff_update(user=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, DETAILS_SAVED.format(name=staff_display_name(member)))
            return redirect("staff_list")
    return render(
        request,
        "sciatica_clinic/staff_form.html",
        {
            "form": form,
            "member": member,
            "profile": profile,
            "handover": handover_preview(member),
            "two_factor_on": two_factor_enrolled(member),
        },
    )


@require_POST
@login_required
def staff_deactivate_view(request, staff_id: int):
    _manager_only(request)
    member = _staff_get(staff_id)
    name = staff_display_name(member)
    try:
        staff_deactivate(user=member, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff_edit", staff_id=member.pk)
    count = handover_preview(member).clients
    template = DEACTIVATED_WITH_CLIENTS if count else DEACTIVATED
    messages.success(request, template.format(name=name, count=count))
    if count:
        return redirect("staff_reassign", staff_id=member.pk)
    return redirect("staff_list")


@require_POST
@login_required
def staff_reactivate_view(request, staff_id: int):
    _manager_only(request)
    member = _staff_get(staff_id)
    staff_reactivate(user=member)
    messages.success(request, REACTIVATED.format(name=staff_display_name(member)))
    return redirect("staff_list")


@require_POST
@login_required
def staff_invite(request, staff_id: int):
    """A new one-time link to choose a password (the first was lost, or it expired)."""
    _manager_only(request)
    member = _staff_get(staff_id)
    if not member.is_active or not member.email:
        messages.error(request, "Only an active account with an email address can get a link.")
    else:
        _invite(request, member, first=False)
    return redirect("staff_edit", staff_id=member.pk)


@require_POST
@login_required
def staff_two_factor_reset(request, staff_id: int):
    """For a lost phone: the staff member's authenticator and recovery codes are forgotten;
    they sign in with their password and set up a new one (if the clinic requires it)."""
    _manager_only(request)
    member = _staff_get(staff_id)
    two_factor_remove(member)
    messages.success(request, TWO_FACTOR_RESET.format(name=staff_display_name(member)))
    return redirect("staff_edit", staff_id=member.pk)


@require_http_methods(["GET", "POST"])
@login_required
def staff_reassign(request, staff_id: int):
    """Hand every client of a (departing) therapist, with their booked visits, to a colleague."""
    _manager_only(request)
    member = _staff_get(staff_id)
    form = HandoverForm(request.POST or None, departing=member)
    if request.method == "POST" and form.is_valid():
        colleague = form.cleaned_data["colleague"]
        trace = RequestTrace(
            path=request.get_full_path(), ip_address=request.META.get("REMOTE_ADDR") or None
        )
        try:
            handover = clients_reassign(
                from_therapist=member, to_therapist=colleague, by=request.user, trace=trace
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                form.add_error(None, error)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                HANDED_OVER.format(
                    clients=handover.clients,
                    visits=handover.visits,
                    old=staff_display_name(member),
                    new=staff_display_name(colleague),
                ),
            )
            return redirect("staff_list")
    return render(
        request,
        "sciatica_clinic/staff_reassign.html",
        {"form": form, "member": member, "handover": handover_preview(member)},
    )
