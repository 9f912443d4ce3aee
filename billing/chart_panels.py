"""Billing's panel on the client chart (the mechanism is intake/chart.py): a button to the
client's billing page. The chart view has checked access; the panel reads nothing more."""

from __future__ import annotations

from intake.chart import ChartPanel, chart_panel_register


def chart_panels_register() -> None:
    chart_panel_register(
        ChartPanel(
            name="billing.actions",
            slot=ChartPanel.Slot.ACTIONS,
            template_name="billing/_chart_actions.html",
            order=90,
        )
    )
