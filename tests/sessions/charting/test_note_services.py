from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.vocabulary import Position, Pressure
from sessions.charting import rules
from sessions.charting import services as charting
from sessions.charting.services import TechniqueRow
from sessions.models.note import NoteAmendment
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import (
    NoteTechniqueFactory,
    SessionNoteFactory,
    signed_note_create,
)

pytestmark = pytest.mark.django_db

PIN_AND_STRETCH = TechniqueRow(
    name="Hamstring pin and stretch",
    minutes=7,
    position=Position.PRONE,
    pressure=Pressure.MODERATE,
    slug="hamstring-pin-and-stretch",
)
EFFLEURAGE = TechniqueRow(
    name="Gentle effleurage", minutes=3, position=Position.PRONE, pressure=Pressure.LIGHT
)


def test_starting_a_note_prefills_the_techniques_in_order(therapist):
    client = ClientFactory(therapist=therapist)

    note = charting.note_start(
        client=client,
        therapist=therapist,
        visit_date=date(2026, 3, 9),
        techniques=[EFFLEURAGE, PIN_AND_STRETCH],
    )

    rows = list(note.techniques.values_list("name", "minutes", "position", "pressure"))
    assert rows == [
        ("Gentle effleurage", 3, "prone", 1),
        ("Hamstring pin and stretch", 7, "prone", 2),
    ]
    assert note.signed_at is None


def test_start_from_my_last_note_copies_the_whole_note_section_by_section(therapist):
    previous = SessionNoteFactory(
        client__therapist=therapist,
        visit_date=date(2026, 3, 2),
        next_visit=date(2026, 3, 5),
        frequency="Twice a week for 3 weeks",
        home_care_given="Seated nerve flossing, 10 reps",
        referrals="GP review of night pain",
        adverse_response="A zing down the leg",
        adverse_response_change="Moved one inch lateral",
    )
    NoteTechniqueFactory(note=previous, name="Sacral scoring", minutes=9)

    note = charting.note_start(
        client=previous.client,
        therapist=therapist,
        visit_date=date(2026, 3, 5),
        start_from_last=True,
    )

    for field in charting.COPIED_FIELDS:  # S, O, A and P
        assert getattr(note, field) == getattr(previous, field), field
    assert [(t.name, t.minutes) for t in note.techniques.all()] == [("Sacral scoring", 9)]
    # Measured or asked afresh at every visit: never copied.
    assert note.pain_before is None and note.pain_after is None
    assert note.home_care_adherence == ""
    assert note.adverse_response == "" and note.adverse_response_change == ""
    assert note.next_visit is None


def test_copied_sections_are_marked_until_edited(therapist):
    previous = SessionNoteFactory(client__therapist=therapist, visit_date=date(2026, 3, 2))
    NoteTechniqueFactory(note=previous)
    note = charting.note_start(
        client=previous.client,
        therapist=therapist,
        visit_date=date(2026, 3, 5),
        start_from_last=True,
    )
    copied = charting.note_copied_forward(note=note)
    assert copied.from_date == date(2026, 3, 2)
    assert copied.techniques
    assert copied.fields == {f for f in charting.COPIED_FIELDS if getattr(previous, f)}

    charting.note_update(
        note=note, user=therapist, soap={"findings": "SLR left now negative."}, techniques=[]
    )

    copied = charting.note_copied_forward(note=note)
    assert "findings" not in copied.fields and "client_report" in copied.fields
    assert not copied.techniques


def test_a_note_started_empty_has_no_copied_marks(therapist):
    previous = SessionNoteFactory(client__therapist=therapist, visit_date=date(2026, 3, 2))
    note = charting.note_start(
        client=previous.client, therapist=therapist, visit_date=date(2026, 3, 5)
    )
    assert charting.note_copied_forward(note=note) is None


def test_last_visits_techniques_are_not_copied_while_treatment_is_forbidden(therapist):
    previous = SessionNoteFactory(client__therapist=therapist, visit_date=date(2026, 3, 2))
    NoteTechniqueFactory(note=previous)
    ScreeningFactory(client=previous.client, night_pain=True)

    note = charting.note_start(
        client=previous.client,
        therapist=therapist,
        visit_date=timezone.localdate(),
        start_from_last=True,
    )

    assert not note.techniques.exists()
    assert note.client_report == previous.client_report


def test_start_from_my_last_note_uses_the_latest_earlier_note_of_mine(therapist, manager):
    client = ClientFactory(therapist=therapist)
    SessionNoteFactory(client=client, visit_date=date(2026, 3, 2), frequency="old")
    SessionNoteFactory(client=client, visit_date=date(2026, 3, 9), frequency="latest")
    SessionNoteFactory(client=client, visit_date=date(2026, 3, 30), frequency="later visit")
    SessionNoteFactory(
        client=client, therapist=manager, visit_date=date(2026, 3, 12), frequency="not mine"
    )

    note = charting.note_start(
        client=client, therapist=therapist, visit_date=date(2026, 3, 16), start_from_last=True
    )

    assert note.frequency == "latest"


def test_start_from_my_last_note_without_one_says_so(therapist):
    client = ClientFactory(therapist=therapist)

    with pytest.raises(ValidationError) as error:
        charting.note_start(
            client=client, therapist=therapist, visit_date=date(2026, 3, 2), start_from_last=True
        )

    assert error.value.message_dict == {"start_from_last": [charting.NO_EARLIER_NOTE]}
    assert not client.session_notes.exists()


def test_a_draft_can_be_edited_and_its_techniques_replaced(therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    charting.note_update(
        note=note, user=therapist, soap={"pain_after": 2}, techniques=[PIN_AND_STRETCH]
    )

    note.refresh_from_db()
    assert note.pain_after == 2
    assert list(note.techniques.values_list("name", flat=True)) == ["Hamstring pin and stretch"]


def test_editing_without_techniques_leaves_the_rows_alone(therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    charting.note_update(note=note, user=therapist, soap={"findings": "Posture: flat back"})

    assert note.techniques.count() == 1


def test_an_unknown_field_is_a_programming_error(therapist):
    note = SessionNoteFactory(client__therapist=therapist)

    with pytest.raises(ValueError, match="signed_at"):
        charting.note_update(note=note, user=therapist, soap={"signed_at": None})


def test_a_signed_note_refuses_edits_with_a_message(therapist):
    note = signed_note_create(client__therapist=therapist)

    with pytest.raises(ValidationError) as error:
        charting.note_update(note=note, user=therapist, soap={"pain_after": 0}, techniques=[])

    assert error.value.messages == [charting.NOTE_SIGNED_LOCKED]
    note.refresh_from_db()
    assert note.pain_after == 4
    assert note.techniques.count() == 2


def test_only_the_author_edits_or_signs(therapist, manager):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    with pytest.raises(PermissionDenied, match=charting.NOTE_NOT_AUTHOR):
        charting.note_update(note=note, user=manager, soap={"pain_after": 0})
    with pytest.raises(PermissionDenied, match=charting.NOTE_NOT_AUTHOR):
        charting.note_sign(note=note, user=manager)
    note.refresh_from_db()
    assert note.pain_after == 4 and note.signed_at is None


def test_signing_records_who_and_when(therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    returned = charting.note_sign(note=note, user=therapist)

    assert returned is note  # the caller's instance is up to date, no refresh needed
    assert note.signed_at is not None
    assert note.signed_by == therapist


def test_an_incomplete_note_is_not_signed_and_every_gap_is_named(therapist):
    note = SessionNoteFactory(
        client__therapist=therapist,
        client_report="",
        changes_since_last_visit="",
        pain_after=None,
    )
    NoteTechniqueFactory(note=note)

    with pytest.raises(ValidationError) as error:
        charting.note_sign(note=note, user=therapist)

    assert error.value.messages == [rules.SIGN_NEEDS_SUBJECTIVE, rules.SIGN_NEEDS_PAIN_AFTER]
    note.refresh_from_db()
    assert note.signed_at is None


def test_an_empty_note_is_not_signed(therapist):
    client = ClientFactory(therapist=therapist)
    note = charting.note_start(client=client, therapist=therapist, visit_date=date(2026, 3, 9))

    with pytest.raises(ValidationError) as error:
        charting.note_sign(note=note, user=therapist)

    assert error.value.messages == [
        rules.SIGN_NEEDS_SUBJECTIVE,
        rules.SIGN_NEEDS_PAIN_BEFORE,
        rules.SIGN_NEEDS_ASSESSMENT,
        rules.SIGN_NEEDS_PLAN,
    ]
    note.refresh_from_db()
    assert note.signed_at is None


def test_a_note_without_techniques_is_signed_without_a_pain_after(therapist):
    note = SessionNoteFactory(client__therapist=therapist, pain_after=None)

    charting.note_sign(note=note, user=therapist)

    assert note.signed_at is not None


def test_a_note_is_signed_once(therapist):
    note = signed_note_create(client__therapist=therapist)
    first = note.signed_at

    with pytest.raises(ValidationError, match=charting.NOTE_ALREADY_SIGNED):
        charting.note_sign(note=note, user=therapist)

    note.refresh_from_db()
    assert note.signed_at == first


def test_the_author_amends_a_signed_note_and_the_manager_cannot(therapist, manager):
    note = signed_note_create(client__therapist=therapist)

    charting.note_amend(note=note, author=therapist, text="  Pain after was 3, not 4.  ")
    with pytest.raises(PermissionDenied, match=charting.AMEND_NOT_ALLOWED):
        charting.note_amend(note=note, author=manager, text="Reviewed.")

    amendments = list(note.amendments.values_list("author__username", "text"))
    assert amendments == [("alice", "Pain after was 3, not 4.")]
    note.refresh_from_db()
    assert note.pain_after == 4


def test_a_colleague_cannot_amend(therapist, colleague):
    note = signed_note_create(client__therapist=therapist)

    with pytest.raises(PermissionDenied, match=charting.AMEND_NOT_ALLOWED):
        charting.note_amend(note=note, author=colleague, text="Mine now")

    assert not NoteAmendment.objects.exists()


def test_a_draft_is_edited_not_amended(therapist):
    note = SessionNoteFactory(client__therapist=therapist)

    with pytest.raises(ValidationError, match=charting.AMEND_UNSIGNED):
        charting.note_amend(note=note, author=therapist, text="x")


def test_an_empty_amendment_is_refused(therapist):
    note = signed_note_create(client__therapist=therapist)

    with pytest.raises(ValidationError) as error:
        charting.note_amend(note=note, author=therapist, text="   ")

    assert error.value.message_dict == {"text": [charting.AMEND_EMPTY]}
