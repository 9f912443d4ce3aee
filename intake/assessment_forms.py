"""The assessment form (clinical rules §3): the three tests, each side optional, with the
rules of the tests checked field by field."""

from __future__ import annotations

from datetime import date

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from core.form_tokens import FormTokenMixin
from core.limits import LONG_TEXT_MAX, TextLimitsMixin
from intake.forms import ANSWER_YES_OR_NO, date_input, dated_on, yes_no_field
from intake.models import (
    Client,
)
from intake.rules import (
    BRAGARD_REQUIRES_POSITIVE_SLR,
    NOT_A_DIAGNOSIS,
    SLR_ANGLE_OUT_OF_RANGE,
    SLR_ANGLE_REQUIRED,
    SLR_NO_PAIN_WITH_DETAILS,
    SLR_QUALITY_REQUIRED,
    BragardFinding,
    PainQuality,
    PiriformisFinding,
    Side,
    SlrFinding,
    SlrPain,
    bragard_allowed,
)

ASSESSMENT_ALREADY_SAVED = "Already saved: your assessment was recorded at {time}."
SIDE_REQUIRED = "Choose the side tested, or leave this test's answers empty."
SLR_PAIN_REQUIRED = "Say where the pain went (or that there was none)."
NO_TEST_RECORDED = "Record at least one test."


def _choice_buttons(label: str, choices, *, empty: str) -> forms.ChoiceField:
    """A short optional choice as a row of radio buttons, one tap each on a tablet (a
    drop-down costs two), starting on `empty` ("not done"), which stays choosable."""
    return forms.ChoiceField(
        label=label,
        choices=[("", empty), *choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )


def _side_field(label: str) -> forms.ChoiceField:
    return _choice_buttons(label, Side.choices, empty="Not done")


class AssessmentForm(TextLimitsMixin, FormTokenMixin, forms.Form):
    """The three tests of clinical rules §3; each is optional, Bragard only after a positive SLR."""

    form_token_purpose = "intake.assessment_create"
    form_repeat_message = ASSESSMENT_ALREADY_SAVED

    assessed_on = forms.DateField(label="Date of assessment", widget=date_input())
    slr_side = _side_field("Side tested (SLR)")
    slr_pain = _choice_buttons("Where the pain went", SlrPain.choices, empty="Not recorded")
    slr_onset_angle = forms.IntegerField(
        label="Hip angle at pain onset (degrees, 0-90)",
        required=False,
        min_value=0,
        max_value=90,
        error_messages={"min_value": SLR_ANGLE_OUT_OF_RANGE, "max_value": SLR_ANGLE_OUT_OF_RANGE},
        widget=forms.NumberInput(attrs={"min": 0, "max": 90}),
    )
    slr_quality = _choice_buttons("Quality of the pain", PainQuality.choices, empty="Not recorded")
    bragard_side = _side_field("Side tested (Bragard's)")
    bragard_pain_returned = yes_no_field("Pain returned on dorsiflexion?", required=False)
    piriformis_side = _side_field("Side tested (piriformis)")
    piriformis_buttock_pain = yes_no_field("Buttock pain?", required=False)
    piriformis_radiating_pain = yes_no_field("Radiating pain?", required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=LONG_TEXT_MAX
    )

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["assessed_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            HTML(format_html('<p class="alert alert-secondary">{}</p>', NOT_A_DIAGNOSIS)),
            "assessed_on",
            Fieldset(
                "Straight leg raise (SLR)",
                HTML(
                    '<p class="text-muted">Client supine, legs straight; lift the leg by the '
                    "heel, knee straight. Positive: shooting pain past the knee between 30 and "
                    "70 degrees.</p>"
                ),
                Row(Column(InlineRadios("slr_side")), Column(InlineRadios("slr_pain"))),
                Row(Column("slr_onset_angle"), Column(InlineRadios("slr_quality"))),
            ),
            Fieldset(
                "Bragard's test",
                HTML(
                    '<p class="text-muted">Only after a positive SLR on the same side: lower '
                    "the leg until the pain stops, then dorsiflex the foot.</p>"
                ),
                Row(
                    Column(InlineRadios("bragard_side")),
                    Column(InlineRadios("bragard_pain_returned")),
                ),
            ),
            Fieldset(
                "Piriformis test",
                HTML(
                    '<p class="text-muted">Side-lying, top hip flexed to 60 degrees, knee bent; '
                    "stabilise the pelvis and press the knee toward the table.</p>"
                ),
                Row(
                    Column(InlineRadios("piriformis_side")),
                    Column(InlineRadios("piriformis_buttock_pain")),
                    Column(InlineRadios("piriformis_radiating_pain")),
                ),
            ),
            "notes",
            Submit("save", "Save assessment"),
        )

    def clean_assessed_on(self) -> date:
        return dated_on(self.client, self.cleaned_data["assessed_on"])

    def clean(self):
        data = super().clean()
        self._clean_slr(data)
        self._clean_answers(data, "bragard_side", ["bragard_pain_returned"])
        self._clean_answers(
            data, "piriformis_side", ["piriformis_buttock_pain", "piriformis_radiating_pain"]
        )
        if data.get("bragard_side") and not self.has_error("slr_side"):
            slr = self.slr() if not self._slr_errors() else None
            if not bragard_allowed(slr=slr, side=Side(data["bragard_side"])):
                self.add_error("bragard_side", BRAGARD_REQUIRES_POSITIVE_SLR)
        done = [data.get(f) for f in ("slr_side", "bragard_side", "piriformis_side")]
        if not any(done) and not self.errors:
            raise forms.ValidationError(NO_TEST_RECORDED)
        return data

    def _slr_errors(self) -> bool:
        return any(
            self.has_error(f) for f in ("slr_side", "slr_pain", "slr_onset_angle", "slr_quality")
        )

    def _clean_slr(self, data) -> None:
        side, pain = data.get("slr_side"), data.get("slr_pain")
        angle, quality = data.get("slr_onset_angle"), data.get("slr_quality")
        if not side:
            if pain or angle is not None or quality:
                self.add_error("slr_side", SIDE_REQUIRED)
            return
        if not pain:
            self.add_error("slr_pain", SLR_PAIN_REQUIRED)
        elif pain == SlrPain.NONE:
            if angle is not None:
                self.add_error("slr_onset_angle", SLR_NO_PAIN_WITH_DETAILS)
            if quality:
                self.add_error("slr_quality", SLR_NO_PAIN_WITH_DETAILS)
        else:
            if angle is None and not self.has_error("slr_onset_angle"):
                self.add_error("slr_onset_angle", SLR_ANGLE_REQUIRED)
            if not quality:
                self.add_error("slr_quality", SLR_QUALITY_REQUIRED)

    def _clean_answers(self, data, side_field: str, answer_fields: list[str]) -> None:
        if data.get(side_field):
            for name in answer_fields:
                if data.get(name) is None:
                    self.add_error(name, ANSWER_YES_OR_NO)
        elif any(data.get(name) is not None for name in answer_fields):
            self.add_error(side_field, SIDE_REQUIRED)

    def slr(self) -> SlrFinding | None:
        data = self.cleaned_data
        if not data.get("slr_side"):
            return None
        return SlrFinding(
            side=Side(data["slr_side"]),
            pain=SlrPain(data["slr_pain"]),
            onset_angle=data.get("slr_onset_angle"),
            quality=PainQuality(data["slr_quality"]) if data.get("slr_quality") else None,
        )

    def bragard(self) -> BragardFinding | None:
        data = self.cleaned_data
        if not data.get("bragard_side"):
            return None
        return BragardFinding(Side(data["bragard_side"]), data["bragard_pain_returned"])

    def piriformis(self) -> PiriformisFinding | None:
        data = self.cleaned_data
        if not data.get("piriformis_side"):
            return None
        return PiriformisFinding(
            Side(data["piriformis_side"]),
            buttock_pain=data["piriformis_buttock_pain"],
            radiating_pain=data["piriformis_radiating_pain"],
        )
