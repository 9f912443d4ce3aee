"""The intake link's pages (issue 20).

The client's pages take no login: the token in the URL grants that one form for that one
client and nothing else (`services.intake_link_open`). Every request to them is counted per
address in the database and refused past INTAKE_LINK_TRIES in the window.

The staff pages (issue, revoke, review) go through `client_get_for_user`: the client's own
therapist or the manager; accepting into the chart is the therapist's clinical write.
"""

from __future__ import annotations

import segno
from crispy_forms.layout import Submit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.emails import email_try
from core.form_tokens import submit_once
from intake.access import client_get_for_user, clinical_write_allowed, clinical_write_check
from intake.forms import HealthHistoryForm
from intake.models import HealthHistory, IntakeLink, IntakeSubmission
from intake.portal import services
from intake.portal.forms import RED_FLAG_PLAIN_WORDS, IntakeForm, IntakeLinkIssueForm
from intake.rules import CAUDA_EQUINA_SIGNS, RED_FLAG_QUESTIONS

TOO_MANY_TRIES = (
    "Too many tries from this connection. Please wait a few minutes and try again, or call "
    "the clinic."
)
LINK_ISSUED_EMAILED = "Intake link sent to {email}."
LINK_REVOKED = "Intake link revoked: it no longer opens the form."
SUBMISSION_ACCEPTED = "The client's answers are now in the chart."


def _refused(request, error: services.LinkRefused):
    status = 404 if error.state == "invalid" else 410
    return render(request, "portal/link_refused.html", {"message": error.message}, status=status)


def _rate_limited(request) -> bool:
    address = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 (a key, not a bind)
    return not services.intake_link_try_count(ip_address=address)


# The client's pages show their contact details and answers: no browser or proxy keeps them.
@never_cache
@require_http_methods(["GET", "POST"])
def intake_form(request, token: str):
    """The client's form: contact, history, medicines, red flags, pregnancy, pain, PSFS,
    the body pain map and consent, on one page."""
    if _rate_limited(request):
        return render(request, "portal/link_refused.html", {"message": TOO_MANY_TRIES}, status=429)
    try:
        link = services.intake_link_open(token=token)
    except services.LinkRefused as error:
        return _refused(request, error)
    client = link.client
    if request.method == "POST":
        form = IntakeForm(request.POST, client=client)
        if form.is_valid():
            try:
                services.intake_submission_create(
                    token=token,
                    answers=form.answers(),
                    ip_address=request.META.get("REMOTE_ADDR"),
                )
            except services.LinkRefused as error:
                return _refused(request, error)
            return redirect("portal:intake_sent", token=token)
    else:
        form = IntakeForm(
            client=client,
            initial={"phone": client.phone, "email": client.email, "address": client.address},
        )
    return render(request, "portal/intake_form.html", {"form": form, "client": client})


@never_cache
@require_GET
def intake_sent(request, token: str):
    """Thank you; and, when the client answered a red flag yes, what to do now in plain words
    (clinical rules §2.6), without waiting for the therapist."""
    if _rate_limited(request):
        return render(request, "portal/link_refused.html", {"message": TOO_MANY_TRIES}, status=429)
    try:
        services.intake_link_open(token=token)
    except services.LinkRefused as error:
        if error.state != IntakeLink.State.USED:
            return _refused(request, error)
    else:
        return redirect("portal:intake_form", token=token)
    submission = services.intake_submission_for_token(token=token)
    if submission is None:
        return _refused(request, services.LinkRefused("invalid", services.LINK_NOT_FOUND))
    flags = set(submission.red_flags)
    return render(
        request,
        "portal/intake_sent.html",
        {
            "clinic_client": submission.client,
            "emergency": bool(flags & CAUDA_EQUINA_SIGNS),
            "red_flag": bool(flags),
        },
    )


def _qr_svg(url: str) -> str:
    """The link as a QR code, inline SVG (segno), for the front desk to print."""
    return segno.make(url, error="m").svg_inline(scale=4, title="Intake link QR code")


@require_POST
@login_required
def intake_link_issue(request, client_id: int):
    """Issue a link and show it once (it is not stored): the URL, a QR code to print, and
    whether the email left."""
    client = client_get_for_user(request.user, client_id)
    form = IntakeLinkIssueForm(request.POST, form_token_user=request.user)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(client)
    issued = {}

    def issue():
        link, token = services.intake_link_issue(client=client, issued_by=request.user)
        issued["token"] = token
        return link

    link = submit_once(form, create=issue, url=client.get_absolute_url())
    url = services.intake_link_url(request=request, token=issued["token"])
    email_error = None
    if form.cleaned_data["send_email"]:
        if not client.email:
            email_error = services.CLIENT_HAS_NO_EMAIL
        else:
            email_error = email_try(
                to=client.email,
                name="intake_link",
                context={"client": client, "url": url, "link": link},
            )
            if email_error is None:
                services.intake_link_emailed(link=link, to=client.email)
                messages.success(request, LINK_ISSUED_EMAILED.format(email=client.email))
    return render(
        request,
        "portal/link_issued.html",
        {
            "client": client,
            "link": link,
            "url": url,
            "qr": mark_safe(_qr_svg(url)),  # noqa: S308 (segno's SVG of our own URL)
            "email_error": email_error,
        },
    )


@require_POST
@login_required
def intake_link_revoke(request, client_id: int, link_id: int):
    client = client_get_for_user(request.user, client_id)
    link = get_object_or_404(IntakeLink, pk=link_id, client=client)
    try:
        services.intake_link_revoke(link=link, revoked_by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, LINK_REVOKED)
    return redirect(client)


@require_http_methods(["GET", "POST"])
@login_required
def intake_submission_review(request, client_id: int, submission_id: int):
    """The client's answers as sent, beside the history they propose, editable; accepting
    saves the history (and contact details, consent) into the chart. The client's own
    therapist accepts; the manager sees."""
    client = client_get_for_user(request.user, client_id)
    submission = get_object_or_404(
        IntakeSubmission.objects.select_related("link__issued_by", "reviewed_by"),
        pk=submission_id,
        client=client,
    )
    can_accept = clinical_write_allowed(request.user, client) and submission.awaiting_review
    history = HealthHistory.objects.filter(client=client).first()
    form = None
    if can_accept or request.method == "POST":
        if request.method == "POST":
            clinical_write_check(request.user, client)
        proposed = services.submission_history_fields(submission)
        form = HealthHistoryForm(
            request.POST or None, instance=history, initial=proposed, client=client
        )
        form.helper.layout.fields[-1] = Submit("save", "Accept into the chart")
        if request.method == "POST" and form.is_valid():
            contact = submission.answers.get("contact", {})
            try:
                services.intake_submission_accept(
                    submission=submission,
                    reviewed_by=request.user,
                    history=form.cleaned_data,
                    contact={
                        k: v for k, v in contact.items() if k in ("phone", "email", "address") and v
                    },
                )
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, SUBMISSION_ACCEPTED)
                return redirect(client)
    answers = submission.answers
    red_flags = [
        {
            "question": RED_FLAG_PLAIN_WORDS[q.name],
            "yes": bool(answers.get("red_flags", {}).get(q.name)),
        }
        for q in RED_FLAG_QUESTIONS
    ]
    return render(
        request,
        "portal/submission_review.html",
        {
            "client": client,
            "submission": submission,
            "answers": answers,
            "red_flags": red_flags,
            "form": form,
        },
    )
