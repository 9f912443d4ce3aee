"""Billing pages. Client-scoped pages fetch through `intake.access` and `sessions.access`:
the client's therapist and the clinic manager (who keeps the front desk, payments included);
a colleague gets 404. The fee schedule and therapists' NPIs are the manager's to edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.forms import modelformset_factory
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from billing import progress_report, services
from billing import record_export as record_export_module
from billing.documents import superbill_pdf
from billing.forms import PaymentForm, ProcedureCodeForm, ProviderNpiForm, StatementForm
from billing.models import BillingProvider, ProcedureCode
from billing.selectors import client_statement, visit_bill
from core.form_tokens import submit_once
from core.roles import user_is_manager
from core.staff import therapists_active
from intake.access import client_get_for_user
from protocols.models import Technique
from sessions.access import note_get_for_user

FEES_MANAGER_ONLY = "Only the clinic manager changes the fee schedule."
NPI_MANAGER_ONLY = "Only the clinic manager records therapists' NPIs."
FEES_SAVED = "Fee schedule saved."


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _billing_page(request, client, form: StatementForm, status: int = 200):
    prefetch_related_objects([client], "diagnoses")
    statement = client_statement(client=client)
    return render(
        request,
        "billing/client_billing.html",
        {"client": client, "statement": statement, "range_form": form},
        status=status,
    )


@require_GET
@login_required
def client_billing(request, client_id: int):
    """The client's visits with their procedure codes, units, charge, payments and balance."""
    client = client_get_for_user(request.user, client_id)
    return _billing_page(request, client, StatementForm())


@require_http_methods(["GET", "POST"])
@login_required
def payment_create(request, client_id: int, note_id: int):
    note = note_get_for_user(request.user, client_id=client_id, note_id=note_id)
    form = PaymentForm(request.POST or None, form_token_user=request.user)
    billing_url = reverse("billing:client_billing", args=[note.client_id])
    if request.method == "POST" and form.is_valid():
        payment = submit_once(
            form,
            create=lambda: services.payment_record(
                note=note, recorded_by=request.user, **form.cleaned_data
            ),
            url=billing_url,
        )
        messages.success(
            request,
            f"Payment of {payment.amount} recorded for the visit of {note.visit_date:%d %b %Y}.",
        )
        return redirect(billing_url)
    return render(
        request,
        "billing/payment_form.html",
        {"client": note.client, "note": note, "bill": visit_bill(note), "form": form},
    )


@require_GET
@login_required
def superbill_pdf_view(request, client_id: int, note_id: int):
    """The superbill of one visit."""
    note = note_get_for_user(request.user, client_id=client_id, note_id=note_id)
    statement = client_statement(client=note.client, start=note.visit_date, end=note.visit_date)
    statement = type(statement)(
        client=statement.client,
        bills=tuple(b for b in statement.bills if b.note.pk == note.pk),
        start=note.visit_date,
        end=note.visit_date,
    )
    name = f"superbill-{slugify(note.client.full_name)}-{note.visit_date:%Y-%m-%d}.pdf"
    return _pdf(superbill_pdf(statement=statement), name)


@require_GET
@login_required
def superbill_range_pdf(request, client_id: int):
    """The superbill of the client's visits from `start` to `end` (either open); bad dates
    show the billing page with the message under the field."""
    client = client_get_for_user(request.user, client_id)
    form = StatementForm(request.GET)
    if not form.is_valid():
        return _billing_page(request, client, form)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    statement = client_statement(client=client, start=start, end=end)
    span = "-".join(f"{d:%Y-%m-%d}" for d in (start, end) if d) or "all-visits"
    return _pdf(
        superbill_pdf(statement=statement), f"superbill-{slugify(client.full_name)}-{span}.pdf"
    )


@require_GET
@login_required
def progress_report_pdf(request, client_id: int):
    """The progress report for the referring physician (clinical rules §9.6)."""
    client = client_get_for_user(request.user, client_id)
    name = f"progress-report-{slugify(client.full_name)}-{timezone.localdate():%Y-%m-%d}.pdf"
    return _pdf(progress_report.progress_report_pdf(client=client), name)


@require_GET
@login_required
def record_export(request, client_id: int):
    """The client's whole record as one ZIP: every PDF and a FHIR R4 bundle (clinical rules
    §9.7). Recorded in the audit trail as an export."""
    client = client_get_for_user(request.user, client_id)
    response = HttpResponse(
        record_export_module.client_record_zip(client=client), content_type="application/zip"
    )
    name = f"record-{slugify(client.full_name)}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def procedure_codes(request):
    """The fee schedule: every staff member reads it; the manager edits the wording and fees
    and adds codes (clinical rules §9.2)."""
    is_manager = user_is_manager(request.user)
    if request.method == "POST" and not is_manager:
        raise PermissionDenied(FEES_MANAGER_ONLY)
    # The codes the library's techniques name that have no fee yet come as rows to fill in,
    # then one empty row for another code.
    scheduled = set(ProcedureCode.objects.values_list("code", flat=True))
    missing = sorted(
        set(Technique.objects.exclude(procedure_code="").values_list("procedure_code", flat=True))
        - scheduled
    )
    formset_class = modelformset_factory(
        ProcedureCode, form=ProcedureCodeForm, extra=len(missing) + 1, can_delete=False
    )
    formset = formset_class(
        request.POST or None,
        queryset=ProcedureCode.objects.all(),
        initial=[{"code": code, "active": True} for code in missing],
    )
    if request.method == "POST" and formset.is_valid():
        for form in formset:
            if form.has_changed() or form.instance.pk:
                data = form.cleaned_data
                if not data.get("code"):
                    continue
                services.procedure_code_save(
                    code=data["code"],
                    description=data["description"],
                    fee=data["fee"],
                    active=data.get("active", False),
                )
        messages.success(request, FEES_SAVED)
        return redirect("billing:procedure_codes")
    return render(
        request,
        "billing/procedure_codes.html",
        {
            "formset": formset,
            "may_edit": is_manager,
            "codes": ProcedureCode.objects.all(),
            "missing": missing,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def providers(request):
    """Therapists' NPIs, printed on their superbills (the manager's)."""
    if not user_is_manager(request.user):
        raise PermissionDenied(NPI_MANAGER_ONLY)
    therapists = list(
        therapists_active().prefetch_related(
            Prefetch("billing_provider", queryset=BillingProvider.objects.all())
        )
    )
    forms = []
    for therapist in therapists:
        provider = getattr(therapist, "billing_provider", None)
        forms.append(
            (
                therapist,
                ProviderNpiForm(
                    request.POST or None,
                    prefix=f"t{therapist.pk}",
                    initial={"npi": provider.npi if provider else ""},
                ),
            )
        )
    if request.method == "POST" and all(form.is_valid() for _, form in forms):
        for therapist, form in forms:
            services.provider_npi_set(user=therapist, npi=form.cleaned_data["npi"])
        messages.success(request, "NPIs saved.")
        return redirect("billing:providers")
    return render(request, "billing/providers.html", {"forms": forms})
