"""PDF downloads. Same access rules as the chart: every view fetches the client through
`client_get_for_user`, a note through `note_get_for_user` (colleagues get 404, anonymous
users the login page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from intake.access import client_get_for_user
from sessions.access import note_get_for_user
from sessions.documents import printing


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def note_pdf(request, client_id: int, note_id: int):
    note = note_get_for_user(request.user, client_id=client_id, note_id=note_id)
    name = f"session-note-{slugify(note.client.full_name)}-{note.visit_date:%Y-%m-%d}.pdf"
    return _pdf_response(printing.note_pdf(note=note), name)


@require_GET
@login_required
def referral_letter(request, client_id: int):
    """The letter for a refer-now / do-not-treat triage or a suggested medical follow-up.

    When none is due, back to the chart (or the notes) with the reason.
    """
    return _client_document(
        request, client_id=client_id, build=printing.referral_letter_pdf, prefix="referral"
    )


def _client_document(request, *, client_id: int, build, prefix: str):
    """Today's PDF of one client from `build(client=...)`; when it has nothing to print,
    back to the chart (or the notes) with the reason it gave."""
    client = client_get_for_user(request.user, client_id)
    try:
        data = build(client=client)
    except printing.NothingToPrint as reason:
        messages.info(request, str(reason))
        return redirect(_chart_url(client))
    name = f"{prefix}-{slugify(client.full_name)}-{timezone.localdate():%Y-%m-%d}.pdf"
    return _pdf_response(data, name)


def _chart_url(client) -> str:
    try:
        return reverse("intake:client_chart", args=[client.pk])
    except NoReverseMatch:
        return reverse("sessions:note_list", args=[client.pk])


@require_GET
@login_required
def home_care_sheet(request, client_id: int):
    """The client's home-care sheet; without an accepted plan, back to the chart with why."""
    return _client_document(
        request, client_id=client_id, build=printing.home_care_sheet_pdf, prefix="home-care"
    )
