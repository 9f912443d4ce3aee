"""The library's change history as plain rows for the history page: who, when, what.

Two queries per library model whatever the number of changes: the latest records, then
the records before them to diff against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from django.db import models

from core.staff import staff_display_name
from protocols.models import (
    CareStage,
    ChoiceListValidator,
    HomeCareExercise,
    SessionTemplate,
    Technique,
    TechniqueStep,
)

HISTORY_LIMIT = 100
LIBRARY_HISTORY_MODELS = (Technique, TechniqueStep, HomeCareExercise, CareStage, SessionTemplate)
ACTIONS = {"+": "Created", "~": "Changed", "-": "Removed"}
NO_USER = "System"
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class LibraryChange:
    when: datetime
    who: str
    action: str
    kind: str
    item: str
    url: str
    reason: str
    changes: tuple[FieldChange, ...]


def _shown(field: models.Field, value) -> str:
    """A stored value as the manager reads it: choice labels, not codes."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    lists = [v for v in field.validators if isinstance(v, ChoiceListValidator)]
    if lists and isinstance(value, list):
        labels = dict(lists[0].choices.choices)
        return ", ".join(str(labels.get(item, item)) for item in value)
    return str(value)


def _field_changes(record, previous) -> tuple[FieldChange, ...]:
    if previous is None:
        return ()
    model = record.instance_type
    delta = record.diff_against(previous)
    out = []
    for change in delta.changes:
        field = model._meta.get_field(change.field)
        out.append(
            FieldChange(
                label=str(field.verbose_name).capitalize(),
                old=_shown(field, change.old),
                new=_shown(field, change.new),
            )
        )
    return tuple(sorted(out, key=lambda c: c.label))


def _record_changes(record, previous) -> tuple[FieldChange, ...]:
    if record.history_type == "~":
        return _field_changes(record, previous)
    if record.history_type == "-" and isinstance(record.instance, TechniqueStep):
        return (FieldChange(label="Text", old=record.text, new=EMPTY),)
    return ()


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return NO_USER
    return staff_display_name(user)


def _item(record) -> tuple[str, str]:
    """The item's name and page (a step shows as its technique's)."""
    if isinstance(record.instance, TechniqueStep):
        technique = record.technique
        return f"{technique.name} · step {record.order}", technique.get_absolute_url()
    return str(record.instance), record.instance.get_absolute_url()


def _history(model, *, slug: str):
    """The model's history records (of one item, if `slug`), newest first."""
    records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    if model is TechniqueStep:
        records = records.select_related("technique")
        if slug:
            records = records.filter(technique__slug=slug)
    elif slug:
        records = records.filter(slug=slug)
    return records


def _previous_records(model, records) -> dict[int, object]:
    """history_id -> the record just before it for the same row."""
    ids = {record.id for record in records}
    if not ids:
        return {}
    earlier: dict[int, object] = {}
    last_seen: dict[int, object] = {}
    for record in model.history.filter(id__in=ids).order_by("history_date", "history_id"):
        earlier[record.history_id] = last_seen.get(record.id)
        last_seen[record.id] = record
    return earlier


@dataclass(frozen=True)
class LibraryHistory:
    """One page of the library's history: its changes, newest first, and where the next
    (older) page starts, or None on the last page."""

    changes: list[LibraryChange]
    older_than: datetime | None


def library_history(
    *,
    models: list | None = None,
    slug: str = "",
    limit: int = HISTORY_LIMIT,
    before: datetime | None = None,
) -> LibraryHistory:
    """The latest `limit` changes to the library (or to the given models / one item's slug),
    newest first, made before `before` if given. A technique's changes include its steps'.
    Changes sharing the last one's time all stay on this page, so the next page, which starts
    before that time, misses none."""
    chosen = list(models or LIBRARY_HISTORY_MODELS)
    if Technique in chosen and TechniqueStep not in chosen:
        chosen.append(TechniqueStep)
    histories = [_history(model, slug=slug) for model in chosen]
    if before is not None:
        histories = [records.filter(history_date__lt=before) for records in histories]
    merged = sorted(
        chain.from_iterable(records[: limit + 1] for records in histories),
        key=lambda record: record.history_date,
        reverse=True,
    )
    recent, more = merged[:limit], False
    if len(merged) > limit:
        # Every change made at the last one's moment stays on this page (the next one starts
        # before that moment), then: is anything older left?
        last = recent[-1].history_date
        recent = [r for r in recent if r.history_date > last] + sorted(
            chain.from_iterable(records.filter(history_date=last) for records in histories),
            key=lambda record: record.history_id,
            reverse=True,
        )
        more = any(records.filter(history_date__lt=last).exists() for records in histories)
    previous: dict[tuple[type, int], object] = {}
    for model in chosen:
        previous.update(
            {
                (model, history_id): record
                for history_id, record in _previous_records(
                    model, [r for r in recent if r.instance_type is model]
                ).items()
            }
        )
    changes = []
    for record in recent:
        name, url = _item(record)
        before = previous.get((record.instance_type, record.history_id))
        changes.append(
            LibraryChange(
                when=record.history_date,
                who=_who(record),
                action=ACTIONS[record.history_type],
                kind=str(record.instance_type._meta.verbose_name).capitalize(),
                item=name,
                url=url,
                reason=record.history_change_reason or "",
                changes=_record_changes(record, before),
            )
        )
    return LibraryHistory(changes, changes[-1].when if more else None)
