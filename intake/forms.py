"""Intake forms: they shape and validate what the therapist types, field by field.

Each rule here has its message as a constant so tests assert the exact words the user
sees. The services validate again at the model, and the database has the same rules as
constraints: a form error is the friendly first line, never the only one.
"""

from __future__ import annotations

from datetime import date

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.form_tokens import FormTokenMixin
from core.limits import LONG_TEXT_MAX, TextLimitsMixin
from core.staff import StaffChoiceField, therapists_active
from intake.access import clients_visible_to
from intake.diagnosis_codes import (
    DIAGNOSIS_CODES_MAX,
    DiagnosisCodeError,
    IcdCode,
    diagnosis_codes_parse,
)
from intake.models import (
    PAIN_BEST_ABOVE_WORST,
    PAIN_MAX,
    PAIN_OUT_OF_RANGE,
    Client,
    HealthHistory,
    MedicalClearance,
    Screening,
)
from intake.rules import (
    ABSOLUTE_CONTRAINDICATION_QUESTIONS,
    DATE_OF_BIRTH_IN_FUTURE,
    MAX_PREGNANCY_WEEKS,
    MIN_PREGNANCY_WEEKS,
    ONSET_IN_FUTURE,
    RED_FLAG_QUESTIONS,
    RELATIVE_CONTRAINDICATION_QUESTIONS,
    SCREENING_QUESTIONS,
    ScreeningAnswers,
    screening_carry_forward,
)
from intake.rules.pain_map import REGIONS, Sensation, mark_code, pain_map_summarise

CLIENT_ALREADY_SAVED = "Already saved: this is the client you added at {time}."
SCREENING_ALREADY_SAVED = "Already saved: your screening was recorded at {time}."
CLEARANCE_ALREADY_SAVED = "Already saved: your medical clearance was recorded at {time}."
CLIENT_POSSIBLE_DUPLICATE = (
    "A client with this name and date of birth is already on file. Open them below; if this "
    'is a different person, tick "Create anyway" and save again.'
)
DATE_OF_BIRTH_TOO_EARLY = "Check the year: the date of birth is before 1900."
CONSENT_DATE_REQUIRED = "Give the date consent to treatment was given."
CONSENT_DATE_WITHOUT_CONSENT = "A consent date needs the consent box ticked."
DATE_IN_FUTURE = "This date cannot be in the future."
DATE_BEFORE_BIRTH = "This date is before the client's date of birth."
PAIN_NOW_ABOVE_WORST = "Pain now cannot be higher than the worst pain."
ANSWER_REQUIRED = "Answer yes or no: every screening question must be asked."
CARRIED_CONFIRM_LABEL = (
    "Still true today: I read each answer carried from the last screening to the client, "
    "and changed any that is no longer true."
)
CARRIED_NOT_CONFIRMED = (
    "Confirm the carried answers: read each one to the client, change any that is no "
    "longer true, then tick this box."
)
PREGNANCY_WEEKS_REQUIRED = "Give the weeks of pregnancy."
PREGNANCY_WEEKS_WITHOUT_PREGNANCY = (
    "Weeks of pregnancy only apply when the answer to pregnancy is yes."
)
PREGNANCY_WEEKS_OUT_OF_RANGE = (
    f"Weeks of pregnancy run from {MIN_PREGNANCY_WEEKS} to {MAX_PREGNANCY_WEEKS}."
)

EARLIEST_BIRTH = date(1900, 1, 1)
YES_NO = [("yes", "Yes"), ("no", "No")]
ANSWER_YES_OR_NO = "Answer yes or no for this test."


def yes_no_field(label: str, *, required: bool, message: str = ANSWER_YES_OR_NO):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": message},
    )


class YesNoButtons(Field):
    """A yes/no question as two buttons sized for a finger (clinical rules §2: every question
    answered yes or no), in the one order used everywhere: Yes, then No (`YES_NO`).

    Still a real radio group under its question (a fieldset and legend), so the keyboard and
    screen readers work as for any radio; `carried_from` marks an answer started from an
    earlier screening (`ScreeningForm`).
    """

    template = "intake/_yes_no_buttons.html"

    def __init__(self, name: str, *, carried_from: date | None = None):
        super().__init__(name)
        self.carried_from = carried_from

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        extra = {**(extra_context or {}), "carried_from": self.carried_from}
        return super().render(form, context, template_pack, extra_context=extra, **kwargs)


class DiagnosisCodesInput(forms.TextInput):
    """A text box for ICD-10-CM codes with a "Find a code" link to the code search page (which
    works without JavaScript); `static/js/diagnosis_codes.js` adds suggestions as one types."""

    # Found by Django's form renderer, which looks in the apps' own templates folders only.
    template_name = "intake/widgets/diagnosis_codes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs.update(
            {"list": f"{widget_attrs.get('id', name)}-suggestions", "autocomplete": "off"}
        )
        widget_attrs["data-diagnosis-search"] = reverse("intake:diagnosis_code_search")
        return context

    def format_value(self, value):
        if isinstance(value, list):
            value = ", ".join(code.code for code in value)
        return super().format_value(value)


class DiagnosisCodesField(forms.CharField):
    """ICD-10-CM codes separated by commas or spaces, each checked against the code set
    (`intake.diagnosis_codes`); cleans to a list of `IcdCode`, with a message naming each code
    that is unknown, only a heading (not billable) or repeated."""

    widget = DiagnosisCodesInput

    def to_python(self, value) -> list[IcdCode]:
        if isinstance(value, list):
            return value
        text = super().to_python(value)
        try:
            return diagnosis_codes_parse(text)
        except DiagnosisCodeError as error:
            raise forms.ValidationError(error.messages) from error


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(value: date | None) -> None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(DATE_IN_FUTURE)


# The client's details the therapist's intake records (clinical rules §2.4: occupation and lifestyle,
# physician referral and diagnosis codes; consent to treatment), beside identity and contact.
CLIENT_CLINICAL_FIELDS = (
    "occupation",
    "lifestyle",
    "physician_name",
    "referral_date",
    "diagnosis_codes",
    "consent_given",
    "consent_date",
)


class ClientForm(TextLimitsMixin, forms.ModelForm):
    """Create or edit a client. The manager chooses the owning therapist; a therapist owns
    the clients they create. Without `clinical` (the manager: intake.access) only identity and
    contact: CLIENT_CLINICAL_FIELDS belong to the therapist's intake."""

    class Meta:
        model = Client
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            *(name for name in CLIENT_CLINICAL_FIELDS if name != "diagnosis_codes"),
        ]
        widgets = {
            "date_of_birth": date_input(),
            "referral_date": date_input(),
            "consent_date": date_input(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "lifestyle": forms.Textarea(attrs={"rows": 2}),
        }

    diagnosis_codes = DiagnosisCodesField(
        label="Diagnosis codes (ICD-10-CM)",
        required=False,
        max_length=200,
        help_text=f"As on the physician's referral, e.g. M54.31, M51.16 (up to "
        f"{DIAGNOSIS_CODES_MAX}).",
    )

    def __init__(self, *args, choose_therapist: bool = False, clinical: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["diagnosis_codes"] = list(self.instance.diagnoses.all())
            if self.instance.diagnosis_codes_as_written:
                self.fields["diagnosis_codes"].help_text = format_html(
                    "Before codes were checked the referral was recorded as "
                    "<q>{}</q>, which does not read as ICD-10-CM codes. Enter the codes it "
                    "means: saving replaces that text.",
                    self.instance.diagnosis_codes_as_written,
                )
        if choose_therapist:
            self.fields["therapist"] = StaffChoiceField(
                queryset=therapists_active(), label="Therapist", initial=self.instance.therapist_id
            )
        if "consent_date" in self.fields:
            # Consent is usually given the day it is recorded: ticking the box fills in the
            # clinic's today where the date is empty (static/js/consent_date.js); still a
            # date the therapist sees and can change, and still required without JavaScript.
            self.fields["consent_date"].widget.attrs["data-today-when-ticked"] = (
                timezone.localdate().isoformat()
            )
        clinical_fieldsets = [
            Fieldset("Occupation and lifestyle", "occupation", "lifestyle"),
            Fieldset(
                "Physician and referral",
                Row(Column("physician_name"), Column("referral_date"), Column("diagnosis_codes")),
            ),
            Fieldset("Consent", Row(Column("consent_given"), Column("consent_date"))),
        ]
        if not clinical:
            for name in CLIENT_CLINICAL_FIELDS:
                del self.fields[name]
            clinical_fieldsets = []
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            Fieldset(
                "Identity",
                Row(Column("first_name"), Column("last_name"), Column("date_of_birth")),
                *(["therapist"] if choose_therapist else []),
            ),
            Fieldset("Contact", Row(Column("phone"), Column("email")), "address"),
            *clinical_fieldsets,
            Submit("save", "Save client"),
        )

    def clean_date_of_birth(self) -> date:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(DATE_OF_BIRTH_IN_FUTURE)
        if born < EARLIEST_BIRTH:
            raise forms.ValidationError(DATE_OF_BIRTH_TOO_EARLY)
        return born

    def clean_referral_date(self):
        value = self.cleaned_data["referral_date"]
        _not_in_future(value)
        return value

    def clean_consent_date(self):
        value = self.cleaned_data["consent_date"]
        _not_in_future(value)
        return value

    def clean(self):
        data = super().clean()
        born = data.get("date_of_birth")
        for name in ("referral_date", "consent_date"):
            value = data.get(name)
            if born and value and value < born:
                self.add_error(name, DATE_BEFORE_BIRTH)
        if data.get("consent_given") and not data.get("consent_date"):
            if "consent_date" not in self.errors:
                self.add_error("consent_date", CONSENT_DATE_REQUIRED)
        elif data.get("consent_date") and not data.get("consent_given"):
            self.add_error("consent_date", CONSENT_DATE_WITHOUT_CONSENT)
        return data


class ClientCreateForm(FormTokenMixin, ClientForm):
    """A new client, sent once (`core.form_tokens`). A client the user can already see with the
    same first and last name (any case) and date of birth is named back (`duplicates`) and
    nothing is created until "Create anyway" is ticked."""

    form_token_purpose = "intake.client_create"
    form_repeat_message = CLIENT_ALREADY_SAVED

    create_anyway = forms.BooleanField(
        label="Create anyway: this is a different person", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicates: list[Client] = []

    def clean(self):
        data = super().clean()
        first, last, born = (data.get(n) for n in ("first_name", "last_name", "date_of_birth"))
        if first and last and born and not data.get("create_anyway"):
            self.duplicates = list(
                clients_visible_to(self.form_token_user)
                .filter(first_name__iexact=first, last_name__iexact=last, date_of_birth=born)
                .select_related("therapist")
                .order_by("pk")
            )
            if self.duplicates:
                self.add_error("create_anyway", CLIENT_POSSIBLE_DUPLICATE)
                self.helper.layout.insert(len(self.helper.layout) - 1, Field("create_anyway"))
        data.pop("create_anyway", None)
        return data


def pain_field(*, label: str, required: bool = True, help_text: str = "") -> forms.IntegerField:
    """A pain score, 0 to PAIN_MAX (intake's history, a session note's before and after).
    The number input gets the same bounds as its min and max."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=PAIN_MAX,
        help_text=help_text,
        error_messages={"min_value": PAIN_OUT_OF_RANGE, "max_value": PAIN_OUT_OF_RANGE},
    )


PAIN_SIDE_MISSING = "Choose the side, or mark where it hurts on the body pain map."
PAIN_MAP_CHOICES = [
    (mark_code(r.code, s.value), f"{s.label}: {r.label}") for r in REGIONS for s in Sensation
]


class HealthHistoryForm(TextLimitsMixin, forms.ModelForm):
    """The intake history and pain profile (clinical rules §2.4), in sections."""

    pain_character = forms.MultipleChoiceField(
        label="Character of the pain",
        choices=HealthHistory.Character.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that apply.",
    )
    contributing_factors = forms.MultipleChoiceField(
        label="Occupation and lifestyle factors",
        choices=HealthHistory.Factor.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    pain_side = forms.ChoiceField(
        label="Side",
        choices=HealthHistory.PainSide.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Left empty, the body pain map gives it.",
    )
    pain_map = forms.MultipleChoiceField(
        label="Body pain map",
        choices=PAIN_MAP_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    pain_now = pain_field(label="Pain now (0-10)")
    pain_worst = pain_field(label="Pain at its worst (0-10)")
    pain_best = pain_field(label="Pain at its best (0-10)")

    class Meta:
        model = HealthHistory
        fields = [
            "pain_location",
            "pain_side",
            "radiates_past_knee",
            "pain_character",
            "pain_now",
            "pain_worst",
            "pain_best",
            "aggravating_factors",
            "onset_date",
            "previous_treatments",
            "medications",
            "comorbidities",
            "contributing_factors",
            "pain_map",
        ]
        widgets = {
            "onset_date": date_input(),
            "aggravating_factors": forms.Textarea(attrs={"rows": 2}),
            "previous_treatments": forms.Textarea(attrs={"rows": 3}),
            "medications": forms.Textarea(attrs={"rows": 2}),
            "comorbidities": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"comorbidities": "Other conditions (comorbidities)"}

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                "Where it hurts",
                "pain_location",
                Row(Column(InlineRadios("pain_side")), Column("radiates_past_knee")),
                HTML("{% load pain_map %}{% pain_map_input form.pain_map %}"),
            ),
            Fieldset(
                "How it feels",
                InlineCheckboxes("pain_character"),
                Row(Column("pain_now"), Column("pain_worst"), Column("pain_best")),
            ),
            Fieldset(
                "How it started and what makes it worse",
                Row(Column("onset_date"), Column("aggravating_factors")),
                "previous_treatments",
            ),
            Fieldset("Medications and other conditions", "medications", "comorbidities"),
            Fieldset("Occupation and lifestyle", InlineCheckboxes("contributing_factors")),
            Submit("save", "Save intake history"),
        )

    def clean_onset_date(self) -> date:
        onset = self.cleaned_data["onset_date"]
        if onset > timezone.localdate():
            raise forms.ValidationError(ONSET_IN_FUTURE)
        if onset < self.client.date_of_birth:
            raise forms.ValidationError(DATE_BEFORE_BIRTH)
        return onset

    def clean(self):
        data = super().clean()
        now, worst, best = (data.get(k) for k in ("pain_now", "pain_worst", "pain_best"))
        if worst is not None and best is not None and best > worst:
            self.add_error("pain_best", PAIN_BEST_ABOVE_WORST)
        if worst is not None and now is not None and now > worst:
            self.add_error("pain_now", PAIN_NOW_ABOVE_WORST)
        # The body pain map fills the side when it is left empty, and a mark below the knee
        # means the pain radiates past it (clinical rules §2.5).
        summary = pain_map_summarise(data.get("pain_map") or [])
        if not data.get("pain_side"):
            if summary.side:
                data["pain_side"] = summary.side
            else:
                self.add_error("pain_side", PAIN_SIDE_MISSING)
        if summary.radiates_past_knee:
            data["radiates_past_knee"] = True
        return data


def dated_on(client: Client, value: date) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError(DATE_IN_FUTURE)
    if value < client.date_of_birth:
        raise forms.ValidationError(DATE_BEFORE_BIRTH)
    return value


class ScreeningForm(TextLimitsMixin, FormTokenMixin, forms.Form):
    """Every screening question answered yes or no (clinical rules §2), as finger-sized
    buttons in one order: red flags, absolute contraindications, relative ones.

    With `previous` (the client's latest screening) the lasting conditions and medications
    (`CARRIED_QUESTIONS`) start from its answers, each marked "still true?", and a page that
    was drawn with them (its hidden `carried_from`) is saved only once `carried_confirmed` is
    ticked: the therapist confirms or changes them and the result is a fresh screening. Red
    flags and absolute contraindications are never pre-filled.
    """

    form_token_purpose = "intake.screening_create"
    form_repeat_message = SCREENING_ALREADY_SAVED

    screened_on = forms.DateField(label="Date of screening", widget=date_input())
    pregnancy_weeks = forms.IntegerField(
        label="Weeks of pregnancy",
        required=False,
        min_value=MIN_PREGNANCY_WEEKS,
        max_value=MAX_PREGNANCY_WEEKS,
        error_messages={
            "min_value": PREGNANCY_WEEKS_OUT_OF_RANGE,
            "max_value": PREGNANCY_WEEKS_OUT_OF_RANGE,
        },
    )
    # The screening the page's answers were carried from: present only when the page
    # pre-filled answers, which then need `carried_confirmed`.
    carried_from = forms.IntegerField(required=False, widget=forms.HiddenInput)
    carried_confirmed = forms.BooleanField(label=CARRIED_CONFIRM_LABEL, required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=LONG_TEXT_MAX
    )

    def __init__(self, *args, client: Client, previous: Screening | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.previous = previous
        self.fields["screened_on"].initial = timezone.localdate()
        for question in SCREENING_QUESTIONS:
            self.fields[question.name] = yes_no_field(
                question.question, required=True, message=ANSWER_REQUIRED
            )
        carried: dict[str, bool | int] = {}
        if previous is not None:
            carried = screening_carry_forward(
                previous.answers(), screened_on=previous.screened_on, today=timezone.localdate()
            )
            for name, value in carried.items():
                self.fields[name].initial = (
                    value if name == "pregnancy_weeks" else ("yes" if value else "no")
                )
            self.fields["carried_from"].initial = previous.pk
        else:
            del self.fields["carried_confirmed"]
        carried_from = previous.screened_on if previous is not None else None

        def buttons(questions):
            return [
                YesNoButtons(q.name, carried_from=carried_from if q.name in carried else None)
                for q in questions
            ]

        relative = []
        for button in buttons(RELATIVE_CONTRAINDICATION_QUESTIONS):
            relative.append(button)
            if button.fields[0] == "pregnant":
                relative.append("pregnancy_weeks")
        if previous is not None:
            relative.append(Field("carried_confirmed", wrapper_class="screening-carried-confirm"))
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            "screened_on",
            Fieldset(
                "Red flags: refer now",
                HTML(
                    '<p class="text-muted">Ask every question: clients rarely volunteer '
                    "saddle numbness or bladder changes. Asked afresh every time.</p>"
                ),
                *buttons(RED_FLAG_QUESTIONS),
                css_class="screening-red-flags",
            ),
            Fieldset(
                "Absolute contraindications: no massage this visit",
                HTML('<p class="text-muted">About today: asked afresh every time.</p>'),
                *buttons(ABSOLUTE_CONTRAINDICATION_QUESTIONS),
            ),
            Fieldset(
                "Relative contraindications: treat with modifications",
                HTML(
                    format_html(
                        '<p class="text-muted">Age is worked out from the date of birth ({}).'
                        "{}</p>",
                        f"{client.date_of_birth:%d %b %Y}",
                        (
                            format_html(
                                " Answers from the screening of {} are filled in: read each "
                                "one to the client and change any that is no longer true.",
                                f"{previous.screened_on:%d %b %Y}",
                            )
                            if previous is not None
                            else ""
                        ),
                    )
                ),
                *relative,
            ),
            "notes",
            Submit("save", "Save screening", css_class="btn-lg"),
        )

    def clean_screened_on(self) -> date:
        return dated_on(self.client, self.cleaned_data["screened_on"])

    def clean(self):
        data = super().clean()
        pregnant, weeks = data.get("pregnant"), data.get("pregnancy_weeks")
        if pregnant and weeks is None and "pregnancy_weeks" not in self.errors:
            self.add_error("pregnancy_weeks", PREGNANCY_WEEKS_REQUIRED)
        if pregnant is False and weeks is not None:
            self.add_error("pregnancy_weeks", PREGNANCY_WEEKS_WITHOUT_PREGNANCY)
        carried = data.pop("carried_from", None) is not None and self.previous is not None
        if carried and not data.get("carried_confirmed"):
            self.add_error("carried_confirmed", CARRIED_NOT_CONFIRMED)
        data.pop("carried_confirmed", None)
        return data

    def answers(self) -> ScreeningAnswers:
        return ScreeningAnswers(
            **{name: self.cleaned_data[name] for name in ScreeningAnswers.field_names()}
        )


class ClientSearchForm(forms.Form):
    """Finding clients (the client list, the first step of booking): a name, and on the
    list the manager may also pick a therapist."""

    q = forms.CharField(label="Name", required=False, max_length=100)
    therapist = StaffChoiceField(
        queryset=therapists_active().none(),
        required=False,
        label="Therapist",
        empty_label="All therapists",
    )

    def __init__(self, *args, choose_therapist: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if choose_therapist:
            self.fields["therapist"].queryset = therapists_active()
        else:
            del self.fields["therapist"]


class MedicalClearanceForm(TextLimitsMixin, FormTokenMixin, forms.ModelForm):
    """A physician's clearance of the open red flags (clinical rules §2.1): who, when, what."""

    form_token_purpose = "intake.clearance_create"
    form_repeat_message = CLEARANCE_ALREADY_SAVED

    class Meta:
        model = MedicalClearance
        fields = ["physician_name", "cleared_on", "cleared_what", "note"]
        widgets = {
            "cleared_on": date_input(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["cleared_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Record the clearance"))

    def clean_cleared_on(self) -> date:
        return dated_on(self.client, self.cleaned_data["cleared_on"])
