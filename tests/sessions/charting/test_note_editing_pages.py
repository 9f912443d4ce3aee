from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from intake.models import PAIN_OUT_OF_RANGE
from sessions.charting import forms as charting_forms
from sessions.charting import rules
from sessions.charting import services as charting
from sessions.charting import views as charting_views
from sessions.models.note import SessionNote
from tests.intake.factories import ClientFactory
from tests.sessions.factories import (
    NoteTechniqueFactory,
    SessionNoteFactory,
    note_form_data,
    signed_note_create,
)

pytestmark = pytest.mark.django_db


def _edit_url(note):
    return reverse("sessions:note_edit", args=[note.client_id, note.pk])


def test_a_therapist_starts_a_note_and_lands_on_its_edit_page(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)

    response = therapist_client.post(
        reverse("sessions:note_create", args=[client.pk]), {"visit_date": "2026-03-02"}
    )

    note = SessionNote.objects.get(client=client)
    assert response["Location"] == _edit_url(note)
    assert note.therapist == therapist and note.visit_date == date(2026, 3, 2)


def test_a_future_visit_date_is_refused_at_the_field(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = therapist_client.post(
        reverse("sessions:note_create", args=[client.pk]), {"visit_date": tomorrow.isoformat()}
    )

    assert response.context["form"].errors == {"visit_date": [charting_forms.VISIT_DATE_IN_FUTURE]}
    assert not SessionNote.objects.exists()


def test_start_from_my_last_note_without_one_is_explained(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)

    response = therapist_client.post(
        reverse("sessions:note_create", args=[client.pk]),
        {"visit_date": "2026-03-02", "start_from_last": "on"},
    )

    assert response.context["form"].errors == {"start_from_last": [charting.NO_EARLIER_NOTE]}
    assert charting.NO_EARLIER_NOTE in response.content.decode()


def test_start_from_my_last_note_through_the_page(therapist_client, therapist):
    previous = SessionNoteFactory(client__therapist=therapist, frequency="Weekly for 4 weeks")

    therapist_client.post(
        reverse("sessions:note_create", args=[previous.client_id]),
        {"visit_date": "2026-03-09", "start_from_last": "on"},
    )

    assert SessionNote.objects.get(visit_date=date(2026, 3, 9)).frequency == "Weekly for 4 weeks"


def test_the_edit_page_shows_the_prefilled_techniques(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note, name="Sacral scoring and friction", minutes=8)

    response = therapist_client.get(_edit_url(note))

    formset = response.context["formset"]
    assert formset.forms[0].initial["name"] == "Sacral scoring and friction"
    assert len(formset.forms) == 3  # the row plus two blank ones
    assert 'for="id_techniques-0-minutes"' in response.content.decode()


def test_saving_the_form_updates_soap_and_techniques(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)
    rows = [
        {"name": "Gentle effleurage", "minutes": "3", "position": "prone", "pressure": "1"},
        {"name": "Dropped", "minutes": "5", "position": "prone", "pressure": "1", "DELETE": "on"},
        {"name": "", "minutes": "", "position": "", "pressure": ""},
        {
            "name": "Deep rotator access",
            "minutes": "9",
            "position": "side_lying",
            "pressure": "2",
            "slug": "deep-rotator-access-side-lying",
        },
    ]

    response = therapist_client.post(_edit_url(note), note_form_data(techniques=rows))

    assert response["Location"] == note.get_absolute_url()
    note.refresh_from_db()
    assert (note.pain_before, note.pain_after, note.findings) == (9, 1, "Rewritten findings")
    assert list(note.techniques.values_list("name", "minutes", "technique_slug")) == [
        ("Gentle effleurage", 3, ""),
        ("Deep rotator access", 9, "deep-rotator-access-side-lying"),
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"pain_before": "11"}, "pain_before", PAIN_OUT_OF_RANGE),
        ({"pain_after": "-1"}, "pain_after", PAIN_OUT_OF_RANGE),
        ({"next_visit": "2026-03-01"}, "next_visit", charting_forms.NEXT_VISIT_NOT_AFTER_VISIT),
        ({"next_visit": "2026-03-02"}, "next_visit", charting_forms.NEXT_VISIT_NOT_AFTER_VISIT),
        ({"visit_date": "2999-01-01"}, "visit_date", charting_forms.VISIT_DATE_IN_FUTURE),
    ],
)
def test_bad_soap_input_is_named_at_its_field_and_nothing_is_saved(
    therapist_client, therapist, change, field, message
):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    response = therapist_client.post(_edit_url(note), note_form_data(**change))

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    note.refresh_from_db()
    assert note.findings != "Rewritten findings"
    assert note.techniques.get().name == "Sacral scoring and friction"


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            {"name": "", "minutes": "5", "position": "prone", "pressure": "1"},
            "name",
            charting_forms.TECHNIQUE_NAME_MISSING,
        ),
        (
            {"name": "X", "minutes": "", "position": "prone", "pressure": "1"},
            "minutes",
            charting_forms.TECHNIQUE_MINUTES_MISSING,
        ),
        (
            {"name": "X", "minutes": "0", "position": "prone", "pressure": "1"},
            "minutes",
            charting_forms.TECHNIQUE_MINUTES_OUT_OF_RANGE,
        ),
        (
            {"name": "X", "minutes": "5", "position": "", "pressure": "1"},
            "position",
            charting_forms.TECHNIQUE_POSITION_MISSING,
        ),
        (
            {"name": "X", "minutes": "5", "position": "prone", "pressure": ""},
            "pressure",
            charting_forms.TECHNIQUE_PRESSURE_MISSING,
        ),
    ],
)
def test_an_incomplete_technique_row_is_named(therapist_client, therapist, row, field, message):
    note = SessionNoteFactory(client__therapist=therapist)

    response = therapist_client.post(_edit_url(note), note_form_data(techniques=[row]))

    assert response.context["formset"].forms[0].errors[field] == [message]
    assert escape(message) in response.content.decode()
    assert note.techniques.count() == 0


def test_techniques_longer_than_a_session_are_refused(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    rows = [
        {"name": f"T{i}", "minutes": "40", "position": "prone", "pressure": "1"} for i in range(3)
    ]

    response = therapist_client.post(_edit_url(note), note_form_data(techniques=rows))

    expected = charting_forms.TECHNIQUES_OVER_SESSION.format(minutes=120)
    assert response.context["formset"].non_form_errors() == [expected]
    assert note.techniques.count() == 0


def test_signing_through_the_page_locks_the_note(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    response = therapist_client.post(
        reverse("sessions:note_sign", args=[note.client_id, note.pk]), follow=True
    )

    note.refresh_from_db()
    assert note.signed_by == therapist
    page = response.content.decode()
    assert charting_views.NOTE_SIGNED in page
    assert "Sign and lock" not in page and ">Edit<" not in page


def test_signing_an_incomplete_note_lists_what_is_missing(therapist_client, therapist):
    note = SessionNoteFactory(
        client__therapist=therapist,
        pain_before=None,
        working_hypothesis="",
        response_to_treatment="",
    )

    response = therapist_client.post(
        reverse("sessions:note_sign", args=[note.client_id, note.pk]), follow=True
    )

    page = response.content.decode()
    assert escape(rules.SIGN_NEEDS_PAIN_BEFORE) in page
    assert escape(rules.SIGN_NEEDS_ASSESSMENT) in page
    note.refresh_from_db()
    assert note.signed_at is None


def test_the_manager_cannot_amend_a_signed_note(manager_client, therapist):
    note = signed_note_create(client__therapist=therapist)

    response = manager_client.post(
        reverse("sessions:note_amend", args=[note.client_id, note.pk]), {"text": "Reviewed."}
    )

    assert response.status_code == 403
    assert not note.amendments.exists()


def test_the_manager_cannot_sign_someone_elses_note(manager_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)

    response = manager_client.post(reverse("sessions:note_sign", args=[note.client_id, note.pk]))

    assert response.status_code == 403
    note.refresh_from_db()
    assert note.signed_at is None


def test_amendments_show_beneath_the_original_dated_and_attributed(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)

    response = therapist_client.post(
        reverse("sessions:note_amend", args=[note.client_id, note.pk]),
        {"text": "Pain after was 3 <b>not</b> 4."},
        follow=True,
    )

    page = response.content.decode()
    assert charting_views.AMENDMENT_SAVED in page
    assert "Pain after was 3 &lt;b&gt;not&lt;/b&gt; 4." in page
    amendments = page.split('aria-labelledby="amendments"', 1)[1].split("</section>", 1)[0]
    amendment = amendments.split("<form", 1)[0]
    assert "Alice" in amendment and "Pain after was 3" in amendment
    assert page.index("Response to treatment") < page.index("Pain after was 3")
    note.refresh_from_db()
    assert note.pain_after == 4


def test_an_empty_amendment_is_refused_with_the_reason(therapist_client, therapist):
    note = signed_note_create(client__therapist=therapist)

    response = therapist_client.post(
        reverse("sessions:note_amend", args=[note.client_id, note.pk]), {"text": " "}, follow=True
    )

    assert charting.AMEND_EMPTY in response.content.decode()
    assert not note.amendments.exists()


def test_an_edit_that_loses_to_a_signature_keeps_the_typed_text(therapist, therapist_client):
    note = signed_note_create(client__therapist=therapist)
    before = note.client_report
    data = note_form_data(client_report="Typed while a colleague's click signed the note.")
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])
    response = therapist_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 409
    assert escape(charting_views.NOTE_SIGNED_WHILE_EDITING) in page
    assert escape("Typed while a colleague's click signed the note.") in page
    note.refresh_from_db()
    assert note.client_report == before
