"""A complete, valid intake form as the client's phone would send it."""

from __future__ import annotations

from intake.rules import RED_FLAG_QUESTIONS


def intake_post(**overrides) -> dict:
    data = {
        "phone": "07700 900123",
        "email": "sarah@example.org",
        "address": "1 High Street",
        "pain_location": "Right buttock down to the calf",
        "onset_date": "2026-01-10",
        "pain_now": "6",
        "pain_worst": "8",
        "pain_best": "2",
        "aggravating_factors": "Sitting",
        "previous_treatments": "Ibuprofen",
        "medications": "Ibuprofen",
        "conditions": "",
        "pregnant": "no",
        "pregnancy_weeks": "",
        "psfs_activity_1": "Sitting through a film",
        "psfs_score_1": "3",
        "psfs_activity_2": "",
        "psfs_score_2": "",
        "psfs_activity_3": "",
        "psfs_score_3": "",
        "pain_map": ["buttock_right:pain", "calf_right:tingling"],
        "consent": "on",
        "signature": "Sarah Mitchell",
    }
    for question in RED_FLAG_QUESTIONS:
        data[f"red_flag_{question.name}"] = "no"
    data.update(overrides)
    return data
