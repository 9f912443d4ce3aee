"""A note records one booked visit, and links the assessment tests repeated at that visit."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sessions.charting import services as charting
from sessions.models import Appointment
from tests.intake.factories import AssessmentFactory, ClientFactory, positive_slr
from tests.sessions.factories import AppointmentFactory, SessionNoteFactory, note_form_data

pytestmark = pytest.mark.django_db


def _at(day: date, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_note_started_for_an_appointment_records_it(therapist, today):
    appointment = AppointmentFactory(client__therapist=therapist, starts_at=_at(today))

    note = charting.note_start(
        client=appointment.client, therapist=therapist, visit_date=today, appointment=appointment
    )

    assert note.appointment == appointment
    assert appointment.session_note == note


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("other_client", charting.APPOINTMENT_OTHER_CLIENT),
        ("cancelled", charting.APPOINTMENT_NOT_ATTENDED.format(status="cancelled")),
        ("other_day", None),
        ("has_note", charting.APPOINTMENT_HAS_NOTE),
    ],
)
def test_an_appointment_that_does_not_fit_is_refused_with_the_reason(
    therapist, today, setup, message
):
    client = ClientFactory(therapist=therapist)
    appointment = AppointmentFactory(client=client, starts_at=_at(today))
    visit_date = today
    if setup == "other_client":
        appointment = AppointmentFactory(client__therapist=therapist, starts_at=_at(today, 14))
    elif setup == "cancelled":
        Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.CANCELLED)
        appointment.refresh_from_db()
    elif setup == "other_day":
        visit_date = today - timedelta(days=1)
        message = charting.APPOINTMENT_OTHER_DAY.format(day=f"{today:%d %b %Y}")
    elif setup == "has_note":
        SessionNoteFactory(client=client, visit_date=today, appointment=appointment)

    with pytest.raises(ValidationError) as error:
        charting.note_start(
            client=client, therapist=therapist, visit_date=visit_date, appointment=appointment
        )

    assert error.value.message_dict == {"appointment": [message]}


def test_the_start_page_offers_only_this_clients_open_appointments(
    therapist_client, therapist, today
):
    client = ClientFactory(therapist=therapist)
    mine = AppointmentFactory(client=client, starts_at=_at(today))
    charted = AppointmentFactory(client=client, starts_at=_at(today - timedelta(days=7)))
    SessionNoteFactory(client=client, visit_date=charted.starts_at.date(), appointment=charted)
    others = AppointmentFactory(client__therapist=therapist, starts_at=_at(today, 15))

    response = therapist_client.get(
        reverse("sessions:note_create", args=[client.pk]) + f"?appointment={mine.pk}"
    )

    form = response.context["form"]
    assert list(form.fields["appointment"].queryset) == [mine]
    assert form.initial["appointment"] == mine.pk
    assert others not in form.fields["appointment"].queryset


def test_another_clients_appointment_in_the_link_reveals_nothing(
    therapist_client, therapist, today
):
    client = ClientFactory(therapist=therapist)
    elsewhere = AppointmentFactory(starts_at=_at(today - timedelta(days=3)))

    response = therapist_client.get(
        reverse("sessions:note_create", args=[client.pk]) + f"?appointment={elsewhere.pk}"
    )

    assert response.context["form"].initial["visit_date"] == today


def test_starting_from_the_page_with_an_appointment(therapist_client, therapist, today):
    appointment = AppointmentFactory(client__therapist=therapist, starts_at=_at(today))

    therapist_client.post(
        reverse("sessions:note_create", args=[appointment.client_id]),
        {"visit_date": today.isoformat(), "appointment": appointment.pk},
    )

    assert appointment.client.session_notes.get().appointment == appointment


def test_the_next_booked_appointment_prefills_the_next_visit(therapist, today):
    client = ClientFactory(therapist=therapist)
    AppointmentFactory(client=client, starts_at=_at(today, 9))
    AppointmentFactory(client=client, starts_at=_at(today + timedelta(days=4)))
    AppointmentFactory(client=client, starts_at=_at(today + timedelta(days=8)))

    note = charting.note_start(client=client, therapist=therapist, visit_date=today)

    assert note.next_visit == today + timedelta(days=4)


def test_the_assessment_recorded_on_the_visit_date_becomes_the_retest(therapist):
    client = ClientFactory(therapist=therapist)
    AssessmentFactory(client=client, assessed_on=date(2026, 2, 1))
    retest = AssessmentFactory(client=client, assessed_on=date(2026, 3, 2), **positive_slr())

    note = charting.note_start(client=client, therapist=therapist, visit_date=date(2026, 3, 2))

    assert note.retest == retest


def test_the_retest_shows_on_the_note_with_the_not_a_diagnosis_line(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    note.retest = AssessmentFactory(client=note.client, **positive_slr(slr_onset_angle=50))
    note.save()

    page = therapist_client.get(note.get_absolute_url()).content.decode()

    assert "Shooting pain past the left knee at 50°" in page
    assert "they are not a medical diagnosis" in page


def test_the_edit_form_offers_only_this_clients_assessments(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    own = AssessmentFactory(client=note.client)
    foreign = AssessmentFactory(client__therapist=therapist)
    url = reverse("sessions:note_edit", args=[note.client_id, note.pk])

    assert list(therapist_client.get(url).context["form"].fields["retest"].queryset) == [own]
    response = therapist_client.post(url, note_form_data(retest=str(foreign.pk)))

    assert "retest" in response.context["form"].errors
    note.refresh_from_db()
    assert note.retest is None
