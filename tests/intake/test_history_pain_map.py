"""The therapist marks the body pain map on their own history form: it fills the side and
"radiates past the knee" (clinical rules §2.5) and shows on the chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.models import HealthHistory
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_the_therapist_marks_the_map_and_it_fills_the_side(therapist_client, therapist):
    record = ClientFactory(therapist=therapist)
    url = reverse("intake:health_history_edit", args=[record.pk])
    page = therapist_client.get(url).content.decode()
    assert 'value="calf_left:pain"' in page
    response = therapist_client.post(
        url,
        {
            "pain_location": "Left leg",
            "pain_side": "",
            "pain_now": "4",
            "pain_worst": "7",
            "pain_best": "1",
            "onset_date": "2026-01-10",
            "pain_map": ["calf_left:pain", "foot_top_left:numbness"],
        },
    )
    assert response.status_code == 302
    history = HealthHistory.objects.get(client=record)
    assert history.pain_side == "left"
    assert history.radiates_past_knee
    chart = therapist_client.get(record.get_absolute_url()).content.decode()
    assert "Top of the foot and big toe, left: numbness" in chart


def test_a_forged_mark_is_refused_at_the_field(therapist_client, therapist):
    record = ClientFactory(therapist=therapist)
    response = therapist_client.post(
        reverse("intake:health_history_edit", args=[record.pk]),
        {
            "pain_location": "Left leg",
            "pain_side": "left",
            "pain_now": "4",
            "pain_worst": "7",
            "pain_best": "1",
            "onset_date": "2026-01-10",
            "pain_map": ["spleen_left:pain"],
        },
    )
    assert response.status_code == 200
    assert "spleen_left:pain is not one of the available choices" in response.content.decode()
    assert not HealthHistory.objects.filter(client=record).exists()
