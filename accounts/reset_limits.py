"""Password-reset requests: how many an address and a network address may make, and an
answer that takes the same time whether the address is known or not.

Limits (settings PASSWORD_RESET_PER_ADDRESS and PASSWORD_RESET_PER_IP, per
PASSWORD_RESET_WINDOW_MINUTES) are counted in the database (`PasswordResetRequest`), so
several app servers share them. A request is recorded first, in its own committed
transaction, then counted with every other recorded one: when it is over the limit it is
removed again and refused. Two requests racing may both be refused, never both let through
beyond the limit.

Timing: a known address renders and sends a message, an unknown one does not, and a mail
server takes long enough to tell them apart. So an unknown address renders the same message
(the work of the request itself), and every answer is held until
PASSWORD_RESET_ANSWER_MS have passed since the form was accepted: the send has to fit in
that time (a slower mail server is logged, and the setting should be raised above it).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import PasswordResetRequest

logger = logging.getLogger(__name__)

RESET_TOO_MANY = (
    "Too many password reset requests for this address or from this network in the "
    "last {window} minutes. Try again in {minutes} minute(s); if you still cannot sign in, "
    "ask the clinic manager."
)


def _key(kind: str, value: str) -> str:
    return f"{kind}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()


def reset_request_admit(*, email: str, ip: str | None) -> int:
    """Record a reset request for `email` from `ip`. 0 when it is within the limits; else the
    minutes to wait (nothing is recorded then)."""
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    now = timezone.now()
    limits = {_key("email", email): settings.PASSWORD_RESET_PER_ADDRESS}
    if ip:
        limits[_key("ip", ip)] = settings.PASSWORD_RESET_PER_IP
    with transaction.atomic():
        PasswordResetRequest.objects.filter(created_at__lt=now - window).delete()
        mine = PasswordResetRequest.objects.bulk_create(
            PasswordResetRequest(key=key, created_at=now) for key in limits
        )
    waits = []
    for key, limit in limits.items():
        recent = PasswordResetRequest.objects.filter(key=key, created_at__gte=now - window)
        if recent.count() > limit:
            oldest = recent.order_by("created_at").values_list("created_at", flat=True).first()
            waits.append(max(1, math.ceil((oldest + window - now).total_seconds() / 60)))
    if waits:
        PasswordResetRequest.objects.filter(pk__in=[row.pk for row in mine]).delete()
        return max(waits)
    return 0


def answer_no_sooner(started: float) -> None:
    """Hold the answer until PASSWORD_RESET_ANSWER_MS after `started` (time.monotonic())."""
    floor = settings.PASSWORD_RESET_ANSWER_MS / 1000
    spent = time.monotonic() - started
    if spent > floor:
        logger.warning(
            "A password reset took %.2f s, more than PASSWORD_RESET_ANSWER_MS (%.2f s): its "
            "timing may tell a known address from an unknown one; raise the setting.",
            spent,
            floor,
        )
        return
    time.sleep(floor - spent)
