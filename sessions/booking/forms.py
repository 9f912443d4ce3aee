"""Forms of the booking pages: they shape input into aware clinic times; services act."""

from __future__ import annotations

from datetime import date, datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone

from core.dates import date_problem
from core.form_tokens import FormTokenMixin
from core.limits import SHORT_TEXT_MAX, TextLimitsMixin
from core.vocabulary import SESSION_MINUTES_DEFAULT, FrequencyAdvice
from intake.forms import YES_NO, YesNoButtons
from intake.rules import RED_FLAG_QUESTIONS
from intake.rules.safety import Safety, SafetyStatus
from sessions.booking.scheduling import (
    SERIES_WEEKDAYS_COUNT,
    WEEKDAY_NAMES,
    ClinicTimeError,
    SeriesRequest,
    clinic_datetime,
    weekdays_spread,
)
from sessions.models.appointment import APPOINTMENT_MINUTES_MAX, APPOINTMENT_MINUTES_MIN

BOOKING_ALREADY_SAVED = "Already saved: this is the visit you booked at {time}."
SERIES_ALREADY_SAVED = "Already saved: this is the series you booked at {time}."
BOOKING_IN_THE_PAST = "That time has already passed: pick a time in the future."
RESCREEN_ANSWER_REQUIRED = "Ask this question and record the answer: yes or no."
SERIES_PER_WEEK_MAX = 5
SERIES_WEEKS_MAX = 12
SERIES_THEN_EVERY_WEEKS_MAX = 12
SERIES_THEN_VISITS_MAX = 12

# Booking a client whose safety status forbids treatment (clinical rules §2.1-2.2): possible,
# since the next visit may come after a clearance, but only with the box ticked.
BOOKING_SAFETY_WARNING = (
    "This client's safety status is “{status}”: no massage while it holds. Book only a visit "
    "that comes after it is resolved, such as the visit after a medical clearance."
)
BOOKING_SAFETY_RED_FLAGS = "Open red flags:"
BOOKING_SAFETY_CONFIRM_RED_FLAG = (
    "I know this client has a red flag and am booking anyway (e.g. the visit after clearance)"
)
BOOKING_SAFETY_CONFIRM_CONTRAINDICATION = (
    "I know this client has a contraindication to massage and am booking anyway "
    "(e.g. the visit after it has resolved)"
)
BOOKING_SAFETY_CONFIRM_REQUIRED = (
    "Tick “{label}” to book: the client's safety status is “{status}”."
)


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", attrs={"step": 300}, **kwargs)


def _minutes_field(**kwargs) -> forms.IntegerField:
    """A visit's length, within what an appointment may last."""
    return forms.IntegerField(
        label="Length (minutes)",
        min_value=APPOINTMENT_MINUTES_MIN,
        max_value=APPOINTMENT_MINUTES_MAX,
        initial=SESSION_MINUTES_DEFAULT,
        widget=forms.NumberInput(attrs={"step": 5}),
        **kwargs,
    )


def _booking_date_clean(day: date, *, now: datetime) -> date:
    """A booking's date: not before 1900 nor past the booking horizon (core.dates)."""
    problem = date_problem(day, today=timezone.localtime(now).date())
    if problem:
        raise forms.ValidationError(problem)
    return day


class AppointmentTimeForm(forms.Form):
    """A start (date and wall-clock time in the clinic's zone) and a length."""

    day = forms.DateField(label="Date", widget=_DateInput())
    at = forms.TimeField(label="Start time", widget=_TimeInput())
    minutes = _minutes_field(
        help_text=f"{APPOINTMENT_MINUTES_MIN} to {APPOINTMENT_MINUTES_MAX} minutes."
    )

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean_day(self):
        return _booking_date_clean(self.cleaned_data["day"], now=self.now)

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("day"), cleaned.get("at")
        if day is None or at is None:
            return cleaned
        try:
            starts_at = clinic_datetime(day=day, at=at, zone=timezone.get_default_timezone())
        except ClinicTimeError as error:
            self.add_error("at", f"{self.fields['at'].label}: {error}")
            return cleaned
        if starts_at <= self.now:
            self.add_error("at", BOOKING_IN_THE_PAST)
            return cleaned
        cleaned["starts_at"] = starts_at
        return cleaned


class FreeTimesForm(forms.Form):
    """The day and length the booking page lists the therapist's free times for (a GET
    form: works without JavaScript)."""

    day = forms.DateField(label="Date", widget=_DateInput())
    minutes = _minutes_field()

    def clean_day(self):
        return _booking_date_clean(self.cleaned_data["day"], now=timezone.now())


class SafetyConfirmationMixin:
    """A booking form for a client whose safety status forbids treatment gets a
    `safety_confirmed` box: booking goes ahead only with it ticked.

    `safety` is the client's `Safety` (None, or one that allows treatment: no box).
    """

    safety: Safety | None = None
    safety_red_flags_heading = BOOKING_SAFETY_RED_FLAGS

    def safety_confirmation_add(self, safety: Safety | None) -> None:
        self.safety = safety
        if safety is None or not safety.forbids_treatment:
            return
        label = (
            BOOKING_SAFETY_CONFIRM_CONTRAINDICATION
            if safety.status == SafetyStatus.DO_NOT_TREAT
            else BOOKING_SAFETY_CONFIRM_RED_FLAG
        )
        self.fields["safety_confirmed"] = forms.BooleanField(label=label, required=False)

    @property
    def safety_confirmation_asked(self) -> bool:
        return "safety_confirmed" in self.fields

    @property
    def safety_warning(self) -> str:
        return BOOKING_SAFETY_WARNING.format(status=self.safety.status.label)

    def safety_red_flags(self) -> list[str]:
        return list(self.safety.open_red_flag_reasons)

    def safety_confirmation_clean(self, cleaned: dict) -> None:
        if self.safety_confirmation_asked and not cleaned.get("safety_confirmed"):
            self.add_error(
                "safety_confirmed",
                BOOKING_SAFETY_CONFIRM_REQUIRED.format(
                    label=self.fields["safety_confirmed"].label, status=self.safety.status.label
                ),
            )


class AppointmentBookForm(
    TextLimitsMixin, FormTokenMixin, SafetyConfirmationMixin, AppointmentTimeForm
):
    form_token_purpose = "sessions.appointment_book"
    form_repeat_message = BOOKING_ALREADY_SAVED

    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, safety: Safety | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.safety_confirmation_add(safety)

    def clean(self):
        cleaned = super().clean()
        self.safety_confirmation_clean(cleaned)
        return cleaned


class AppointmentCancelForm(TextLimitsMixin, forms.Form):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=300)


class AppointmentRefuseForm(TextLimitsMixin, forms.Form):
    """A checked-in client declines treatment."""

    reason = forms.CharField(
        label="What the client said (optional)", required=False, max_length=300
    )


class SeriesBookForm(TextLimitsMixin, FormTokenMixin, SafetyConfirmationMixin, forms.Form):
    """A course of care (clinical rules §6): `per_week` visits a week for `weeks`, then a taper."""

    form_token_purpose = "sessions.appointment_series_book"
    form_repeat_message = SERIES_ALREADY_SAVED

    first_day = forms.DateField(label="First possible date", widget=_DateInput())
    at = forms.TimeField(label="Start time", widget=_TimeInput())
    minutes = _minutes_field()
    per_week = forms.IntegerField(
        label="Visits a week", min_value=1, max_value=SERIES_PER_WEEK_MAX, initial=2
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="On these days",
        choices=list(enumerate(WEEKDAY_NAMES)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text="As many days as visits a week.",
    )
    weeks = forms.IntegerField(
        label="For how many weeks", min_value=1, max_value=SERIES_WEEKS_MAX, initial=3
    )
    then_every_weeks = forms.IntegerField(
        label="Then one visit every … weeks",
        min_value=1,
        max_value=SERIES_THEN_EVERY_WEEKS_MAX,
        initial=2,
    )
    then_visits = forms.IntegerField(
        label="How many of those taper visits",
        min_value=0,
        max_value=SERIES_THEN_VISITS_MAX,
        initial=2,
    )
    note = forms.CharField(
        label="Note on every visit (optional)",
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, now: datetime | None = None, safety: Safety | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.safety_confirmation_add(safety)

    @staticmethod
    def initial_from_advice(*, advice: FrequencyAdvice, first_day) -> dict:
        """The form's starting values from frequency advice (a plan's or the library's)."""
        per_week = min(advice.per_week, SERIES_PER_WEEK_MAX)
        return {
            "first_day": first_day,
            "per_week": per_week,
            "weekdays": list(weekdays_spread(first_day=first_day, per_week=per_week)),
            "weeks": min(advice.weeks, SERIES_WEEKS_MAX),
            "then_every_weeks": min(advice.then_every_weeks_min, SERIES_THEN_EVERY_WEEKS_MAX),
            "then_visits": 2,
        }

    def clean(self):
        cleaned = super().clean()
        self.safety_confirmation_clean(cleaned)
        per_week, weekdays = cleaned.get("per_week"), cleaned.get("weekdays")
        if per_week is not None and weekdays is not None and len(set(weekdays)) != per_week:
            self.add_error("weekdays", SERIES_WEEKDAYS_COUNT.format(per_week=per_week))
        first_day, at = cleaned.get("first_day"), cleaned.get("at")
        if first_day is not None and at is not None:
            zone = timezone.get_default_timezone()
            try:
                in_the_past = clinic_datetime(day=first_day, at=at, zone=zone) <= self.now
            except ClinicTimeError as error:
                self.add_error("at", f"{self.fields['at'].label}: {error}")
                return cleaned
            if in_the_past:
                self.add_error("first_day", BOOKING_IN_THE_PAST)
        return cleaned

    def clean_first_day(self):
        return _booking_date_clean(self.cleaned_data["first_day"], now=self.now)

    def series_request(self) -> SeriesRequest:
        data = self.cleaned_data
        return SeriesRequest(
            first_day=data["first_day"],
            weekdays=tuple(sorted(set(data["weekdays"]))),
            per_week=data["per_week"],
            weeks=data["weeks"],
            then_every_weeks=data["then_every_weeks"],
            then_visits=data["then_visits"],
        )


class RedFlagRescreenForm(forms.Form):
    """The check-in re-screen: every red-flag question (clinical rules §2.1) answered yes or no
    aloud, in the full screening's order and with its buttons (`intake.forms.YesNoButtons`).

    No answer is preselected: a question skipped by accident must not count as a no.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in RED_FLAG_QUESTIONS:
            self.fields[question.name] = forms.ChoiceField(
                label=question.question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": RESCREEN_ANSWER_REQUIRED},
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*(YesNoButtons(q.name) for q in RED_FLAG_QUESTIONS))

    def red_flags(self) -> dict[str, bool]:
        return {q.name: self.cleaned_data[q.name] == "yes" for q in RED_FLAG_QUESTIONS}
