"""Nothing saved twice: a single-use token on every form that creates a record.

A form page carries a hidden token, issued when it renders: signed (user, purpose, a random
nonce, the time), so a forged, borrowed or day-old token is refused as a form error. The
write that the form allows claims the token in its own transaction (`submit_once`): a
`FormSubmission` row, unique on the token, then the record. The same form sent again (a
double click, back and resubmit, five tabs at once) finds the claim and is answered with the
first result: `FormAlreadySubmitted`, which `FormResubmissionMiddleware` turns into a
redirect to the record already created, with the form's `form_repeat_message`.

Forms take `FormTokenMixin` (or a `FormTokenForm` rendered beside a formset); views call
`submit_once(form, create=...)`. Edits of one row are idempotent and carry no token.

Claims are kept as long as a token is accepted (a day), then purged: by one claim in
FORM_SUBMISSIONS_PURGE_EVERY, after its own commit, so the table stays small with no
scheduler; and by `manage.py form_submissions_purge`, for a clinic that schedules it.
"""

from __future__ import annotations

import logging
import random
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.core import signing
from django.db import DatabaseError, IntegrityError, models, transaction
from django.shortcuts import redirect
from django.utils import timezone

from core.models import FormSubmission

T = TypeVar("T")
logger = logging.getLogger(__name__)

FORM_TOKEN_FIELD = "form_token"
FORM_TOKEN_MAX_AGE = timedelta(days=1)
FORM_TOKEN_REFUSED = (
    "This form could not be accepted: it has expired or was not sent from this page. "
    "Nothing was saved; check the entries and send it again."
)
FORM_ALREADY_SAVED = "Already saved: this is what you sent at {time}."
# One claim in this many purges the expired ones: at a busy clinic's few hundred forms a day,
# a few purges a day, each deleting a day's claims at most.
FORM_SUBMISSIONS_PURGE_EVERY = 100


class FormAlreadySubmitted(Exception):
    """The form's token was claimed already: the answer is the first submission's result."""

    def __init__(self, submission: FormSubmission, message: str = FORM_ALREADY_SAVED):
        super().__init__(message)
        self.submission = submission
        self.message = message

    def response(self, request):
        at = timezone.localtime(self.submission.created_at)
        messages.info(request, self.message.format(time=f"{at:%H:%M}"))
        return redirect(self.submission.url)


def _salt(purpose: str) -> str:
    return f"core.form_tokens:{purpose}"


def form_token_issue(*, user, purpose: str) -> str:
    """A new token for one rendering of a form for `purpose`, good for `user` only."""
    return signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(24)}, salt=_salt(purpose))


def form_token_nonce(*, token: str | None, user, purpose: str) -> str | None:
    """The token's nonce when `token` was issued by `form_token_issue` for this user and
    purpose within FORM_TOKEN_MAX_AGE; None for a missing, forged, foreign or expired one."""
    if not token or user is None or not user.is_authenticated:
        return None
    try:
        payload = signing.loads(token, salt=_salt(purpose), max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("u") != user.pk:
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and 0 < len(nonce) <= 64 else None


def form_submission_find(*, nonce: str, user) -> FormSubmission | None:
    return FormSubmission.objects.filter(token=nonce, user=user).first()


def submit_once(
    form: FormTokenMixin, *, create: Callable[[], T], url: str | Callable[[T], str] | None = None
) -> T:
    """Run `create` (the service that writes) once for the form's token, in one transaction
    with the claim; returns what it returns.

    The claim comes first: a concurrent request with the same token waits on the unique
    token until this transaction ends, then raises `FormAlreadySubmitted` with this one's
    result (or, if this one rolled back, claims it itself). If `create` raises, nothing is
    claimed: the form can be corrected and sent again with the same token. The result is
    recorded as `url` (or `url(record)`), else the created record's `get_absolute_url()`.
    """
    nonce = form.form_token
    if nonce is None:
        raise ValueError("submit_once needs a valid form: its token is missing or refused.")
    user = form.form_token_user
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(
                    token=nonce, user=user, purpose=form.form_token_purpose_name()
                )
        except IntegrityError:
            earlier = form_submission_find(nonce=nonce, user=user)
            if earlier is None:
                raise
            raise FormAlreadySubmitted(earlier, form.form_repeat_message) from None
        record = create()
        if callable(url):
            submission.url = url(record)
        else:
            submission.url = url or record.get_absolute_url()
        if isinstance(record, models.Model):
            submission.object_type = record._meta.label_lower
            submission.object_id = record.pk
        submission.save(update_fields=["url", "object_type", "object_id"])
        if form_submissions_purge_due():
            transaction.on_commit(_form_submissions_purge_quietly)
    return record


def form_submissions_purge(*, now=None) -> int:
    """Delete the claims older than a token lives. Safe: a claim is made after its token was
    issued, so a claim older than FORM_TOKEN_MAX_AGE belongs to a token that `signing` now
    refuses as expired; sending it again is a form error, never a second record."""
    cutoff = (now or timezone.now()) - FORM_TOKEN_MAX_AGE
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def form_submissions_purge_due() -> bool:
    """Whether this claim also purges: one in FORM_SUBMISSIONS_PURGE_EVERY, at random."""
    return random.randrange(FORM_SUBMISSIONS_PURGE_EVERY) == 0


def _form_submissions_purge_quietly() -> None:
    """The opportunistic purge, after the user's record is committed: its failure (a lock
    timeout, a database gone) must not turn an acknowledged save into an error page. The
    next one, or the command, purges instead."""
    try:
        with transaction.atomic():
            form_submissions_purge()
    except DatabaseError:
        logger.warning("form_submissions_purge failed; retried by a later claim", exc_info=True)


class FormTokenMixin:
    """The hidden single-use token of a form that creates something.

    Takes `form_token_user` (the signed-in user). Unbound, the form carries a new token.
    Bound: a token claimed already makes `is_valid()` raise `FormAlreadySubmitted` before
    any other check (the answer is the first result, whatever was sent this time); a
    missing, forged or expired one is a form error (FORM_TOKEN_REFUSED) and the form is
    rendered again with a new token. The token never reaches `cleaned_data`.
    """

    form_token_purpose: str = ""
    form_repeat_message: str = FORM_ALREADY_SAVED

    def __init__(self, *args, form_token_user, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_token_user = form_token_user
        self.fields[FORM_TOKEN_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, strip=True
        )
        self.form_token: str | None = None
        if not self.is_bound:
            self.initial[FORM_TOKEN_FIELD] = self._form_token_new()
            return
        self.form_token = form_token_nonce(
            token=self.data.get(self.add_prefix(FORM_TOKEN_FIELD)),
            user=form_token_user,
            purpose=self.form_token_purpose_name(),
        )
        if self.form_token is None:
            # Shown again with a token that can be sent, the entries kept.
            data = self.data.copy()
            data[self.add_prefix(FORM_TOKEN_FIELD)] = self._form_token_new()
            self.data = data

    def form_token_purpose_name(self) -> str:
        return self.form_token_purpose or f"{type(self).__module__}.{type(self).__qualname__}"

    def _form_token_new(self) -> str:
        return form_token_issue(user=self.form_token_user, purpose=self.form_token_purpose_name())

    def full_clean(self):
        if self.is_bound and self.form_token is not None:
            earlier = form_submission_find(nonce=self.form_token, user=self.form_token_user)
            if earlier is not None:
                raise FormAlreadySubmitted(earlier, self.form_repeat_message)
        super().full_clean()
        if not self.is_bound:
            return
        self.cleaned_data.pop(FORM_TOKEN_FIELD, None)
        if self.form_token is None:
            self.add_error(None, FORM_TOKEN_REFUSED)


class FormTokenForm(FormTokenMixin, forms.Form):
    """A token alone, for a page whose write is a formset or a form used for reading too
    (plan accept): rendered beside it, validated with it."""
