"""A small keep-alive HTTP client for the load scripts: loopback only, cookies by hand.

The app sets Secure cookies (it believes the request came over HTTPS through the load
balancer's `X-Forwarded-Proto`), and the standard library's cookie jar would not send those
over plain http://, so this client keeps its cookies itself. One `Browser` is one logged-in
user on one connection, used by one thread.
"""

from __future__ import annotations

import http.client
import os
import re
import ssl
import time
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench.server import FORWARDED

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    location: str
    started: float  # time.monotonic() when the request was sent
    ms: float
    request_id: str = ""

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    def __init__(self, base: str, *, timeout: float = 30):
        parts = urlsplit(base)
        if parts.hostname not in {"127.0.0.1", "localhost"}:
            raise ValueError("The benchmarks talk to loopback only.")
        self.base = base
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.https = parts.scheme == "https"
        self.cookies: dict[str, str] = {}
        self.last_request_id = ""
        self._conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        """One request; a broken connection raises (the caller counts it as an error)."""
        # X-Request-ID: the load balancer logs it, so a failed request can be traced to the
        # app server that had it (bench/cluster.py).
        self.last_request_id = uuid.uuid4().hex
        headers = {
            **FORWARDED,
            "Host": f"{self.host}:{self.port}",
            "X-Request-ID": self.last_request_id,
        }
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookie_header
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}:{self.port}"
            headers["Referer"] = f"https://{self.host}:{self.port}{path}"
            if "csrftoken" in self.cookies:
                headers["X-CSRFToken"] = self.cookies["csrftoken"]
        reused = self._conn is not None
        if self._conn is None:
            self._conn = self._connect()
        started = time.monotonic()
        try:
            try:
                self._conn.request(method, path, body=body, headers=headers)
                reply = self._conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the other end closed while idle: a browser sends
                # a GET again on a new connection; anything else is the caller's error.
                if not (reused and method == "GET"):
                    raise
                self.close()
                self._conn = self._connect()
                started = time.monotonic()
                self._conn.request(method, path, body=body, headers=headers)
                reply = self._conn.getresponse()
            payload = reply.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        ms = (time.monotonic() - started) * 1000
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if reply.getheader("Connection", "").lower() == "close":
            self.close()
        return Response(
            reply.status,
            payload,
            reply.getheader("Location", ""),
            started,
            ms,
            self.last_request_id,
        )

    def _connect(self) -> http.client.HTTPConnection:
        if not self.https:
            return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        # The load balancer's certificate is the bench's own self-signed one (bench/cluster.py
        # names it in BENCH_TLS_CA): verified, not ignored.
        context = ssl.create_default_context(cafile=os.environ.get("BENCH_TLS_CA"))
        return http.client.HTTPSConnection(
            self.host, self.port, timeout=self.timeout, context=context
        )

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)

    def csrf_from(self, response: Response) -> str:
        match = CSRF_INPUT.search(response.text)
        return match.group(1) if match else self.cookies.get("csrftoken", "")

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        reply = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.csrf_from(page),
                "username": username,
                "password": password,
            },
        )
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed: HTTP {reply.status}")


class _FormParser(HTMLParser):
    """The fields of the first POST <form> that submits to `action`, as a browser would submit
    them: inputs, textareas, the selected option of each select. A form without an action
    submits to the page itself, `page`."""

    def __init__(self, action: str, page: str):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.page = page
        self.fields: dict[str, str] = {}
        self._in_form = False
        self._done = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self._done:
            # A POST form only: a page may also hold a GET form without an action (the
            # booking page's free times), which submits to the page too.
            self._in_form = (
                a.get("method", "get").lower() == "post"
                and (a.get("action") or self.page) == self.action
            )
            return
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.fields[name] = a.get("value", "on")
            elif kind not in {"submit", "button", "file"}:
                self.fields[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.fields.setdefault(self._select, value)
            if "selected" in a:
                self.fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
            self._done = True
        elif tag == "textarea" and self._textarea:
            # Browsers drop one newline right after <textarea>, which Django writes.
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str, *, action: str, page: str = "") -> dict[str, str]:
    parser = _FormParser(action, page or action)
    parser.feed(html)
    return parser.fields
