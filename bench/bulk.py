"""Bulk writes for the benchmark seed: COPY into a table, reserve a block of ids, run jobs
on parallel connections, VACUUM ANALYZE. PostgreSQL only (the bench database)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction
from django.utils import timezone


class CopyWriter:
    """COPY rows into a model's table: the caller gives the varying columns, every other
    concrete column gets its default (or NULL, or now for auto_now) once for all rows."""

    def __init__(self, model: type[models.Model], varying: Sequence[str]):
        self.table = model._meta.db_table
        now = timezone.now()
        fixed: dict[str, object] = {}
        known = {f.column for f in model._meta.concrete_fields}
        missing = set(varying) - known
        if missing:
            raise ValueError(f"{self.table} has no column(s) {sorted(missing)}")
        for field in model._meta.concrete_fields:
            if field.column in varying or (field.primary_key and "id" not in varying):
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                fixed[field.column] = now
            elif field.has_default():
                fixed[field.column] = field.get_db_prep_save(field.get_default(), connection)
            elif field.null:
                fixed[field.column] = None
            elif field.blank and isinstance(field, models.CharField | models.TextField):
                fixed[field.column] = ""
            else:
                raise ValueError(f"{self.table}.{field.column} needs a value")
        self.columns = (*varying, *fixed)
        self.suffix = tuple(fixed.values())

    def copy(self, rows: Iterable[tuple]) -> int:
        count = 0
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        sql = f"COPY {self.table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + self.suffix)
                count += 1
        return count


def ids_reserve(model: type[models.Model], count: int) -> int:
    """Move the table's id sequence past a block of `count` ids; returns the block's first id.

    The seed is the only writer while it runs, so the block after the highest id is free.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1]
        )
    return first


def in_parallel(jobs: Sequence) -> list:
    """Run the jobs in threads, one database connection each, and return their results.

    PostgreSQL spends most of the seed maintaining indexes, one backend per connection:
    two COPY streams keep both cores busy. Each job is its own transaction.
    """
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(n: int, job) -> None:
        try:
            with transaction.atomic():
                results[n] = job()
        except BaseException as error:  # noqa: BLE001 (re-raised in the caller's thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
