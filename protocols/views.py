"""Library pages: therapists browse, the clinic manager curates (clinical rules §1, §4-7).

Browsing needs the role's view permission, curating its add/change permissions
(`protocols.permissions`): a therapist gets 403 there, anyone logged out the login page.
Nothing is ever deleted; the manager retires and restores.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import EARLIEST_DATE
from protocols.forms import (
    CareStageForm,
    ExerciseFilterForm,
    ExerciseForm,
    LibraryImportForm,
    SessionTemplateForm,
    TechniqueFilterForm,
    TechniqueForm,
)
from protocols.history import HISTORY_LIMIT, library_history
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique
from protocols.permissions import CURATE_LIBRARY
from protocols.services import (
    MOVE_DIRECTIONS,
    library_item_move,
    library_item_retire,
    library_item_save,
    technique_save,
)
from protocols.transfer import LibraryImportError, library_export, library_import


def _technique_save(form: TechniqueForm) -> Technique:
    return technique_save(technique=form.save(commit=False), steps=form.cleaned_data["steps"])


def _item_save(form) -> models.Model:
    return library_item_save(item=form.save(commit=False))


@dataclass(frozen=True)
class Kind:
    """One kind of library item, as the shared create/edit/retire/move pages see it."""

    model: type[models.Model]
    form: type
    list_url: str
    save: Callable

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def permission(self, action: str) -> str:
        return f"protocols.{action}_{self.model._meta.model_name}"


KINDS = {
    "techniques": Kind(Technique, TechniqueForm, "protocols:technique_list", _technique_save),
    "exercises": Kind(HomeCareExercise, ExerciseForm, "protocols:exercise_list", _item_save),
    "stages": Kind(CareStage, CareStageForm, "protocols:stage_list", _item_save),
    "templates": Kind(SessionTemplate, SessionTemplateForm, "protocols:template_list", _item_save),
}


def _kind(request, kind: str, action: str) -> Kind:
    if kind not in KINDS:
        raise Http404
    if not request.user.has_perm(KINDS[kind].permission(action)):
        raise PermissionDenied
    return KINDS[kind]


def _may_curate(user) -> bool:
    return user.has_perms(CURATE_LIBRARY)


# ---- Browsing -------------------------------------------------------------------------


@require_GET
@login_required
@permission_required("protocols.view_technique", raise_exception=True)
def technique_list(request):
    """Every technique with filters; the whole library is one query (it is small, curated
    by one manager), and the stage filter runs in Python because JSON "contains" lookups
    do not exist on SQLite."""
    form = TechniqueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    techniques = Technique.objects.all()
    if not filters.get("retired"):
        techniques = techniques.filter(retired=False)
    for field in ("phase", "position"):
        if filters.get(field):
            techniques = techniques.filter(**{field: filters[field]})
    if filters.get("target"):
        words = filters["target"]
        techniques = techniques.filter(Q(anatomy__icontains=words) | Q(name__icontains=words))
    if filters.get("pressure"):
        techniques = techniques.filter(min_pressure__lte=filters["pressure"])
    techniques = list(techniques)
    if filters.get("stage"):
        techniques = [t for t in techniques if filters["stage"] in t.stages]
    return render(
        request,
        "protocols/technique_list.html",
        {
            "form": form,
            "techniques": techniques,
            "may_curate": _may_curate(request.user),
        },
    )


@require_GET
@login_required
@permission_required("protocols.view_technique", raise_exception=True)
def technique_detail(request, slug: str):
    technique = get_object_or_404(Technique.objects.prefetch_related("steps"), slug=slug)
    return render(
        request,
        "protocols/technique_detail.html",
        {
            "technique": technique,
            "last_change": technique.history.select_related("history_user").first(),
            "may_curate": _may_curate(request.user),
        },
    )


@require_GET
@login_required
@permission_required("protocols.view_homecareexercise", raise_exception=True)
def exercise_list(request):
    form = ExerciseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    exercises = HomeCareExercise.objects.all()
    if not filters.get("retired"):
        exercises = exercises.filter(retired=False)
    if filters.get("position"):
        exercises = exercises.filter(position=filters["position"])
    exercises = list(exercises)
    if filters.get("stage"):
        exercises = [e for e in exercises if filters["stage"] in e.stages]
    return render(
        request,
        "protocols/exercise_list.html",
        {"form": form, "exercises": exercises, "may_curate": _may_curate(request.user)},
    )


@require_GET
@login_required
@permission_required("protocols.view_homecareexercise", raise_exception=True)
def exercise_detail(request, slug: str):
    exercise = get_object_or_404(HomeCareExercise, slug=slug)
    return render(
        request,
        "protocols/exercise_detail.html",
        {
            "exercise": exercise,
            "last_change": exercise.history.select_related("history_user").first(),
            "may_curate": _may_curate(request.user),
        },
    )


@require_GET
@login_required
@permission_required("protocols.view_carestage", raise_exception=True)
def stage_list(request):
    show_retired = request.GET.get("retired") == "on"
    stages = CareStage.objects.all() if show_retired else CareStage.objects.active()
    return render(
        request,
        "protocols/stage_list.html",
        {"stages": stages, "show_retired": show_retired, "may_curate": _may_curate(request.user)},
    )


@require_GET
@login_required
@permission_required("protocols.view_carestage", raise_exception=True)
def stage_detail(request, slug: str):
    stage = get_object_or_404(CareStage, slug=slug)
    return render(
        request,
        "protocols/stage_detail.html",
        {
            "stage": stage,
            "techniques": [t for t in Technique.objects.active() if stage.stage in t.stages],
            "exercises": [e for e in HomeCareExercise.objects.active() if stage.stage in e.stages],
            "last_change": stage.history.select_related("history_user").first(),
            "may_curate": _may_curate(request.user),
        },
    )


@require_GET
@login_required
@permission_required("protocols.view_sessiontemplate", raise_exception=True)
def template_list(request):
    show_retired = request.GET.get("retired") == "on"
    templates = SessionTemplate.objects.all()
    if not show_retired:
        templates = templates.filter(retired=False)
    return render(
        request,
        "protocols/template_list.html",
        {
            "templates": templates,
            "show_retired": show_retired,
            "may_curate": _may_curate(request.user),
        },
    )


@require_GET
@login_required
@permission_required("protocols.view_sessiontemplate", raise_exception=True)
def template_detail(request, slug: str):
    template = get_object_or_404(SessionTemplate, slug=slug)
    in_use = SessionTemplate.objects.active().order_by("order", "name").first()
    return render(
        request,
        "protocols/template_detail.html",
        {
            "template": template,
            "in_use": in_use is not None and in_use.pk == template.pk,
            "last_change": template.history.select_related("history_user").first(),
            "may_curate": _may_curate(request.user),
        },
    )


# ---- Curating (the clinic manager) ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def item_create(request, kind: str):
    spec = _kind(request, kind, "add")
    form = spec.form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        item = spec.save(form)
        messages.success(request, f"Added “{item}”.")
        return redirect(item)
    return render(
        request,
        "protocols/item_form.html",
        {"form": form, "kind": spec, "item": None, "cancel_url": spec.list_url},
    )


@require_http_methods(["GET", "POST"])
@login_required
def item_edit(request, kind: str, slug: str):
    spec = _kind(request, kind, "change")
    item = get_object_or_404(spec.model, slug=slug)
    form = spec.form(request.POST if request.method == "POST" else None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = spec.save(form)
        messages.success(request, f"Saved “{item}”.")
        return redirect(item)
    return render(request, "protocols/item_form.html", {"form": form, "kind": spec, "item": item})


@require_POST
@login_required
def item_retire(request, kind: str, slug: str):
    """Retire (POST retired=1) or restore (retired=0): plans and notes keep the item."""
    spec = _kind(request, kind, "change")
    item = get_object_or_404(spec.model, slug=slug)
    retired = request.POST.get("retired") == "1"
    try:
        library_item_retire(item=item, retired=retired)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(item)
    if retired:
        messages.success(request, f"Retired “{item}”: it is no longer offered for new plans.")
    else:
        messages.success(request, f"Restored “{item}”.")
    return redirect(item)


@require_POST
@login_required
def item_move(request, kind: str, slug: str):
    spec = _kind(request, kind, "change")
    item = get_object_or_404(spec.model, slug=slug, retired=False)
    direction = request.POST.get("direction")
    if direction not in MOVE_DIRECTIONS:
        raise Http404
    library_item_move(item=item, direction=direction)
    return redirect(spec.list_url)


@require_GET
@login_required
@permission_required(CURATE_LIBRARY, raise_exception=True)
def history(request):
    """Who changed what in the library, and when (django-simple-history diffs)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    slug = request.GET.get("slug", "")
    before = _datetime_param(request.GET.get("before", ""))
    page = library_history(
        models=[KINDS[kind].model] if kind else None, slug=slug, before=before, limit=HISTORY_LIMIT
    )
    older = (
        "?" + urlencode({"kind": kind, "slug": slug, "before": page.older_than.isoformat()})
        if page.older_than
        else ""
    )
    return render(
        request,
        "protocols/history.html",
        {
            "changes": page.changes,
            "loaded": page.loaded,
            "older_url": older,
            "newest_url": "?" + urlencode({"kind": kind, "slug": slug}) if before else "",
            "kinds": KINDS,
            "kind": kind,
            "slug": slug,
            "limit": HISTORY_LIMIT,
        },
    )


def _datetime_param(value: str) -> datetime | None:
    """An aware datetime from a query parameter, or None for anything else."""
    if len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if not timezone.is_aware(parsed) or parsed.year < EARLIEST_DATE.year:
        return None  # a day near year 1 cannot be turned to UTC or another zone
    return parsed


@require_GET
@login_required
@permission_required(CURATE_LIBRARY, raise_exception=True)
def library_download(request):
    """The whole library (retired items too) as a fixture file."""
    filename = f"library-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(library_export(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(CURATE_LIBRARY, raise_exception=True)
def library_upload(request):
    posted = request.method == "POST"
    form = LibraryImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            result = library_import(
                text=form.cleaned_data["file"],
                replace_existing=form.cleaned_data["mode"] == LibraryImportForm.REPLACE,
            )
        except LibraryImportError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Library imported: {result.summary}.")
            for skipped in result.skipped:
                messages.warning(request, f"Skipped: {skipped}")
            return redirect("protocols:technique_list")
    return render(request, "protocols/library_import.html", {"form": form})
