"""Security headers and the Content-Security-Policy on every response."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_response(therapist_client):
    return therapist_client.get(reverse("home"))


def test_the_csp_allows_no_inline_script_or_style(home_response):
    policy = home_response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_pages_cannot_be_framed_or_sniffed(home_response):
    assert home_response["X-Frame-Options"] == "DENY"
    assert home_response["X-Content-Type-Options"] == "nosniff"
    assert home_response["Referrer-Policy"] == "same-origin"


def test_the_login_page_carries_the_policy_too(client):
    assert "Content-Security-Policy" in client.get(reverse("login"))


def test_hsts_is_sent_over_https(therapist_client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = therapist_client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
