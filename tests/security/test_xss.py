"""XSS: names and notes holding markup, attribute breaks and template syntax appear
escaped on every HTML page that shows them, and as the very text typed in every PDF."""

from __future__ import annotations

import html

import pytest
from django.test import Client as HttpClient

from tests.security.world import (
    ATTRIBUTE_BREAK,
    HOSTILE_TEXT,
    PAYLOADS,
    SCRIPT,
    TEMPLATE,
    route_url,
    routes,
    world_build,
)
from tests.sessions.documents.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

HOSTILE_NAME = (SCRIPT, f"{ATTRIBUTE_BREAK} {TEMPLATE}")
ESCAPED_SCRIPT = html.escape(SCRIPT, quote=False)

# Pages that must show the client (so the walk below is not vacuously passing).
PAGES_SHOWING_THE_CLIENT = {
    "intake:client_chart",
    "intake:client_list",
    "intake:screening_list",
    "intake:assessment_list",
    "sessions:appointment_detail",
    "sessions:note_detail",
    "sessions:note_edit",
    "sessions:note_list",
    "sessions:plan_detail",
    "sessions:run_sheet",
}
PDF_PAGES = {
    "sessions:note_pdf",
    "sessions:referral_letter",
    "sessions:home_care_sheet",
    "billing:superbill_pdf",
    "billing:superbill_range_pdf",
    "billing:progress_report_pdf",
}


@pytest.fixture
def world():
    return world_build(own_name=HOSTILE_NAME, text=HOSTILE_TEXT)


@pytest.mark.parametrize("role", ["owner", "manager"])
def test_every_html_page_escapes_what_the_client_record_holds(world, role):
    browser = HttpClient()
    browser.force_login(world.users[role])
    showing, unsafe = set(), []
    for route in routes():
        response = browser.get(route_url(route, world.own))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        body = response.content.decode()
        for raw in (SCRIPT, ATTRIBUTE_BREAK, "<img src=x"):
            if raw in body:
                unsafe.append(f"{route.name}: {raw!r} unescaped")
        if ESCAPED_SCRIPT in body:
            showing.add(route.name)
            if TEMPLATE not in body:
                unsafe.append(f"{route.name}: {TEMPLATE!r} was evaluated or altered")
    assert unsafe == []
    # The manager reads notes but writes none (intake.access.clinical_write_allowed).
    expected = PAGES_SHOWING_THE_CLIENT - ({"sessions:note_edit"} if role == "manager" else set())
    assert showing >= expected


@pytest.mark.parametrize(
    ("route_name", "note", "shown"),
    [
        ("sessions:note_pdf", "note", PAYLOADS),
        ("sessions:note_pdf", "signed_note", PAYLOADS),
        ("sessions:referral_letter", None, PAYLOADS),
        # The sheet is handed to the client: it greets them by first name only.
        ("sessions:home_care_sheet", None, (SCRIPT,)),
        # The superbill names the client (first and last name) and the codes, not the techniques.
        ("billing:superbill_pdf", None, PAYLOADS),
        ("billing:superbill_range_pdf", None, PAYLOADS),
        ("billing:progress_report_pdf", None, PAYLOADS),
    ],
)
def test_every_pdf_prints_the_text_as_typed(world, route_name, note, shown):
    browser = HttpClient()
    browser.force_login(world.own.therapist)
    route = next(route for route in routes() if route.name == route_name)
    url = route_url(route, world.own)
    if note:
        url = url.replace(f"/notes/{world.own.note.pk}/", f"/notes/{getattr(world.own, note).pk}/")
    response = browser.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for payload in shown:
        assert payload in text


def test_the_walk_covers_every_pdf_of_the_project():
    """A new PDF URL must be added to the PDF test above."""
    pdf_like = {route.name for route in routes() if "pdf" in route.name or "letter" in route.name}
    assert pdf_like <= PDF_PAGES
