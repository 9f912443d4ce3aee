"""CSRF and safe methods: every URL refuses a POST without a CSRF token, and no GET
of any page, by anyone, changes a row of clinical or library data."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from tests.security.world import (
    changes_describe,
    corner_pages,
    database_snapshot,
    snapshot_changes,
    world_build,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return world_build()


@pytest.mark.parametrize("role", ["anonymous", "owner", "manager"])
def test_every_url_refuses_a_post_without_a_csrf_token(world, role):
    browser = HttpClient(enforce_csrf_checks=True)
    if role != "anonymous":
        browser.force_login(world.users[role])
    before = database_snapshot()
    accepted = []
    for url in corner_pages(world.own):
        response = browser.post(url, {"text": "forged", "reason": "forged"})
        if response.status_code != 403:
            accepted.append(f"POST {url}: {response.status_code}")
    assert accepted == []
    assert changes_describe(snapshot_changes(before, database_snapshot())) == []


def test_the_same_post_with_the_token_gets_through(world):
    """The 403s above come from the CSRF check, not from something else refusing."""
    browser = HttpClient(enforce_csrf_checks=True)
    browser.get(reverse("login"))
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        reverse("login"),
        {"username": "alice", "password": "world-password-1", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.parametrize("role", ["anonymous", "owner", "other", "manager"])
def test_no_get_changes_any_data(world, role):
    browser = HttpClient()
    if role != "anonymous":
        browser.force_login(world.users[role])
    before = database_snapshot()
    for corner in (world.own, world.other):
        for url in corner_pages(corner):
            browser.get(url)
    assert changes_describe(snapshot_changes(before, database_snapshot())) == []
