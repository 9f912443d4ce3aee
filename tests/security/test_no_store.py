"""No page of a signed-in staff member may be kept by the browser (core/no_store.py): every
record page of every kind, the PDFs, the lists; the login page and static files may be."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.security.world import (
    browser_for,
    corner_pages,
    route_is_client_scoped,
    routes,
    world_build,
)

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_every_page_a_signed_in_user_reads_says_no_store(who):
    world = world_build()
    browser = browser_for(world.users[who])
    answered, client_scoped = [], 0
    for url in corner_pages(world.own):
        response = browser.get(url)
        if response.status_code >= 500:
            pytest.fail(f"{url}: {response.status_code}")
        answered.append(url)
        if not _no_store(response):
            pytest.fail(
                f"{url} ({response.status_code}) has Cache-Control {response.get('Cache-Control')!r}"
            )
    for route in routes():
        client_scoped += route_is_client_scoped(route)
    # The walk covered every kind of record page (chart, intake, notes, plans, visits, PDFs).
    assert client_scoped >= 20 and len(answered) >= 50, (client_scoped, len(answered))


def test_a_pdf_says_no_store():
    world = world_build()
    browser = browser_for(world.own.therapist)
    response = browser.get(
        reverse("sessions:note_pdf", args=[world.own.client.pk, world.own.signed_note.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    assert _no_store(response)


def test_the_page_answering_a_sign_out_says_no_store_too(therapist_client):
    response = therapist_client.post(reverse("logout"))
    assert _no_store(response)


def test_a_response_to_nobody_signed_in_is_left_alone():
    response = HttpClient().get(reverse("healthz"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
