"""Pain history rules (clinical rules §2.4): acute or chronic by the onset date."""

from __future__ import annotations

from datetime import date

from django.db import models

# ---------------------------------------------------------------------------------------
# Pain history (clinical rules §2.4)


class Chronicity(models.TextChoices):
    ACUTE = "acute", "Acute (under 6 weeks)"
    CHRONIC = "chronic", "Chronic (6 weeks or more)"


ACUTE_UNDER_DAYS = 42
ONSET_IN_FUTURE = "The onset date cannot be in the future."


def pain_chronicity(*, onset: date, on: date) -> Chronicity:
    """Acute under about 6 weeks since onset, chronic after (clinical rules §2.4)."""
    if onset > on:
        raise ValueError(ONSET_IN_FUTURE)
    return Chronicity.ACUTE if (on - onset).days < ACUTE_UNDER_DAYS else Chronicity.CHRONIC
