"""The audit trail in the manager's words: "Dana Reyes viewed Sarah Mitchell's chart",
"Dana Reyes booked Sarah Mitchell for Tue 3 Dec 10:00", not "POST /sessions/appointments/book/".

Each entry's sentence comes from the page it was recorded on (its URL name) and what happened
there (`AuditEvent.Action`); the visit's time, the note's or plan's date come from the object
it names, read in one query per kind of object for a whole page of entries. A page this table
does not know yet still gets a plain sentence from the kind of object ("viewed Sarah Mitchell's
session note of 2 Dec"), never the raw request, which stays under "Request" for an engineer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from core.models import AuditEvent
from core.staff import staff_display_name
from intake.models import Assessment, Client, Screening
from sessions.models import Appointment, SessionNote, SessionPlan

A = AuditEvent.Action


@dataclass(frozen=True)
class Words:
    """What was done on one page, with {client} and {what} (the object in words) to fill in.

    `done` is for the action the page is for (a record viewed, a form saved, a PDF printed);
    `tried` is the same in the infinitive, for an attempt refused or not saved.
    """

    done: str
    tried: str = ""


# Keyed by URL name; {client} is the client's name, {when} the visit's time, {day} the date
# of the note, plan, screening or assessment named.
VIEWS: dict[str, Words] = {
    "intake:intake_submission_review": Words(
        "viewed {client}'s intake form", "open {client}'s intake form"
    ),
    "intake:client_chart": Words("viewed {client}'s chart", "open {client}'s chart"),
    "intake:client_edit": Words("opened {client}'s details", "open {client}'s details"),
    "intake:health_history_edit": Words(
        "opened {client}'s intake history", "open {client}'s intake history"
    ),
    "intake:screening_list": Words("viewed {client}'s screenings", "open {client}'s screenings"),
    "intake:screening_create": Words("opened a new screening for {client}", "screen {client}"),
    "intake:clearance_create": Words(
        "opened a medical clearance for {client}", "record a medical clearance for {client}"
    ),
    "intake:assessment_list": Words("viewed {client}'s assessments", "open {client}'s assessments"),
    "intake:assessment_create": Words("opened a new assessment for {client}", "assess {client}"),
    "sessions:appointment_book": Words(
        "opened the booking form for {client}", "book a visit for {client}"
    ),
    "sessions:appointment_series_book": Words(
        "opened the series booking for {client}", "book a series of visits for {client}"
    ),
    "sessions:appointment_series_result": Words(
        "viewed the series booked for {client}", "open the series booked for {client}"
    ),
    "sessions:appointment_detail": Words(
        "viewed {client}'s visit of {when}", "open {client}'s visit of {when}"
    ),
    "sessions:appointment_reschedule": Words(
        "opened {client}'s visit of {when} to move it", "move {client}'s visit of {when}"
    ),
    "sessions:appointment_check_in": Words(
        "opened the check-in for {client}'s visit of {when}", "check {client} in for {when}"
    ),
    "sessions:run_sheet": Words(
        "opened the run sheet of {client}'s visit of {when}",
        "open the run sheet of {client}'s visit of {when}",
    ),
    "sessions:note_list": Words("viewed {client}'s session notes", "open {client}'s notes"),
    "sessions:note_create": Words(
        "opened a new session note for {client}", "start a session note for {client}"
    ),
    "sessions:note_detail": Words(
        "read {client}'s session note of {day}", "open {client}'s session note of {day}"
    ),
    "sessions:note_edit": Words(
        "opened {client}'s session note of {day} to edit it",
        "edit {client}'s session note of {day}",
    ),
    "sessions:note_pdf": Words(
        "printed {client}'s session note of {day}", "print {client}'s session note of {day}"
    ),
    "sessions:referral_letter": Words(
        "printed a referral letter for {client}", "print a referral letter for {client}"
    ),
    "sessions:home_care_sheet": Words(
        "printed {client}'s home-care sheet", "print {client}'s home-care sheet"
    ),
    "sessions:plan_list": Words("viewed {client}'s session plans", "open {client}'s plans"),
    "sessions:plan_new": Words("opened the planner for {client}", "plan a session for {client}"),
    "sessions:plan_detail": Words(
        "viewed {client}'s session plan of {day}", "open {client}'s session plan of {day}"
    ),
}
CHANGES: dict[str, Words] = {
    "intake:intake_link_issue": Words(
        "issued an intake link for {client}", "issue an intake link for {client}"
    ),
    "intake:intake_link_revoke": Words(
        "revoked an intake link of {client}", "revoke an intake link of {client}"
    ),
    "intake:intake_submission_review": Words(
        "accepted {client}'s intake form into the chart", "accept {client}'s intake form"
    ),
    # Recorded by the service when the client sends the form (no one is signed in): under
    # the name of the staff member who issued the link.
    "portal:intake_form": Words(
        "(issuer of the link): {client} sent their intake form through it",
        "receive {client}'s intake form",
    ),
    "intake:client_create": Words("registered {client}", "register a client"),
    "intake:client_edit": Words("changed {client}'s details", "change {client}'s details"),
    "intake:health_history_edit": Words(
        "saved {client}'s intake history", "save {client}'s intake history"
    ),
    "intake:screening_create": Words("screened {client}", "screen {client}"),
    "intake:clearance_create": Words(
        "recorded a medical clearance for {client}", "record a medical clearance for {client}"
    ),
    "intake:assessment_create": Words("assessed {client}", "assess {client}"),
    "sessions:appointment_book": Words("booked {client} for {when}", "book a visit for {client}"),
    "sessions:appointment_series_book": Words(
        "booked a series of visits for {client}", "book a series of visits for {client}"
    ),
    "sessions:appointment_reschedule": Words(
        "moved {client}'s visit (now {when})", "move {client}'s visit of {when}"
    ),
    "sessions:appointment_cancel": Words(
        "cancelled {client}'s visit of {when}", "cancel {client}'s visit of {when}"
    ),
    "sessions:appointment_refuse": Words(
        "recorded that {client} declined treatment on {when}",
        "record that {client} declined treatment on {when}",
    ),
    "sessions:appointment_no_show": Words(
        "marked {client} a no-show for {when}", "mark {client} a no-show for {when}"
    ),
    "sessions:appointment_check_in": Words(
        "checked {client} in for {when}", "check {client} in for {when}"
    ),
    "sessions:appointment_complete": Words(
        "completed {client}'s visit of {when}", "complete {client}'s visit of {when}"
    ),
    "sessions:note_create": Words(
        "started a session note for {client}", "start a session note for {client}"
    ),
    "sessions:note_edit": Words(
        "saved {client}'s session note of {day}", "save {client}'s session note of {day}"
    ),
    "sessions:note_sign": Words(
        "signed {client}'s session note of {day}", "sign {client}'s session note of {day}"
    ),
    "sessions:note_amend": Words(
        "amended {client}'s session note of {day}", "amend {client}'s session note of {day}"
    ),
    "sessions:plan_review": Words(
        "accepted a session plan for {client}", "accept a session plan for {client}"
    ),
}

# What an object is, in words, for a page neither table knows.
OBJECT_WORDS = {
    "intake.intakesubmission": "intake form",
    "intake.intakelink": "intake link",
    "intake.client": "record",
    "visits.appointment": "visit of {when}",
    "visits.sessionnote": "session note of {day}",
    "visits.sessionplan": "session plan of {day}",
    "intake.screening": "screening of {day}",
    "intake.assessment": "assessment of {day}",
}
GENERIC = {
    A.VIEW: Words("viewed {client}'s {what}", "open {client}'s {what}"),
    A.PRINT: Words("printed {client}'s {what}", "print {client}'s {what}"),
    A.EXPORT: Words("exported {client}'s {what}", "export {client}'s {what}"),
    A.CHANGE: Words("changed {client}'s {what}", "change {client}'s {what}"),
}
# Pages whose form answers with a page by design (a preview), not only when it has an error.
PREVIEWS = {"sessions:plan_review": "drafted a session plan for {client} (not yet accepted)"}
REFUSED = "tried to {tried}: refused"
NOT_SAVED = "tried to {tried}: not saved"

# The date of each kind of object the sentences name, read in one query per kind.
_DATES = {
    "visits.appointment": (Appointment, "starts_at"),
    "visits.sessionnote": (SessionNote, "visit_date"),
    "visits.sessionplan": (SessionPlan, "accepted_at"),
    "intake.screening": (Screening, "screened_on"),
    "intake.assessment": (Assessment, "assessed_on"),
}


def _words(event: AuditEvent) -> str:
    """The sentence's template, after the staff member's name."""
    action = event.action
    if action == A.NOT_SAVED and event.url_name in PREVIEWS:
        return PREVIEWS[event.url_name]
    if action in (A.REFUSED, A.NOT_SAVED):
        writes = event.method not in ("GET", "HEAD")
        known = (CHANGES if writes else VIEWS).get(event.url_name) or VIEWS.get(event.url_name)
        generic = GENERIC[A.CHANGE if writes else A.VIEW]
        tried = known.tried if known and known.tried else generic.tried
        return (REFUSED if action == A.REFUSED else NOT_SAVED).format(tried=tried)
    known = (CHANGES if action == A.CHANGE else VIEWS).get(event.url_name)
    return known.done if known else GENERIC[action].done


def _when(moment, this_year: int) -> str:
    """ "Tue 3 Dec 10:00" for a visit, "Mon 2 Mar" for a note; the year only when it is not
    this one."""
    if moment is None:
        return "a date no longer on file"
    if hasattr(moment, "hour"):
        moment = timezone.localtime(moment)
    year = "" if moment.year == this_year else f" {moment.year}"
    time = f" {moment:%H:%M}" if hasattr(moment, "hour") else ""
    return f"{moment:%a %-d %b}{year}{time}"


def _dates(events) -> dict[tuple[str, int], object]:
    """(object type, id) -> the object's date or time, for the visits, notes, plans,
    screenings and assessments named on this page."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.object_type in _DATES:
            wanted[event.object_type].add(event.object_id)
    dates = {}
    for object_type, ids in wanted.items():
        model, field = _DATES[object_type]
        for pk, value in model._default_manager.filter(pk__in=ids).values_list("pk", field):
            dates[(object_type, pk)] = value
    return dates


@dataclass(frozen=True)
class AuditLine:
    event: AuditEvent
    client: Client | None
    sentence: SafeString


def audit_lines(events) -> list[AuditLine]:
    """Each event with its client and its sentence, e.g. "<strong>Dana Reyes</strong> booked
    <a>Sarah Mitchell</a> for Tue 3 Dec 2026 10:00" (the client's name links to their entries).
    One query for the clients and one per kind of object named, however many events."""
    events = list(events)
    clients = Client.objects.only("first_name", "last_name").in_bulk(
        {event.client_id for event in events}
    )
    dates = _dates(events)
    this_year = timezone.localdate().year
    lines = []
    for event in events:
        client = clients.get(event.client_id)
        name = client.full_name if client else f"client {event.client_id} (no longer on file)"
        words = _words(event).replace("{what}", OBJECT_WORDS.get(event.object_type, "record"))
        moment = _when(dates.get((event.object_type, event.object_id)), this_year)
        words = words.replace("{when}", moment).replace("{day}", moment)
        link = format_html('<a href="?client={}">{}</a>', event.client_id, name)
        sentence = mark_safe(  # noqa: S308 - every piece is escaped just before
            link.join(conditional_escape(part) for part in words.split("{client}"))
        )
        staff = staff_display_name(event.user)
        lines.append(
            AuditLine(event, client, format_html("<strong>{}</strong> {}", staff, sentence))
        )
    return lines
