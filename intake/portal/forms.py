"""The client's intake form (issue 20), in plain words for someone on their phone.

`IntakeForm.answers()` is what is stored, exactly as the client sent it: a JSON object with
the keys below. PSFS activities are kept as a list of {"activity", "score"} so they map onto
the PSFS outcome measure later (issue 20).
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.form_tokens import FormTokenMixin
from core.limits import LONG_TEXT_MAX, SHORT_TEXT_MAX
from intake.forms import PAIN_MAP_CHOICES
from intake.models import PAIN_BEST_ABOVE_WORST, PAIN_MAX
from intake.rules import RED_FLAG_QUESTIONS

# The red-flag questions (clinical rules §2.1) as a client reads them at home.
RED_FLAG_PLAIN_WORDS = {
    "bladder_bowel_change": (
        "Since this began, have you had any new trouble controlling your bladder or bowels, "
        "or trouble passing urine?"
    ),
    "saddle_anaesthesia": (
        "Is there numbness or a 'pins and needles' feeling between your legs, around your "
        "private parts or your bottom (the area that would touch a saddle)?"
    ),
    "progressive_weakness": (
        "Are your legs getting weaker, for example your foot slapping down or catching "
        "when you walk, and getting worse?"
    ),
    "night_pain": "Do you have pain at night that does not ease however you lie or move?",
    "suspected_sequestration": (
        "Has a doctor told you a piece of a disc in your back may have broken off?"
    ),
}
assert set(RED_FLAG_PLAIN_WORDS) == {q.name for q in RED_FLAG_QUESTIONS}

YES_NO = [("yes", "Yes"), ("no", "No")]
PREGNANT_CHOICES = [("no", "No"), ("yes", "Yes"), ("not_sure", "Not sure")]
PSFS_ROWS = 3

PSFS_SCORE_WITHOUT_ACTIVITY = "Write the activity this score is for, or leave the score empty."
PSFS_ACTIVITY_WITHOUT_SCORE = "Choose how well you can do this activity, from 0 to 10."
PREGNANCY_WEEKS_WITHOUT_YES = "Give the weeks only if you are pregnant."
SIGNATURE_MISSING = "Type your full name to sign."
CONSENT_MISSING = "Tick the box to agree to treatment, or talk to the clinic first."

PAIN_CHOICES = [(str(n), str(n)) for n in range(PAIN_MAX + 1)]


def _pain_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="0 means no pain, 10 the worst pain you can imagine.",
    )


class IntakeForm(forms.Form):
    # Contact details
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    email = forms.EmailField(label="Email address", required=False)
    address = forms.CharField(
        label="Home address",
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Your back and leg pain
    pain_location = forms.CharField(
        label="In your own words, where do you feel it?",
        max_length=200,
        required=False,
        help_text="For example: right buttock down the back of the leg to the ankle.",
    )
    onset_date = forms.DateField(
        label="When did it start?",
        help_text="A rough date is fine.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    pain_now = _pain_field("How bad is the pain right now?")
    pain_worst = _pain_field("How bad is it at its worst?")
    pain_best = _pain_field("How bad is it at its best?")
    aggravating_factors = forms.CharField(
        label="What makes it worse?",
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: sitting for long, bending, coughing.",
    )
    previous_treatments = forms.CharField(
        label="What have you tried for it, and did it help?",
        max_length=LONG_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # Medicines and health conditions
    medications = forms.CharField(
        label="Medicines you take (including blood thinners and painkillers)",
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conditions = forms.CharField(
        label="Other health conditions (for example diabetes, osteoporosis, heart problems, "
        "back surgery)",
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pregnant = forms.ChoiceField(
        label="Are you pregnant?", choices=PREGNANT_CHOICES, widget=forms.RadioSelect
    )
    pregnancy_weeks = forms.IntegerField(
        label="If yes, how many weeks?", min_value=1, max_value=42, required=False
    )
    # Consent
    consent = forms.BooleanField(
        label="I agree to massage therapy at this clinic. I understand I can ask questions or "
        "stop at any time.",
        required=False,
    )
    signature = forms.CharField(label="Type your full name to sign", max_length=200, required=False)

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        for question in RED_FLAG_QUESTIONS:
            self.fields[f"red_flag_{question.name}"] = forms.ChoiceField(
                label=RED_FLAG_PLAIN_WORDS[question.name],
                choices=YES_NO,
                widget=forms.RadioSelect,
            )
        for n in range(1, PSFS_ROWS + 1):
            self.fields[f"psfs_activity_{n}"] = forms.CharField(
                label=f"Activity {n}", max_length=200, required=False
            )
            self.fields[f"psfs_score_{n}"] = forms.TypedChoiceField(
                label=f"How well can you do activity {n} today? (0 = can't do it, 10 = as well as "
                "before)",
                choices=[("", "Not answered"), *PAIN_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.fields["pain_map"] = forms.MultipleChoiceField(
            label="Mark where you feel it on the body",
            choices=PAIN_MAP_CHOICES,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(
                widget, (forms.RadioSelect, forms.CheckboxInput, forms.CheckboxSelectMultiple)
            ):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_help"

    @property
    def signed_on(self):
        return timezone.localdate()

    def red_flag_fields(self):
        return [self[f"red_flag_{q.name}"] for q in RED_FLAG_QUESTIONS]

    def psfs_rows(self):
        return [
            (self[f"psfs_activity_{n}"], self[f"psfs_score_{n}"]) for n in range(1, PSFS_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        worst, best = data.get("pain_worst"), data.get("pain_best")
        if worst is not None and best is not None and best > worst:
            self.add_error("pain_best", PAIN_BEST_ABOVE_WORST)
        if data.get("pregnancy_weeks") and data.get("pregnant") != "yes":
            self.add_error("pregnancy_weeks", PREGNANCY_WEEKS_WITHOUT_YES)
        for n in range(1, PSFS_ROWS + 1):
            activity = data.get(f"psfs_activity_{n}", "").strip()
            score = data.get(f"psfs_score_{n}")
            if activity and score is None:
                self.add_error(f"psfs_score_{n}", PSFS_ACTIVITY_WITHOUT_SCORE)
            if score is not None and not activity:
                self.add_error(f"psfs_activity_{n}", PSFS_SCORE_WITHOUT_ACTIVITY)
        if not data.get("consent"):
            self.add_error("consent", CONSENT_MISSING)
        if not data.get("signature", "").strip():
            self.add_error("signature", SIGNATURE_MISSING)
        return data

    def answers(self) -> dict:
        """The cleaned answers as stored (JSON)."""
        d = self.cleaned_data
        return {
            "contact": {"phone": d["phone"], "email": d["email"], "address": d["address"]},
            "pain_location": d["pain_location"],
            "onset_date": d["onset_date"].isoformat(),
            "pain_now": d["pain_now"],
            "pain_worst": d["pain_worst"],
            "pain_best": d["pain_best"],
            "aggravating_factors": d["aggravating_factors"],
            "previous_treatments": d["previous_treatments"],
            "medications": d["medications"],
            "conditions": d["conditions"],
            "pregnant": d["pregnant"],
            "pregnancy_weeks": d["pregnancy_weeks"] if d["pregnant"] == "yes" else None,
            "red_flags": {q.name: d[f"red_flag_{q.name}"] == "yes" for q in RED_FLAG_QUESTIONS},
            "psfs": [
                {"activity": d[f"psfs_activity_{n}"].strip(), "score": d[f"psfs_score_{n}"]}
                for n in range(1, PSFS_ROWS + 1)
                if d[f"psfs_activity_{n}"].strip()
            ],
            "pain_map": list(d["pain_map"]),
            "consent": {
                "agreed": bool(d["consent"]),
                "signature": d["signature"].strip(),
                "signed_on": self.signed_on.isoformat(),
            },
        }


class IntakeLinkIssueForm(FormTokenMixin, forms.Form):
    form_token_purpose = "intake.intake_link_issue"
    form_repeat_message = "That intake link was already issued."
    send_email = forms.BooleanField(label="Email it to the client", required=False)
