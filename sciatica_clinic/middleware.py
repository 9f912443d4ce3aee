"""Session hardening beyond Django's idle timeout (TECH-NOTES "Sessions and login")."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

from sciatica_clinic.audit import audit_record

LOGIN_TIME_KEY = "_login_time"


class AbsoluteSessionLimitMiddleware:
    """Ends a session SESSION_ABSOLUTE_SECONDS after login, however active it is.

    The idle limit alone would let a session that is used every few minutes live forever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(LOGIN_TIME_KEY)
            now = time.time()
            if started is None:
                request.session[LOGIN_TIME_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class AuditTrailMiddleware:
    """Records who viewed, changed, printed or exported which client's record (audit.py).

    Only successful requests (2xx, 3xx) by a signed-in user count: a refused one (404 for a
    colleague) showed nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and 200 <= response.status_code < 400:
            audit_record(request=request, response=response)
        return response
