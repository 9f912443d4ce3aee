"""Real HTTP requests against pytest-django's live server, sent at the same moment.

The races tests go through the whole stack as a user does: a signed-in session cookie, the
form page read first (its CSRF token, its single-use form token, the visit's hidden `seen`),
then every side of a race posted on its own connection, released together by a barrier.
`live_server` is a threaded WSGI server in the test process: each request runs in its own
thread with its own database connection, so on PostgreSQL the requests' transactions really
overlap. (On SQLite the test database is in memory and shared by the server's threads, so
nothing overlaps there: the races tests skip it.)

The HTTP client is the benchmark's (`bench/browser.py`): keep-alive, cookies kept by hand
(the app's cookies are Secure), loopback only. It sends `X-Forwarded-Proto: https`, as the
load balancer would; the `live_app` fixture (import it into the test module) makes the app
trust that header for the test.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from bench.browser import Browser, Response, form_fields

BARRIER_SECONDS = 30
# A message box (Django's messages, or a form's non-field errors) and its text.
_ALERT = re.compile(r'<div[^>]*class="[^"]*\balert\b[^"]*"[^>]*>(.*?)</div>', re.S)
_TAGS = re.compile(r"<[^>]+>")

__all__ = ["LiveApp", "Response", "alerts", "form_of", "live_app", "redirected", "together"]


class LiveApp:
    """The live server as browsers see it: signed-in sessions on connections of their own,
    all closed at the end (an open keep-alive connection keeps a server thread, and its
    database connection, alive)."""

    def __init__(self, base: str):
        self.base = base
        self.browsers: list[Browser] = []

    def signed_in(self, user) -> Browser:
        """A browser holding a new signed-in session of `user` (made by Django's test
        client, which skips the login page and its throttling)."""
        session = Client()
        session.force_login(user)
        browser = Browser(self.base)
        browser.cookies[settings.SESSION_COOKIE_NAME] = session.cookies[
            settings.SESSION_COOKIE_NAME
        ].value
        self.browsers.append(browser)
        return browser

    def same_session(self, browser: Browser) -> Browser:
        """The same user in the same session on a second connection: a second click."""
        other = Browser(self.base)
        other.cookies = dict(browser.cookies)
        self.browsers.append(other)
        return other

    def close(self) -> None:
        for browser in self.browsers:
            browser.close()
        self.browsers.clear()


@pytest.fixture
def live_app(live_server, settings):
    """The live server, the app trusting the forwarded scheme as behind the load balancer
    (CSRF's origin check compares against https)."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    app = LiveApp(live_server.url)
    yield app
    app.close()


def form_of(browser: Browser, page: str, *, action: str, **values: str) -> dict[str, str]:
    """The fields of the form on `page` that posts to `action` (a form without an action
    posts to its page, query string included), as a browser would send them, with `values`
    typed over them. Fails the test when the page or the form is missing."""
    response = browser.get(page)
    assert response.status == 200, f"GET {page}: HTTP {response.status}"
    fields = form_fields(response.text, action=action, page=page)
    assert "csrfmiddlewaretoken" in fields, f"no form posting to {action} on {page}"
    return {**fields, **values}


def together(*sends: Callable[[], Response]) -> list[Response | Exception]:
    """Run every send in its own thread, released at the same moment; their answers (or the
    exception a send raised), in order."""
    barrier = threading.Barrier(len(sends))
    answers: list[Response | Exception | None] = [None] * len(sends)

    def run(index: int, send: Callable[[], Response]) -> None:
        try:
            barrier.wait(timeout=BARRIER_SECONDS)
            answers[index] = send()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            answers[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=BARRIER_SECONDS * 2)
    return answers


def alerts(response: Response) -> list[str]:
    """The texts of the page's message boxes, tags removed, entities decoded, spaces folded."""
    return [
        " ".join(html.unescape(_TAGS.sub(" ", box)).split())
        for box in _ALERT.findall(response.text)
    ]


def redirected(response: Response | Exception) -> bool:
    return isinstance(response, Response) and response.status in (302, 303)
