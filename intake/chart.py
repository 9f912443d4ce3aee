"""Panels other apps add to the client chart, without editing intake's template.

An app registers a panel once, in its `AppConfig.ready()`:

    from intake.chart import ChartPanel, chart_panel_register

    chart_panel_register(ChartPanel(
        name="sessions.models.plan",                 # unique; registering again replaces it
        slot=ChartPanel.Slot.MAIN,             # ACTIONS (button bar), MAIN or SIDE column
        template_name="sessions/_chart_plans.html",
        order=20,                              # lower first within the slot
        context=plans_for_chart,               # optional: (*, request, client, state) -> dict
    ))

The panel template gets `client`, `clinical_state` (`intake.services.ClinicalState`), `request`,
`user`, `csrf_token` and whatever `context` returns. The chart view has already checked access
through `client_get_for_user`; a panel must not widen it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ChartPanel:
    class Slot(models.TextChoices):
        ACTIONS = "actions", "Action buttons beside the client's name"
        MAIN = "main", "Main column, below the tests and hypothesis"
        SIDE = "side", "Side column, below the restrictions"

    name: str
    slot: Slot
    template_name: str
    order: int = 100
    context: Callable[..., dict] | None = None


_panels: dict[str, ChartPanel] = {}


def chart_panel_register(panel: ChartPanel) -> None:
    _panels[panel.name] = panel


def chart_panel_unregister(name: str) -> None:
    _panels.pop(name, None)


def chart_panels_render(*, request: HttpRequest, client, state) -> dict[str, list[SafeString]]:
    """Each slot's panels rendered to HTML, in order."""
    rendered: dict[str, list[SafeString]] = {slot: [] for slot in ChartPanel.Slot.values}
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = {"client": client, "clinical_state": state}
        if panel.context:
            context |= panel.context(request=request, client=client, state=state)
        html = render_to_string(panel.template_name, context, request=request)
        rendered[panel.slot].append(mark_safe(html))  # noqa: S308 (rendered by a template, autoescaped)
    return rendered
