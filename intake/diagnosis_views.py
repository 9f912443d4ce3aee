"""The ICD-10-CM code search: a page any staff member can use without JavaScript, and the
same answer as JSON for the diagnosis-code box's suggestions (`static/js/diagnosis_codes.js`).
It shows only the public code set, no client's record."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from intake.diagnosis_codes import SEARCH_QUERY_MAX, diagnosis_codes_search


class DiagnosisCodeSearchForm(forms.Form):
    q = forms.CharField(
        label="Code or words",
        max_length=SEARCH_QUERY_MAX,
        required=False,
        help_text="For example M54.3, sciatica left, or lumbar radiculopathy.",
    )


@require_GET
@login_required
def diagnosis_code_search(request):
    form = DiagnosisCodeSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = diagnosis_codes_search(query) if query else []
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "results": [{"code": r.code, "description": r.description} for r in results],
                "errors": [str(e) for e in form.errors.get("q", [])],
            }
        )
    return render(
        request,
        "intake/diagnosis_code_search.html",
        {"form": form, "query": query, "results": results},
    )
