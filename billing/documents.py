"""The superbill (receipt for the insurer) as a PDF (clinical rules §9.4): one visit or a range
of dates, rendered through the project's one PDF path (`sessions.documents.pdfs`)."""

from __future__ import annotations

from django.utils import timezone

from billing.clinic import clinic_details, provider_for
from billing.selectors import Statement
from sessions.documents import pdfs


def superbill_pdf(*, statement: Statement) -> bytes:
    client = statement.client
    therapists = {bill.note.therapist_id: bill.note.therapist for bill in statement.bills}
    providers = [provider_for(t) for t in therapists.values()] or [provider_for(client.therapist)]
    dates = [bill.note.visit_date for bill in statement.bills]
    return pdfs.render_pdf(
        "superbill",
        {
            "clinic": clinic_details(),
            "statement": statement,
            "client": client,
            "diagnoses": list(client.diagnoses.all()),
            "providers": providers,
            "first_visit": min(dates, default=None),
            "last_visit": max(dates, default=None),
            "printed_on": timezone.localdate(),
            "drafts": [bill.note for bill in statement.bills if not bill.note.is_signed],
        },
    )
