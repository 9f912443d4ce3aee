"""Email from the clinic: every message in the clinic's name, signed with its details, sent
through the backend the environment configures (settings "Email").

Messages are plain text, rendered from `templates/email/<name>.txt` (first line: the subject;
autoescape off: plain text), with the clinic profile as `clinic`. Replies go to the clinic's address when it has one.
"""

from __future__ import annotations

import logging
import smtplib
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from accounts.clinic import clinic_profile

logger = logging.getLogger(__name__)

# What may go wrong handing a message to the mail server: refused, unreachable, timed out.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def email_render(name: str, context: dict) -> tuple[str, str]:
    """(subject, body) of `templates/email/<name>.txt`: the first line is the subject."""
    defaults = {"clinic": clinic_profile(), "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    text = render_to_string(f"email/{name}.txt", {**defaults, **context})
    subject, _, body = text.lstrip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def email_send(*, to: str, name: str, context: dict) -> None:
    """Send one message to one address. Raises one of SEND_ERRORS if the server refuses it."""
    subject, body = email_render(name, context)
    clinic = clinic_profile()
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=email_from(),
        to=[to],
        reply_to=[clinic.email] if clinic.email else None,
    )
    message.send()


def email_from() -> str:
    """The sender: the clinic's name (on one line) and the configured address."""
    name = " ".join(clinic_profile().name.split())
    return formataddr((name, settings.DEFAULT_FROM_EMAIL))


def email_try(*, to: str, name: str, context: dict) -> str | None:
    """`email_send`, answering the reason in words instead of raising when it failed (the
    page then says the message did not leave and what to do)."""
    try:
        email_send(to=to, name=name, context=context)
    except SEND_ERRORS as error:
        logger.warning("Email %s to %s not sent: %s", name, to, error)
        return str(error) or type(error).__name__
    return None
