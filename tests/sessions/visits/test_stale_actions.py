"""An action overtaken by someone else's change is refused with what changed, who did it and
when; nothing the other user did is undone. Service level and pages, both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from intake.models import Screening
from intake.rules import RED_FLAG_QUESTIONS
from sessions.models import Appointment
from sessions.visits.services import (
    appointment_cancel,
    appointment_check_in,
    appointment_check_in_rescreen,
    appointment_complete,
    appointment_mark_no_show,
    appointment_refer,
    appointment_refuse,
    appointment_reschedule,
)
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

Status = Appointment.Status
ALL_NO = {q.name: False for q in RED_FLAG_QUESTIONS}


@pytest.fixture
def carol(django_user_model):
    return django_user_model.objects.create_user(
        "carol", first_name="Carol", last_name="Manager", password="x"
    )


@pytest.fixture
def visit(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client)
    return AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0), minutes=30)


def _copy(appointment):
    """What a second request read before the first one committed."""
    return Appointment.objects.get(pk=appointment.pk)


def _refused(call) -> str:
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.code == "changed"
    return refused.value.messages[0]


def _hhmm() -> str:
    return f"{timezone.localtime():%H:%M}"


def test_a_reschedule_after_a_cancel_is_refused_and_the_cancel_stands(visit, carol):
    stale = _copy(visit)
    appointment_cancel(appointment=visit, reason="Flu", by=carol)
    before = _hhmm()
    message = _refused(
        lambda: appointment_reschedule(
            appointment=stale, starts_at=clinic_time(3, 9), minutes=60, by=visit.therapist
        )
    )
    assert message in {
        f"This visit was cancelled by Carol Manager at {at}: nothing was moved."
        for at in (before, _hhmm())
    }
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == (Status.CANCELLED, "Flu")
    assert visit.starts_at == clinic_time(0, 23, 0)


def test_a_cancel_after_a_check_in_is_refused_and_leaves_no_cancel_reason(visit, carol, therapist):
    stale = _copy(visit)
    appointment_check_in(appointment=visit, by=therapist)
    message = _refused(lambda: appointment_cancel(appointment=stale, reason="Ill", by=carol))
    assert message.startswith("This visit was checked in by Alice")
    assert message.endswith(": it was not cancelled.")
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == (Status.CHECKED_IN, "")


def test_a_check_in_after_a_cancel_records_no_screening(visit, carol, therapist):
    stale = _copy(visit)
    appointment_cancel(appointment=visit, reason="Ill", by=carol)
    screenings = Screening.objects.count()
    message = _refused(
        lambda: appointment_check_in_rescreen(
            appointment=stale, recorded_by=therapist, red_flags=ALL_NO
        )
    )
    assert message.startswith("This visit was cancelled by Carol Manager at ")
    assert message.endswith("the client was not checked in and no re-screen was recorded.")
    assert Screening.objects.count() == screenings
    visit.refresh_from_db()
    assert visit.status == Status.CANCELLED


def test_a_reschedule_after_another_reschedule_names_the_new_time(visit, carol, therapist):
    stale = _copy(visit)
    appointment_reschedule(appointment=visit, starts_at=clinic_time(2, 9), minutes=60, by=carol)
    message = _refused(
        lambda: appointment_reschedule(
            appointment=stale, starts_at=clinic_time(4, 9), minutes=60, by=therapist
        )
    )
    assert message.startswith(f"This visit was moved to {clinic_time(2, 9):%a %d %b %Y}, 09:00")
    assert "by Carol Manager at " in message and message.endswith(": nothing was moved.")
    visit.refresh_from_db()
    assert visit.starts_at == clinic_time(2, 9)


@pytest.mark.parametrize(
    ("first", "second", "words"),
    [
        ("no_show", "cancel", "marked as a no-show"),
        ("cancel", "no_show", "cancelled"),
        ("cancel", "check_in", "cancelled"),
        ("check_in", "no_show", "checked in"),
        ("complete", "refuse", "marked completed"),
        ("refuse", "complete", "closed as treatment declined"),
        ("refer", "complete", "closed with a referral"),
    ],
)
def test_every_overtaken_action_is_refused_and_the_first_change_stands(
    visit, carol, first, second, words
):
    now = visit.starts_at + timedelta(minutes=1)
    actions = {
        "cancel": lambda a: appointment_cancel(appointment=a, by=carol),
        "no_show": lambda a: appointment_mark_no_show(appointment=a, now=now, by=carol),
        "check_in": lambda a: appointment_check_in(appointment=a, now=now, by=carol),
        "complete": lambda a: appointment_complete(appointment=a, by=carol),
        "refuse": lambda a: appointment_refuse(appointment=a, reason="No", by=carol),
        "refer": lambda a: appointment_refer(appointment=a, reason="Fever", by=carol),
    }
    if first in ("complete", "refuse", "refer"):
        appointment_check_in(appointment=visit, now=now)
    stale = _copy(visit)
    actions[first](visit)
    status = Appointment.objects.get(pk=visit.pk).status
    message = _refused(lambda: actions[second](stale))
    assert message.startswith(f"This visit was {words} by Carol Manager at ")
    assert Appointment.objects.get(pk=visit.pk).status == status


def test_only_the_changed_fields_are_written(visit, carol):
    """A cancel writes status and reason only: a note edited meanwhile survives."""
    stale = _copy(visit)
    Appointment.objects.filter(pk=visit.pk).update(note="Bring the scan")
    appointment_cancel(appointment=stale, reason="Ill", by=carol)
    visit.refresh_from_db()
    assert visit.note == "Bring the scan" and visit.status == Status.CANCELLED


# --- the pages ---------------------------------------------------------------------------------


def test_the_reschedule_page_keeps_the_typed_time_and_shows_who_cancelled(
    therapist_client, visit, carol
):
    appointment_cancel(appointment=visit, reason="Ill", by=carol)
    day = clinic_time(3, 10).date().isoformat()
    response = therapist_client.post(
        reverse("sessions:appointment_reschedule", args=[visit.pk]),
        {"day": day, "at": "15:35", "minutes": 45},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This visit was cancelled by Carol Manager at " in page
    assert f'value="{day}"' in page and 'value="15:35"' in page and 'value="45"' in page


def test_the_cancel_page_keeps_the_typed_reason_when_refused(manager_client, visit, therapist):
    """Refused because the visit was moved on to checked in: the page shows the visit as it is
    now with the message; a too-long reason comes back as typed."""
    appointment_check_in(appointment=visit, by=therapist)
    response = manager_client.post(
        reverse("sessions:appointment_cancel", args=[visit.pk]), {"reason": "Rang in ill"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This visit was checked in by Alice" in page and "it was not cancelled." in page
    visit.refresh_from_db()
    assert visit.status == Status.CHECKED_IN and visit.cancellation_reason == ""
    other = AppointmentFactory(client=visit.client, starts_at=clinic_time(2, 10))
    response = manager_client.post(
        reverse("sessions:appointment_cancel", args=[other.pk]), {"reason": "x" * 301}
    )
    assert response.status_code == 200 and "x" * 301 in response.content.decode()


def test_the_check_in_page_keeps_the_answers_when_someone_cancelled(therapist_client, visit, carol):
    appointment_cancel(appointment=visit, reason="Ill", by=carol)
    answers = {name: "no" for name in ALL_NO}
    response = therapist_client.post(
        reverse("sessions:appointment_check_in", args=[visit.pk]), answers
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "This visit was cancelled by Carol Manager at " in page
    # Every answer given is still ticked.
    assert page.count(" checked") >= len(ALL_NO)


def test_a_checked_in_client_who_declines_ends_the_visit(therapist_client, visit, therapist):
    appointment_check_in(appointment=visit, by=therapist)
    response = therapist_client.post(
        reverse("sessions:appointment_refuse", args=[visit.pk]), {"reason": "Too sore today"}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.REFUSED and visit.not_treated_reason == "Too sore today"
