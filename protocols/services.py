"""Writes to the library: one atomic function per action, every row saved through `save()`
so django-simple-history records who changed what (docs/engineering-notes.md "Audit history")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max

from core.limits import TECHNIQUE_STEPS_MAX
from protocols.models import SessionTemplate, Technique, TechniqueStep

LAST_TEMPLATE_ERROR = (
    "This is the only active session template: the planner needs one. Add or restore "
    "another template first."
)
MOVE_DIRECTIONS = ("up", "down")
ORDER_STEP = 10


def library_item_next_order(model: type[models.Model]) -> int:
    """Where a new item goes: after everything else."""
    highest = model.objects.aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + ORDER_STEP


@transaction.atomic
def library_item_save(*, item: models.Model) -> models.Model:
    """Create or update a template, stage or exercise (already validated by its form)."""
    if item.pk is None:
        item.order = library_item_next_order(type(item))
    item.full_clean()
    item.save()
    return item


STEPS_TOO_MANY = (
    f"Steps: at most {TECHNIQUE_STEPS_MAX} steps (this has {{count}}): join or shorten them."
)


@transaction.atomic
def technique_save(*, technique: Technique, steps: list[str]) -> Technique:
    """Create or update a technique and make its numbered steps read `steps`, in order.

    Steps keep their numbers: a changed text updates that step, extra lines add steps,
    and steps beyond the new last one are removed, each change kept in the history.
    """
    if len(steps) > TECHNIQUE_STEPS_MAX:
        raise ValidationError({"steps": STEPS_TOO_MANY.format(count=len(steps))})
    if technique.pk is None:
        technique.order = library_item_next_order(Technique)
    technique.full_clean()
    technique.save()
    existing = {step.order: step for step in technique.steps.all()}
    for number, text in enumerate(steps, start=1):
        step = existing.pop(number, None) or TechniqueStep(technique=technique, order=number)
        if step.pk is None or step.text != text:
            step.text = text
            step.full_clean()
            step.save()
    for step in existing.values():
        step.delete()
    return technique


@transaction.atomic
def library_item_retire(*, item: models.Model, retired: bool) -> models.Model:
    """Retire (hide from new plans) or restore an item; nothing is ever deleted.

    Raises ValidationError when retiring the last active session template, or when a
    restored care stage would clash with another active one for the same week.
    """
    if (
        retired
        and isinstance(item, SessionTemplate)
        and not SessionTemplate.objects.active().exclude(pk=item.pk).exists()
    ):
        raise ValidationError(LAST_TEMPLATE_ERROR)
    item.retired = retired
    item.full_clean()
    item._change_reason = "Retired" if retired else "Restored"
    item.save()
    return item


@transaction.atomic
def library_item_move(*, item: models.Model, direction: str) -> None:
    """Swap an active item with its neighbour in the manager's order, then renumber the
    active items 10, 20, 30… (saving only the rows whose number changed)."""
    if direction not in MOVE_DIRECTIONS:
        raise ValueError(f"direction must be one of {MOVE_DIRECTIONS}")
    model = type(item)
    items = list(model.objects.active().select_for_update().order_by(*model._meta.ordering))
    index = next((i for i, other in enumerate(items) if other.pk == item.pk), None)
    if index is None:
        return
    neighbour = index - 1 if direction == "up" else index + 1
    if 0 <= neighbour < len(items):
        items[index], items[neighbour] = items[neighbour], items[index]
    for position, row in enumerate(items, start=1):
        if row.order != position * ORDER_STEP:
            row.order = position * ORDER_STEP
            row._change_reason = "Reordered"
            row.save(update_fields=["order"])
