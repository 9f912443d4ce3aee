"""Outcome-measure forms (clinical rules §9.5): the PSFS's activities, an Oswestry score."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.form_tokens import FormTokenMixin
from intake.forms import DATE_IN_FUTURE, date_input
from intake.rules.outcomes import (
    ODI_OUT_OF_RANGE,
    ODI_SCORE_MAX,
    PSFS_ACTIVITIES_MAX,
    PSFS_ACTIVITY_WITHOUT_SCORE,
    PSFS_NO_ACTIVITY,
    PSFS_SCORE_MAX,
    PSFS_SCORE_OUT_OF_RANGE,
    PSFS_SCORE_WITHOUT_ACTIVITY,
)

OUTCOME_ALREADY_SAVED = "Already saved: this score was recorded at {time}."


class _MeasureForm(FormTokenMixin, forms.Form):
    form_repeat_message = OUTCOME_ALREADY_SAVED

    measured_on = forms.DateField(label="Date taken", widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("measured_on", timezone.localdate())

    def clean_measured_on(self):
        value = self.cleaned_data["measured_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(DATE_IN_FUTURE)
        return value


class PsfsForm(_MeasureForm):
    """Up to five activities, each rated 0 (unable) to 10 (as before the problem); the last
    PSFS's activities come filled in, to be rated again."""

    form_token_purpose = "intake.psfs_record"

    def __init__(self, *args, activities: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PSFS_ACTIVITIES_MAX + 1):
            self.fields[f"activity_{i}"] = forms.CharField(
                label=f"Activity {i}", max_length=200, required=False
            )
            self.fields[f"score_{i}"] = forms.IntegerField(
                label=f"Activity {i}: rating (0-{PSFS_SCORE_MAX})",
                required=False,
                min_value=0,
                max_value=PSFS_SCORE_MAX,
                error_messages={
                    "min_value": PSFS_SCORE_OUT_OF_RANGE,
                    "max_value": PSFS_SCORE_OUT_OF_RANGE,
                },
            )
        if not self.is_bound:
            for i, activity in enumerate((activities or [])[:PSFS_ACTIVITIES_MAX], start=1):
                self.initial[f"activity_{i}"] = activity

    def rows(self):
        return [
            (self[f"activity_{i}"], self[f"score_{i}"]) for i in range(1, PSFS_ACTIVITIES_MAX + 1)
        ]

    def clean(self):
        data = super().clean()
        activities = []
        for i in range(1, PSFS_ACTIVITIES_MAX + 1):
            activity = (data.get(f"activity_{i}") or "").strip()
            score = data.get(f"score_{i}")
            if f"score_{i}" in self.errors:
                continue
            if activity and score is None:
                self.add_error(f"score_{i}", PSFS_ACTIVITY_WITHOUT_SCORE.format(activity=activity))
            elif score is not None and not activity:
                self.add_error(f"activity_{i}", PSFS_SCORE_WITHOUT_ACTIVITY)
            elif activity:
                activities.append((activity, score))
        if not activities and not self.errors:
            self.add_error("activity_1", PSFS_NO_ACTIVITY)
        data["activities"] = activities
        return data


class OswestryForm(_MeasureForm):
    """The Oswestry Disability Index as its score only: the questionnaire is licensed, so the
    clinic scores it on the licensed form and records the result here."""

    form_token_purpose = "intake.oswestry_record"

    score = forms.IntegerField(
        label="Oswestry score (%)",
        min_value=0,
        max_value=ODI_SCORE_MAX,
        error_messages={"min_value": ODI_OUT_OF_RANGE, "max_value": ODI_OUT_OF_RANGE},
        help_text="0 (no disability) to 100, as scored on the clinic's licensed form.",
    )
