"""Stored records over today's limits (`core.limits`), for `manage.py check_limits`.

A limit lowered by an upgrade applies to new input only: a record stored before keeps its
longer text or longer list, and its user meets the limit's message at the next edit. This
finds those records first, by model, field and id, with the figures and the page to open,
never the text itself (it is clinical). Every field of the project's models that has a
MaxLengthValidator is checked (a TextField's `text_limit`, a CharField's `max_length`, which
SQLite does not enforce), and every list in `LIST_LIMITS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db.models import Count, Q
from django.db.models.functions import Length

from core.limits import LIST_LIMITS

# The apps whose records users edit (core's label is "sciatica_clinic", the sessions app's
# "visits"). History rows (django-simple-history) are a record of the past, never edited.
CHECKED_APPS = ("sciatica_clinic", "intake", "protocols", "visits", "site")


@dataclass(frozen=True)
class OverLimit:
    model: str  # "visits.sessionnote"
    pk: object
    field: str  # a field's name, or a list's name ("steps")
    count: int
    limit: int
    unit: str  # "characters" or the list's name
    url: str

    def __str__(self) -> str:
        where = f" {self.url}" if self.url else ""
        return (
            f"{self.model} {self.pk}, {self.field}: {self.count:,} {self.unit}"
            f" (limit {self.limit:,}){where}"
        )


def _checked_models():
    for model in apps.get_models():
        if model._meta.app_label not in CHECKED_APPS or model._meta.proxy:
            continue
        if any(field.name == "history_id" for field in model._meta.concrete_fields):
            continue
        yield model


def _url(model, pk) -> str:
    if not hasattr(model, "get_absolute_url"):
        return ""
    record = model._base_manager.filter(pk=pk).first()
    try:
        return record.get_absolute_url() if record is not None else ""
    except Exception:  # noqa: BLE001 - a record whose page cannot be named is still listed
        return ""


def text_over_limits() -> list[OverLimit]:
    found = []
    for model in _checked_models():
        for field in model._meta.concrete_fields:
            limits = [v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)]
            if not limits:
                continue
            limit = min(limits)
            rows = (
                model._base_manager.annotate(_length=Length(field.attname))
                .filter(_length__gt=limit)
                .order_by("pk")
                .values_list("pk", "_length")
            )
            for pk, length in rows:
                found.append(
                    OverLimit(
                        model._meta.label_lower,
                        pk,
                        field.name,
                        length,
                        limit,
                        "characters",
                        _url(model, pk),
                    )
                )
    return found


def lists_over_limits() -> list[OverLimit]:
    found = []
    for row_label, owner_field, limit, name in LIST_LIMITS:
        rows = apps.get_model(row_label)
        owner = rows._meta.get_field(owner_field).related_model
        counted = (
            rows._base_manager.values(owner_field)
            .annotate(_count=Count("pk"))
            .filter(Q(_count__gt=limit))
            .order_by(owner_field)
            .values_list(owner_field, "_count")
        )
        for owner_pk, count in counted:
            found.append(
                OverLimit(
                    owner._meta.label_lower,
                    owner_pk,
                    name,
                    count,
                    limit,
                    name,
                    _url(owner, owner_pk),
                )
            )
    return found


def records_over_limits() -> list[OverLimit]:
    """Every stored value over its limit: texts first, then lists."""
    return text_over_limits() + lists_over_limits()
