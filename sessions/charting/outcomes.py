"""The outcome-measures panel on the client chart (clinical rules §9.5): whether the PSFS is due
(at intake, then every PSFS_EVERY_VISITS charted visits), each measure's change since its first
score against its MCID, and the PSFS over time. The chart view has checked access."""

from __future__ import annotations

from django.conf import settings

from intake.models import OutcomeMeasure
from intake.rules.outcomes import outcome_change, psfs_due
from sessions.charting.progress import PsfsScore, psfs_chart
from sessions.models.note import SessionNote


def outcome_summary(*, client) -> dict:
    """Two queries: the client's outcome scores and the visits charted since the last PSFS."""
    measures = list(OutcomeMeasure.objects.filter(client=client).order_by("measured_on", "id"))
    psfs = [m for m in measures if m.kind == OutcomeMeasure.Kind.PSFS]
    odi = [m for m in measures if m.kind == OutcomeMeasure.Kind.ODI]
    visits_since = SessionNote.objects.filter(client=client)
    if psfs:
        visits_since = visits_since.filter(visit_date__gt=psfs[-1].measured_on)
    due = psfs_due(
        has_baseline=bool(psfs),
        visits_since_last=visits_since.count(),
        every=settings.PSFS_EVERY_VISITS,
    )
    changes = []
    for kind, scores in (("psfs", psfs), ("odi", odi)):
        if len(scores) >= 2:
            changes.append(
                (
                    scores[0].get_kind_display(),
                    outcome_change(kind=kind, baseline=scores[0].score, latest=scores[-1].score),
                    scores[0],
                    scores[-1],
                )
            )
    return {
        "psfs_scores": psfs,
        "odi_scores": odi,
        "psfs_due": due,
        "outcome_changes": changes,
        "psfs_chart": psfs_chart([PsfsScore(m.measured_on, float(m.score)) for m in psfs])
        if len(psfs) >= 1
        else None,
    }


def outcomes_for_chart(*, request, client, state) -> dict:
    return outcome_summary(client=client)
