from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def home(request):
    """The landing page after login: each app adds its own panels through the template."""
    return render(request, "home.html")


@require_GET
def healthz(request):
    """For the load balancer: the process is up and can answer."""
    return HttpResponse("ok", content_type="text/plain")


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
