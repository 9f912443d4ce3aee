"""Forms for browsing and curating the library. Model validation (minutes in range,
pressure order, stage clashes) shows at the field through ModelForm's `full_clean`."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.text import slugify

from core.limits import STEP_TEXT_MAX, TECHNIQUE_STEPS_MAX, TextLimitsMixin
from core.vocabulary import Finding, LibraryPhase, Position, Pressure, Stage, Trait
from protocols.models import (
    STAGE_TAKEN_ERROR,
    CareStage,
    HomeCareExercise,
    SessionTemplate,
    Technique,
)
from protocols.services import STEPS_TOO_MANY

STEPS_REQUIRED_ERROR = "Write at least one step, one per line."
STEP_TOO_LONG_ERROR = (
    f"Steps: step {{number}} has {{count:,}} characters, at most {STEP_TEXT_MAX:,}."
)
SLUG_RESERVED_ERROR = "“new” is reserved for the add page: choose another slug."
SLUG_FROM_NAME_ERROR = "Give a slug (letters, numbers and hyphens): none can be made from the name."
IMPORT_FILE_TOO_LARGE_ERROR = "The file is larger than 2 MB: that is not a library export."
IMPORT_FILE_NOT_TEXT_ERROR = "The file is not UTF-8 text: that is not a library export."
IMPORT_MAX_BYTES = 2 * 1024 * 1024

STAGE_CHOICES = [(stage.value, stage.label) for stage in Stage]
NOT_A_VARIANT = "— None: this is its own work —"


def _helper(*parts) -> FormHelper:
    """A crispy layout without the <form> tag (the template owns it and the buttons)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*parts)
    return helper


def _row(*names: str) -> Row:
    return Row(*(Column(name, css_class="col-md") for name in names))


def _checkboxes(choices, *, required: bool, coerce=str, label=None, help_text=""):
    return forms.TypedMultipleChoiceField(
        choices=choices,
        coerce=coerce,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


class SlugFromNameMixin:
    """On create the slug may be left empty and is made from the name; once saved it is
    fixed, because plans and notes refer to items by slug."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]
        else:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = "Leave empty to make it from the name. It cannot be changed later."

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("name", ""))
        if not slug:
            raise forms.ValidationError(SLUG_FROM_NAME_ERROR)
        if slug == "new":
            raise forms.ValidationError(SLUG_RESERVED_ERROR)
        return slug


class TechniqueForm(TextLimitsMixin, SlugFromNameMixin, forms.ModelForm):
    traits = _checkboxes(
        Trait.choices,
        required=False,
        help_text="The properties a client's restrictions act on (e.g. vigorous friction).",
    )
    stages = _checkboxes(
        STAGE_CHOICES, required=True, coerce=int, help_text="The weeks of care it suits."
    )
    findings = _checkboxes(Finding.choices, required=True, label="Addresses")
    steps = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        # Every step at its limit, one per line: the count and each step are checked below.
        max_length=TECHNIQUE_STEPS_MAX * (STEP_TEXT_MAX + 2),
        error_messages={"required": STEPS_REQUIRED_ERROR},
        help_text="One step per line, in order; they are numbered for you.",
    )

    class Meta:
        model = Technique
        fields = [
            "name",
            "slug",
            "phase",
            "anatomy",
            "position",
            "tool",
            "variant_of",
            "min_pressure",
            "max_pressure",
            "min_minutes",
            "default_minutes",
            "max_minutes",
            "holds",
            "procedure_code",
            "steps",
            "cautions",
            "traits",
            "stages",
            "findings",
        ]
        widgets = {"cautions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["steps"] = "\n".join(step.text for step in self.instance.steps.all())
        self.fields["variant_of"] = forms.ChoiceField(
            choices=self._main_versions(),
            required=False,
            label="Variant of",
            help_text=self.fields["variant_of"].help_text,
        )
        self.helper = _helper(
            Fieldset(
                "What it is",
                _row("name", "slug") if "slug" in self.fields else "name",
                _row("phase", "anatomy"),
                _row("position", "tool"),
                "variant_of",
            ),
            Fieldset(
                "Dose",
                _row("min_pressure", "max_pressure"),
                _row("min_minutes", "default_minutes", "max_minutes"),
                "holds",
            ),
            Fieldset("Billing", "procedure_code"),
            Fieldset("How to do it", "steps", "cautions"),
            Fieldset("When it is offered", "stages", "findings", "traits"),
        )

    def _main_versions(self) -> list[tuple[str, str]]:
        """The techniques this one may be another version of: every one that is not
        itself a variant (a family is one level deep), this one aside."""
        mains = Technique.objects.filter(variant_of="").exclude(pk=self.instance.pk)
        choices = [("", NOT_A_VARIANT)] + [
            (slug, f"{name} (retired)" if retired else name)
            for slug, name, retired in mains.order_by("name").values_list("slug", "name", "retired")
        ]
        current = self.instance.variant_of
        if current and current not in dict(choices):
            # A link an imported file made to a main version this library lacks.
            choices.append((current, current))
        return choices

    def clean_steps(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["steps"].splitlines()]
        steps = [line for line in lines if line]
        if not steps:
            raise forms.ValidationError(STEPS_REQUIRED_ERROR)
        if len(steps) > TECHNIQUE_STEPS_MAX:
            raise forms.ValidationError(STEPS_TOO_MANY.format(count=len(steps)))
        for number, step in enumerate(steps, start=1):
            if len(step) > STEP_TEXT_MAX:
                raise forms.ValidationError(
                    STEP_TOO_LONG_ERROR.format(number=number, count=len(step))
                )
        return steps


class ExerciseForm(TextLimitsMixin, SlugFromNameMixin, forms.ModelForm):
    traits = _checkboxes(
        Trait.choices,
        required=False,
        help_text="The properties a client's restrictions act on (e.g. stretching).",
    )
    stages = _checkboxes(
        STAGE_CHOICES, required=True, coerce=int, help_text="The weeks of care it suits."
    )
    findings = _checkboxes(Finding.choices, required=True, label="Addresses")

    class Meta:
        model = HomeCareExercise
        fields = [
            "name",
            "slug",
            "purpose",
            "position",
            "instructions",
            "reps",
            "hold_seconds",
            "duration_minutes",
            "sets",
            "times_per_day",
            "dosage_note",
            "cautions",
            "traits",
            "stages",
            "findings",
        ]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 7}),
            "cautions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Fieldset(
                "What it is",
                _row("name", "slug") if "slug" in self.fields else "name",
                _row("purpose", "position"),
            ),
            Fieldset("For the client", "instructions", "cautions"),
            Fieldset(
                "Dose (leave a box empty when it does not apply)",
                _row("reps", "hold_seconds", "duration_minutes", "sets", "times_per_day"),
                "dosage_note",
            ),
            Fieldset("When it is offered", "stages", "findings", "traits"),
        )


class SessionTemplateForm(TextLimitsMixin, SlugFromNameMixin, forms.ModelForm):
    class Meta:
        model = SessionTemplate
        fields = [
            "name",
            "slug",
            "description",
            "reference_minutes",
            "assessment_minutes",
            "warm_up_minutes",
            "targeted_minutes",
            "integration_minutes",
            "min_warm_up_minutes",
            "min_session_minutes",
            "max_session_minutes",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("name", "slug") if "slug" in self.fields else "name",
            "description",
            Fieldset(
                "The split at the reference length",
                _row("reference_minutes", "assessment_minutes"),
                _row("warm_up_minutes", "targeted_minutes", "integration_minutes"),
            ),
            Fieldset(
                "Other lengths",
                _row("min_session_minutes", "max_session_minutes", "min_warm_up_minutes"),
            ),
        )


class CareStageForm(TextLimitsMixin, SlugFromNameMixin, forms.ModelForm):
    class Meta:
        model = CareStage
        fields = [
            "stage",
            "name",
            "slug",
            "goal",
            "in_clinic",
            "home_care",
            "acute_per_week",
            "acute_weeks",
            "acute_then_every_weeks_min",
            "acute_then_every_weeks_max",
            "acute_note",
            "chronic_per_week",
            "chronic_weeks",
            "chronic_then_every_weeks_min",
            "chronic_then_every_weeks_max",
            "chronic_note",
        ]
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "in_clinic": forms.Textarea(attrs={"rows": 3}),
            "home_care": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _row("stage", "name", "slug") if "slug" in self.fields else _row("stage", "name"),
            "goal",
            _row("in_clinic", "home_care"),
            *(
                Fieldset(
                    f"How often: {prefix} cases",
                    _row(
                        f"{prefix}_per_week",
                        f"{prefix}_weeks",
                        f"{prefix}_then_every_weeks_min",
                        f"{prefix}_then_every_weeks_max",
                    ),
                    f"{prefix}_note",
                )
                for prefix in ("acute", "chronic")
            ),
        )

    def clean_stage(self):
        stage = self.cleaned_data["stage"]
        clash = CareStage.objects.active().filter(stage=stage).exclude(pk=self.instance.pk)
        if not self.instance.retired and clash.exists():
            raise forms.ValidationError(STAGE_TAKEN_ERROR)
        return stage


class FilterFormMixin:
    """Bootstrap classes on the filter bar's widgets (the templates lay them out by hand)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"


class TechniqueFilterForm(FilterFormMixin, forms.Form):
    """The technique list's filters (GET). Every field is optional."""

    phase = forms.ChoiceField(choices=[("", "Any phase"), *LibraryPhase.choices], required=False)
    position = forms.ChoiceField(choices=[("", "Any position"), *Position.choices], required=False)
    target = forms.CharField(
        required=False,
        max_length=60,
        label="Target",
        widget=forms.TextInput(attrs={"placeholder": "e.g. piriformis"}),
        help_text="Words in the name or anatomy targets.",
    )
    stage = forms.TypedChoiceField(
        choices=[("", "Any week"), *STAGE_CHOICES], coerce=int, empty_value=None, required=False
    )
    pressure = forms.TypedChoiceField(
        choices=[("", "Any pressure"), *Pressure.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label="Can be done at",
        help_text="Techniques that still make sense at this pressure or lighter.",
    )
    retired = forms.BooleanField(required=False, label="Show retired")


class ExerciseFilterForm(FilterFormMixin, forms.Form):
    stage = forms.TypedChoiceField(
        choices=[("", "Any week"), *STAGE_CHOICES], coerce=int, empty_value=None, required=False
    )
    position = forms.ChoiceField(choices=[("", "Any position"), *Position.choices], required=False)
    retired = forms.BooleanField(required=False, label="Show retired")


class LibraryImportForm(forms.Form):
    REPLACE = "replace"
    ADD_MISSING = "missing"

    file = forms.FileField(label="Library file", help_text="A file exported from this page (JSON).")
    mode = forms.ChoiceField(
        choices=[
            (ADD_MISSING, "Add only the items the library does not have; keep everything else"),
            (REPLACE, "Also replace the library's items with the file's version of them"),
        ],
        initial=ADD_MISSING,
        widget=forms.RadioSelect,
        label="What to do with items the library already has",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(IMPORT_FILE_TOO_LARGE_ERROR)
        try:
            return upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(IMPORT_FILE_NOT_TEXT_ERROR) from error
