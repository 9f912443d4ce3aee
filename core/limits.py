"""The most any free-text field or list may hold, and why: one place, cited by models and forms.

Each limit is well above what a working therapist writes (a thorough SOAP field is a few
hundred characters; the library's longest text is under 500; its longest technique has 6
steps), and low enough that the largest possible record stays cheap to store and to print:
a signed note with every field, technique row and amendment at its limit prints in about
1.1 s on the 2-core development machine, against a budget of 2 s (`bench/largest_note.py`).
Nine SOAP texts at 4,000 and 20 amendments took 2.1 s: hence 10 amendments, and the note's
side texts (changes since last visit, adverse response and what was changed, referrals) at
2,000. Without limits one library write of 12,000 steps held the SQLite write lock for 30 s, and a note with a 450 KB client report could not be printed
within a worker's 30 s timeout.

Models enforce the character limits with `text_limit` (a `MaxLengthValidator`, so every
service's `full_clean` refuses); the database keeps TextField. Forms get the same figure as
the field's `max_length`, so the message names the field (`LIMIT_MESSAGE`).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

# A main SOAP text of a session note (client report, findings, working hypothesis, response
# to treatment, home care given), a history's or an assessment's longer free text, and the
# library's descriptive texts: about two typed pages.
LONG_TEXT_MAX = 4_000
# A short note: a note's side texts, an address, an appointment note, a clearance note, an
# amendment, a list of medications: about one typed page.
SHORT_TEXT_MAX = 2_000
# One numbered step of a technique: a paragraph.
STEP_TEXT_MAX = 1_000

# Steps of one technique (the shipped library's longest has 6).
TECHNIQUE_STEPS_MAX = 100
# Technique rows on one session note: more than one row for every 2 minutes of the longest
# (90-minute) session; the planner's sessions have about six.
TECHNIQUE_ROWS_MAX = 40
# Amendments to one signed note: corrections, not a second chart. Each one prints.
AMENDMENTS_PER_NOTE_MAX = 10
# Items in one library file (the shipped library has 221).
IMPORT_ITEMS_MAX = 2_000

# The list limits as stored: (the rows' model, the foreign key to their owner, the limit,
# what the list is called). `manage.py check_limits` reads these and every field's
# MaxLengthValidator (`text_limit`, a CharField's max_length) to find records stored before
# a limit was lowered. Model labels, not imports: core is below the apps that own them.
LIST_LIMITS: tuple[tuple[str, str, int, str], ...] = (
    ("protocols.TechniqueStep", "technique", TECHNIQUE_STEPS_MAX, "steps"),
    ("visits.NoteTechnique", "note", TECHNIQUE_ROWS_MAX, "technique rows"),
    ("visits.NoteAmendment", "note", AMENDMENTS_PER_NOTE_MAX, "amendments"),
)

LIMIT_MESSAGE = "%(label)s: at most {limit} characters (this has {count})."
AMENDMENTS_FULL = (
    f"This note already has {AMENDMENTS_PER_NOTE_MAX} amendments, the most a note may have: "
    "write a new note for the next visit, or correct this one in a single amendment."
)


def text_limit(limit: int) -> MaxLengthValidator:
    """The model validator for a TextField of at most `limit` characters."""
    return MaxLengthValidator(limit)


def limit_message(label: str, *, limit: int, count: int) -> str:
    """“Client report: at most 4,000 characters (this has 5,210).”"""
    return (LIMIT_MESSAGE % {"label": label}).format(limit=f"{limit:,}", count=f"{count:,}")


class TextLimitsMixin:
    """For a form: every text field with a limit says so by name, with thousands separators
    (“Client report: at most 4,000 characters (this has 5,210).”). A ModelForm's field takes
    its limit from the model field's `text_limit` validator when it has no `max_length`.

    The textarea gets no `maxlength` attribute: a browser would cut a pasted text short
    without a word, where the message lets the therapist shorten it themselves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            limit = field.max_length or _model_limit(model, name)
            if limit is None:
                continue
            field.max_length = limit
            label = field.label or pretty_name(name)
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ]
            field.validators.append(LimitValidator(limit, label=label))


class LimitValidator(MaxLengthValidator):
    """A MaxLengthValidator whose message names the field and counts with separators."""

    def __init__(self, limit: int, *, label: str):
        super().__init__(limit)
        self.label = label

    def __call__(self, value):
        count = len(value)
        if count > self.limit_value:
            raise ValidationError(
                limit_message(self.label, limit=self.limit_value, count=count),
                code="max_length",
                params={"limit_value": self.limit_value, "show_value": count, "value": value},
            )


def _model_limit(model, name: str) -> int | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
    return min(limits) if limits else None
