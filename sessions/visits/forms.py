"""Forms of the visit's pages: the run sheet's timer buttons."""

from __future__ import annotations

from django import forms

from sessions.visits.run_sheet_clock import ClockAction

CLOCK_ACTION_UNKNOWN = "Action: choose Start, Pause, Next item or Reset."
CLOCK_ITEM_REQUIRED = "Item: say which item of the run sheet to go to."
CLOCK_PLAN_REQUIRED = "Plan: the page did not say which plan's timer this is. Reload the page."
ITEM_MAX = 99


class RunSheetClockForm(forms.Form):
    """One press of a run-sheet button: the action, the item to go to (1-based, as shown;
    one past the last ends the session) and the accepted plan the page was showing."""

    action = forms.ChoiceField(
        choices=[(action.value, action.name.title()) for action in ClockAction],
        error_messages={"required": CLOCK_ACTION_UNKNOWN, "invalid_choice": CLOCK_ACTION_UNKNOWN},
    )
    item = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=ITEM_MAX,
        error_messages={
            "invalid": CLOCK_ITEM_REQUIRED,
            "min_value": CLOCK_ITEM_REQUIRED,
            "max_value": CLOCK_ITEM_REQUIRED,
        },
    )
    plan = forms.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": CLOCK_PLAN_REQUIRED,
            "invalid": CLOCK_PLAN_REQUIRED,
            "min_value": CLOCK_PLAN_REQUIRED,
            "max_value": CLOCK_PLAN_REQUIRED,
        },
    )

    def clean(self):
        data = super().clean()
        going = data.get("action") == ClockAction.GO
        if going and data.get("item") is None and "item" not in self.errors:
            self.add_error("item", CLOCK_ITEM_REQUIRED)
        return data

    def message(self) -> str:
        """Every error in one sentence, for a refused press."""
        return " ".join(error for errors in self.errors.values() for error in errors)
