"""A database outage: every request, signed in or not, gets the app's own 503 page with
Retry-After, made without the database; /healthz (liveness) stays 200 and /readyz says the
database does not answer."""

from __future__ import annotations

import contextlib
import socket

import pytest
from django.db import OperationalError, connection
from django.test import Client

from sciatica_clinic.views import DATABASE_RETRY_SECONDS, NOT_READY, READY

# Transactional: on PostgreSQL the test closes the connection, which a test wrapped in a
# transaction cannot survive. serialized_rollback keeps the rows the migrations create (roles).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGES = ["/", "/clients/", "/library/", "/sessions/today/", "/audit/", "/no-such-page/"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens on it once the socket is closed


@contextlib.contextmanager
def database_down():
    """PostgreSQL: the connection points at a port where nothing listens, as when the server
    is stopped. SQLite (embedded, it cannot be 'down'): every query fails as the driver fails
    when the file cannot be opened."""
    if connection.vendor == "postgresql":
        port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = str(closed_port())
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port
    else:

        def refuse(execute, sql, params, many, context):
            raise OperationalError("unable to open database file")

        with connection.execute_wrapper(refuse):
            yield


def assert_back_in_a_moment(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_SECONDS)
    body = response.content.decode()
    assert "Back in a moment" in body
    assert "Internal Server Error" not in body and "Traceback" not in body


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_every_page_gives_the_apps_own_503_while_the_database_is_down(therapist, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(therapist)
    with database_down():
        if signed_in:
            for url in PAGES:
                assert_back_in_a_moment(client.get(url))
            assert_back_in_a_moment(client.post("/clients/new/", {"first_name": "Ann"}))
        else:
            assert client.get("/accounts/login/").status_code == 200  # needs no database
            response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
            assert_back_in_a_moment(response)
    assert client.get("/" if signed_in else "/accounts/login/").status_code == 200


def test_healthz_stays_up_and_readyz_says_the_database_does_not_answer():
    client = Client(raise_request_exception=False)
    assert client.get("/readyz").content.decode() == READY
    with database_down():
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response["Retry-After"] == str(DATABASE_RETRY_SECONDS)
        assert response.content.decode() == NOT_READY
    assert client.get("/readyz").status_code == 200
