"""A server error shows a generic page: no traceback, no internals."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls_boom")]


def test_a_forced_error_shows_the_generic_page_without_a_traceback(therapist):
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "Traceback" not in body
    assert "secret internal detail" not in body
    assert "visits_sessionnote" not in body


def test_debug_is_off_under_test_as_in_production(settings):
    assert settings.DEBUG is False


def test_a_database_that_does_not_answer_gives_a_try_again_page(therapist):
    client = Client(raise_request_exception=False)
    client.force_login(therapist)
    response = client.get("/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Back in a moment" in body and "saved whole or not at all" in body
    assert "secret internal detail" not in body and "Traceback" not in body
