from datetime import date

import pytest
from django.urls import reverse

from intake.rules import NOT_A_DIAGNOSIS, Side
from sessions.documents import referral
from tests.intake.factories import (
    AssessmentFactory,
    ClientFactory,
    HealthHistoryFactory,
    ScreeningFactory,
    positive_slr,
)
from tests.sessions.documents.pdf_text import pdf_text

pytestmark = pytest.mark.django_db


def _url(client):
    return reverse("sessions:referral_letter", args=[client.pk])


@pytest.fixture
def emergency(therapist):
    client = ClientFactory(
        therapist=therapist,
        first_name="Zoë",
        last_name="Ñúñez-O'Brien",
        physician_name="Dr <img src=http://127.0.0.1:9/>",
    )
    HealthHistoryFactory(client=client, aggravating_factors="Coughing")
    ScreeningFactory(client=client, screened_on=date(2026, 3, 2), saddle_anaesthesia=True)
    AssessmentFactory(client=client, assessed_on=date(2026, 3, 2), **positive_slr())
    return client


def test_an_emergency_letter(therapist_client, emergency):
    response = therapist_client.get(_url(emergency))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Referral letter",
        "EMERGENCY: to be seen at an emergency department today",
        "The emergency department, copy to Dr <img src=http://127.0.0.1:9/>",
        "Zoë Ñúñez-O'Brien, born 17 May 1980",
        "screening of 2 March 2026",
        "Saddle anaesthesia: numbness in the groin, inner thighs or perineum",
        "Straight leg raise, left: pain travelling down the leg past the knee, from 45°",
        "Made worse by: Coughing.",
        NOT_A_DIAGNOSIS,
        referral.TREATMENT_EMERGENCY,
        "Yours sincerely, Alice",
    ):
        assert expected in text, expected


def test_a_non_emergency_red_flag_asks_for_a_physician_soon(therapist_client, therapist):
    client = ClientFactory(therapist=therapist, physician_name="Dr Patel")
    ScreeningFactory(client=client, night_pain=True)

    text = pdf_text(therapist_client.get(_url(client)).content)

    assert "Please see a physician soon (not an emergency)" in text
    assert "To Dr Patel" in text
    assert "Unrelenting night pain" in text
    assert referral.TREATMENT_REFERRED in text
    assert "EMERGENCY" not in text


def test_an_absolute_contraindication_asks_for_clearance(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, infection_or_wound=True)

    text = pdf_text(therapist_client.get(_url(client)).content)

    assert "Active infection, open wound or burn in the treatment area" in text
    assert referral.REQUEST_CLEARANCE in text
    assert "The client's physician" in text


def test_a_plan_suggesting_medical_follow_up_gets_a_letter(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client)
    AssessmentFactory(
        client=client, **positive_slr(bragard_side=Side.LEFT, bragard_pain_returned=True)
    )

    text = pdf_text(therapist_client.get(_url(client)).content)

    assert referral.FOLLOW_UP_REASON in text
    assert (
        "Bragard's test, left: with the leg lowered until the pain stopped, the pain returned"
        in text
    )
    assert referral.TREATMENT_WITHIN_SCOPE in text


def test_no_letter_when_none_is_due_says_why(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client)

    response = therapist_client.get(_url(client), follow=True)

    assert response.redirect_chain
    assert referral.REFERRAL_NOT_INDICATED in response.content.decode()


def test_no_letter_before_a_screening_says_why(therapist_client, therapist):
    client = ClientFactory(therapist=therapist)

    response = therapist_client.get(_url(client), follow=True)

    assert referral.REFERRAL_NOT_SCREENED in response.content.decode()


def test_the_manager_may_print_it_signed_by_the_clients_therapist(manager_client, emergency):
    text = pdf_text(manager_client.get(_url(emergency)).content)

    assert "Yours sincerely, Alice" in text
    assert "Carol" not in text


def test_a_colleague_gets_404(colleague_client, emergency):
    assert colleague_client.get(_url(emergency)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, emergency):
    response = client.get(_url(emergency))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
