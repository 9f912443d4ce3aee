"""Forms for SOAP charting: start a note, edit its SOAP fields and technique rows, amend it."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from core.dates import date_problem
from core.form_tokens import FormTokenMixin
from core.limits import TECHNIQUE_ROWS_MAX, TextLimitsMixin
from core.vocabulary import Position, Pressure
from intake.forms import pain_field
from intake.models import Assessment
from sessions.charting.rules import note_plan_problem, note_techniques_problem
from sessions.charting.services import (
    AMEND_EMPTY,
    AMEND_NUL,
    NOTE_FIELDS,
    TECHNIQUE_ROWS_TOO_MANY,
    CopiedForward,
    TechniqueRow,
    note_appointment_problem,
)
from sessions.models import Appointment, SessionPlan
from sessions.models.note import (
    TECHNIQUE_MINUTES_MAX,
    NoteAmendment,
    NoteTechnique,
    SessionNote,
)
from sessions.planning.selectors import plans_accepted

COPIED_MARKER = "copied from {day}"
NOTE_ALREADY_STARTED = "Already saved: this is the note you started at {time}."
AMENDMENT_ALREADY_SAVED = "Already saved: your amendment was added at {time}."
VISIT_DATE_IN_FUTURE = "The visit date cannot be in the future."
NEXT_VISIT_NOT_AFTER_VISIT = "The next visit must be after this visit."
TECHNIQUE_NAME_MISSING = "Name the technique, or clear the row."
TECHNIQUE_MINUTES_MISSING = "Give the minutes spent."
TECHNIQUE_MINUTES_OUT_OF_RANGE = f"Minutes must be between 1 and {TECHNIQUE_MINUTES_MAX}."
TECHNIQUE_POSITION_MISSING = "Choose the client's position."
TECHNIQUE_PRESSURE_MISSING = "Choose the pressure used."
TECHNIQUE_SLUG_MAX = NoteTechnique._meta.get_field("technique_slug").max_length
TECHNIQUE_SLUG_INVALID = (
    "This row's link to the library technique (its slug) is not valid: at most "
    f"{TECHNIQUE_SLUG_MAX} letters, digits and hyphens. Remove the row and type it again."
)
TECHNIQUE_ROWS_MALFORMED = (
    "The technique rows arrived incomplete (the page's row count is missing or wrong): "
    "nothing was saved. Reload the note and enter the rows again."
)
TECHNIQUES_OVER_SESSION = (
    "The techniques add up to {minutes} minutes; a session lasts at most "
    f"{TECHNIQUE_MINUTES_MAX} minutes."
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _visit_date_check(value, *, client):
    """A visit date: not in the future, not before 1900 nor before the client was born."""
    if value and value > timezone.localdate():
        raise forms.ValidationError(VISIT_DATE_IN_FUTURE)
    if value:
        problem = date_problem(value, today=timezone.localdate(), born=client.date_of_birth)
        if problem:
            raise forms.ValidationError(problem)
    return value


class AppointmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        local = timezone.localtime(obj.starts_at)
        return f"{local:%a %d %b %Y, %H:%M} · {obj.minutes} min · {obj.get_status_display()}"


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        readings = "; ".join(f"{name}: {reading.result.label}" for name, reading in obj.readings())
        return f"{obj.assessed_on:%d %b %Y} · {readings or 'no tests recorded'}"


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        accepted = timezone.localtime(obj.accepted_at)
        return (
            f"Accepted {accepted:%d %b %Y, %H:%M} · {obj.minutes} min · {obj.get_stage_display()}"
        )


class NoteStartForm(FormTokenMixin, forms.Form):
    form_token_purpose = "sessions.note_start"
    form_repeat_message = NOTE_ALREADY_STARTED

    visit_date = forms.DateField(widget=_DATE)
    plan = PlanChoiceField(
        queryset=SessionPlan.objects.none(),
        required=False,
        label="Start from the accepted plan",
        empty_label="No plan: start empty",
        help_text="Its techniques (minutes, position, pressure), frequency and home care are "
        "filled in; change them to what really happened.",
    )
    appointment = AppointmentChoiceField(
        queryset=Appointment.objects.none(),
        required=False,
        empty_label="No appointment",
        help_text="The booked visit this note records (it must be on the visit date).",
    )
    start_from_last = forms.BooleanField(
        label="Start from my last note",
        required=False,
        help_text="Copies your previous note for this client section by section (S, O, A, P "
        "and the techniques; not the pains, adherence or adverse response, asked afresh). "
        "This visit's plan and home care win over the copy. Copied text is marked until you "
        "edit it.",
    )

    def __init__(self, *args, client, safety_status, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.safety_status = safety_status
        self.fields["plan"].queryset = plans_accepted(client=client)
        self.fields["appointment"].queryset = (
            Appointment.objects.filter(client=client, session_note__isnull=True)
            .exclude(status__in=[Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW])
            .order_by("-starts_at")
        )

    def clean_visit_date(self):
        return _visit_date_check(self.cleaned_data["visit_date"], client=self.client)

    def clean(self):
        cleaned = super().clean()
        appointment, visit_date = cleaned.get("appointment"), cleaned.get("visit_date")
        if appointment and visit_date:
            problem = note_appointment_problem(
                appointment=appointment, client=self.client, visit_date=visit_date
            )
            if problem:
                self.add_error("appointment", problem)
        if cleaned.get("plan"):
            problem = note_plan_problem(safety_status=self.safety_status)
            if problem:
                self.add_error("plan", problem)
        return cleaned


class SessionNoteForm(TextLimitsMixin, forms.ModelForm):
    pain_before = pain_field(
        label="Pain before (0-10)",
        required=False,
        help_text="0 = no pain, 10 = worst imaginable.",
    )
    pain_after = pain_field(
        label="Pain after (0-10)", required=False, help_text="Asked at the end of the session."
    )

    class Meta:
        model = SessionNote
        fields = NOTE_FIELDS
        widgets = {
            "visit_date": _DATE,
            "next_visit": _DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "client_report",
                    "changes_since_last_visit",
                    "findings",
                    "working_hypothesis",
                    "response_to_treatment",
                    "adverse_response",
                    "adverse_response_change",
                    "home_care_given",
                    "referrals",
                )
            },
        }

    retest = AssessmentChoiceField(
        queryset=Assessment.objects.none(),
        required=False,
        label="Re-test recorded this visit",
        empty_label="None",
        help_text="Record repeated tests under Assessment on the chart, then link them here.",
    )

    def __init__(self, *args, copied: CopiedForward | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retest"].queryset = self.instance.client.assessments.order_by(
            "-assessed_on", "-id"
        )
        self.copied = copied
        for name in copied.fields if copied else ():
            field = self.fields[name]
            field.plain_label = capfirst(field.label)
            # Static without JavaScript; static/js/note_copied.js hides it once edited.
            field.label = format_html(
                '{} <span class="copied-marker" data-copied-marker>{}</span>',
                field.plain_label,
                COPIED_MARKER.format(day=f"{copied.from_date:%-d %b}"),
            )
            field.widget.attrs["data-copied"] = ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div("visit_date", css_class="col-md-3"),
            Fieldset(
                "S · Subjective",
                "client_report",
                Div(
                    Div("pain_before", css_class="col-md-3"),
                    Div("home_care_adherence", css_class="col-md-5"),
                    css_class="row",
                ),
                "changes_since_last_visit",
            ),
            Fieldset("O · Objective", "findings", "retest"),
            Fieldset(
                "A · Assessment",
                "working_hypothesis",
                "response_to_treatment",
                Div(Div("pain_after", css_class="col-md-3"), css_class="row"),
                "adverse_response",
                "adverse_response_change",
            ),
            Fieldset(
                "P · Plan",
                Div(
                    Div("next_visit", css_class="col-md-3"),
                    Div("frequency", css_class="col-md-9"),
                    css_class="row",
                ),
                "home_care_given",
                "referrals",
            ),
        )

    def clean_visit_date(self):
        return _visit_date_check(self.cleaned_data["visit_date"], client=self.instance.client)

    def clean_next_visit(self):
        value = self.cleaned_data.get("next_visit")
        problem = value and date_problem(value, today=timezone.localdate())
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean(self):
        cleaned = super().clean()
        visit, following = cleaned.get("visit_date"), cleaned.get("next_visit")
        if visit and following and following <= visit:
            self.add_error("next_visit", NEXT_VISIT_NOT_AFTER_VISIT)
        return cleaned


class TechniqueRowForm(TextLimitsMixin, forms.Form):
    slug = forms.SlugField(
        required=False,
        max_length=TECHNIQUE_SLUG_MAX,
        widget=forms.HiddenInput,
        error_messages={"invalid": TECHNIQUE_SLUG_INVALID, "max_length": TECHNIQUE_SLUG_INVALID},
    )
    name = forms.CharField(
        label="Technique",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    minutes = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=1,
        max_value=TECHNIQUE_MINUTES_MAX,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={
            "min_value": TECHNIQUE_MINUTES_OUT_OF_RANGE,
            "max_value": TECHNIQUE_MINUTES_OUT_OF_RANGE,
        },
    )
    position = forms.TypedChoiceField(
        label="Position",
        choices=[("", "—"), *Position.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    pressure = forms.TypedChoiceField(
        label="Pressure",
        choices=[("", "—"), *Pressure.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get(k) not in (None, "") for k in ("name", "minutes", "position")]
        filled.append(cleaned.get("pressure") is not None)
        if not any(filled) or cleaned.get("DELETE"):
            return cleaned
        for field, message in (
            ("name", TECHNIQUE_NAME_MISSING),
            ("minutes", TECHNIQUE_MINUTES_MISSING),
            ("position", TECHNIQUE_POSITION_MISSING),
            ("pressure", TECHNIQUE_PRESSURE_MISSING),
        ):
            if cleaned.get(field) in (None, "") and field not in self.errors:
                self.add_error(field, message)
        return cleaned

    def technique_row(self) -> TechniqueRow | None:
        data = self.cleaned_data
        if not data.get("name") or data.get("DELETE"):
            return None
        return TechniqueRow(
            name=data["name"],
            minutes=data["minutes"],
            position=Position(data["position"]),
            pressure=Pressure(data["pressure"]),
            slug=data.get("slug") or "",
        )


class BaseTechniqueFormSet(forms.BaseFormSet):
    """The technique rows of a note. Given the client's `safety_status`, rows are refused
    while it forbids treatment (`note_techniques_problem`); the typed rows stay on the page."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": TECHNIQUE_ROWS_TOO_MANY,
    }

    def __init__(self, *args, safety_status=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.safety_status = safety_status

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def full_clean(self):
        """A row count below zero (or above the limit) in a tampered management form would
        make Django read no rows, and saving would wipe the note's techniques: refuse it."""
        super().full_clean()
        if not self.is_bound or not self.management_form.is_valid():
            return
        total = self.management_form.cleaned_data["TOTAL_FORMS"]
        if not 0 <= total <= self.absolute_max:
            self._non_form_errors.append(TECHNIQUE_ROWS_MALFORMED)

    def clean(self):
        if any(self.errors):
            return
        rows = self.technique_rows()
        if self.safety_status is not None:
            problem = note_techniques_problem(
                safety_status=self.safety_status, technique_count=len(rows)
            )
            if problem:
                raise forms.ValidationError(problem, code="treatment_forbidden")
        total = sum(row.minutes for row in rows)
        if total > TECHNIQUE_MINUTES_MAX:
            raise forms.ValidationError(TECHNIQUES_OVER_SESSION.format(minutes=total))

    def technique_rows(self) -> list[TechniqueRow]:
        rows = (form.technique_row() for form in self.forms)
        return [row for row in rows if row is not None]


TechniqueFormSet = forms.formset_factory(
    TechniqueRowForm,
    formset=BaseTechniqueFormSet,
    extra=2,
    can_delete=True,
    max_num=TECHNIQUE_ROWS_MAX,
    validate_max=True,
)


def technique_formset_initial(note: SessionNote) -> list[dict]:
    return [
        {
            "slug": row.technique_slug,
            "name": row.name,
            "minutes": row.minutes,
            "position": row.position,
            "pressure": row.pressure,
        }
        for row in note.techniques.all()
    ]


class AmendmentForm(TextLimitsMixin, FormTokenMixin, forms.ModelForm):
    form_token_purpose = "sessions.note_amend"
    form_repeat_message = AMENDMENT_ALREADY_SAVED

    class Meta:
        model = NoteAmendment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": "Amendment"}
        error_messages = {
            "text": {"required": AMEND_EMPTY, "null_characters_not_allowed": AMEND_NUL}
        }
        help_texts = {
            "text": "Dated and signed with your name; shown beneath the original, "
            "which stays as it was."
        }
