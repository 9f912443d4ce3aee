from __future__ import annotations

import sys

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

from core.roles import user_is_manager
from sciatica_clinic.audit_words import audit_lines
from sciatica_clinic.forms import AuditFilterForm


@require_GET
@login_required
def home(request):
    """The landing page after login: each app adds its own panels through the template."""
    return render(request, "home.html")


@require_GET
def healthz(request):
    """Liveness, for the load balancer: the process is up and can answer. It asks nothing of
    the database, so a database outage does not get the workers restarted."""
    return HttpResponse("ok", content_type="text/plain")


READY = "ok: the database answers"
NOT_READY = "not ready: the database does not answer"


@require_GET
def readyz(request):
    """Readiness: 200 when the database answers a trivial query, 503 (with Retry-After) when
    it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (OperationalError, InterfaceError):
        response = HttpResponse(NOT_READY, content_type="text/plain", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return HttpResponse(READY, content_type="text/plain")


def error_403(request, exception=None):
    """The refusal, with the reason the view gave (a message constant, e.g.
    intake.access.CLINICAL_WRITE_REFUSED) when it gave one."""
    reason = str(exception) if isinstance(exception, PermissionDenied) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


DATABASE_RETRY_SECONDS = 5


def database_unavailable_response() -> HttpResponse:
    """The 503 'back in a moment' page with Retry-After, rendered with no request context:
    the context processors, the session and request.user all need the database."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
    return response


def error_500(request):
    """The generic error page; or, when the database could not be reached (it is restarting,
    or the connection dropped), a 503 that says to try again in a moment. Django calls this
    while handling the exception, so `sys.exc_info()` names it.

    Neither page touches the database: both render without the request's context
    processors. An error page that needed the database would itself fail during an outage,
    and the user would get the server's bare "Internal Server Error"."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable_response()
    return HttpResponse(loader.get_template("500.html").render(), status=500)


AUDIT_PAGE_SIZE = 50


@require_GET
@login_required
def audit_log(request):
    """The manager's read-only audit trail, filtered by client, staff member and action, each
    entry a sentence ("Dana Reyes viewed Sarah Mitchell's chart"), grouped by day.

    There is deliberately no page, URL or form that edits or deletes an audit event.
    """
    if not user_is_manager(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    page = Paginator(form.events(), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "sciatica_clinic/audit_log.html",
        {"form": form, "page": page, "lines": audit_lines(page), "filters": filters.urlencode()},
    )
