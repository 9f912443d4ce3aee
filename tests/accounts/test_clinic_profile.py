"""The clinic profile: the manager keeps the clinic's name, address, phone and email, and
every PDF and email carries them."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from accounts.clinic import clinic_profile
from accounts.models import ClinicProfile
from accounts.views import CLINIC_PROFILE_MANAGER_ONLY, CLINIC_PROFILE_SAVED
from tests.security.world import browser_for, world_build
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import signed_note_create

pytestmark = pytest.mark.django_db

DETAILS = {
    "name": "Riverside Sciatica Clinic",
    "address": "12 Mill Lane\r\nLeeds LS1 4AB\r\n",
    "phone": "0113 496 0000",
    "email": "desk@riverside.example",
}


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_the_manager_saves_the_clinics_details(manager_client):
    response = manager_client.post(reverse("accounts:clinic_profile"), DETAILS, follow=True)
    assert CLINIC_PROFILE_SAVED in _html(response)
    profile = ClinicProfile.objects.get()
    assert profile.address == "12 Mill Lane\nLeeds LS1 4AB"
    assert clinic_profile().name == "Riverside Sciatica Clinic"
    # Every page is headed with the new name.
    assert "<title>Clinic profile · Riverside Sciatica Clinic</title>" in _html(response)


def test_bad_input_is_named_and_nothing_changes(manager_client):
    response = manager_client.post(
        reverse("accounts:clinic_profile"), DETAILS | {"email": "desk at riverside", "name": ""}
    )
    html = _html(response)
    assert "Enter a valid email address." in html
    assert "This field is required." in html
    assert not ClinicProfile.objects.exists()
    # The profile every other page reads is untouched by the refused form.
    assert clinic_profile().name == "Sciatica Clinic"
    assert clinic_profile().email == ""


def test_a_name_typed_over_two_lines_is_kept_on_one(manager_client):
    manager_client.post(
        reverse("accounts:clinic_profile"), DETAILS | {"name": "Riverside\r\nClinic"}
    )
    assert ClinicProfile.objects.get().name == "Riverside Clinic"


def test_every_pdf_carries_the_clinic_details():
    world = world_build()
    browser = browser_for(world.manager)
    browser.post(reverse("accounts:clinic_profile"), DETAILS)
    own = world.own
    owner = browser_for(own.therapist)
    # A note signed now carries today's details; one signed before keeps its letterhead.
    signed_now = signed_note_create(client=own.client, visit_date=date(2026, 1, 5))
    for url in (
        reverse("sessions:referral_letter", args=[own.client.pk]),
        reverse("sessions:home_care_sheet", args=[own.client.pk]),
        reverse("sessions:note_pdf", args=[own.client.pk, signed_now.pk]),
    ):
        response = owner.get(url)
        assert response.status_code == 200, url
        text = pdf_text(response.content)
        for part in (
            "Riverside Sciatica Clinic",
            "12 Mill Lane",
            "Leeds LS1 4AB",
            "Phone 0113 496 0000",
            "desk@riverside.example",
        ):
            assert part in text, (url, part)
    signed_before = pdf_text(
        owner.get(reverse("sessions:note_pdf", args=[own.client.pk, own.signed_note.pk])).content
    )
    assert "Riverside Sciatica Clinic" not in signed_before
    assert "12 Mill Lane" not in signed_before


def test_the_test_email_reaches_the_manager(manager_client, manager, smtp_server):
    manager.email = "carol@clinic.example"
    manager.save()
    response = manager_client.post(reverse("accounts:clinic_email_check"), follow=True)
    assert "A test message was sent to carol@clinic.example" in _html(response)
    (received,) = smtp_server.to("carol@clinic.example")
    assert received.body.startswith("Hello Carol,")


def test_the_test_email_needs_an_address(manager_client):
    response = manager_client.post(reverse("accounts:clinic_email_check"), follow=True)
    assert "Your account has no email address" in _html(response)


def test_a_therapist_cannot_edit_the_clinic(therapist_client):
    for method, url in (
        ("get", reverse("accounts:clinic_profile")),
        ("post", reverse("accounts:clinic_profile")),
        ("post", reverse("accounts:clinic_email_check")),
    ):
        response = getattr(therapist_client, method)(url, DETAILS)
        assert response.status_code == 403
        assert CLINIC_PROFILE_MANAGER_ONLY in _html(response)
    assert not ClinicProfile.objects.exists()


def test_nobody_signed_out_reaches_it():
    response = HttpClient().get(reverse("accounts:clinic_profile"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
