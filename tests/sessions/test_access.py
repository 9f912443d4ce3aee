"""sessions.access: appointments and notes follow intake's client rule (the owner and the
manager read, anyone else 404; clinical writes the owner's alone, 403 for the manager)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from intake.access import CLINICAL_WRITE_REFUSED
from sessions.access import appointment_get_for_user, appointments_visible_to, note_get_for_user
from tests.intake.factories import ClientFactory
from tests.sessions.factories import AppointmentFactory, SessionNoteFactory

pytestmark = pytest.mark.django_db


def test_an_appointment_is_read_by_the_owner_and_the_manager_only(therapist, colleague, manager):
    appointment = AppointmentFactory(client=ClientFactory(therapist=therapist))
    assert appointment_get_for_user(therapist, appointment_id=appointment.pk) == appointment
    assert appointment_get_for_user(manager, appointment_id=appointment.pk) == appointment
    with pytest.raises(Http404):
        appointment_get_for_user(colleague, appointment_id=appointment.pk)


def test_a_clinical_write_on_an_appointment_is_the_owner_s_alone(therapist, colleague, manager):
    appointment = AppointmentFactory(client=ClientFactory(therapist=therapist))
    appointment_get_for_user(therapist, appointment_id=appointment.pk, clinical_write=True)
    with pytest.raises(PermissionDenied) as refused:
        appointment_get_for_user(manager, appointment_id=appointment.pk, clinical_write=True)
    assert str(refused.value) == CLINICAL_WRITE_REFUSED.format(therapist="Alice")
    with pytest.raises(Http404):
        appointment_get_for_user(colleague, appointment_id=appointment.pk, clinical_write=True)


def test_the_appointment_list_follows_the_client_rule(therapist, colleague, manager):
    mine = AppointmentFactory(client=ClientFactory(therapist=therapist))
    theirs = AppointmentFactory(client=ClientFactory(therapist=colleague))
    assert set(appointments_visible_to(therapist)) == {mine}
    assert set(appointments_visible_to(manager)) == {mine, theirs}


def test_a_note_is_fetched_under_its_own_client_only(therapist, manager):
    client = ClientFactory(therapist=therapist)
    note = SessionNoteFactory(client=client, therapist=therapist)
    other = ClientFactory(therapist=therapist)
    assert note_get_for_user(manager, client_id=client.pk, note_id=note.pk) == note
    with pytest.raises(Http404):
        note_get_for_user(therapist, client_id=other.pk, note_id=note.pk)
    with pytest.raises(PermissionDenied):
        note_get_for_user(manager, client_id=client.pk, note_id=note.pk, clinical_write=True)
