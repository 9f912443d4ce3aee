from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.intake.factories import AssessmentFactory, positive_slr
from tests.sessions.documents.pdf_text import pdf_text
from tests.sessions.factories import SessionNoteFactory, signed_note_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 2)


@pytest.fixture
def course(therapist):
    """Four visits: pain before 7, 6, 5, 4 (the MCID is reached at the third)."""
    first = SessionNoteFactory(
        client__therapist=therapist, visit_date=DAY, pain_before=7, pain_after=5
    )
    client = first.client
    for week, (before, after) in enumerate([(6, 5), (5, 3), (4, 3)], start=1):
        SessionNoteFactory(
            client=client,
            visit_date=DAY + timedelta(days=7 * week),
            pain_before=before,
            pain_after=after,
        )
    AssessmentFactory(client=client, assessed_on=DAY, **positive_slr(slr_onset_angle=40))
    AssessmentFactory(
        client=client, assessed_on=DAY + timedelta(days=14), **positive_slr(slr_onset_angle=55)
    )
    return client


def test_the_notes_page_draws_the_progress_as_inline_svg(therapist_client, course):
    page = therapist_client.get(reverse("sessions:note_list", args=[course.pk])).content.decode()

    assert page.count('<svg class="progress-chart"') == 2
    assert "Pain (0-10)" in page and "Straight leg raise" in page
    assert "Clinically important improvement" in page
    assert "reached on 16 Mar 2026" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'style="' not in page


def test_without_data_the_progress_panel_says_where_it_comes_from(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist, pain_before=None, pain_after=None)
    note.client.session_notes.all().delete()

    page = therapist_client.get(
        reverse("sessions:note_list", args=[note.client_id])
    ).content.decode()

    assert "No pain scores or straight leg raise readings yet" in page


def test_the_note_pdf_shows_the_progress_up_to_its_visit(therapist_client, course):
    third = course.session_notes.get(visit_date=DAY + timedelta(days=14))
    second = course.session_notes.get(visit_date=DAY + timedelta(days=7))

    third_text = pdf_text(
        therapist_client.get(reverse("sessions:note_pdf", args=[course.pk, third.pk])).content
    )
    second_text = pdf_text(
        therapist_client.get(reverse("sessions:note_pdf", args=[course.pk, second.pk])).content
    )

    assert "Progress to this visit" in third_text
    assert "reached on 16 Mar 2026" in third_text
    assert "23 Mar" not in third_text  # the later visit is not on this note's chart
    assert "Progress to this visit" in second_text
    assert "Clinically important improvement in pain" not in second_text


def test_the_note_list_query_count_stays_flat_with_the_charts(
    therapist_client, therapist, django_assert_num_queries
):
    note = signed_note_create(client__therapist=therapist)
    url = reverse("sessions:note_list", args=[note.client_id])
    therapist_client.get(url)  # the first request after login saves the session
    # Session, user, manager check, client, the notes' count and page, the two progress queries,
    # the audit event: nine, however many notes and assessments there are.
    with django_assert_num_queries(9) as one:
        therapist_client.get(url)
    for week in range(1, 6):
        SessionNoteFactory(
            client=note.client, visit_date=note.visit_date + timedelta(days=7 * week)
        )
        AssessmentFactory(
            client=note.client,
            assessed_on=note.visit_date + timedelta(days=7 * week),
            **positive_slr(),
        )

    with django_assert_num_queries(len(one.captured_queries)):
        response = therapist_client.get(url)
    assert response.content.decode().count("Draft") == 5


def test_with_readings_but_no_pain_scores_the_pain_chart_is_a_sentence(therapist_client, therapist):
    note = SessionNoteFactory(client__therapist=therapist)
    client = note.client
    client.session_notes.all().delete()
    AssessmentFactory(client=client, assessed_on=date(2026, 3, 2), **positive_slr())

    page = therapist_client.get(client.get_absolute_url()).content.decode()

    assert "No pain scores yet: they come from the session notes." in page
    assert 'id="pain-chart-title"' not in page
    assert 'id="slr-chart-title"' in page
