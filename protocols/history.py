"""The library's change history as plain rows for the history page: who, when, what.

The library as shipped (`manage.py library_load`: rows created by no one, with the load's
reason) is not a list of a few hundred "created" rows but one line, "Library loaded: 32
techniques, ...". A change of the manager's order alone reads "moved from position 3 to 1".

Two queries per library model whatever the number of changes: the latest records, then
the records before them to diff against; and one for the loaded library's summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain

from django.db import models
from django.db.models import Count, Max, Min, Value

from core.staff import staff_display_name
from protocols.models import (
    CareStage,
    ChoiceListValidator,
    HomeCareExercise,
    SessionTemplate,
    Technique,
    TechniqueStep,
)
from protocols.services import ORDER_STEP
from protocols.transfer import LOAD_REASON

HISTORY_LIMIT = 100
LIBRARY_HISTORY_MODELS = (Technique, TechniqueStep, HomeCareExercise, CareStage, SessionTemplate)
ACTIONS = {"+": "Created", "~": "Changed", "-": "Removed"}
MOVED = "Moved"

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
    # A change in words instead of a field list: "moved from position 3 to 1".
    summary: str = ""


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


def _reordered(record, previous) -> bool:
    """Whether the manager's order is all this change touched (a move button's doing)."""
    if record.history_type != "~" or previous is None:
        return False
    return [change.field for change in record.diff_against(previous).changes] == ["order"]


# The rows one move renumbers are saved one after the other in one transaction, a few
# milliseconds apart; two moves are two page loads, never this close.
ONE_MOVE = timedelta(milliseconds=100)


def _move_groups(pairs):
    """The reordered records, newest first, split into one list per move: a move saves each
    row once, by one person, all at about the same moment."""
    group: list = []
    for record, previous in pairs:
        if not _reordered(record, previous):
            if group:
                yield group
            group = []
            continue
        if group:
            last = group[-1][0]
            if (
                record.instance_type is not last.instance_type
                or record.history_user_id != last.history_user_id
                or last.history_date - record.history_date > ONE_MOVE
                or any(r.id == record.id for r, _ in group)
            ):
                yield group
                group = []
        group.append((record, previous))
    if group:
        yield group


def _moves(group: list[tuple[object, object]]) -> dict[int, str]:
    """history_id -> "moved from position 4 to 3", for one move's reordered rows.

    A move swaps an item with its neighbour, then numbers every active item 10, 20, 30...
    (`library_item_move`): the new number gives the true position, and the two items whose
    order against each other flipped are the ones that moved. The others were only
    renumbered, their place unchanged: they get no line of their own, the first moved item's
    says how many there were. Where the swap cannot be seen (one of the two kept its number,
    which old numbers with gaps allow), each row reads "moved to position 3"."""
    rows = sorted(group, key=lambda pair: pair[0].order)
    swapped = next(
        (i for i in range(len(rows) - 1) if rows[i][1].order > rows[i + 1][1].order), None
    )
    if swapped is None or any(record.order % ORDER_STEP for record, _ in rows):
        # One of the two kept its number (old numbers with gaps), or not a move's numbering:
        # the new place is still known.
        return {
            record.history_id: f"moved to position {record.order // ORDER_STEP}"
            if record.order % ORDER_STEP == 0
            else f"moved (order number {previous.order} to {record.order})"
            for record, previous in group
        }
    up, down = rows[swapped][0], rows[swapped + 1][0]
    position = up.order // ORDER_STEP
    others = len(group) - 2
    renumbered = (
        f" ({others} other item{'s' if others != 1 else ''} renumbered, in the same places)"
        if others
        else ""
    )
    return {
        up.history_id: f"moved from position {position + 1} to {position}{renumbered}",
        down.history_id: f"moved from position {position} to {position + 1}",
    }


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


# The records of the library as shipped: created by no one, by `library_load`.
_LOADED = {"history_type": "+", "history_user__isnull": True, "history_change_reason": LOAD_REASON}


def _history(model, *, slug: str, loaded: bool = False):
    """The model's history records (of one item, if `slug`), newest first: the changes, or
    with `loaded` the rows the library was loaded with."""
    records = model.history.all()
    if model is TechniqueStep:
        records = records.select_related("technique")
        if slug:
            records = records.filter(technique__slug=slug)
    elif slug:
        records = records.filter(slug=slug)
    if loaded:
        return records.filter(**_LOADED)
    return (
        records.exclude(**_LOADED)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


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
class LibraryLoad:
    """The library as shipped, in one line: what `library_load` brought in, and when."""

    first: datetime
    last: datetime
    counts: tuple[tuple[str, int], ...]

    @property
    def summary(self) -> str:
        items = ", ".join(f"{count} {name}" for name, count in self.counts)
        return f"Library loaded: {items}"


def _names(model, count: int) -> str:
    return model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural


def _library_load(chosen, *, slug: str, before: datetime | None) -> LibraryLoad | None:
    """How many rows of each model the library was loaded with, and when: one query."""
    parts = []
    for index, model in enumerate(chosen):
        records = _history(model, slug=slug, loaded=True)
        if before is not None:
            records = records.filter(history_date__lt=before)
        parts.append(
            records.order_by()
            .annotate(model_index=Value(index))
            .values("model_index")
            .annotate(n=Count("history_id"), first=Min("history_date"), last=Max("history_date"))
            .values_list("model_index", "n", "first", "last")
        )
    rows = [row for row in parts[0].union(*parts[1:], all=True) if row[1]]
    if not rows:
        return None
    return LibraryLoad(
        first=min(row[2] for row in rows),
        last=max(row[3] for row in rows),
        counts=tuple((str(_names(chosen[index], n)), n) for index, n, _, _ in sorted(rows)),
    )


@dataclass(frozen=True)
class LibraryHistory:
    """One page of the library's history: its changes, newest first, and where the next
    (older) page starts, or None on the last page; on the last page, the library as it was
    loaded, in one line."""

    changes: list[LibraryChange]
    older_than: datetime | None
    loaded: LibraryLoad | None = None


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
    pairs = [(r, previous.get((r.instance_type, r.history_id))) for r in recent]
    moves: dict[int, str] = {}
    for group in _move_groups(pairs):
        moves.update(_moves(group))
    changes = []
    for record, earlier in pairs:
        if _reordered(record, earlier) and record.history_id not in moves:
            continue  # renumbered by a move, in the same place: counted on the moved item
        name, url = _item(record)
        moved = moves.get(record.history_id, "")
        changes.append(
            LibraryChange(
                when=record.history_date,
                who=_who(record),
                action=MOVED if moved else ACTIONS[record.history_type],
                kind=str(record.instance_type._meta.verbose_name).capitalize(),
                item=name,
                url=url,
                reason="" if moved else record.history_change_reason or "",
                changes=() if moved else _record_changes(record, earlier),
                summary=moved,
            )
        )
    if more:
        return LibraryHistory(changes, recent[-1].history_date)
    return LibraryHistory(changes, None, _library_load(chosen, slug=slug, before=before))
