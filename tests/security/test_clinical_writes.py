"""Who writes the clinical record (README "Roles"): the client's own therapist alone. The clinic
manager reads every record and runs the front desk (booking, moving, cancelling, no-shows, a
client's identity and contact details); every clinical write answers the manager 403 with the
reason and changes nothing, and the manager's pages offer no button that would."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from intake.access import CLINICAL_WRITE_REFUSED
from intake.models import Client
from intake.rules import RED_FLAG_QUESTIONS, SCREENING_QUESTIONS
from sessions.models import Appointment
from tests.security.html_forms import post_forms
from tests.security.world import (
    browser_for,
    changes_describe,
    corner_pages,
    post_isolated,
    world_build,
)
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

# The clinical writes, by URL name: what the policy names, not what the code happens to check.
CLINICAL_WRITES = {
    "intake:health_history_edit",
    "intake:screening_create",
    "intake:assessment_create",
    "sessions:plan_review",
    "sessions:note_create",
    "sessions:note_edit",
    "sessions:note_sign",
    "sessions:note_amend",
    "sessions:appointment_check_in",
    "sessions:appointment_complete",
}
# With the planner, which exists only to accept a plan: the manager gets 403 there too (the
# authorization matrix checks every GET).
CLINICAL_PAGES = CLINICAL_WRITES | {"sessions:plan_new"}


@pytest.fixture
def world():
    world = world_build()
    # Today's visits of the owner's client, so check-in, completion and no-show apply.
    client = world.own.client
    world.in_room = AppointmentFactory(
        client=client,
        starts_at=clinic_time(0, 0, 5),
        minutes=30,
        status=Appointment.Status.CHECKED_IN,
    )
    # Started a minute ago (whatever the time of day), so a no-show may be marked.
    a_minute_ago = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    world.late = AppointmentFactory(client=client, starts_at=a_minute_ago, minutes=30)
    world.arriving = AppointmentFactory(client=client, starts_at=clinic_time(0, 23, 0))
    return world


def _view_name(url: str) -> str | None:
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return None


def _pages(world) -> list[str]:
    """Every page of the owner's client's records, and the day's list and appointments."""
    return [
        *corner_pages(world.own),
        reverse("sessions:today"),
        *(visit.get_absolute_url() for visit in (world.in_room, world.late, world.arriving)),
        reverse("sessions:run_sheet", args=[world.in_room.pk]),
    ]


def _clinical_posts(world) -> dict[str, tuple[str, dict]]:
    """One POST per clinical write, as the client's therapist sends it from their pages."""
    therapist = browser_for(world.own.therapist)
    posts = {}
    for url in _pages(world):
        response = therapist.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        for form in post_forms(response.content.decode(), page_url=url):
            name = _view_name(form.action)
            if name in CLINICAL_WRITES and name not in posts:
                posts[name] = (form.action, form.data())
    # What a therapist types or ticks where the forms start blank: every question answered.
    today = timezone.localdate().isoformat()
    answers = {
        # a repeat screening: the carried answers confirmed as still true
        "intake:screening_create": {q.name: "no" for q in SCREENING_QUESTIONS}
        | {"screened_on": today, "carried_confirmed": "on"},
        "intake:assessment_create": {
            "assessed_on": today,
            "slr_side": "right",
            "slr_pain": "none",
            "piriformis_side": "right",
            "piriformis_buttock_pain": "yes",
            "piriformis_radiating_pain": "yes",
        },
        "sessions:note_amend": {"text": "Pain after was 3, not 4."},
    }
    for name, typed in answers.items():
        url, data = posts[name]
        posts[name] = (url, data | typed)
    posts["sessions:appointment_check_in"] = (
        reverse("sessions:appointment_check_in", args=[world.arriving.pk]),
        {question.name: "no" for question in RED_FLAG_QUESTIONS},
    )
    return posts


def test_every_clinical_post_by_the_manager_is_refused_with_the_reason_and_changes_nothing(world):
    posts = _clinical_posts(world)
    assert posts.keys() == CLINICAL_WRITES, "a clinical write has no form on the owner's pages"
    manager, therapist = browser_for(world.manager), browser_for(world.own.therapist)
    reason = CLINICAL_WRITE_REFUSED.format(therapist="Alice")

    problems = []
    for name, (url, data) in sorted(posts.items()):
        response, changes = post_isolated(manager, url, data)
        if response.status_code != 403 or changes:
            problems.append(f"manager {name}: {response.status_code} {changes_describe(changes)}")
        elif reason not in unescape(response.content.decode()):
            problems.append(f"manager {name}: the 403 page does not say why")
        # The very same POST by the client's therapist writes: it was a real write refused.
        response, changes = post_isolated(therapist, url, data)
        if response.status_code >= 400 or not changes:
            problems.append(f"therapist {name}: {response.status_code}, nothing written")
    assert problems == [], "\n".join(problems)


def _targets(html: str) -> set[str]:
    """The URL names every link and form of a page points at."""
    found = set()
    for url in re.findall(r'(?:href|action)="([^"#]*)', html):
        name = _view_name(unescape(url)) if url.startswith("/") else None
        if name:
            found.add(name)
    return found


def test_the_manager_sees_no_button_for_a_clinical_write_and_the_therapist_sees_each(world):
    shown = {"manager": set(), "therapist": set()}
    for who, user in (("manager", world.manager), ("therapist", world.own.therapist)):
        browser = browser_for(user)
        for url in _pages(world):
            response = browser.get(url)
            if response.status_code == 200 and "html" in response["Content-Type"]:
                shown[who] |= _targets(response.content.decode())
    assert shown["manager"] & CLINICAL_PAGES == set()
    assert shown["therapist"] >= CLINICAL_PAGES
    # What the manager may do is still offered.
    assert {
        "intake:client_edit",
        "sessions:appointment_book",
        "sessions:appointment_series_book",
        "sessions:appointment_reschedule",
        "sessions:appointment_cancel",
        "sessions:appointment_no_show",
        "sessions:note_pdf",
        "sessions:home_care_sheet",
        "sessions:referral_letter",
        "sessions:run_sheet",
    } <= shown["manager"]


def test_the_manager_still_books_moves_cancels_and_marks_no_shows(world):
    manager = browser_for(world.manager)
    client = world.own.client
    day = clinic_time(3, 9).date().isoformat()

    booked = manager.post(
        reverse("sessions:appointment_book") + f"?client={client.pk}",
        {"day": day, "at": "09:00", "minutes": 60},
    )
    assert booked.status_code == 302
    appointment = Appointment.objects.get(client=client, starts_at=clinic_time(3, 9))
    assert appointment.therapist == world.own.therapist

    moved = manager.post(
        reverse("sessions:appointment_reschedule", args=[appointment.pk]),
        {"day": day, "at": "14:00", "minutes": 45},
    )
    assert moved.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == clinic_time(3, 14) and appointment.minutes == 45

    manager.post(
        reverse("sessions:appointment_cancel", args=[appointment.pk]), {"reason": "Called in ill"}
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED

    manager.post(reverse("sessions:appointment_no_show", args=[world.late.pk]))
    world.late.refresh_from_db()
    assert world.late.status == Appointment.Status.NO_SHOW


def test_the_manager_edits_contact_details_but_not_the_clinical_intake_fields(world):
    manager = browser_for(world.manager)
    client = world.own.client
    url = reverse("intake:client_edit", args=[client.pk])
    page = manager.get(url).content.decode()
    assert 'name="phone"' in page and 'name="occupation"' not in page
    assert 'name="consent_given"' not in page and 'name="diagnosis_codes"' not in page

    response = manager.post(
        url,
        {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "date_of_birth": client.date_of_birth.isoformat(),
            "therapist": client.therapist_id,
            "phone": "555 0199",
            "email": "new@example.org",
            "address": "1 New Street",
            # Not on the manager's form: ignored.
            "occupation": "Changed by the manager",
            "diagnosis_codes": "M54.31",
        },
    )

    assert response.status_code == 302
    saved = Client.objects.get(pk=client.pk)
    assert (saved.phone, saved.email, saved.address) == (
        "555 0199",
        "new@example.org",
        "1 New Street",
    )
    assert saved.occupation == client.occupation
    assert list(saved.diagnoses.all()) == list(client.diagnoses.all())


def test_the_client_form_keeps_the_clinical_fields_for_the_therapist(world):
    page = browser_for(world.own.therapist).get(
        reverse("intake:client_edit", args=[world.own.client.pk])
    )
    body = page.content.decode()
    assert 'name="occupation"' in body and 'name="consent_given"' in body
