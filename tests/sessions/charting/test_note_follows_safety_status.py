"""Charting follows the client's safety status: while it forbids treatment (do not treat, refer
now, emergency) a note lists no techniques; it records the refusal and the referral instead."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from core.vocabulary import Position, Pressure
from intake.rules.safety import SafetyStatus
from sessions.charting import rules
from sessions.charting import services as charting
from sessions.charting.services import TechniqueRow
from sessions.models.note import SessionNote
from tests.intake.factories import ClientFactory, MedicalClearanceFactory, ScreeningFactory, sarah
from tests.sessions.factories import (
    NoteTechniqueFactory,
    SessionNoteFactory,
    accepted_plan_create,
    library_into_database,
    note_form_data,
)

pytestmark = pytest.mark.django_db

DEEP_PRONE_STRIPPING = TechniqueRow(
    name="Posterior thigh stripping",
    minutes=20,
    position=Position.PRONE,
    pressure=Pressure.DEEP,
    slug="posterior-thigh-stripping",
)
FORBIDDEN_REFER_NOW = rules.NOTE_TECHNIQUES_FORBIDDEN.format(status=SafetyStatus.REFER_NOW.label)
REFUSAL_SOAP = {
    "client_report": "Pain at night that does not ease, for two weeks.",
    "pain_before": 7,
    "working_hypothesis": "Red flag (unrelenting night pain): no massage today.",
    "referrals": "Referred to her physician, to be seen soon; referral letter given.",
}

# One screening per status: the answers that raise it.
SCREENINGS = {
    SafetyStatus.DO_NOT_TREAT: {"infection_or_wound": True},
    SafetyStatus.REFER_NOW: {"night_pain": True},
    SafetyStatus.EMERGENCY: {"saddle_anaesthesia": True},
    SafetyStatus.TREAT_WITH_MODIFICATIONS: {"osteoporosis": True},
    SafetyStatus.TREAT: {},
}


def _client(therapist, status=SafetyStatus.REFER_NOW):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=date(2026, 3, 1), **SCREENINGS[status])
    client.refresh_from_db()
    assert client.safety_status == status
    return client


def _red_flag(client):
    ScreeningFactory(client=client, screened_on=timezone.localdate(), night_pain=True)


# The service is the guard.


@pytest.mark.parametrize(
    "status", [SafetyStatus.DO_NOT_TREAT, SafetyStatus.REFER_NOW, SafetyStatus.EMERGENCY]
)
def test_saving_technique_rows_is_refused_while_treatment_is_forbidden(therapist, status):
    note = SessionNoteFactory(client=_client(therapist, status), client_report="Before")

    with pytest.raises(ValidationError) as error:
        charting.note_update(
            note=note,
            user=therapist,
            soap={"client_report": "After"},
            techniques=[DEEP_PRONE_STRIPPING],
        )

    assert error.value.messages == [rules.NOTE_TECHNIQUES_FORBIDDEN.format(status=status.label)]
    note.refresh_from_db()
    assert note.client_report == "Before"
    assert not note.techniques.exists()


@pytest.mark.parametrize("status", [SafetyStatus.TREAT, SafetyStatus.TREAT_WITH_MODIFICATIONS])
def test_technique_rows_are_saved_while_treatment_is_allowed(therapist, status):
    note = SessionNoteFactory(client=_client(therapist, status))

    charting.note_update(note=note, user=therapist, soap={}, techniques=[DEEP_PRONE_STRIPPING])

    assert note.techniques.count() == 1


def test_a_refusal_note_is_saved_and_signed_without_techniques(therapist):
    client = _client(therapist)
    note = charting.note_start(client=client, therapist=therapist, visit_date=date(2026, 3, 9))

    charting.note_update(note=note, user=therapist, soap=REFUSAL_SOAP, techniques=[])
    charting.note_sign(note=note, user=therapist)

    assert note.signed_at is not None
    assert note.pain_after is None and not note.techniques.exists()


def test_starting_a_note_with_techniques_is_refused(therapist):
    client = _client(therapist)

    with pytest.raises(ValidationError) as error:
        charting.note_start(
            client=client,
            therapist=therapist,
            visit_date=date(2026, 3, 9),
            techniques=[DEEP_PRONE_STRIPPING],
        )

    assert error.value.messages == [FORBIDDEN_REFER_NOW]
    assert not SessionNote.objects.exists()


def test_starting_a_note_from_the_accepted_plan_is_refused_after_a_red_flag(therapist):
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)
    _red_flag(client)

    with pytest.raises(ValidationError) as error:
        charting.note_start(
            client=client, therapist=therapist, visit_date=timezone.localdate(), plan=session_plan
        )

    assert error.value.message_dict == {
        "plan": [rules.NOTE_PLAN_TECHNIQUES_FORBIDDEN.format(status=SafetyStatus.REFER_NOW.label)]
    }
    assert not SessionNote.objects.exists()


def test_the_status_at_signing_decides_for_rows_saved_before_the_red_flag(therapist):
    client = _client(therapist, SafetyStatus.TREAT)
    note = SessionNoteFactory(client=client)
    NoteTechniqueFactory(note=note)
    _red_flag(client)

    with pytest.raises(ValidationError) as error:
        charting.note_sign(note=note, user=therapist)

    assert error.value.messages == [FORBIDDEN_REFER_NOW]
    note.refresh_from_db()
    assert note.signed_at is None


def test_a_medical_clearance_allows_technique_rows_again(therapist):
    client = _client(therapist)
    note = SessionNoteFactory(client=client)
    MedicalClearanceFactory(client=client, cleared_on=date(2026, 3, 5))
    ScreeningFactory(client=client, screened_on=date(2026, 3, 6))
    client.refresh_from_db()
    assert client.safety_status == SafetyStatus.TREAT

    charting.note_update(note=note, user=therapist, soap={}, techniques=[DEEP_PRONE_STRIPPING])
    charting.note_sign(note=note, user=therapist)

    assert note.signed_at is not None


# The pages: the friendly message, and what was typed stays.


def test_the_edit_page_refuses_the_rows_names_the_status_and_keeps_the_typed_text(
    therapist_client, therapist
):
    note = SessionNoteFactory(client=_client(therapist), client_report="Old report")
    data = note_form_data(
        client_report="Typed: night pain for two weeks",
        techniques=[
            {
                "name": "Posterior thigh stripping",
                "minutes": "20",
                "position": "prone",
                "pressure": str(Pressure.DEEP.value),
            }
        ],
    )

    response = therapist_client.post(
        reverse("sessions:note_edit", args=[note.client_id, note.pk]), data
    )

    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == [FORBIDDEN_REFER_NOW]
    page = response.content.decode()
    assert escape(FORBIDDEN_REFER_NOW) in page
    assert "Typed: night pain for two weeks" in page
    assert 'value="Posterior thigh stripping"' in page
    note.refresh_from_db()
    assert note.client_report == "Old report"
    assert not note.techniques.exists()


def test_the_edit_page_saves_the_refusal_note_without_rows(therapist_client, therapist):
    note = SessionNoteFactory(client=_client(therapist))
    data = note_form_data(
        techniques=[],
        pain_after="",
        response_to_treatment="",
        referrals="Referred to her physician",
    )

    response = therapist_client.post(
        reverse("sessions:note_edit", args=[note.client_id, note.pk]), data
    )

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.referrals == "Referred to her physician"


def test_the_edit_page_says_up_front_that_no_massage_may_be_given(therapist_client, therapist):
    note = SessionNoteFactory(client=_client(therapist, SafetyStatus.EMERGENCY))

    response = therapist_client.get(reverse("sessions:note_edit", args=[note.client_id, note.pk]))

    notice = rules.NOTE_NO_TREATMENT_NOTICE.format(status=SafetyStatus.EMERGENCY.label)
    assert escape(notice) in response.content.decode()


def test_the_edit_page_says_nothing_while_treatment_is_allowed(therapist_client, therapist):
    note = SessionNoteFactory(client=_client(therapist, SafetyStatus.TREAT))

    response = therapist_client.get(reverse("sessions:note_edit", args=[note.client_id, note.pk]))

    assert "no massage may be given" not in response.content.decode()


def test_the_start_page_offers_no_plan_and_refuses_one_after_a_red_flag(
    therapist_client, therapist
):
    library_into_database()
    client = sarah(therapist)
    session_plan = accepted_plan_create(client=client, therapist=therapist)
    _red_flag(client)
    url = reverse("sessions:note_create", args=[client.pk])

    offered = therapist_client.get(url).context["form"]
    refused = therapist_client.post(
        url, {"visit_date": timezone.localdate().isoformat(), "plan": session_plan.pk}
    )

    assert offered["plan"].value() is None
    assert refused.context["form"].errors == {
        "plan": [rules.NOTE_PLAN_TECHNIQUES_FORBIDDEN.format(status=SafetyStatus.REFER_NOW.label)]
    }
    assert not SessionNote.objects.exists()


def test_signing_from_the_page_lists_the_refusal(therapist_client, therapist):
    client = _client(therapist, SafetyStatus.TREAT)
    note = SessionNoteFactory(client=client)
    NoteTechniqueFactory(note=note)
    _red_flag(client)

    response = therapist_client.post(
        reverse("sessions:note_sign", args=[note.client_id, note.pk]), follow=True
    )

    assert escape(FORBIDDEN_REFER_NOW) in response.content.decode()
    note.refresh_from_db()
    assert note.signed_at is None
