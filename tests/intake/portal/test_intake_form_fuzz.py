"""The client's form never answers a server error and never half-saves, whatever is typed
into any field (a phone's autofill, a pasted essay, a hostile script): it is either sent
whole or shown again with the reason beside the field."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from intake.models import IntakeLink, IntakeSubmission
from intake.portal import services
from tests.intake.factories import ClientFactory
from tests.intake.portal.helpers import intake_post

pytestmark = pytest.mark.django_db

EDGE_VALUES = [
    "",
    " ",
    "x" * 5000,
    "-1",
    "11",
    "99999999999999999999",
    "abc",
    "2026-02-30",
    "\x00",
    "<script>alert(1)</script>",
    "1e3",
    "3.5",
]
FIELDS = sorted(intake_post())


@pytest.mark.parametrize("field", FIELDS)
def test_no_value_in_any_field_gives_a_server_error_or_a_partial_write(therapist, field, settings):
    settings.INTAKE_LINK_TRIES = 10_000
    client = ClientFactory(therapist=therapist)
    browser = HttpClient()
    for value in [*EDGE_VALUES, [EDGE_VALUES[3], EDGE_VALUES[6]]]:
        link, token = services.intake_link_issue(client=client, issued_by=therapist)
        response = browser.post(
            reverse("portal:intake_form", args=[token]), intake_post(**{field: value})
        )
        assert response.status_code in (200, 302), (field, value)
        link.refresh_from_db()
        sent = IntakeSubmission.objects.filter(link=link).exists()
        assert sent == (response.status_code == 302) == (link.used_at is not None)
        if response.status_code == 200:
            assert "alert(1)</script>" not in response.content.decode().replace(
                "&lt;script&gt;alert(1)&lt;/script&gt;", ""
            )
    assert IntakeLink.objects.filter(client=client).count() == len(EDGE_VALUES) + 1
