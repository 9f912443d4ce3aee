"""Session hardening beyond Django's idle timeout (docs/engineering-notes.md "Sessions and login"),
the audit trail, and the answer to a form sent twice."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

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


class AuditTrailMiddleware:
    """Records who viewed, changed, printed or exported which client's record (audit.py).

    Requests by a signed-in user answered 2xx, 3xx or 4xx count: a refused one (a 404 for a
    colleague's client, a 403 for the manager's clinical write) showed or saved nothing, and is
    recorded as refused, so that the manager sees who tried. A 5xx is the app's own failure,
    logged elsewhere.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and 200 <= response.status_code < 500:
            audit_record(request=request, response=response)
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
