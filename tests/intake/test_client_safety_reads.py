"""`client_safety` reads only the screenings that can matter (those that raised a red flag, and
the latest) and still gives what the rule gives over the whole history (clinical rules
§2.1-2.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from intake import services
from intake.rules.safety import SafetyStatus, safety_evaluate
from intake.services import client_safety
from tests.intake.factories import ClientFactory, MedicalClearanceFactory, ScreeningFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 5)


def rule_over_every_record(client):
    for screening in client.screenings.all():
        screening.client = client
    return safety_evaluate(
        [s.safety_event() for s in client.screenings.all().select_related("client")]
        + [c.safety_event() for c in client.clearances.all()]
    )


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def test_an_old_red_flag_holds_through_many_clean_screenings(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=week(0), night_pain=True)
    for n in range(1, 12):
        ScreeningFactory(client=client, screened_on=week(n))
    safety = client_safety(client=client)
    assert safety.status == SafetyStatus.REFER_NOW
    assert safety.open_red_flags == ("night_pain",)
    assert safety == rule_over_every_record(client)


def test_the_latest_clean_screening_governs_after_a_clearance(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=week(0), saddle_anaesthesia=True)
    MedicalClearanceFactory(client=client, cleared_on=week(1))
    ScreeningFactory(client=client, screened_on=week(2), osteoporosis=True)
    ScreeningFactory(client=client, screened_on=week(3), osteoporosis=True)
    safety = client_safety(client=client)
    assert safety.status == SafetyStatus.TREAT_WITH_MODIFICATIONS
    assert safety == rule_over_every_record(client)


def test_a_clearance_after_the_latest_flagged_screening_keeps_its_other_answers(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=week(0))
    ScreeningFactory(client=client, screened_on=week(1), night_pain=True, acute_inflammation=True)
    MedicalClearanceFactory(client=client, cleared_on=week(2))
    safety = client_safety(client=client)
    assert safety.status == SafetyStatus.DO_NOT_TREAT  # the inflammation was not cleared
    assert safety == rule_over_every_record(client)


def test_a_flag_raised_after_a_clearance_holds_again(therapist):
    client = ClientFactory(therapist=therapist)
    ScreeningFactory(client=client, screened_on=week(0), night_pain=True)
    MedicalClearanceFactory(client=client, cleared_on=week(1))
    ScreeningFactory(client=client, screened_on=week(2), progressive_weakness=True)
    ScreeningFactory(client=client, screened_on=week(3))
    safety = client_safety(client=client)
    assert safety.open_red_flags == ("progressive_weakness",)
    assert safety.status == SafetyStatus.EMERGENCY
    assert safety == rule_over_every_record(client)


def test_the_clean_screenings_between_are_not_read(therapist, monkeypatch):
    client = ClientFactory(therapist=therapist)
    flagged = ScreeningFactory(client=client, screened_on=week(0), night_pain=True)
    for n in range(1, 6):
        ScreeningFactory(client=client, screened_on=week(n))
    latest = ScreeningFactory(client=client, screened_on=week(6))
    given = []

    def recording(events):
        given.extend(events)
        return safety_evaluate(events)

    monkeypatch.setattr(services, "safety_evaluate", recording)
    assert client_safety(client=client).status == SafetyStatus.REFER_NOW
    assert sorted(e.on for e in given) == [flagged.screened_on, latest.screened_on]
