"""A repeat screening (clinical rules §2): the lasting conditions and medications start from
the last screening, marked "still true?" and saved only once confirmed; the red flags and
the absolute contraindications are asked afresh every time; finger-sized Yes/No buttons in
one order, here and at check-in."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.forms import CARRIED_NOT_CONFIRMED
from intake.models import Screening
from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    CARRIED_QUESTIONS,
    RED_FLAG_QUESTIONS,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
    SCREENING_QUESTIONS,
    ScreeningAnswers,
    screening_carry_forward,
)
from tests.intake.factories import ClientFactory, ScreeningFactory
from tests.sessions.factories import AppointmentFactory, clinic_time

pytestmark = pytest.mark.django_db

EVERY_YES = ScreeningAnswers(**{q.name: True for q in SCREENING_QUESTIONS}, pregnancy_weeks=10)


# --- the rule ------------------------------------------------------------------------------


def test_only_the_lasting_conditions_are_carried_never_a_red_flag_or_todays_contraindications():
    carried = screening_carry_forward(
        EVERY_YES, screened_on=date(2026, 3, 1), today=date(2026, 3, 1)
    )
    assert set(carried) - {"pregnancy_weeks"} == {q.name for q in CARRIED_QUESTIONS}
    assert CARRIED_QUESTIONS == RELATIVE_CONTRAINDICATION_QUESTIONS
    for question in RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS:
        assert question.name not in carried


def test_a_pregnancy_is_carried_with_its_weeks_counted_on():
    carried = screening_carry_forward(
        EVERY_YES, screened_on=date(2026, 3, 1), today=date(2026, 3, 1) + timedelta(days=27)
    )
    assert carried["pregnant"] is True and carried["pregnancy_weeks"] == 13


def test_a_pregnancy_past_its_term_is_asked_afresh():
    carried = screening_carry_forward(
        EVERY_YES, screened_on=date(2026, 1, 1), today=date(2026, 12, 1)
    )
    assert "pregnant" not in carried and "pregnancy_weeks" not in carried


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def record(therapist):
    return ClientFactory(therapist=therapist, first_name="Tom", last_name="Becker")


def _url(record):
    return reverse("intake:screening_create", args=[record.pk])


def _checked(html: str, name: str) -> str | None:
    """The value of the checked radio named `name`, or None."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def _answers(**given) -> dict:
    data = {q.name: "no" for q in SCREENING_QUESTIONS}
    data.update(given)
    return {"screened_on": timezone.localdate().isoformat(), **data}


def test_a_first_screening_starts_blank_with_nothing_to_confirm(therapist_client, record):
    html = therapist_client.get(_url(record)).content.decode()
    for question in SCREENING_QUESTIONS:
        assert _checked(html, question.name) is None
    assert 'name="carried_confirmed"' not in html
    assert "still true?" not in html


def test_a_repeat_screening_starts_from_the_last_ones_lasting_conditions(therapist_client, record):
    ScreeningFactory(
        client=record,
        screened_on=date(2026, 10, 1),
        night_pain=True,
        acute_inflammation=True,
        osteoporosis=True,
        muscle_relaxants=True,
    )
    html = therapist_client.get(_url(record)).content.decode()
    assert _checked(html, "osteoporosis") == "yes"
    assert _checked(html, "muscle_relaxants") == "yes"
    assert _checked(html, "athlete") == "no"
    # A red flag and today's contraindications: asked afresh, nothing ticked.
    for question in RED_FLAG_QUESTIONS + ABSOLUTE_CONTRAINDICATION_QUESTIONS:
        assert _checked(html, question.name) is None, question.name
    assert html.count("From the screening of 1 Oct 2026: still true?") == len(CARRIED_QUESTIONS)
    assert 'name="carried_confirmed"' in html


def test_carried_answers_are_saved_only_once_confirmed(therapist_client, record):
    earlier = ScreeningFactory(client=record, screened_on=date(2026, 10, 1), osteoporosis=True)
    data = _answers(osteoporosis="yes", carried_from=earlier.pk)
    response = therapist_client.post(_url(record), data)
    assert response.status_code == 200
    assert response.context["form"].errors["carried_confirmed"] == [CARRIED_NOT_CONFIRMED]
    assert Screening.objects.filter(client=record).count() == 1

    response = therapist_client.post(_url(record), {**data, "carried_confirmed": "on"})
    assert response.status_code == 302
    fresh = Screening.objects.filter(client=record).order_by("-id").first()
    assert fresh != earlier and fresh.screened_on == timezone.localdate()
    assert fresh.osteoporosis is True


def test_a_changed_carried_answer_is_what_is_saved(therapist_client, record):
    earlier = ScreeningFactory(client=record, screened_on=date(2026, 10, 1), osteoporosis=True)
    therapist_client.post(
        _url(record),
        _answers(osteoporosis="no", carried_from=earlier.pk, carried_confirmed="on"),
    )
    assert Screening.objects.order_by("-id").first().osteoporosis is False


def test_a_red_flag_still_needs_its_own_answer_on_a_repeat_screening(therapist_client, record):
    earlier = ScreeningFactory(client=record, screened_on=date(2026, 10, 1))
    data = _answers(carried_from=earlier.pk, carried_confirmed="on")
    del data["saddle_anaesthesia"]
    response = therapist_client.post(_url(record), data)
    assert response.status_code == 200
    assert "saddle_anaesthesia" in response.context["form"].errors
    assert Screening.objects.count() == 1


def test_a_red_flag_answered_yes_on_a_repeat_screening_still_refers(therapist_client, record):
    earlier = ScreeningFactory(client=record, screened_on=date(2026, 10, 1), osteoporosis=True)
    therapist_client.post(
        _url(record),
        _answers(
            osteoporosis="yes",
            night_pain="yes",
            carried_from=earlier.pk,
            carried_confirmed="on",
        ),
    )
    record.refresh_from_db()
    assert record.safety_status == "refer_now"


# --- one order everywhere, as buttons ------------------------------------------------------


def _order(html: str, names) -> list[tuple[str, str]]:
    """(question, answer) of every radio of `names`, in page order."""
    pattern = r'<input type="radio"[^>]*name="([a-z_]+)"[^>]*value="(yes|no)"'
    return [(n, v) for n, v in re.findall(pattern, html) if n in names]


def test_the_check_in_asks_the_red_flags_in_the_screenings_order_with_the_same_buttons(
    therapist_client, record
):
    ScreeningFactory(client=record, screened_on=date(2026, 10, 1))
    visit = AppointmentFactory(client=record, starts_at=clinic_time(0, 23, 0), minutes=30)
    names = {q.name for q in RED_FLAG_QUESTIONS}
    screening = therapist_client.get(_url(record)).content.decode()
    check_in = therapist_client.get(
        reverse("sessions:appointment_check_in", args=[visit.pk])
    ).content.decode()
    expected = [(q.name, answer) for q in RED_FLAG_QUESTIONS for answer in ("yes", "no")]
    assert _order(screening, names) == expected
    assert _order(check_in, names) == expected
    for html in (screening, check_in):
        assert html.count('class="btn-check') >= 2 * len(RED_FLAG_QUESTIONS)
        assert "yes-no-button" in html
