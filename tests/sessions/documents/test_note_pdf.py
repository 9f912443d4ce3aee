import hashlib

import pytest
from django.urls import reverse

from sessions.charting import services as charting
from sessions.models.note import SignedNotePdf
from tests.intake.factories import AssessmentFactory, ScreeningFactory, positive_slr
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import (
    NoteTechniqueFactory,
    SessionNoteFactory,
    signed_note_create,
)

pytestmark = pytest.mark.django_db


def _url(note):
    return reverse("sessions:note_pdf", args=[note.client_id, note.pk])


@pytest.fixture
def signed(therapist):
    return signed_note_create(
        client__therapist=therapist,
        client__first_name="Zoë",
        client__last_name="Ñúñez-O'Brien",
        client_report="Pain after sitting <img src=http://127.0.0.1:9/>",
    )


def test_the_owner_and_the_manager_download_it(therapist_client, signed):
    response = therapist_client.get(_url(signed))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'inline; filename="session-note-zoe-nunez-obrien-2026-03-02.pdf"'
    )


def test_the_manager_downloads_the_same_bytes(therapist_client, manager_client, signed):
    first = therapist_client.get(_url(signed)).content
    assert manager_client.get(_url(signed)).content == first


def test_a_colleague_gets_404(colleague_client, signed):
    assert colleague_client.get(_url(signed)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, signed):
    response = client.get(_url(signed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_pdf_prints_the_whole_note(therapist_client, signed, therapist):
    charting.note_amend(note=signed, author=therapist, text="Pain after was 3, not 4.")

    text = pdf_text(therapist_client.get(_url(signed)).content)

    for expected in (
        "Session note",
        "Zoë Ñúñez-O'Brien",
        "Monday 2 March 2026",
        "Alice",
        "Pain after sitting <img src=http://127.0.0.1:9/>",
        "Pain before 6/10",
        "Left piriformis tender",
        "Pain after 4/10",
        "Twice a week for 2 weeks",
        "Sacral scoring and friction Prone Moderate 8",
        '"Hubcap" release Prone Light 6',
        "Total 14",
        "Signed electronically by Alice",
        "Pain after was 3, not 4.",
    ):
        assert expected in text, expected
    assert "DRAFT" not in text


def test_a_draft_says_so_and_shows_its_latest_content(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    NoteTechniqueFactory(note=note)
    first = pdf_text(therapist_client.get(_url(note)).content)

    charting.note_update(note=note, user=therapist, soap={"findings": "Now with a tight TFL"})
    second = pdf_text(therapist_client.get(_url(note)).content)

    assert "DRAFT – not signed" in first and "Not signed." in first
    assert "Now with a tight TFL" in second
    assert not SignedNotePdf.objects.exists()


def test_the_retest_prints_with_the_not_a_diagnosis_line(therapist_client, signed):
    note = SessionNoteFactory(client=signed.client, visit_date=signed.visit_date.replace(day=9))
    note.retest = AssessmentFactory(client=note.client, **positive_slr(slr_onset_angle=50))
    note.save()

    text = pdf_text(therapist_client.get(_url(note)).content)

    assert "Straight leg raise: Shooting pain past the left knee at 50°" in text
    assert "they are not a medical diagnosis" in text


def test_a_signed_note_prints_the_same_bytes_every_time(therapist_client, signed):
    first = therapist_client.get(_url(signed)).content
    signed.client.first_name = "Renamed"
    signed.client.save()
    second = therapist_client.get(_url(signed)).content

    assert first == second
    stored = SignedNotePdf.objects.get(note=signed)
    assert bytes(stored.pdf) == first
    assert stored.sha256 == hashlib.sha256(first).hexdigest()
    assert stored.amendment_count == 0


def test_an_amendment_prints_a_new_version_and_keeps_the_old(therapist_client, signed, therapist):
    before = therapist_client.get(_url(signed)).content
    charting.note_amend(note=signed, author=therapist, text="Typo in the findings.")

    after = therapist_client.get(_url(signed)).content

    assert after != before
    assert "Typo in the findings." in pdf_text(after)
    assert therapist_client.get(_url(signed)).content == after
    versions = dict(SignedNotePdf.objects.values_list("amendment_count", "sha256"))
    assert versions == {
        0: hashlib.sha256(before).hexdigest(),
        1: hashlib.sha256(after).hexdigest(),
    }


# The race between two servers' first prints: test_note_pdf_frozen_at_signing.py (older notes).


def test_a_signed_refusal_note_prints_the_referral_and_no_techniques(therapist_client, therapist):
    note = SessionNoteFactory(
        client__therapist=therapist,
        client_report="Pain at night that does not ease.",
        working_hypothesis="Red flag (unrelenting night pain): no massage today.",
        response_to_treatment="",
        pain_after=None,
        frequency="",
        home_care_given="",
        referrals="Referred to her physician, to be seen soon.",
    )
    ScreeningFactory(client=note.client, night_pain=True)
    charting.note_sign(note=note, user=therapist)

    text = pdf_text(therapist_client.get(_url(note)).content)

    assert "Red flag (unrelenting night pain): no massage today." in text
    assert "Referred to her physician, to be seen soon." in text
    assert "No techniques recorded." in text
