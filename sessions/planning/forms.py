"""Forms for planning a session: the request, and the therapist's adjustments line by line."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from core.form_tokens import FormTokenForm
from core.vocabulary import SESSION_MINUTES_DEFAULT, SessionPhase, Stage, TechniqueData
from sessions.models.plan import PLAN_MINUTES_MAX, PLAN_MINUTES_MIN
from sessions.planning.planner import (
    ASSESSMENT_NAME,
    ASSESSMENT_SLUG,
    Plan,
    PlanRow,
    StageSuggestion,
)

SESSION_LENGTHS = [(m, f"{m} minutes") for m in range(PLAN_MINUTES_MIN, PLAN_MINUTES_MAX + 1, 5)]
COURSE_CHOICES = [("acute", "Acute flare"), ("chronic", "Chronic")]
PLAN_ALREADY_SAVED = "Already saved: this is the plan you accepted at {time}."
STAGE_SUGGESTED = "Suggested: {stage}, because {because}."
ROWS_CHANGED = "The plan's lines changed since the page was shown: plan the session again."


class PlanRequestForm(forms.Form):
    """ "Plan a session": length, care stage (suggested, overridable), first visit, course."""

    minutes = forms.TypedChoiceField(
        label="Session length", choices=SESSION_LENGTHS, coerce=int, initial=SESSION_MINUTES_DEFAULT
    )
    stage = forms.TypedChoiceField(label="Care stage", choices=Stage.choices, coerce=int)
    first_visit = forms.BooleanField(
        label="First visit (starts with the initial assessment)", required=False
    )
    course = forms.ChoiceField(label="Course", choices=COURSE_CHOICES)
    appointment = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, suggestion: StageSuggestion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if suggestion is not None:
            self.fields["stage"].help_text = STAGE_SUGGESTED.format(
                stage=Stage(suggestion.stage).label, because=suggestion.because
            )
        self.fields["course"].help_text = "From the pain history's onset date; change it if needed."

    @property
    def acute(self) -> bool:
        return self.cleaned_data["course"] == "acute"


class PlanAcceptForm(FormTokenForm):
    """The single-use token of the accept button (`core.form_tokens`): the plan itself comes
    in the request form and the line formset beside it."""

    form_token_purpose = "sessions.plan_accept"
    form_repeat_message = PLAN_ALREADY_SAVED


class PlanRowForm(forms.Form):
    """One line of the plan: which technique, how long, and its place within its block."""

    technique = forms.ChoiceField(label="Technique")
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=PLAN_MINUTES_MAX)
    order = forms.IntegerField(
        label="Order", min_value=1, max_value=99, help_text="Place within its block."
    )

    def __init__(self, *args, phase: SessionPhase, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.phase_index = list(SessionPhase).index(phase)
        self.fields["technique"].choices = choices


class BasePlanRowFormSet(forms.BaseFormSet):
    """One form per line of the proposed plan, in its order; the count cannot change."""

    def __init__(
        self, *args, plan: Plan, alternatives: dict[SessionPhase, list[TechniqueData]], **kwargs
    ):
        self.lines = [(phase.phase, item) for phase in plan.phases for item in phase.items]
        self.alternatives = alternatives
        kwargs.setdefault(
            "initial",
            [
                {"technique": item.technique_slug, "minutes": item.minutes, "order": index}
                for _, items in _by_phase(self.lines)
                for index, item in enumerate(items, start=1)
            ],
        )
        super().__init__(*args, **kwargs)

    def total_form_count(self) -> int:
        return len(self.lines)

    def initial_form_count(self) -> int:
        # Every line is a proposed one, whatever the page's INITIAL_FORMS says: a line taken
        # for an extra (empty, skipped) form would reach rows() without its cleaned data.
        return len(self.lines)

    def get_form_kwargs(self, index: int) -> dict:
        phase, item = self.lines[index]
        if item.is_assessment:
            choices = [(ASSESSMENT_SLUG, ASSESSMENT_NAME)]
        else:
            # Alternatives: allowed in this block and not already on the plan.
            planned = {line.technique_slug for _, line in self.lines}
            choices = [(item.technique_slug, item.name)] + [
                (t.slug, t.name) for t in self.alternatives.get(phase, []) if t.slug not in planned
            ]
        return {"phase": phase, "choices": choices}

    def clean(self) -> None:
        if self.is_bound and self.management_form.cleaned_data.get("TOTAL_FORMS") != len(
            self.lines
        ):
            raise forms.ValidationError(ROWS_CHANGED)

    def rows(self) -> list[PlanRow]:
        """The lines in the therapist's order: blocks as proposed, `order` within each."""
        keyed = [
            (form.phase_index, form.cleaned_data["order"], index, form)
            for index, form in enumerate(self.forms)
        ]
        return [
            PlanRow(
                phase=form.phase,
                technique_slug=form.cleaned_data["technique"],
                minutes=form.cleaned_data["minutes"],
            )
            for *_, form in sorted(keyed, key=lambda k: k[:3])
        ]


def _by_phase(lines):
    grouped: dict[SessionPhase, list] = {}
    for phase, item in lines:
        grouped.setdefault(phase, []).append(item)
    return grouped.items()


PlanRowFormSet = formset_factory(PlanRowForm, formset=BasePlanRowFormSet, extra=0)
