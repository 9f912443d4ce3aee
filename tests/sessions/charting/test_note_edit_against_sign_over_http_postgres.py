"""A note's edit and its signature sent at the same moment through the real pages (two tabs
of the therapist): no acknowledged edit is lost, and a refused one keeps what was typed
(issue 15, failure 7: the edit that lost to a sign redirected and the text was gone).

The edit page and the note page are read first, then "Save draft" and "Sign" leave together
on their own connections to a live server on PostgreSQL, several notes a round, a few rounds.
Either the edit came first (both redirect, and the signed note holds the edited text) or the
signature did (the edit is answered 409 with the typed text and the message, and the signed
note holds the text from before). Never a 5xx.
"""

from __future__ import annotations

import html
from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from sessions.charting.views import NOTE_SIGNED_WHILE_EDITING
from sessions.models.note import SessionNote
from tests.core.live_http import Response, alerts, form_of, redirected, together
from tests.intake.factories import ClientFactory
from tests.sessions.factories import NoteTechniqueFactory, SessionNoteFactory

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the SQLite test database is in memory, shared by the live server's threads: "
        "nothing would overlap",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROUNDS = 3
NOTES_PER_ROUND = 4


def test_edit_against_sign_loses_no_acknowledged_edit_and_keeps_a_refused_ones_text(
    live_app, therapist
):
    client = ClientFactory(therapist=therapist)
    outcomes: Counter[str] = Counter()
    for round_ in range(ROUNDS):
        races, sends = [], []
        for n in range(NOTES_PER_ROUND):
            day = date(2026, 3, 2) + timedelta(days=round_ * NOTES_PER_ROUND + n)
            note = SessionNoteFactory(client=client, visit_date=day)
            NoteTechniqueFactory(note=note)
            before = note.client_report
            typed = f"Edited in round {round_}, note {n}: pain eased after the first visit."
            editor, signer = live_app.signed_in(therapist), live_app.signed_in(therapist)
            edit_path = reverse("sessions:note_edit", args=[client.pk, note.pk])
            edit = form_of(editor, edit_path, action=edit_path, client_report=typed)
            sign_path = reverse("sessions:note_sign", args=[client.pk, note.pk])
            sign = form_of(signer, note.get_absolute_url(), action=sign_path)
            races.append((note, before, typed))
            sends += [
                lambda b=editor, p=edit_path, d=edit: b.post(p, d),
                lambda b=signer, p=sign_path, d=sign: b.post(p, d),
            ]
        answers = together(*sends)
        for index, (note, before, typed) in enumerate(races):
            edited, signed = answers[2 * index], answers[2 * index + 1]
            assert isinstance(edited, Response) and isinstance(signed, Response), answers
            assert redirected(signed), (signed.status, alerts(signed))
            note = SessionNote.objects.get(pk=note.pk)
            assert note.is_signed
            if redirected(edited):
                assert note.client_report == typed
                outcomes["edit, then sign"] += 1
            else:
                assert edited.status == 409, (edited.status, alerts(edited))
                assert any(NOTE_SIGNED_WHILE_EDITING in alert for alert in alerts(edited))
                assert html.escape(typed) in edited.text
                assert note.client_report == before
                outcomes["sign first, edit refused"] += 1
    print(f"\nnote edit vs sign over HTTP, {ROUNDS * NOTES_PER_ROUND} races: {dict(outcomes)}")
    assert sum(outcomes.values()) == ROUNDS * NOTES_PER_ROUND
