"""Pages for planning a session. Every one fetches the client through `intake.access`, an
accepted plan through `sessions.access.plan_get_for_user`.

The owning therapist and the clinic manager read accepted plans; anyone else gets a 404
from the access helper. Planning is the client's own therapist's alone: the manager gets a
403 on the planning pages too, since their only outcome is a plan accepted into the chart.
Proposing writes nothing (GET); checking an adjusted plan and accepting it are POSTs, and
only accepting writes.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from core.form_tokens import FORM_TOKEN_REFUSED, submit_once
from core.vocabulary import Stage
from intake.access import client_get_for_clinical_write, client_get_for_user
from intake.services import client_clinical_state
from protocols.library import LibraryIncomplete, library_snapshot
from sessions.access import appointment_of_client, plan_get_for_user
from sessions.planning.forms import PlanAcceptForm, PlanRequestForm, PlanRowFormSet
from sessions.planning.planner import Plan, Refusal, plan_alternatives
from sessions.planning.selectors import appointment_to_plan_today, plans_accepted
from sessions.planning.services import (
    PlanRequest,
    PlanWarningsUnseen,
    Proposal,
    plan_accept,
    plan_adjusted,
    plan_propose,
    plan_request_defaults,
)

PLANS_PER_PAGE = 25

PLAN_ACCEPTED = "Plan accepted and saved to the chart. Later library changes will not alter it."
PLAN_APPOINTMENT_REFUSED = (
    "The appointment this plan was made for is not one of this client's: the plan was not "
    "accepted. Plan the session again from the client's own appointment."
)
APPOINTMENT_NOT_FOUND = "That appointment belongs to another client: planning without it."


@require_GET
@login_required
def plan_list(request, client_id: int):
    client = client_get_for_user(request.user, client_id)
    plans = plans_accepted(client=client).select_related("therapist", "appointment")
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions/plan_list.html",
        {"client": client, "page": page, "plans": page.object_list},
    )


@require_GET
@login_required
def plan_detail(request, client_id: int, plan_id: int):
    session_plan = plan_get_for_user(request.user, client_id=client_id, plan_id=plan_id)
    client = session_plan.client
    plan = session_plan.plan
    return render(
        request,
        "sessions/plan_detail.html",
        {
            "client": client,
            "session_plan": session_plan,
            "plan": plan,
            "lines": [(row, None) for row in plan.run_sheet()],
            "referral_url": _referral_url(client) if plan.medical_follow_up else "",
        },
    )


@require_GET
@login_required
def plan_new(request, client_id: int):
    """ "Plan a session": the request form, then the proposed run sheet or the refusal."""
    client = client_get_for_clinical_write(request.user, client_id)
    try:
        library = library_snapshot()
    except LibraryIncomplete as error:
        return render(request, "sessions/plan_new.html", {"client": client, "library_error": error})
    state = client_clinical_state(client=client)
    defaults = plan_request_defaults(client=client, state=state, library=library)
    appointment = appointment_of_client(
        client=client, appointment_id=request.GET.get("appointment")
    )
    if request.GET.get("appointment") and appointment is None:
        messages.warning(request, APPOINTMENT_NOT_FOUND)
    elif "appointment" not in request.GET and "minutes" not in request.GET:
        appointment = appointment_to_plan_today(client=client)
    form_kwargs = {"suggestion": defaults["suggestion"]}
    if "minutes" in request.GET:
        form = PlanRequestForm(request.GET, **form_kwargs)
    else:
        form = PlanRequestForm(
            initial={
                "minutes": appointment.minutes if appointment else defaults["minutes"],
                "stage": defaults["stage"],
                "first_visit": defaults["first_visit"],
                "course": "acute" if defaults["acute"] else "chronic",
                "appointment": appointment.pk if appointment else None,
            },
            **form_kwargs,
        )
    context = {
        "client": client,
        "form": form,
        "state": state,
        "appointment": appointment,
        "accept_form": PlanAcceptForm(form_token_user=request.user),
    }
    if not form.is_bound and state.triage.blocks_treatment:
        # Nothing to choose: the screening refuses whatever the length or stage.
        request_ = PlanRequest(
            minutes=defaults["minutes"],
            stage=defaults["stage"],
            first_visit=defaults["first_visit"],
            acute=defaults["acute"],
        )
        proposal = plan_propose(client=client, request=request_, library=library)
        context |= _proposal_context(client, proposal, adjusting=False, formset=None, plan=None)
    elif form.is_bound and form.is_valid():
        proposal = plan_propose(client=client, request=_request(form), library=library)
        context |= _proposal_context(
            client,
            proposal,
            adjusting="adjust" in request.GET,
            formset=None,
            plan=None,
            appointment=appointment,
        )
    return render(request, "sessions/plan_new.html", context)


@require_POST
@login_required
def plan_review(request, client_id: int):
    """Check an adjusted plan against the invariants, or accept it (the only write).

    Accepting is once per page (`core.form_tokens`): the same accept sent again leads to
    the plan accepted the first time, without a second plan or a second visit counted.
    A plan with warnings (the primary target's work taken out) is accepted once the page
    has shown them: each shown warning comes back as a `warning_seen` field."""
    client = client_get_for_clinical_write(request.user, client_id)
    accept_form = PlanAcceptForm(request.POST, form_token_user=request.user)
    token_valid = accept_form.is_valid()  # a repeat ends here: FormAlreadySubmitted
    try:
        library = library_snapshot()
    except LibraryIncomplete as error:
        return render(request, "sessions/plan_new.html", {"client": client, "library_error": error})
    form = PlanRequestForm(request.POST)
    context = {"client": client, "form": form, "accept_form": accept_form}
    if not form.is_valid():
        return render(request, "sessions/plan_new.html", context)
    appointment = appointment_of_client(
        client=client, appointment_id=form.cleaned_data["appointment"]
    )
    if form.cleaned_data["appointment"] is not None and appointment is None:
        # Accepting without it would drop the link silently: refuse, nothing is saved.
        form.add_error(None, PLAN_APPOINTMENT_REFUSED)
        return render(request, "sessions/plan_new.html", context)
    proposal = plan_propose(client=client, request=_request(form), library=library)
    context |= {"state": proposal.state, "appointment": appointment}
    if isinstance(proposal.result, Refusal):
        # The screening changed since the proposal was shown: the refusal replaces it.
        context |= _proposal_context(client, proposal, adjusting=False, formset=None, plan=None)
        return render(request, "sessions/plan_new.html", context)
    formset = _formset(proposal, data=request.POST)
    plan, problems, warnings, unseen = None, [], [], False
    if formset.is_valid():
        adjusted = plan_adjusted(proposal=proposal, rows=formset.rows())
        plan, problems, warnings = adjusted.plan, adjusted.problems, adjusted.warnings
        if request.POST.get("action") == "accept" and not problems and not token_valid:
            problems = [FORM_TOKEN_REFUSED]
        elif request.POST.get("action") == "accept" and not problems:
            try:
                session_plan = submit_once(
                    accept_form,
                    create=lambda: plan_accept(
                        client=client,
                        therapist=request.user,
                        proposal=proposal,
                        plan=plan,
                        appointment=appointment,
                        warnings_seen=request.POST.getlist("warning_seen"),
                    ),
                )
            except PlanWarningsUnseen as error:
                warnings, unseen = error.warnings, True
            except ValidationError as error:
                problems = error.messages[1:]
            else:
                messages.success(request, PLAN_ACCEPTED)
                return redirect(session_plan)
    context |= _proposal_context(
        client, proposal, adjusting=True, formset=formset, plan=plan, appointment=appointment
    )
    context["problems"] = problems
    context["warnings"] = warnings
    context["warnings_unseen"] = unseen
    context["checked"] = plan is not None and not problems
    return render(request, "sessions/plan_new.html", context)


def _request(form: PlanRequestForm) -> PlanRequest:
    return PlanRequest(
        minutes=form.cleaned_data["minutes"],
        stage=Stage(form.cleaned_data["stage"]),
        first_visit=form.cleaned_data["first_visit"],
        acute=form.acute,
    )


def _formset(proposal: Proposal, data=None) -> PlanRowFormSet:
    alternatives = plan_alternatives(
        plan=proposal.result,
        triage=proposal.triage,
        hypothesis=proposal.hypothesis,
        library=proposal.library,
    )
    return PlanRowFormSet(data, plan=proposal.result, alternatives=alternatives, prefix="line")


def _proposal_context(
    client, proposal: Proposal, *, adjusting: bool, formset, plan, appointment=None
) -> dict:
    """What the run sheet (or the refusal) needs: each line with its form when adjusting."""
    result = proposal.result
    request = proposal.request
    query = {
        "minutes": request.minutes,
        "stage": int(request.stage),
        "course": "acute" if request.acute else "chronic",
    }
    if request.first_visit:
        query["first_visit"] = "on"
    if appointment is not None:
        query["appointment"] = appointment.pk
    if isinstance(result, Refusal):
        return {"refusal": result, "referral_url": _referral_url(client) if result.referral else ""}
    formset = formset or _formset(proposal)
    shown: Plan = plan or result
    rows = shown.run_sheet()
    if formset.is_bound and formset.is_valid():
        ordered = sorted(
            formset.forms,
            key=lambda f: (f.phase_index, f.cleaned_data["order"], formset.forms.index(f)),
        )
    else:
        ordered = list(formset.forms)
    return {
        "proposal_query": urlencode(query),
        "plan": shown,
        "proposed": result,
        "formset": formset,
        "adjusting": adjusting,
        "lines": list(zip(rows, ordered, strict=True)),
        "referral_url": _referral_url(client) if shown.medical_follow_up else "",
    }


def _referral_url(client) -> str:
    return reverse("sessions:referral_letter", args=[client.pk])
