"""The run sheet's timer, kept on the server (sessions/visits/run_sheet_clock.py does the
arithmetic, sessions/visits/run_sheet_services.py the one write)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from sessions.visits.run_sheet_clock import ClockState


class RunSheetClock(models.Model):
    """The timer of one accepted plan's run sheet: when the session started, when it was
    paused and for how long in all, the current item and the running time at which it began.

    One row per plan, made on the first button press. A plan accepted again gets its own
    timer: its items are another list. No history table: the timer is the treatment room's
    clock, not the clinical record (the audit trail records each change of it as a request).
    """

    session_plan = models.OneToOneField(
        "visits.SessionPlan", on_delete=models.CASCADE, related_name="clock"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_for = models.DurationField(default=timedelta(0))
    item = models.PositiveSmallIntegerField(default=0)
    item_began = models.DurationField(default=timedelta(0))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(paused_at__isnull=True) | Q(started_at__isnull=False),
                name="run_sheet_clock_paused_only_once_started",
            ),
        ]

    def __str__(self) -> str:
        return f"Run sheet timer of {self.session_plan}"

    @property
    def state(self) -> ClockState:
        return ClockState(
            started_at=self.started_at,
            paused_at=self.paused_at,
            paused_for=self.paused_for,
            item=self.item,
            item_began=self.item_began,
        )

    def state_set(self, state: ClockState) -> None:
        self.started_at = state.started_at
        self.paused_at = state.paused_at
        self.paused_for = state.paused_for
        self.item = state.item
        self.item_began = state.item_began
