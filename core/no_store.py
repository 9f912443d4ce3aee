"""No page of a signed-in staff member is kept by the browser or a proxy.

Every page behind the sign-in shows client records (the day's visits name clients; the chart,
notes and PDFs are the record itself). A shared reception computer must not show them again
from its cache after the staff member signed out, through the Back button or the history: so
each such response says `Cache-Control: no-store` (with Django's other never-cache headers).
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store, ...` on every response to a signed-in user (and to a request
    that signed out, whose page was still theirs). The app's static files are served before
    this runs (whitenoise) and keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
