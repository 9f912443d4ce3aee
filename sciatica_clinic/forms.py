from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from core.models import AuditEvent
from core.staff import StaffChoiceField
from intake.models import Client


class AuditFilterForm(forms.Form):
    """The audit page's filters; all optional (a GET form)."""

    client = forms.ModelChoiceField(
        queryset=Client.objects.only("first_name", "last_name"),
        required=False,
        empty_label="All clients",
    )
    user = StaffChoiceField(
        queryset=User.objects.order_by("first_name", "last_name", "username"),
        required=False,
        empty_label="All staff",
        label="Staff member",
    )
    action = forms.ChoiceField(
        choices=[("", "All actions"), *AuditEvent.Action.choices], required=False
    )

    def events(self):
        """The events matching the filters, newest first."""
        events = AuditEvent.objects.select_related("user")
        if self.is_valid():
            if self.cleaned_data["client"]:
                events = events.filter(client_id=self.cleaned_data["client"].pk)
            if self.cleaned_data["user"]:
                events = events.filter(user=self.cleaned_data["user"])
            if self.cleaned_data["action"]:
                events = events.filter(action=self.cleaned_data["action"])
        return events
