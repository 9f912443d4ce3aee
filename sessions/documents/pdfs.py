"""PDF documents: one small function per document, templates at `templates/pdf/<name>.html`.

WeasyPrint is imported on first use and kept for the life of the process: the import alone
costs about a second (docs/engineering-notes.md "WeasyPrint"). Rendering never fetches anything but the
app's own static files. Every user-typed string goes through Django's autoescaping, and
`static_only_fetcher` refuses every other URL, so a note containing
`<img src=http://127.0.0.1:9/>` prints those characters and opens no connection.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from accounts.clinic import clinic_profile
from accounts.models import StaffProfile
from core.staff import staff_display_name

# Relative URLs in the templates resolve against this origin; ".invalid" never resolves
# (RFC 2606), so a URL the fetcher failed to recognise could not reach a network either.
PDF_BASE_URL = "https://clinic.invalid/"

URL_REFUSED = "PDFs may only load the clinic's own static files; refused: {url}"
STATIC_FILE_MISSING = "No such static file: {path}"


def render_pdf(name: str, context: dict) -> bytes:
    """Render `templates/pdf/<name>.html` with `context` (autoescaped) into PDF bytes, under
    the clinic's letterhead (its profile: name, address, phone, email)."""
    clinic = clinic_profile()
    html = render_to_string(
        f"pdf/{name}.html", {"clinic": clinic, "clinic_name": clinic.name, **context}
    )
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint with the static-only fetcher: the one place a PDF is produced."""
    weasyprint = weasyprint_module()
    document = weasyprint.HTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=static_only_fetcher()
    )
    return document.write_pdf(font_config=_font_config())


@functools.cache
def weasyprint_module():
    import weasyprint

    return weasyprint


@functools.cache
def _font_config():
    """One font configuration for the life of the process. Without it WeasyPrint makes one per
    document and never frees it: about 0.2 MiB a PDF, so a worker grew without end
    (bench/results/latest.md, "Worker memory"). Our PDFs use the system fonts only (no
    @font-face), so nothing accumulates in the shared one."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@functools.cache
def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves static files and raises for anything else.

    WeasyPrint catches the exception, logs a warning and leaves the resource out.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_path_for_url(url)
            if path is None:
                raise ValueError(URL_REFUSED.format(url=url))
            media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, _static_bytes(path), headers={"Content-Type": media_type}
            )

    return StaticOnlyFetcher()


def static_path_for_url(url: str) -> str | None:
    """The static file path (e.g. "css/pdf.css") a URL names, or None if it names anything else.

    Only `PDF_BASE_URL` + STATIC_URL + a plain relative path qualifies: no other host,
    scheme, port, query or parent-directory step.
    """
    base = urlsplit(PDF_BASE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        return None
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(static_prefix):
        return None
    relative = unquote(parts.path.removeprefix(static_prefix))
    pure = PurePosixPath(relative)
    if not relative or pure.is_absolute() or ".." in pure.parts or "\\" in relative:
        return None
    return relative


def _static_bytes(path: str) -> bytes:
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(STATIC_FILE_MISSING.format(path=path))
    with open(found, "rb") as handle:
        return handle.read()


# The documents. Each takes what it prints, already gathered (sessions/documents/printing.py does that).


def session_note_pdf(
    *, note, techniques, amendments, progress=None, at_signing: bool = False
) -> bytes:
    """The SOAP note of one visit (clinical rules §8), with its amendments and the progress
    plot. `at_signing`: rendered in the signing transaction (the PDF kept for ever), so
    what it reads "now" (the safety status) is as at signing."""
    return render_pdf(
        "session_note",
        {
            "note": note,
            "client": note.client,
            "therapist_name": staff_display_name(note.therapist),
            "therapist_licence": staff_licence_number(note.therapist_id),
            "signed_by_name": staff_display_name(note.signed_by) if note.signed_by_id else "",
            "signed_by_licence": staff_licence_number(note.signed_by_id),
            "techniques": techniques,
            "technique_minutes": sum(row.minutes for row in techniques),
            "retest_readings": note.retest.readings() if note.retest_id else [],
            "amendments": amendments,
            "progress": progress,
            "at_signing": at_signing,
        },
    )


def session_note_amendments_pdf(*, note, amendments) -> bytes:
    """The pages added after a signed note's frozen PDF: every amendment so far, dated and
    attributed, each author with their licence number."""
    return render_pdf(
        "session_note_amendments",
        {
            "note": note,
            "client": note.client,
            "signed_by_name": staff_display_name(note.signed_by) if note.signed_by_id else "",
            "amendments": [
                (amendment, staff_licence_number(amendment.author_id)) for amendment in amendments
            ],
        },
    )


def staff_licence_number(user_id: int | None) -> str:
    """The licence number the clinic recorded for a staff member ("" when none)."""
    if user_id is None:
        return ""
    return (
        StaffProfile.objects.filter(user_id=user_id)
        .values_list("licence_number", flat=True)
        .first()
        or ""
    )


def referral_letter_pdf(
    *,
    client,
    therapist,
    referral,
    letter_date,
    screened_on,
    observations: list[str],
    reported: list[str],
) -> bytes:
    """The letter to a physician for a refer-now / do-not-treat triage or a follow-up."""
    return render_pdf(
        "referral_letter",
        {
            "client": client,
            "therapist_name": staff_display_name(therapist),
            "therapist_email": therapist.email,
            "referral": referral,
            "letter_date": letter_date,
            "screened_on": screened_on,
            "observations": observations,
            "reported": reported,
        },
    )


def home_care_sheet_pdf(
    *, client, stage, stage_goal, exercises, ice_heat, next_appointment, printed_on
) -> bytes:
    """The client's sheet: large type, plain words, the stop rule and the red-flag box."""
    from sessions.documents import home_care

    return render_pdf(
        "home_care_sheet",
        {
            "client": client,
            "stage_label": stage.label,
            "stage_goal": stage_goal,
            "exercises": exercises,
            "ice_heat": ice_heat,
            "next_appointment": next_appointment,
            "next_with": staff_display_name(next_appointment.therapist) if next_appointment else "",
            "printed_on": printed_on,
            "stop_rule": home_care.STOP_RULE,
            "stop_rule_effort": home_care.STOP_RULE_EFFORT,
            "red_flags": home_care.RED_FLAGS_PLAIN,
            "red_flags_action": home_care.RED_FLAGS_ACTION,
        },
    )
