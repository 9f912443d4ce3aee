from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.sessions.factories import SessionNoteFactory, signed_note_create

pytestmark = pytest.mark.django_db


def _days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def test_drafts_older_than_the_setting_are_listed_on_the_home_page(
    therapist_client, therapist, colleague, settings
):
    settings.UNSIGNED_NOTE_DAYS = 2
    overdue = SessionNoteFactory(
        client__therapist=therapist, client__first_name="Zoë", visit_date=_days_ago(3)
    )
    SessionNoteFactory(
        client__therapist=therapist, client__first_name="Recent", visit_date=_days_ago(2)
    )
    signed_note_create(
        client__therapist=therapist, client__first_name="Inked", visit_date=_days_ago(9)
    )
    SessionNoteFactory(
        client__therapist=colleague, client__first_name="Other", visit_date=_days_ago(9)
    )

    page = therapist_client.get(reverse("home")).content.decode()

    assert "Unsigned notes older than 2 days" in page
    assert overdue.get_absolute_url() in page
    assert "Zoë" in page
    for name in ("Recent", "Inked", "Other"):
        assert name not in page


def test_no_panel_without_overdue_drafts(therapist_client, therapist):
    SessionNoteFactory(client__therapist=therapist, visit_date=timezone.localdate())

    assert "Unsigned notes" not in therapist_client.get(reverse("home")).content.decode()
