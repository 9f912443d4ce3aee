"""The progress report for the referring physician (clinical rules §9.6), gathered from the
record and rendered as a PDF: the course of care, findings over time, pain and function against
their clinically important differences, adverse responses, home-care adherence, the plan and a
recommendation within massage scope."""

from __future__ import annotations

from django.utils import timezone

from billing.clinic import clinic_details, provider_for
from billing.rules.recommendation import recommendation_make
from intake.models import OutcomeMeasure
from intake.rules.assessment import HypothesisKind
from intake.rules.outcomes import outcome_change
from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT
from intake.services import client_clinical_state
from sessions.charting.outcomes import outcome_summary
from sessions.charting.services import client_progress
from sessions.documents import pdfs
from sessions.models.note import SessionNote


def progress_report_context(*, client) -> dict:
    notes = list(
        SessionNote.objects.filter(client=client)
        .select_related("plan", "therapist")
        .prefetch_related("techniques")
        .order_by("visit_date", "id")
    )
    state = client_clinical_state(client=client)
    progress = client_progress(client=client)
    measures = list(OutcomeMeasure.objects.filter(client=client).order_by("measured_on", "id"))
    changes = []
    for kind in (OutcomeMeasure.Kind.PSFS, OutcomeMeasure.Kind.ODI):
        scores = [m for m in measures if m.kind == kind]
        if scores:
            change = (
                outcome_change(kind=kind, baseline=scores[0].score, latest=scores[-1].score)
                if len(scores) >= 2
                else None
            )
            changes.append((kind.label, scores, change))
    assessments = list(client.assessments.order_by("assessed_on", "id"))
    pain_scores = [v.pain_before for v in progress["visits"] if v.pain_before is not None]
    pain_worse = len(pain_scores) >= 2 and pain_scores[-1] - pain_scores[0] >= 2
    function_worse = any(c and c.worse_importantly for _, _, c in changes)
    improved = progress["mcid_date"] is not None or any(c and c.important for _, _, c in changes)
    adherence = [
        (note.visit_date, note.get_home_care_adherence_display())
        for note in notes
        if note.home_care_adherence
    ]
    latest = notes[-1] if notes else None
    return {
        "clinic": clinic_details(),
        "client": client,
        "diagnoses": list(client.diagnoses.all()),
        "provider": provider_for(client.therapist),
        "notes": notes,
        "stages": sorted({n.plan.get_stage_display() for n in notes if n.plan}),
        "assessments": assessments,
        "progress": progress,
        "outcome_changes": changes,
        "adverse": [n for n in notes if n.adverse_response],
        "adherence": adherence,
        "latest": latest,
        "state": state,
        "recommendation": recommendation_make(
            visits=len(notes),
            treatment_forbidden=client.safety_status in STATUSES_FORBIDDING_TREATMENT,
            improved=improved,
            worsened=pain_worse or function_worse,
            neural_involvement=state.hypothesis.kind == HypothesisKind.NEURAL_COMPRESSION,
        ),
        "psfs_chart": outcome_summary(client=client)["psfs_chart"],
        "printed_on": timezone.localdate(),
    }


def progress_report_pdf(*, client) -> bytes:
    return pdfs.render_pdf("progress_report", progress_report_context(client=client))
