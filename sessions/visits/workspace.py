"""The visit workspace: one page per visit (the appointment's own page), reached from Today,
the calendar and the chart.

It shows the client's safety status, the visit's steps with ticks (`sessions.visits.steps`)
and the next step as the only primary button, with what that step needs on the page itself so
a routine visit takes one click per step: the check-in re-screen's questions, the suggested
plan to accept as it is (`visit_plan_accept`), the note to start (copied forward from the
last one), signing from the note form. Every write still goes through its own page's view
and service; this module only reads, except `visit_plan_accept`, which accepts the
suggested plan through the planning services.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from core.form_tokens import submit_once
from core.models import AuditEvent
from core.vocabulary import Stage
from intake.access import clinical_write_allowed
from intake.models import HealthHistory
from intake.rules.safety import STATUSES_FORBIDDING_TREATMENT, SafetyStatus
from intake.services import client_clinical_state
from protocols.library import LibraryIncomplete, library_snapshot
from sessions.access import appointment_get_for_user
from sessions.booking.forms import RedFlagRescreenForm
from sessions.charting.forms import NoteStartForm
from sessions.charting.services import note_previous
from sessions.models import Appointment, SessionPlan
from sessions.models.note import SessionNote
from sessions.planning.forms import SESSION_LENGTHS, PlanAcceptForm, PlanRequestForm
from sessions.planning.planner import Plan, Refusal
from sessions.planning.planner.snapshot import plan_to_dict
from sessions.planning.services import (
    PlanRequest,
    plan_accept,
    plan_propose,
    plan_request_defaults,
)
from sessions.visits.steps import Step, VisitFacts, VisitSteps, visit_steps
from sessions.visits.transitions import VisitState

SUGGESTED_PLAN_ACCEPTED = (
    "Plan accepted for this visit and saved to the chart: the run sheet is ready."
)
SUGGESTED_PLAN_CHANGED = (
    "The suggested plan changed since the page was shown (a new screening, test or library "
    "change): nothing was accepted. Look at the plan again before accepting it."
)
SUGGESTED_PLAN_REFUSED = "No plan can be accepted now: {reason}"
SUGGESTED_PLAN_VISIT_CLOSED = "This visit has ended ({status}): nothing was planned for it."


@dataclass(frozen=True)
class Suggestion:
    """The plan the planner suggests for this visit, as it is offered for one-click accept."""

    request: PlanRequest
    plan: Plan
    fingerprint: str

    @property
    def query(self) -> str:
        """The same request on "Plan a session" (to look at it or adjust it first)."""
        return urlencode(_request_fields(self.request))


def _request_fields(request: PlanRequest, appointment: Appointment | None = None) -> dict:
    fields = {
        "minutes": request.minutes,
        "stage": int(request.stage),
        "course": "acute" if request.acute else "chronic",
    }
    if request.first_visit:
        fields["first_visit"] = "on"
    if appointment is not None:
        fields["appointment"] = appointment.pk
    return fields


def plan_fingerprint(plan: Plan) -> str:
    """A short digest of the plan as proposed: the accept refuses a plan that is not the one
    the page showed."""
    data = json.dumps(plan_to_dict(plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def visit_suggestion(*, appointment: Appointment) -> Suggestion | None:
    """The planner's plan for this visit from the client's records and the suggested stage,
    at the visit's length; None when the library is incomplete or the planner refuses."""
    client = appointment.client
    try:
        library = library_snapshot()
    except LibraryIncomplete:
        return None
    state = client_clinical_state(client=client)
    defaults = plan_request_defaults(client=client, state=state, library=library)
    lengths = {value for value, _ in SESSION_LENGTHS}
    request = PlanRequest(
        minutes=appointment.minutes if appointment.minutes in lengths else defaults["minutes"],
        stage=Stage(defaults["stage"]),
        first_visit=defaults["first_visit"],
        acute=defaults["acute"],
    )
    proposal = plan_propose(client=client, request=request, library=library, state=state)
    if isinstance(proposal.result, Refusal):
        return None
    return Suggestion(
        request=request, plan=proposal.result, fingerprint=plan_fingerprint(proposal.result)
    )


@dataclass(frozen=True)
class VisitRecords:
    """The records of one visit that its steps read."""

    plan: SessionPlan | None
    note: SessionNote | None
    note_printed: bool
    has_history: bool
    has_assessment: bool


def visit_records(*, appointment: Appointment) -> VisitRecords:
    """The plan accepted for the visit, its note, and whether the client's intake history and
    an assessment are on file (four queries)."""
    plan = (
        SessionPlan.objects.filter(appointment=appointment).order_by("-accepted_at", "-id").first()
    )
    # Printed: someone downloaded its PDF (the audit trail's print). Not "a PDF is stored": the
    # signed PDF is stored at signing (sessions/documents/printing.py).
    printed = AuditEvent.objects.filter(
        action=AuditEvent.Action.PRINT,
        client_id=OuterRef("client_id"),
        object_type=SessionNote._meta.label_lower,
        object_id=OuterRef("pk"),
    )
    note = (
        SessionNote.objects.filter(appointment=appointment)
        .select_related("therapist")
        .annotate(printed=Exists(printed))
        .first()
    )
    client = appointment.client
    return VisitRecords(
        plan=plan,
        note=note,
        note_printed=bool(note and note.printed),
        has_history=HealthHistory.objects.filter(client=client).exists(),
        has_assessment=client.assessments.exists(),
    )


def visit_facts(*, appointment: Appointment, user, records: VisitRecords) -> VisitFacts:
    client = appointment.client
    return VisitFacts(
        status=VisitState(appointment.status),
        on_clinic_today=appointment.is_on_clinic_today,
        screened=client.safety_status != SafetyStatus.NOT_SCREENED,
        forbids_treatment=client.safety_status in STATUSES_FORBIDDING_TREATMENT,
        may_write=clinical_write_allowed(user, client),
        plan_accepted=records.plan is not None,
        note_started=records.note is not None,
        note_signed=records.note is not None and records.note.is_signed,
        note_printed=records.note_printed,
        intake_done=records.has_history
        and client.safety_status != SafetyStatus.NOT_SCREENED
        and records.has_assessment,
    )


def workspace_context(request, appointment: Appointment) -> dict:
    """What the workspace page shows: the steps, the next one, and the form it needs."""
    records = visit_records(appointment=appointment)
    facts = visit_facts(appointment=appointment, user=request.user, records=records)
    steps: VisitSteps = visit_steps(facts)
    rows = _step_rows(appointment, steps, records)
    context = {
        "steps": steps,
        "step_rows": rows,
        "next_row": next((row for row in rows if row["is_next"]), None),
        "next_step": steps.next,
        "session_plan": records.plan,
        "note": records.note,
        "facts": facts,
    }
    if steps.next == Step.CHECK_IN:
        context["rescreen_form"] = RedFlagRescreenForm()
    if steps.next == Step.PLAN:
        suggestion = visit_suggestion(appointment=appointment)
        context["suggestion"] = suggestion
        if suggestion is not None:
            context["accept_form"] = PlanAcceptForm(form_token_user=request.user)
    if steps.next == Step.NOTE:
        context["note_start_form"] = visit_note_start_form(
            user=request.user, appointment=appointment, plan=records.plan
        )
    return context


# What each step's link says on the workspace (the next step's button says more).
STEP_LINK_WORDS = {
    Step.INTAKE: "Start the intake",
    Step.CHECK_IN: "Check in",
    Step.PLAN: "Plan the session",
    Step.RUN_SHEET: "Run sheet",
    Step.REFERRAL: "Referral letter (PDF)",
    Step.NOTE: "Write the note",
    Step.SIGN: "Sign the note",
    Step.PRINT: "Print the note (PDF)",
}


def _step_url(appointment: Appointment, step: Step, records: VisitRecords) -> str:
    client_id = appointment.client_id
    on_visit = f"?appointment={appointment.pk}"
    note = records.note
    match step:
        case Step.INTAKE:
            return _intake_url(appointment, records)
        case Step.CHECK_IN:
            return reverse("sessions:appointment_check_in", args=[appointment.pk])
        case Step.PLAN:
            if records.plan is not None:
                return records.plan.get_absolute_url()
            return reverse("sessions:plan_new", args=[client_id]) + on_visit
        case Step.RUN_SHEET:
            return reverse("sessions:run_sheet", args=[appointment.pk])
        case Step.REFERRAL:
            return reverse("sessions:referral_letter", args=[client_id])
        case Step.NOTE:
            if note is not None:
                return note.get_absolute_url()
            return reverse("sessions:note_create", args=[client_id]) + on_visit
        case Step.SIGN if note is not None:
            return note.get_absolute_url() if note.is_signed else _note_edit(note)
        case Step.PRINT if note is not None:
            return reverse("sessions:note_pdf", args=[client_id, note.pk])
    return ""


def _intake_url(appointment: Appointment, records: VisitRecords) -> str:
    """The first missing intake step, in the guided order, carrying this visit along."""
    client = appointment.client
    if not records.has_history:
        name = "intake:health_history_edit"
    elif client.safety_status == SafetyStatus.NOT_SCREENED:
        name = "intake:screening_create"
    else:
        name = "intake:assessment_create"
    return reverse(name, args=[client.pk]) + f"?visit={appointment.pk}"


def _note_edit(note: SessionNote) -> str:
    return reverse("sessions:note_edit", args=[note.client_id, note.pk]) + "#sign"


# Done steps whose link shows what they produced (a done check-in has nothing to show).
_VIEWABLE = frozenset({Step.PLAN, Step.RUN_SHEET, Step.NOTE, Step.SIGN, Step.PRINT})


def _step_rows(appointment: Appointment, steps: VisitSteps, records: VisitRecords) -> list:
    """Each step with its link: to take it (when offered) or to see what it produced."""
    rows = []
    for state in steps.steps:
        url = _step_url(appointment, state.step, records)
        words = STEP_LINK_WORDS.get(state.step, "")
        if state.done and state.step in (Step.PLAN, Step.NOTE, Step.SIGN):
            words = "View"
        rows.append(
            {
                "state": state,
                "url": url if state.available or (state.done and state.step in _VIEWABLE) else "",
                "words": words,
                "is_next": state.step == steps.next,
            }
        )
    return rows


def visit_note_start_form(*, user, appointment: Appointment, plan: SessionPlan | None):
    """The note's start, all chosen already, for a one-click "Write the note": this visit, its
    plan (while treatment is allowed), and copied forward from the therapist's last note for
    the client when there is one."""
    client = appointment.client
    visit_date = timezone.localtime(appointment.starts_at).date()
    forbids = client.safety_status in STATUSES_FORBIDDING_TREATMENT
    previous = note_previous(client=client, therapist=user, before=visit_date)
    return NoteStartForm(
        client=client,
        safety_status=client.safety_status,
        initial={
            "visit_date": visit_date,
            "appointment": appointment.pk,
            "plan": plan.pk if plan is not None and not forbids else None,
            "start_from_last": previous is not None,
        },
        form_token_user=user,
    )


def _run_sheet_or_workspace(appointment: Appointment) -> str:
    if appointment.status == Appointment.Status.CHECKED_IN:
        return reverse("sessions:run_sheet", args=[appointment.pk])
    return appointment.get_absolute_url()


@require_POST
@login_required
def visit_plan_accept(request, appointment_id: int):
    """Accept the suggested plan for this visit as it is, in one click from the workspace.

    The request (length, stage, course, first visit) comes back from the page with the
    fingerprint of the plan it showed; the plan is proposed again from the records as they
    are now and accepted only if it is the same plan (else the page is shown again with why).
    Once per page (`core.form_tokens`). Accepted: the run sheet of a checked-in visit, the
    workspace of one still booked.
    """
    appointment = appointment_get_for_user(
        request.user, appointment_id=appointment_id, clinical_write=True
    )
    client = appointment.client
    if appointment.status not in (Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN):
        messages.error(
            request,
            SUGGESTED_PLAN_VISIT_CLOSED.format(status=appointment.get_status_display().lower()),
        )
        return redirect(appointment)
    accept_form = PlanAcceptForm(request.POST, form_token_user=request.user)
    form = PlanRequestForm(request.POST)
    workspace = appointment.get_absolute_url()
    if not accept_form.is_valid() or not form.is_valid():
        for error in [*accept_form.non_field_errors(), *_errors(form)]:
            messages.error(request, error)
        return redirect(workspace)
    plan_request = PlanRequest(
        minutes=form.cleaned_data["minutes"],
        stage=Stage(form.cleaned_data["stage"]),
        first_visit=form.cleaned_data["first_visit"],
        acute=form.acute,
    )
    proposal = plan_propose(client=client, request=plan_request)
    plan_new = (
        reverse("sessions:plan_new", args=[client.pk])
        + "?"
        + urlencode(_request_fields(plan_request, appointment))
    )
    if isinstance(proposal.result, Refusal):
        messages.error(
            request,
            SUGGESTED_PLAN_REFUSED.format(
                reason=" ".join((*proposal.result.reasons, proposal.result.next_step))
            ),
        )
        return redirect(workspace)
    if plan_fingerprint(proposal.result) != request.POST.get("fingerprint"):
        messages.warning(request, SUGGESTED_PLAN_CHANGED)
        return redirect(plan_new)
    try:
        submit_once(
            accept_form,
            create=lambda: plan_accept(
                client=client,
                therapist=request.user,
                proposal=proposal,
                plan=proposal.result,
                appointment=appointment,
            ),
            url=_run_sheet_or_workspace(appointment),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(workspace)
    messages.success(request, SUGGESTED_PLAN_ACCEPTED)
    return redirect(_run_sheet_or_workspace(appointment))


def _errors(form) -> list[str]:
    return [
        f"{form.fields[name].label if name in form.fields else ''}: {message}".lstrip(": ")
        for name, messages_ in form.errors.items()
        for message in messages_
    ]
