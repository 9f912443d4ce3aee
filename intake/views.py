"""Intake pages. Every client-scoped view fetches through `intake.access` (404 for a
colleague; the clinical forms 403 for the manager, who edits only identity and contact);
forms validate, one service writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.form_tokens import submit_once
from core.roles import user_is_manager
from core.vocabulary import Restrictions
from intake import services
from intake.access import (
    client_get_for_clinical_write,
    client_get_for_user,
    clinical_write_allowed,
)
from intake.assessment_forms import AssessmentForm
from intake.chart import chart_panels_render
from intake.forms import (
    ClientCreateForm,
    ClientForm,
    ClientSearchForm,
    HealthHistoryForm,
    MedicalClearanceForm,
    ScreeningForm,
)
from intake.guided import (
    GUIDE_STOPPED_BY_SAFETY,
    guided_buttons,
    guided_continues,
    guided_redirect,
)
from intake.models import Client, HealthHistory
from intake.rules import age_on, restrictions_describe
from intake.rules.safety import SAFETY_NOT_SCREENED_ACTION, SAFETY_RED_FLAG_HOLDS
from intake.search import new_client_query

CLIENTS_PER_PAGE = 25
HISTORY_SHOWN = 5  # screenings and assessments on the chart; the history pages hold the rest
HISTORY_PER_PAGE = 25


@require_GET
@login_required
def client_list(request):
    """The therapist's own clients (the manager's: everyone's), by name, with the current
    triage. A search that finds nothing shows the names a small typo away and offers to add
    the client. A fixed number of queries whatever the page size."""
    is_manager = user_is_manager(request.user)
    search = ClientSearchForm(request.GET or None, choose_therapist=is_manager)
    wanted = {"query": "", "therapist": None}
    if search.is_valid():
        wanted = {
            "query": search.cleaned_data["q"].strip(),
            "therapist": search.cleaned_data.get("therapist"),
        }
    clients = services.clients_search(user=request.user, **wanted)
    page = Paginator(clients, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    close = []
    if not rows and wanted["query"]:
        close = services.clients_close_to(user=request.user, **wanted)
    _rows_decorate(rows or close)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "intake/client_list.html",
        {
            "page": page,
            "rows": rows,
            "close": close,
            "search": search,
            "searched": wanted["query"],
            "add_query": new_client_query(wanted["query"]),
            "is_manager": is_manager,
            "query_string": query.urlencode(),
        },
    )


def _rows_decorate(rows: list[Client]) -> None:
    """Each client's age. The safety badge reads the status stored on the client (kept by
    every service that records a screening or a clearance): no query, no rule per row."""
    today = timezone.localdate()
    for client in rows:
        client.age = age_on(date_of_birth=client.date_of_birth, on=max(today, client.date_of_birth))


CLIENT_PREFILL_FIELDS = ("first_name", "last_name", "phone")


@require_http_methods(["GET", "POST"])
@login_required
def client_create(request):
    is_manager = user_is_manager(request.user)
    # The manager registers the client for a therapist, who then takes the clinical intake.
    # "Add this client" from a search that found nothing brings the typed name along.
    prefill = {
        name: request.GET[name][:100] for name in CLIENT_PREFILL_FIELDS if request.GET.get(name)
    }
    form = ClientCreateForm(
        request.POST or None,
        initial=prefill,
        choose_therapist=is_manager,
        clinical=not is_manager,
        form_token_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        therapist = fields.pop("therapist", None) or request.user
        client = submit_once(
            form, create=lambda: services.client_create(therapist=therapist, **fields)
        )
        messages.success(request, f"{client} added. Next: the intake history and the screening.")
        if guided_continues(request) and clinical_write_allowed(request.user, client):
            return guided_redirect(request, step="intake:client_create", client=client)
        return redirect(client)
    if not is_manager:
        guided_buttons(form, step="intake:client_create")
    return render(request, "intake/client_form.html", {"form": form, "client": None})


@require_http_methods(["GET", "POST"])
@login_required
def client_edit(request, client_id: int):
    client = client_get_for_user(request.user, client_id)
    form = ClientForm(
        request.POST or None,
        instance=client,
        choose_therapist=user_is_manager(request.user),
        clinical=clinical_write_allowed(request.user, client),
    )
    if request.method == "POST" and form.is_valid():
        services.client_update(client=client, **form.cleaned_data)
        messages.success(request, f"{client} saved.")
        return redirect(client)
    return render(request, "intake/client_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
@login_required
def health_history_edit(request, client_id: int):
    client = client_get_for_clinical_write(request.user, client_id)
    history = HealthHistory.objects.filter(client=client).first()
    form = HealthHistoryForm(request.POST or None, instance=history, client=client)
    if request.method == "POST" and form.is_valid():
        services.health_history_save(client=client, **form.cleaned_data)
        messages.success(request, "Intake history saved.")
        if guided_continues(request):
            return guided_redirect(request, step="intake:health_history_edit", client=client)
        return redirect(client)
    guided_buttons(form, step="intake:health_history_edit")
    return render(request, "intake/health_history_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
@login_required
def screening_create(request, client_id: int):
    """A new screening: every question, red flags first; the lasting conditions start from
    the latest screening's answers, to be confirmed (`ScreeningForm`)."""
    client = client_get_for_clinical_write(request.user, client_id)
    form = ScreeningForm(
        request.POST or None,
        client=client,
        previous=services.screening_latest(client=client),
        form_token_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        screening = submit_once(
            form,
            create=lambda: services.screening_record(
                client=client,
                recorded_by=request.user,
                screened_on=form.cleaned_data["screened_on"],
                answers=form.answers(),
                notes=form.cleaned_data["notes"],
            ),
            url=client.get_absolute_url(),
        )
        safety = services.client_safety(client=client)
        level = messages.ERROR if safety.forbids_treatment else messages.SUCCESS
        message = f"Screening saved. Safety status: {safety.status.label}."
        if safety.open_red_flags and not screening.evaluate().blocks_treatment:
            message += f" {SAFETY_RED_FLAG_HOLDS}"
        messages.add_message(request, level, message)
        if guided_continues(request):
            if safety.forbids_treatment:
                messages.warning(request, GUIDE_STOPPED_BY_SAFETY)
                return redirect(client)
            return guided_redirect(request, step="intake:screening_create", client=client)
        return redirect(client)
    guided_buttons(form, step="intake:screening_create")
    return render(request, "intake/screening_form.html", {"form": form, "client": client})


@require_http_methods(["GET", "POST"])
@login_required
def clearance_create(request, client_id: int):
    """Record a physician's medical clearance of the client's open red flags (owner only)."""
    client = client_get_for_clinical_write(request.user, client_id)
    safety = services.client_safety(client=client)
    form = MedicalClearanceForm(request.POST or None, client=client, form_token_user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                form,
                create=lambda: services.clearance_record(
                    client=client, recorded_by=request.user, **form.cleaned_data
                ),
                url=client.get_absolute_url(),
            )
        except ValueError as refused:
            messages.error(request, str(refused))
            return redirect(client)
        # The service stored the new status on this client.
        messages.success(
            request,
            f"Medical clearance recorded. Safety status: {client.get_safety_status_display()}.",
        )
        return redirect(client)
    return render(
        request,
        "intake/clearance_form.html",
        {"form": form, "client": client, "safety": safety},
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_create(request, client_id: int):
    client = client_get_for_clinical_write(request.user, client_id)
    form = AssessmentForm(request.POST or None, client=client, form_token_user=request.user)
    if request.method == "POST" and form.is_valid():
        assessment = submit_once(
            form,
            create=lambda: services.assessment_record(
                client=client,
                recorded_by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                slr=form.slr(),
                bragard=form.bragard(),
                piriformis=form.piriformis(),
                notes=form.cleaned_data["notes"],
            ),
            url=client.get_absolute_url(),
        )
        messages.success(request, f"Assessment saved: {assessment.evaluate().kind.label}.")
        if guided_continues(request):
            return guided_redirect(request, step="intake:assessment_create", client=client)
        return redirect(client)
    guided_buttons(form, step="intake:assessment_create")
    return render(request, "intake/assessment_form.html", {"form": form, "client": client})


def _by_condition(restrictions: Restrictions) -> list[tuple[str, list[str]]]:
    """The plan notes grouped under the condition that imposes them, in order."""
    grouped: dict[str, list[str]] = {}
    for note in restrictions.notes:
        grouped.setdefault(note.condition, []).append(note.text)
    return list(grouped.items())


@require_GET
@login_required
def client_chart(request, client_id: int):
    """Identity, the governing triage (refer-now as a red banner), restrictions, the latest
    tests and hypothesis, the history of screenings and assessments, then other apps' panels
    (`intake.chart`)."""
    client = client_get_for_user(request.user, client_id)
    # The latest few of each, newest first; the full history pages (`screening_list`,
    # `assessment_list`) hold the rest, however long the client has been coming. The newest
    # of each governs: the clinical state is built from them, not fetched again.
    screenings = list(client.screenings.select_related("recorded_by")[: HISTORY_SHOWN + 1])
    assessments = list(client.assessments.select_related("recorded_by")[: HISTORY_SHOWN + 1])
    screening_rows = _evaluated(screenings[:HISTORY_SHOWN], client)
    assessment_rows = _evaluated(assessments[:HISTORY_SHOWN], client)
    clearances = list(client.clearances.select_related("recorded_by"))
    state = services.clinical_state_build(
        safety=services.client_safety(client=client, clearances=clearances),
        screening=screenings[0] if screenings else None,
        assessment=assessments[0] if assessments else None,
        history=HealthHistory.objects.filter(client=client).first(),
    )
    today = timezone.localdate()
    return render(
        request,
        "intake/client_chart.html",
        {
            "client": client,
            "age": age_on(date_of_birth=client.date_of_birth, on=max(today, client.date_of_birth)),
            "state": state,
            "not_screened_action": SAFETY_NOT_SCREENED_ACTION,
            "red_flag_holds": SAFETY_RED_FLAG_HOLDS,
            "clearances": clearances,
            "triage": state.triage,
            "restrictions": state.triage.restrictions,
            "restriction_lines": restrictions_describe(state.triage.restrictions),
            "modifications": _by_condition(state.triage.restrictions),
            "hypothesis": state.hypothesis,
            "readings": state.assessment.readings() if state.assessment else [],
            "history": state.health_history,
            "screening_rows": screening_rows,
            "more_screenings": len(screenings) > HISTORY_SHOWN,
            "assessment_rows": assessment_rows,
            "more_assessments": len(assessments) > HISTORY_SHOWN,
            "panels": chart_panels_render(request=request, client=client, state=state),
        },
    )


def _evaluated(records, client: Client) -> list[tuple]:
    """(record, what its rules give) for screenings (triage) or assessments (hypothesis)."""
    for record in records:
        record.client = client  # the rules read the client's age and sex: no query per row
    return [(record, record.evaluate()) for record in records]


def _record_history(request, client_id: int, *, kind: str, title: str):
    client = client_get_for_user(request.user, client_id)
    records = getattr(client, kind).select_related("recorded_by")
    page = Paginator(records, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "intake/record_history.html",
        {
            "client": client,
            "kind": kind,
            "title": title,
            "page": page,
            "rows": _evaluated(page.object_list, client),
            "governing_first": page.number == 1,
        },
    )


@require_GET
@login_required
def screening_list(request, client_id: int):
    """Every screening of the client, newest first (the chart shows the latest few)."""
    return _record_history(request, client_id, kind="screenings", title="Screenings")


@require_GET
@login_required
def assessment_list(request, client_id: int):
    """Every assessment of the client, newest first (the chart shows the latest few)."""
    return _record_history(request, client_id, kind="assessments", title="Assessments")
