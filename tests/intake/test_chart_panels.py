"""Other apps hook into the client chart through `intake.chart` without editing its template."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.chart import ChartPanel, chart_panel_register, chart_panel_unregister
from tests.intake.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def panels(settings, tmp_path):
    (tmp_path / "panel.html").write_text(
        '<section class="test-panel">{{ label }} for {{ client.first_name }}: '
        "{{ clinical_state.triage.outcome.label }}</section>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    registered = []

    def register(**kwargs):
        chart_panel_register(ChartPanel(template_name="panel.html", **kwargs))
        registered.append(kwargs["name"])

    yield register
    for name in registered:
        chart_panel_unregister(name)


def test_registered_panels_appear_in_their_slot_in_order_with_their_context(
    therapist_client, therapist, panels
):
    client = ClientFactory(therapist=therapist, first_name="Ann")
    panels(
        name="test.second",
        slot=ChartPanel.Slot.MAIN,
        order=2,
        context=lambda *, request, client, state: {"label": "Plans"},
    )
    panels(
        name="test.first",
        slot=ChartPanel.Slot.MAIN,
        order=1,
        context=lambda *, request, client, state: {"label": "Notes"},
    )
    panels(name="test.button", slot=ChartPanel.Slot.ACTIONS)
    response = therapist_client.get(reverse("intake:client_chart", args=[client.pk]))
    content = response.content.decode()
    assert content.index("Notes for Ann: Do not treat today") < content.index("Plans for Ann")
    # Other apps' real panels are registered too: look for this test's one among them.
    assert (
        '<section class="test-panel"> for Ann: Do not treat today</section>'
        in response.context["panels"]["actions"]
    )


def test_registering_a_name_again_replaces_the_panel(therapist_client, therapist, panels):
    client = ClientFactory(therapist=therapist)
    panels(name="test.same", slot=ChartPanel.Slot.SIDE, context=lambda **_: {"label": "Old"})
    panels(name="test.same", slot=ChartPanel.Slot.SIDE, context=lambda **_: {"label": "New"})
    content = therapist_client.get(reverse("intake:client_chart", args=[client.pk])).content
    assert b"New for" in content
    assert b"Old for" not in content
