"""The library as a file: export it, import it back, and load the shipped fixtures.

Files are Django fixtures with natural keys (slugs), so `manage.py loaddata` reads them too.
Rows are written with `save()`, never raw, so every change lands in the history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, transaction

from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique, TechniqueStep

LIBRARY_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "library.json"

# Techniques come before their steps: a step names its technique by slug, and the
# technique must be in the database by the time the step is read.
LIBRARY_MODELS = (SessionTemplate, CareStage, Technique, TechniqueStep, HomeCareExercise)
LIBRARY_ORDER = [model._meta.label_lower for model in LIBRARY_MODELS]
LIBRARY_LABELS = frozenset(LIBRARY_ORDER)

IMPORT_NOT_JSON_ERROR = "The file is not a library export: it is not valid JSON."
IMPORT_NOT_LIST_ERROR = "The file is not a library export: expected a list of library items."
IMPORT_FOREIGN_MODEL_ERROR = "The file holds “%(model)s”, which is not part of the library."
IMPORT_UNREADABLE_ERROR = "The file could not be read: %(reason)s"
IMPORT_INVALID_ITEM_ERROR = "%(item)s: %(reason)s"
IMPORT_ORPHAN_STEP_ERROR = "The file has steps for “%(technique)s” but not the technique itself."

LOAD_REASON = "Loaded from the library fixtures"
IMPORT_REASON = "Imported from a library file"


class LibraryImportError(Exception):
    """The file cannot be imported; nothing was saved. The message says why."""


@dataclass
class LibraryImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        )
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text


def library_export() -> str:
    """Every library row, retired ones too, as a fixture (JSON, natural keys, stable order)."""
    rows = chain(
        SessionTemplate.objects.order_by("order", "slug"),
        CareStage.objects.order_by("order", "slug"),
        Technique.objects.order_by("order", "slug"),
        TechniqueStep.objects.select_related("technique").order_by(
            "technique__order", "technique__slug", "order"
        ),
        HomeCareExercise.objects.order_by("order", "slug"),
    )
    text = serializers.serialize(
        "json",
        rows,
        indent=2,
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        ensure_ascii=False,
    )
    return text + "\n"


def _describe(obj) -> str:
    return f"{obj._meta.verbose_name.capitalize()} “{obj}”"


def _field_values(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if not f.primary_key
    }


def _library_items(text: str) -> list[dict]:
    """The file's items, checked to be library rows, without any database ids.

    Items are matched by slug only: an id from another database could name another row.
    """
    try:
        items = json.loads(text)
    except ValueError as error:
        raise LibraryImportError(IMPORT_NOT_JSON_ERROR) from error
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise LibraryImportError(IMPORT_NOT_LIST_ERROR)
    for item in items:
        if str(item.get("model", "")).lower() not in LIBRARY_LABELS:
            raise LibraryImportError(IMPORT_FOREIGN_MODEL_ERROR % {"model": item.get("model")})
        item.pop("pk", None)
    # Whatever order a hand-edited file uses, techniques are read before their steps.
    return sorted(items, key=lambda item: LIBRARY_ORDER.index(item["model"].lower()))


def _step_technique_slug(item: dict) -> str | None:
    technique = item.get("fields", {}).get("technique")
    return technique[0] if isinstance(technique, list) and technique else None


def _validation_message(obj, error: ValidationError) -> str:
    reasons = "; ".join(
        f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
    )
    return IMPORT_INVALID_ITEM_ERROR % {"item": _describe(obj), "reason": reasons}


@transaction.atomic
def library_import(*, text: str, replace_existing: bool) -> LibraryImportResult:
    """Bring a library file into the database, all or nothing.

    Items are matched by slug (steps by technique slug and number). Missing items are
    added. Existing ones are left exactly as they are unless `replace_existing`; then
    they take the file's values and a replaced technique's steps become the file's steps.
    With `replace_existing` off, an item that clashes with the manager's own (e.g. the
    same name under another slug) is skipped and reported, with its steps; with it on,
    the whole import stops with a message naming the item.
    """
    items = _library_items(text)
    techniques_in_file = {
        item.get("fields", {}).get("slug")
        for item in items
        if item["model"].lower() == "protocols.technique"
    }
    result = LibraryImportResult()
    reason = IMPORT_REASON if replace_existing else LOAD_REASON
    # Slug -> step numbers, for the techniques whose steps this file decides: the ones it
    # added, and with `replace_existing` every one it names.
    steps_decided: dict[str, set[int]] = {}
    try:
        for item in items:
            if item["model"].lower() == "protocols.techniquestep":
                slug = _step_technique_slug(item)
                if slug not in techniques_in_file:
                    raise LibraryImportError(IMPORT_ORPHAN_STEP_ERROR % {"technique": slug})
                if slug not in steps_decided:
                    continue
                steps_decided[slug].add(item["fields"].get("order"))
            (deserialized,) = serializers.deserialize("python", [item])
            obj = deserialized.object
            outcome, description = _item_bring_in(
                obj, replace_existing=replace_existing, reason=reason
            )
            getattr(result, outcome).append(description)
            if isinstance(obj, Technique) and (
                outcome == "added" or (replace_existing and outcome != "skipped")
            ):
                steps_decided[obj.slug] = set()
    except (DeserializationError, ObjectDoesNotExist, FieldDoesNotExist, IntegrityError) as error:
        raise LibraryImportError(IMPORT_UNREADABLE_ERROR % {"reason": error}) from error
    if replace_existing:
        _steps_not_in_file_delete(steps_decided, reason=reason)
    return result


def _item_bring_in(obj, *, replace_existing: bool, reason: str) -> tuple[str, str]:
    """Save one deserialized row if the import mode says so; returns (outcome, description)."""
    existing = type(obj).objects.filter(pk=obj.pk).first() if obj.pk else None
    if existing is not None and (
        not replace_existing or _field_values(existing) == _field_values(obj)
    ):
        return "unchanged", _describe(existing)
    # A deserialized row always looks new; uniqueness checks must skip the row itself.
    obj._state.adding = existing is None
    try:
        obj.full_clean()
    except ValidationError as error:
        if replace_existing:
            raise LibraryImportError(_validation_message(obj, error)) from error
        return "skipped", _validation_message(obj, error)
    obj._change_reason = reason
    obj.save()
    return ("updated" if existing else "added"), _describe(obj)


def _steps_not_in_file_delete(steps_decided: dict[str, set[int]], *, reason: str) -> None:
    """A replaced technique keeps only the steps the file gives it."""
    for slug, orders in steps_decided.items():
        for step in TechniqueStep.objects.filter(technique__slug=slug).exclude(order__in=orders):
            step._change_reason = reason
            step.delete()


def library_load(path: Path = LIBRARY_FIXTURE) -> LibraryImportResult:
    """Add the shipped library's missing items; never touch what is already there."""
    return library_import(text=path.read_text(encoding="utf-8"), replace_existing=False)
