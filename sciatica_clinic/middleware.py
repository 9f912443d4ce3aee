"""Session hardening beyond Django's idle timeout (TECH-NOTES "Sessions and login")."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

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
