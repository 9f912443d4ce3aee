"""Session hardening beyond Django's idle timeout (docs/engineering-notes.md "Sessions and login"),
the audit trail, and the answer to a form sent twice."""

from __future__ import annotations

import re
import time
from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import connection

from core.audit import audit_record
from core.form_tokens import FormAlreadySubmitted

LOGIN_TIME_KEY = "_login_time"
TOUCHED_KEY = "_touched"


class SessionLimitsMiddleware:
    """The idle timeout, kept by a throttled save, and an absolute limit after login.

    Idle: a signed-in session is saved again (new expiry, new cookie max-age) when more than
    SESSION_REFRESH_SECONDS have passed since its last save, not at every request: a page
    then reads the session without writing it, and the session ends between
    SESSION_COOKIE_AGE - SESSION_REFRESH_SECONDS and SESSION_COOKIE_AGE after the last
    request (29-30 minutes with the defaults).

    Absolute: the session ends SESSION_ABSOLUTE_SECONDS after login, however active it is;
    the idle limit alone would let a session used every few minutes live forever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            started = session.get(LOGIN_TIME_KEY)
            if started is None:
                session[LOGIN_TIME_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - session.get(TOUCHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[TOUCHED_KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


# Tables written whatever a request does: login sessions, login throttling, form tokens
# (claimed, then released if the form's write fails), the audit trail itself.
BOOKKEEPING_MODELS = (
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "sciatica_clinic.FormSubmission",
    "sciatica_clinic.AuditEvent",
)
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_SAVEPOINT = re.compile(
    r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.I
)


@cache
def _bookkeeping_tables() -> frozenset[str]:
    tables = set()
    for label in BOOKKEEPING_MODELS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return frozenset(tables)


class RequestWrites:
    """Counts the statements of one request that changed a record (not bookkeeping): a query
    wrapper on the database connection. A write undone by rolling back to a savepoint is
    taken back off; one undone by rolling back a whole transaction still counts (Django does
    that outside the cursor), so a service that writes and then fails can read as a change:
    the services here check before they write."""

    def __init__(self):
        self.count = 0
        self._savepoints: dict[str, int] = {}
        self._ignored = _bookkeeping_tables()

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        savepoint = _SAVEPOINT.match(sql)
        if savepoint:
            verb, name = savepoint.group(1).upper(), savepoint.group(2)
            if verb == "SAVEPOINT":
                self._savepoints[name] = self.count
            elif verb.startswith("ROLLBACK"):
                self.count = self._savepoints.get(name, self.count)
            return result
        write = _WRITE.match(sql)
        if write and write.group(1) not in self._ignored:
            self.count += 1
        return result


class AuditTrailMiddleware:
    """Records who viewed, changed, printed or exported which client's record (audit.py).

    Requests by a signed-in user answered 2xx, 3xx or 4xx count: a refused one (a 404 for a
    colleague's client, a 403 for the manager's clinical write) showed or saved nothing, and is
    recorded as refused, so that the manager sees who tried. A write (POST) is a change only
    if it wrote a record; one that wrote nothing (its form came back with an error, a
    preview) is recorded as not saved. A 5xx is the app's own failure, logged elsewhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writes = RequestWrites()
        with connection.execute_wrapper(writes):
            response = self.get_response(request)
        if request.user.is_authenticated and 200 <= response.status_code < 500:
            audit_record(request=request, response=response, wrote=writes.count > 0)
        return response


class FormResubmissionMiddleware:
    """A form sent again with a token already claimed (`core.form_tokens`) is answered like
    the first time it was sent: a redirect to what it created, with a message saying so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, FormAlreadySubmitted):
            return exception.response(request)
        return None
