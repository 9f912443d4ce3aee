"""Functional outcome measures (clinical rules §9.5): pure.

The Patient-Specific Functional Scale (PSFS): the client names up to five activities the
sciatica makes hard and rates each 0 (unable) to 10 (as before the problem); the score is
their average, higher is better. Free to use. Its minimal clinically important difference is
2 points on the average (Stratford et al., Physiotherapy Canada 1995; clinical rules §9.5).

Licensed questionnaires such as the Oswestry Disability Index are recorded as their score only
(0-100 %, higher is worse; MCID 10 points, Ostelo et al., Spine 2008), never their item text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PSFS_ACTIVITIES_MAX = 5
PSFS_SCORE_MAX = 10
PSFS_MCID = Decimal("2")
ODI_SCORE_MAX = 100
ODI_MCID = Decimal("10")

PSFS_NO_ACTIVITY = "Name at least one activity and rate it 0-10."
PSFS_SCORE_OUT_OF_RANGE = f"Rate each activity from 0 (unable) to {PSFS_SCORE_MAX} (as before)."
PSFS_ACTIVITY_WITHOUT_SCORE = "Rate “{activity}” from 0 to 10, or leave the row empty."
PSFS_SCORE_WITHOUT_ACTIVITY = "Name the activity this score is for."
# No percent sign: Django formats a field's min/max message with %-style parameters.
ODI_OUT_OF_RANGE = f"The Oswestry score runs from 0 to {ODI_SCORE_MAX} per cent."


def psfs_average(scores: Sequence[int]) -> Decimal:
    """The PSFS score: the mean of the activities' ratings, to one decimal."""
    if not scores:
        raise ValueError(PSFS_NO_ACTIVITY)
    mean = Decimal(sum(scores)) / Decimal(len(scores))
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class OutcomeChange:
    baseline: Decimal
    latest: Decimal
    improvement: Decimal  # positive is better, whichever way the scale runs
    important: bool  # at least the MCID, in the better direction
    worse_importantly: bool


def outcome_change(*, kind: str, baseline: Decimal, latest: Decimal) -> OutcomeChange:
    """The change from the first score to the latest against the measure's MCID (clinical
    rules §9.5): PSFS up by 2 points or more, Oswestry down by 10 points or more."""
    if kind == "psfs":
        improvement, mcid = latest - baseline, PSFS_MCID
    elif kind == "odi":
        improvement, mcid = baseline - latest, ODI_MCID
    else:
        raise ValueError(f"Unknown outcome measure: {kind}")
    return OutcomeChange(
        baseline=baseline,
        latest=latest,
        improvement=improvement,
        important=improvement >= mcid,
        worse_importantly=-improvement >= mcid,
    )


@dataclass(frozen=True)
class PsfsDue:
    due: bool
    reason: str


PSFS_DUE_AT_INTAKE = "The PSFS is due: no score yet, so take it at intake for a baseline."
PSFS_DUE_AGAIN = "The PSFS is due again: {visits} visits since the last one (every {every})."
PSFS_NOT_DUE = "Next PSFS in {left} visit(s) (every {every} visits)."


def psfs_due(*, has_baseline: bool, visits_since_last: int, every: int) -> PsfsDue:
    """Whether to take the PSFS today (clinical rules §9.5): at intake, then every `every`
    visits (a clinic setting, PSFS_EVERY_VISITS)."""
    if not has_baseline:
        return PsfsDue(True, PSFS_DUE_AT_INTAKE)
    if visits_since_last >= every:
        return PsfsDue(True, PSFS_DUE_AGAIN.format(visits=visits_since_last, every=every))
    return PsfsDue(False, PSFS_NOT_DUE.format(left=every - visits_since_last, every=every))
