"""Records stored before a limit was lowered: `manage.py check_limits` lists them (model, id,
field, size, limit, page; never the text), and editing one shows the limit's message with
what was typed kept, never a 500. Both databases."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from bench.browser import form_fields
from core.limits import (
    AMENDMENTS_PER_NOTE_MAX,
    LONG_TEXT_MAX,
    STEP_TEXT_MAX,
    TECHNIQUE_ROWS_MAX,
    TECHNIQUE_STEPS_MAX,
    limit_message,
)
from core.limits_check import records_over_limits
from intake.models import Client
from protocols.services import STEPS_TOO_MANY
from sessions.charting.services import TECHNIQUE_ROWS_TOO_MANY
from sessions.models.note import NoteAmendment, SessionNote
from tests.intake.factories import ClientFactory
from tests.protocols.factories import TechniqueFactory, TechniqueStepFactory
from tests.sessions.factories import NoteTechniqueFactory, SessionNoteFactory, signed_note_create

pytestmark = pytest.mark.django_db


def _check_limits(*args) -> list[str]:
    out = io.StringIO()
    call_command("check_limits", *args, stdout=out)
    return out.getvalue().splitlines()


def test_nothing_over_a_limit_says_so(therapist):
    SessionNoteFactory(client=ClientFactory(therapist=therapist), client_report="x" * LONG_TEXT_MAX)
    assert _check_limits() == ["No stored record is over a limit."]


def test_a_text_longer_than_its_limit_is_listed_with_its_page_not_its_text(therapist):
    note = SessionNoteFactory(
        client=ClientFactory(therapist=therapist), client_report="secret " * 600
    )
    SessionNoteFactory(client=note.client, client_report="x" * LONG_TEXT_MAX)  # at the limit
    lines = _check_limits()
    assert lines == [
        f"visits.sessionnote {note.pk}, client_report: 4,200 characters (limit 4,000) "
        f"{note.get_absolute_url()}",
        "1 stored value(s) over a limit.",
    ]
    assert "secret" not in "".join(lines)


def test_lists_longer_than_their_limits_are_listed_by_their_owner(therapist):
    technique = TechniqueFactory()
    for order in range(1, TECHNIQUE_STEPS_MAX + 2):
        TechniqueStepFactory(technique=technique, order=order)
    long_step = TechniqueStepFactory(technique=TechniqueFactory(), text="y" * (STEP_TEXT_MAX + 1))
    note = SessionNoteFactory(client=ClientFactory(therapist=therapist))
    for order in range(TECHNIQUE_ROWS_MAX + 1):
        NoteTechniqueFactory(note=note, order=order)
    signed = signed_note_create(client=note.client)
    NoteAmendment.objects.bulk_create(
        NoteAmendment(note=signed, author=therapist, text=f"Correction {n}")
        for n in range(AMENDMENTS_PER_NOTE_MAX + 1)
    )
    found = {(r.model, r.pk, r.field): (r.count, r.limit) for r in records_over_limits()}
    assert found == {
        ("protocols.techniquestep", long_step.pk, "text"): (STEP_TEXT_MAX + 1, STEP_TEXT_MAX),
        ("protocols.technique", technique.pk, "steps"): (101, TECHNIQUE_STEPS_MAX),
        ("visits.sessionnote", note.pk, "technique rows"): (41, TECHNIQUE_ROWS_MAX),
        ("visits.sessionnote", signed.pk, "amendments"): (11, AMENDMENTS_PER_NOTE_MAX),
    }
    assert (
        f"protocols.technique {technique.pk}, steps: 101 steps (limit 100) "
        f"{technique.get_absolute_url()}"
    ) in _check_limits()


def test_with_fail_records_over_a_limit_end_the_command_with_an_error(therapist):
    SessionNoteFactory(client=ClientFactory(therapist=therapist), findings="z" * 4_001)
    with pytest.raises(CommandError, match=r"^1 stored value\(s\) over a limit\.$"):
        _check_limits("--fail")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL refuses a varchar over its length"
)
def test_a_short_field_over_its_length_is_found_on_sqlite_which_does_not_enforce_it(therapist):
    client = ClientFactory(therapist=therapist)
    limit = Client._meta.get_field("first_name").max_length
    Client.objects.filter(pk=client.pk).update(first_name="N" * (limit + 5))
    found = [(r.model, r.pk, r.field, r.count) for r in records_over_limits()]
    assert found == [("intake.client", client.pk, "first_name", limit + 5)]


# --- editing a record stored over a limit ---------------------------------------------------


def _edit_form(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    fields = form_fields(page.content.decode(), action=url)
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_editing_a_note_over_a_text_limit_shows_the_message_and_keeps_the_text(
    therapist, therapist_client
):
    typed = ("Long report. " * 320).strip()  # 4,159 characters, stored before the limit
    note = SessionNoteFactory(client=ClientFactory(therapist=therapist), client_report=typed)
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])
    data = _edit_form(therapist_client, url)
    assert data["client_report"] == typed
    data["findings"] = "Added today."
    response = therapist_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert limit_message("Client report", limit=LONG_TEXT_MAX, count=len(typed)) in page
    assert "Added today." in page and typed in page
    assert SessionNote.objects.get(pk=note.pk).findings == note.findings


def test_editing_a_note_with_too_many_technique_rows_says_so(therapist, therapist_client):
    note = SessionNoteFactory(client=ClientFactory(therapist=therapist))
    for order in range(TECHNIQUE_ROWS_MAX + 1):
        NoteTechniqueFactory(note=note, order=order, minutes=1)
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])
    data = _edit_form(therapist_client, url)
    response = therapist_client.post(url, data)
    assert response.status_code == 200
    assert TECHNIQUE_ROWS_TOO_MANY in response.content.decode()
    assert note.techniques.count() == TECHNIQUE_ROWS_MAX + 1


def test_editing_a_technique_with_too_many_steps_says_so_and_keeps_them(manager_client):
    technique = TechniqueFactory()
    for order in range(1, TECHNIQUE_STEPS_MAX + 2):
        TechniqueStepFactory(technique=technique, order=order, text=f"Step {order}.")
    url = reverse("protocols:item_edit", args=["techniques", technique.slug])
    data = _edit_form(manager_client, url)
    assert data["steps"].splitlines()[-1] == f"Step {TECHNIQUE_STEPS_MAX + 1}."
    response = manager_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert STEPS_TOO_MANY.format(count=TECHNIQUE_STEPS_MAX + 1) in page
    assert f"Step {TECHNIQUE_STEPS_MAX + 1}." in page
    assert technique.steps.count() == TECHNIQUE_STEPS_MAX + 1
