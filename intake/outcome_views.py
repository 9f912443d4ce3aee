"""Recording functional outcome measures (clinical rules §9.5): the client's own therapist's
clinical write (`intake.access`: the manager 403, a colleague 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.form_tokens import submit_once
from intake import services
from intake.access import client_get_for_clinical_write
from intake.models import OutcomeMeasure
from intake.outcome_forms import OswestryForm, PsfsForm


@require_http_methods(["GET", "POST"])
@login_required
def psfs_create(request, client_id: int):
    client = client_get_for_clinical_write(request.user, client_id)
    last = (
        OutcomeMeasure.objects.filter(client=client, kind=OutcomeMeasure.Kind.PSFS)
        .order_by("-measured_on", "-id")
        .first()
    )
    activities = [a.activity for a in last.activities.all()] if last else []
    form = PsfsForm(request.POST or None, activities=activities, form_token_user=request.user)
    if request.method == "POST" and form.is_valid():
        measure = submit_once(
            form,
            create=lambda: services.psfs_record(
                client=client,
                measured_on=form.cleaned_data["measured_on"],
                activities=form.cleaned_data["activities"],
                recorded_by=request.user,
            ),
            url=client.get_absolute_url(),
        )
        messages.success(request, f"PSFS recorded: {measure.score} out of 10.")
        return redirect(client)
    return render(
        request,
        "intake/outcome_form.html",
        {"client": client, "form": form, "kind": "psfs", "last": last},
    )


@require_http_methods(["GET", "POST"])
@login_required
def oswestry_create(request, client_id: int):
    client = client_get_for_clinical_write(request.user, client_id)
    form = OswestryForm(request.POST or None, form_token_user=request.user)
    if request.method == "POST" and form.is_valid():
        measure = submit_once(
            form,
            create=lambda: services.oswestry_record(
                client=client, recorded_by=request.user, **form.cleaned_data
            ),
            url=client.get_absolute_url(),
        )
        messages.success(request, f"Oswestry score recorded: {measure.score:.0f} %.")
        return redirect(client)
    return render(
        request, "intake/outcome_form.html", {"client": client, "form": form, "kind": "odi"}
    )
