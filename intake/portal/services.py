"""The intake link's writes (issue 20): issue, revoke, send, and the client's submission; the
therapist's acceptance into the chart. One atomic function each, locking what it changes.

The token in the link is "<link id>.<random>" signed with the site's key (django.core.signing):
a forged or altered token is refused before any lookup, and only the sha256 of the random part
is stored, so the database alone cannot rebuild a working link.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from intake.models import Client, IntakeLink, IntakeLinkTry, IntakeSubmission
from intake.rules import RED_FLAG_QUESTIONS
from intake.rules.pain_map import marks_clean, pain_map_summarise
from intake.services import client_safety_refresh, health_history_save

TOKEN_SALT = "intake.portal.link"

LINK_NOT_FOUND = "This link is not valid. Check that you copied the whole link from the email."
LINK_EXPIRED = "This link has expired. Please ask the clinic for a new one."
LINK_USED = "This form has already been sent. Thank you: the clinic has your answers."
LINK_REVOKED = "This link was cancelled by the clinic. Please ask the clinic for a new one."
LINK_ALREADY_REVOKED = "This link is no longer active: nothing to revoke."
SUBMISSION_ALREADY_REVIEWED = "These answers were already accepted into the chart."
SUBMISSION_RED_FLAG_NEEDS_SCREENING = (
    "The client reported a red flag: screen the client yourself (New screening) before "
    "accepting their answers."
)
CLIENT_HAS_NO_EMAIL = "The client has no email address: add one, or print the QR code."


class LinkRefused(Exception):
    """The link cannot be used; `state` says why and `message` says it in plain words."""

    def __init__(self, state: str, message: str):
        super().__init__(message)
        self.state = state
        self.message = message


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def intake_link_issue(*, client: Client, issued_by) -> tuple[IntakeLink, str]:
    """A new link for `client` (INTAKE_LINK_DAYS days) and its token, shown or sent once.
    Earlier active links of the client stay valid until used, revoked or expired."""
    secret = secrets.token_urlsafe(32)
    now = timezone.now()
    link = IntakeLink.objects.create(
        client=client,
        issued_by=issued_by,
        issued_at=now,
        expires_at=now + timedelta(days=settings.INTAKE_LINK_DAYS),
        token_hash=_hash(secret),
    )
    token = signing.Signer(salt=TOKEN_SALT).sign(f"{link.pk}.{secret}")
    return link, token


def intake_link_url(*, request, token: str) -> str:
    return request.build_absolute_uri(reverse("portal:intake_form", args=[token]))


@transaction.atomic
def intake_link_revoke(*, link: IntakeLink, revoked_by) -> IntakeLink:
    """Cancel an active link. ValueError (LINK_ALREADY_REVOKED) when it is used, revoked or
    expired already; the row is locked so a revoke and the client's submit cannot both win."""
    link = IntakeLink.objects.select_for_update().get(pk=link.pk)
    if link.state() != IntakeLink.State.ACTIVE:
        raise ValueError(LINK_ALREADY_REVOKED)
    link.revoked_at = timezone.now()
    link.revoked_by = revoked_by
    link.save(update_fields=["revoked_at", "revoked_by"])
    return link


def _link_from_token(token: str, *, lock: bool) -> IntakeLink:
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token)
        link_id, secret = value.split(".", 1)
        link_id = int(link_id)
    except (signing.BadSignature, ValueError):
        raise LinkRefused("invalid", LINK_NOT_FOUND) from None
    links = IntakeLink.objects.select_related("client", "client__therapist")
    if lock:
        links = links.select_for_update(of=("self",))
    link = links.filter(pk=link_id, token_hash=_hash(secret)).first()
    if link is None:
        raise LinkRefused("invalid", LINK_NOT_FOUND)
    state = link.state()
    if state == IntakeLink.State.USED:
        raise LinkRefused(state, LINK_USED)
    if state == IntakeLink.State.REVOKED:
        raise LinkRefused(state, LINK_REVOKED)
    if state == IntakeLink.State.EXPIRED:
        raise LinkRefused(state, LINK_EXPIRED)
    return link


def intake_link_open(*, token: str) -> IntakeLink:
    """The active link `token` names, else LinkRefused saying why in plain words."""
    return _link_from_token(token, lock=False)


@transaction.atomic
def intake_link_try_count(*, ip_address: str) -> bool:
    """Count one request from `ip_address` to an intake link page; False when the address
    has made INTAKE_LINK_TRIES already in the window (then it is refused, not counted)."""
    since = timezone.now() - timedelta(minutes=settings.INTAKE_LINK_WINDOW_MINUTES)
    IntakeLinkTry.objects.filter(at__lt=since).delete()
    if IntakeLinkTry.objects.filter(ip_address=ip_address, at__gte=since).count() >= (
        settings.INTAKE_LINK_TRIES
    ):
        return False
    IntakeLinkTry.objects.create(ip_address=ip_address)
    return True


def red_flags_answered_yes(answers: dict) -> list[str]:
    return [q.name for q in RED_FLAG_QUESTIONS if answers.get("red_flags", {}).get(q.name)]


@transaction.atomic
def intake_submission_create(
    *, token: str, answers: dict, ip_address: str | None = None
) -> IntakeSubmission:
    """The client's answers, kept as sent, awaiting the therapist's review. The link is
    locked and marked used in the same transaction: a second submit (another tab, a double
    tap) gets LinkRefused(USED). A red flag raises the client's safety status at once
    (clinical rules §2.6)."""
    link = _link_from_token(token, lock=True)
    now = timezone.now()
    link.used_at = now
    link.save(update_fields=["used_at"])
    submission = IntakeSubmission.objects.create(
        link=link,
        client=link.client,
        submitted_at=now,
        answers=answers,
        red_flags=red_flags_answered_yes(answers),
        pain_map=marks_clean(answers.get("pain_map", [])),
    )
    # The use in the audit trail. No one is signed in: it stands under the staff member who
    # issued the link; the path names the link, never its token.
    AuditEvent.objects.create(
        at=now,
        user=link.issued_by,
        action=AuditEvent.Action.CHANGE,
        client_id=link.client_id,
        object_type="intake.intakesubmission",
        object_id=submission.pk,
        url_name="portal:intake_form",
        path=f"/intake/(link {link.pk})/",
        method="POST",
        status=302,
        ip_address=ip_address or None,
    )
    if submission.red_flags:
        client_safety_refresh(client=link.client)
    return submission


def submission_history_fields(submission: IntakeSubmission) -> dict:
    """The health history the client's answers propose (clinical rules §2.4): pain scores,
    medications, conditions, the pain map with the side and "past the knee" it implies."""
    answers = submission.answers
    summary = pain_map_summarise(submission.pain_map)
    location = answers.get("pain_location", "") or "; ".join(label for label, _ in summary.regions)
    fields = {
        "pain_location": location[:200],
        "pain_side": summary.side or answers.get("pain_side", ""),
        "radiates_past_knee": summary.radiates_past_knee,
        "pain_now": answers.get("pain_now"),
        "pain_worst": answers.get("pain_worst"),
        "pain_best": answers.get("pain_best"),
        "onset_date": answers.get("onset_date"),
        "medications": answers.get("medications", ""),
        "comorbidities": answers.get("conditions", ""),
        "previous_treatments": answers.get("previous_treatments", ""),
        "aggravating_factors": answers.get("aggravating_factors", ""),
        "pain_map": list(submission.pain_map),
    }
    return fields


@transaction.atomic
def intake_submission_accept(
    *, submission: IntakeSubmission, reviewed_by, history: dict, contact: dict
) -> IntakeSubmission:
    """The therapist accepts the client's answers, as edited on the review form: the health
    history and contact details are saved (in their history, by the therapist), consent is
    recorded with the date the client signed, and the submission is marked reviewed; the
    answers themselves stay as sent. Refused (ValueError) when already accepted, or when the
    client reported a red flag and no screening by the therapist was recorded since
    (clinical rules §2.6)."""
    submission = IntakeSubmission.objects.select_for_update().get(pk=submission.pk)
    client = Client.objects.select_for_update().get(pk=submission.client_id)
    if not submission.awaiting_review:
        raise ValueError(SUBMISSION_ALREADY_REVIEWED)
    if (
        submission.red_flags
        and not client.screenings.filter(created_at__gte=submission.submitted_at).exists()
    ):
        raise ValueError(SUBMISSION_RED_FLAG_NEEDS_SCREENING)
    health_history_save(client=client, **history)
    consent = submission.answers.get("consent", {})
    for name, value in contact.items():
        setattr(client, name, value)
    if consent.get("agreed") and consent.get("signed_on"):
        client.consent_given = True
        client.consent_date = date.fromisoformat(consent["signed_on"])
    client.full_clean()
    client.save()
    submission.status = IntakeSubmission.Status.ACCEPTED
    submission.reviewed_by = reviewed_by
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    client_safety_refresh(client=client)
    return submission


def submissions_awaiting(*, clients) -> list[IntakeSubmission]:
    """Submissions awaiting review for `clients` (a queryset the caller may see), newest first,
    with their client (one query)."""
    return list(
        IntakeSubmission.objects.filter(
            client__in=clients, status=IntakeSubmission.Status.AWAITING_REVIEW
        )
        .select_related("client")
        .order_by("-submitted_at")
    )


@transaction.atomic
def intake_link_emailed(*, link: IntakeLink, to: str) -> IntakeLink:
    link.emailed_to = to
    link.save(update_fields=["emailed_to"])
    return link


def intake_submission_for_token(*, token: str) -> IntakeSubmission | None:
    """The submission sent through `token`'s link (its thank-you page), or None."""
    try:
        link_id, secret = signing.Signer(salt=TOKEN_SALT).unsign(token).split(".", 1)
        link_id = int(link_id)
    except (signing.BadSignature, ValueError):
        return None
    return (
        IntakeSubmission.objects.select_related("client")
        .filter(link_id=link_id, link__token_hash=_hash(secret))
        .first()
    )
