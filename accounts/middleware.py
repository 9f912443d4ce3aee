"""Before any other page, a signed-in user who must give a second factor gives it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from accounts.two_factor import two_factor_pending

# Pages reachable before the second step: the step itself, signing out, and the pages that
# need no sign-in anyway.
EXEMPT_VIEWS = {
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "logout",
    "login",
    "healthz",
    "readyz",
}


class TwoFactorMiddleware:
    """Sends a signed-in user to type a code (or to set up an authenticator, where the clinic
    requires one) until they have, remembering the page they asked for. Install after
    django_otp's OTPMiddleware and the message middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.view_name in EXEMPT_VIEWS:
            return None
        step = two_factor_pending(request)
        if step is None:
            return None
        target = reverse(f"accounts:two_factor_{step}")
        following = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{target}?{urlencode({'next': following})}")
