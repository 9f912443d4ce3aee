"""The audit trail: who viewed, changed, printed or exported which client's record, and when;
and who tried to and was refused, or sent a form that came back unsaved.

One middleware (`core.middleware.AuditTrailMiddleware`) records every request by a signed-in
user to a client-scoped URL, so no view has to remember to. A URL is client-scoped when one
of its keyword arguments names a client's object: `AUDIT_URL_KWARGS` maps each keyword any URL
of the project takes to the model it names and how that object leads to its client, or to None
when it names nothing of a client's (a library technique). A test walks the URL resolver and
fails on a keyword missing here, so a new client-scoped page cannot slip past the trail.

A page whose URL names no client but which shows one picked some other way (the booking form's
`?client=`, the series result kept in the session) says so with `audit_client_set(request,
client)`; a test opens every page of a client's records and fails on one that shows the client
and recorded nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import AuditEvent


@dataclass(frozen=True)
class AuditSubject:
    """What a URL keyword names: a model (app label.model) and its field holding the client id."""

    model: str
    client_field: str


CLIENT = AuditSubject("intake.client", "pk")

# Most specific first: the first keyword of a URL found here is the object recorded.
AUDIT_URL_KWARGS: dict[str, AuditSubject | None] = {
    "note_id": AuditSubject("visits.sessionnote", "client_id"),
    "plan_id": AuditSubject("visits.sessionplan", "client_id"),
    "appointment_id": AuditSubject("visits.appointment", "client_id"),
    "screening_id": AuditSubject("intake.screening", "client_id"),
    "assessment_id": AuditSubject("intake.assessment", "client_id"),
    "submission_id": AuditSubject("intake.intakesubmission", "client_id"),
    "link_id": AuditSubject("intake.intakelink", "client_id"),
    "client_id": CLIENT,
    # The technique library is the clinic's, not a client's.
    "slug": None,
    "kind": None,
    # Staff accounts and password links name a staff member, not a client.
    "staff_id": None,
    "uidb64": None,
    "token": None,
}

# URL names (or parts of them) whose GET produces a printable document or a data export.
PRINT_URL_NAME_PARTS = ("pdf", "print")
EXPORT_URL_NAME_PARTS = ("export", "download")


@dataclass(frozen=True)
class AuditTarget:
    client_id: int
    object_type: str
    object_id: int


# Where `audit_client_set` leaves the view's word for the middleware.
_REQUEST_TARGET = "_audit_target"


def audit_client_set(request: HttpRequest, client) -> None:
    """Record this request against `client`: for a view that shows or changes a client's
    record picked by a query string, a form field or the session, which the URL does not name.
    The URL's own keywords, or for a write the page it redirects to, still win when they name
    something (they name the very object)."""
    target = AuditTarget(client_id=client.pk, object_type=CLIENT.model, object_id=client.pk)
    setattr(request, _REQUEST_TARGET, target)


def audit_action(
    *, method: str, url_name: str, content_type: str, status: int = 200, wrote: bool = True
) -> str:
    """The kind of access a request was.

    Refused (4xx: not allowed, not found, a conflict): whatever was asked, nothing was shown
    or saved, but someone asked, which the manager should see. A write (POST) that wrote a
    record changed it; one that wrote nothing (its form came back with something to fix, a
    preview, a form sent twice) saved nothing. A GET that returns a PDF (or is named as a
    printout) prints; one named as an export exports; others view."""
    if 400 <= status < 500:
        return AuditEvent.Action.REFUSED
    if method not in {"GET", "HEAD"}:
        return AuditEvent.Action.CHANGE if wrote else AuditEvent.Action.NOT_SAVED
    name = url_name.rsplit(":", 1)[-1]
    if content_type.startswith("application/pdf") or any(
        part in name for part in PRINT_URL_NAME_PARTS
    ):
        return AuditEvent.Action.PRINT
    if any(part in name for part in EXPORT_URL_NAME_PARTS):
        return AuditEvent.Action.EXPORT
    return AuditEvent.Action.VIEW


def audit_target(kwargs: dict) -> AuditTarget | None:
    """The client and object a URL's keyword arguments name, or None if they name no client.

    At most one query: none when the URL carries the client id itself.
    """
    named = [(key, AUDIT_URL_KWARGS.get(key)) for key in AUDIT_URL_KWARGS if key in kwargs]
    named = [(key, subject) for key, subject in named if subject is not None]
    if not named:
        return None
    key, subject = named[0]
    object_id = int(kwargs[key])
    if "client_id" in kwargs:
        client_id = int(kwargs["client_id"])
    elif subject is CLIENT:
        client_id = object_id
    else:
        model = apps.get_model(subject.model)
        client_id = (
            model._default_manager.filter(pk=object_id)
            .values_list(subject.client_field, flat=True)
            .first()
        )
        if client_id is None:
            return None
    return AuditTarget(client_id=client_id, object_type=subject.model, object_id=object_id)


def _redirect_match(request: HttpRequest, response: HttpResponse):
    """The URL a write redirected to, resolved, when it is one of this site's: a form that
    creates a client or books a visit names its new object only in the redirect."""
    location = response.get("Location", "")
    if not location or not url_has_allowed_host_and_scheme(
        location, allowed_hosts={request.get_host()}
    ):
        return None
    try:
        return resolve(urlsplit(location).path)
    except Resolver404:
        return None


def audit_record(
    *, request: HttpRequest, response: HttpResponse, wrote: bool = True
) -> AuditEvent | None:
    """Record a request by a signed-in user to a client's record, if it was one; `wrote`
    says whether it wrote any record (the middleware watches the queries)."""
    match = request.resolver_match
    if match is None:
        return None
    target = audit_target(match.kwargs)
    if (
        target is None
        and request.method not in {"GET", "HEAD"}
        and 300 <= response.status_code < 400
    ):
        redirect = _redirect_match(request, response)
        target = audit_target(redirect.kwargs) if redirect else None
    if target is None:
        target = getattr(request, _REQUEST_TARGET, None)
    if target is None:
        return None
    return AuditEvent.objects.create(
        user=request.user,
        action=audit_action(
            method=request.method,
            url_name=match.view_name,
            content_type=response.get("Content-Type", ""),
            status=response.status_code,
            wrote=wrote,
        ),
        client_id=target.client_id,
        object_type=target.object_type,
        object_id=target.object_id,
        url_name=match.view_name,
        path=request.get_full_path()[:500],
        method=request.method,
        status=response.status_code,
        ip_address=request.META.get("REMOTE_ADDR") or None,
    )
