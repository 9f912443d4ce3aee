"""The library as a file: export it, import it back, and load the shipped fixtures.

Files are Django fixtures with natural keys (slugs), so `manage.py loaddata` reads them too.
Rows are written with `save()`, never raw, so every change lands in the history.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import IntegrityError, transaction
from django.db.models import JSONField

from core.limits import IMPORT_ITEMS_MAX, TECHNIQUE_STEPS_MAX
from protocols.models import CareStage, HomeCareExercise, SessionTemplate, Technique, TechniqueStep

LIBRARY_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "library.json"

# Techniques come before their steps: a step names its technique by slug, and the
# technique must be in the database by the time the step is read.
LIBRARY_MODELS = (SessionTemplate, CareStage, Technique, TechniqueStep, HomeCareExercise)
LIBRARY_ORDER = [model._meta.label_lower for model in LIBRARY_MODELS]
LIBRARY_LABELS = frozenset(LIBRARY_ORDER)
# The fields an item is matched by: without them it names no row.
NATURAL_KEY_FIELDS = {
    SessionTemplate: ("slug",),
    CareStage: ("slug",),
    Technique: ("slug",),
    TechniqueStep: ("technique", "order"),
    HomeCareExercise: ("slug",),
}

IMPORT_NOT_JSON_ERROR = "The file is not a library export: it is not valid JSON."
IMPORT_MAX_CHARACTERS = 2 * 1024 * 1024
IMPORT_TOO_LARGE_ERROR = "The file is larger than 2 MB: that is not a library export."
IMPORT_ITEM_FIELD_ERROR = "%(item)s, field “%(field)s”: %(reason)s"
IMPORT_FIELDS_NOT_OBJECT_REASON = "expected an object of field names and values."
IMPORT_UNKNOWN_FIELD_REASON = "not a field of this kind of library item."
IMPORT_MISSING_REASON = "missing; items are matched by it."
IMPORT_NATURAL_KEY_REASON = "expected a list holding one slug, as the export writes it."
IMPORT_LIST_OF_TEXT_REASON = "expected a list of words or numbers."
IMPORT_MAX_LIST_ENTRIES = 50
IMPORT_LIST_TOO_LONG_REASON = "more than %(limit)d entries."
IMPORT_NOT_A_VALUE_REASON = "expected a single value, not a list or an object."
IMPORT_NUL_REASON = "contains a NUL character, which text may not contain."
IMPORT_NUMBER_TOO_LARGE_REASON = "the number is far too large."
IMPORT_NOT_A_WHOLE_NUMBER_REASON = "expected a whole number or text, not a decimal."
IMPORT_NOT_LIST_ERROR = "The file is not a library export: expected a list of library items."
IMPORT_FOREIGN_MODEL_ERROR = "The file holds “%(model)s”, which is not part of the library."
IMPORT_UNREADABLE_ERROR = "The file could not be read: %(reason)s"
IMPORT_INVALID_ITEM_ERROR = "%(item)s: %(reason)s"
IMPORT_TOO_MANY_ITEMS_ERROR = (
    f"The file holds %(count)s items; a library file may hold at most {IMPORT_ITEMS_MAX:,}."
)
IMPORT_TOO_MANY_STEPS_ERROR = (
    f"Technique “%(technique)s” has %(count)s steps in the file; at most {TECHNIQUE_STEPS_MAX}."
)
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


def _item_name(index: int, item: dict) -> str:
    """How a message names an item: its place in the file, its kind, and its slug if any."""
    name = f"Item {index + 1}"
    model = item.get("model")
    if isinstance(model, str):
        name += f" ({model})"
    fields = item.get("fields")
    slug = fields.get("slug") if isinstance(fields, dict) else None
    if isinstance(slug, str) and len(slug) <= 80 and "\x00" not in slug:
        name += f" “{slug}”"
    return name


def _value_problem(field, value) -> str | None:
    """Why a field's value cannot come from a library file, or None. Shapes only: the
    model's validation (full_clean) judges the content."""
    if field.is_relation:
        if not (
            isinstance(value, list)
            and len(value) == 1
            and isinstance(value[0], str)
            and "\x00" not in value[0]
        ):
            return IMPORT_NATURAL_KEY_REASON
        return None
    if isinstance(field, JSONField):
        if not isinstance(value, list) or not all(
            isinstance(entry, str | int) and not isinstance(entry, bool) for entry in value
        ):
            return IMPORT_LIST_OF_TEXT_REASON
        if len(value) > IMPORT_MAX_LIST_ENTRIES:
            return IMPORT_LIST_TOO_LONG_REASON % {"limit": IMPORT_MAX_LIST_ENTRIES}
        values = value
    elif isinstance(value, list | dict):
        return IMPORT_NOT_A_VALUE_REASON
    else:
        values = [value]
    for entry in values:
        if isinstance(entry, str) and "\x00" in entry:
            return IMPORT_NUL_REASON
        if isinstance(entry, int) and not isinstance(entry, bool) and abs(entry) > 2**31 - 1:
            return IMPORT_NUMBER_TOO_LARGE_REASON
        if isinstance(entry, float):
            return IMPORT_NOT_A_WHOLE_NUMBER_REASON
    return None


def _item_check(index: int, item) -> dict:
    """One item of the file, checked to be a library row in the export's shape, returned
    without any database id; otherwise LibraryImportError naming the item and the field."""
    if not isinstance(item, dict):
        raise LibraryImportError(IMPORT_NOT_LIST_ERROR)
    name = _item_name(index, item)
    label = item.get("model")
    if not isinstance(label, str) or label.lower() not in LIBRARY_LABELS:
        model = label if isinstance(label, str) and len(label) <= 100 else "?"
        raise LibraryImportError(IMPORT_FOREIGN_MODEL_ERROR % {"model": model})
    fields = item.get("fields")
    if not isinstance(fields, dict):
        raise LibraryImportError(
            IMPORT_ITEM_FIELD_ERROR
            % {"item": name, "field": "fields", "reason": IMPORT_FIELDS_NOT_OBJECT_REASON}
        )
    model = LIBRARY_MODELS[LIBRARY_ORDER.index(label.lower())]
    fields = {key: value for key, value in fields.items() if key not in ("id", "pk")}
    for key, value in fields.items():
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        if field is None or not field.concrete or field.primary_key:
            shown = key if len(key) <= 60 and "\x00" not in key else "?"
            raise LibraryImportError(
                IMPORT_ITEM_FIELD_ERROR
                % {"item": name, "field": shown, "reason": IMPORT_UNKNOWN_FIELD_REASON}
            )
        problem = _value_problem(field, value)
        if problem:
            raise LibraryImportError(
                IMPORT_ITEM_FIELD_ERROR % {"item": name, "field": key, "reason": problem}
            )
    for key in NATURAL_KEY_FIELDS[model]:
        if fields.get(key) in (None, ""):
            raise LibraryImportError(
                IMPORT_ITEM_FIELD_ERROR
                % {"item": name, "field": key, "reason": IMPORT_MISSING_REASON}
            )
    # Items are matched by natural key (slug) only: an id from another database, or a made-up
    # one, would name another row (rename it, move its steps) or run ahead of the id counter.
    return {"model": label.lower(), "fields": fields}


def _library_items(text: str) -> list[dict]:
    """The file's items, checked to be library rows, without any database ids."""
    if len(text) > IMPORT_MAX_CHARACTERS:
        raise LibraryImportError(IMPORT_TOO_LARGE_ERROR)
    try:
        items = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise LibraryImportError(IMPORT_NOT_JSON_ERROR) from error
    if not isinstance(items, list):
        raise LibraryImportError(IMPORT_NOT_LIST_ERROR)
    if len(items) > IMPORT_ITEMS_MAX:
        raise LibraryImportError(IMPORT_TOO_MANY_ITEMS_ERROR % {"count": f"{len(items):,}"})
    items = [_item_check(index, item) for index, item in enumerate(items)]
    steps = Counter(
        _step_technique_slug(item) for item in items if item["model"] == "protocols.techniquestep"
    )
    for slug, count in steps.items():
        if count > TECHNIQUE_STEPS_MAX:
            shown = slug if isinstance(slug, str) and len(slug) <= 80 else "?"
            raise LibraryImportError(
                IMPORT_TOO_MANY_STEPS_ERROR % {"technique": shown, "count": f"{count:,}"}
            )
    # Whatever order a hand-edited file uses, techniques are read before their steps.
    return sorted(items, key=lambda item: LIBRARY_ORDER.index(item["model"]))


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
        if item["model"] == "protocols.technique"
    }
    result = LibraryImportResult()
    reason = IMPORT_REASON if replace_existing else LOAD_REASON
    # Slug -> step numbers, for the techniques whose steps this file decides: the ones it
    # added, and with `replace_existing` every one it names.
    steps_decided: dict[str, set[int]] = {}
    try:
        for item in items:
            if item["model"] == "protocols.techniquestep":
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
