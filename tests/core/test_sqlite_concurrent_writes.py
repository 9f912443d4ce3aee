"""SQLite, the embedded default, under one long write and many requests at once: no request
fails with "database is locked" or any 5xx (issue 15, failure 5: a 12,000-step library item
held the write lock for 30 s and 5 of 437 concurrent requests failed, reads included, since
a record page writes an audit row).

The longest write a user may make now (a technique's every step at its limit) is sent again
and again by the manager while therapists open their clients' records (each writes an audit
row) and the Today page, all at once, against the app as production runs it: gunicorn with
two worker processes of four threads, on a database file (the test database is in memory,
so it is copied to a file first), WAL, the busy timeout and IMMEDIATE transactions of the
settings.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as DjangoClient
from django.urls import reverse

from bench.browser import Browser, form_fields
from bench.server import gunicorn
from core.limits import STEP_TEXT_MAX, TECHNIQUE_STEPS_MAX
from core.models import AuditEvent
from protocols.models import Technique, TechniqueStep
from tests.intake.factories import ClientFactory
from tests.protocols.factories import TechniqueFactory, TechniqueStepFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite's database-wide write lock; PostgreSQL locks rows",
    ),
    pytest.mark.django_db(transaction=True),
]

LONG_WRITES = 3
READERS = 6
CLIENTS = 6


def _session_cookie(user) -> str:
    session = DjangoClient()
    session.force_login(user)
    return session.cookies["sessionid"].value


def _database_file(path: Path) -> None:
    """The in-memory test database, as it is now, copied into a file the server opens."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    with target:
        connection.connection.backup(target)
    target.close()


def test_a_long_write_among_many_requests_locks_no_one_out(
    tmp_path, monkeypatch, therapist, manager
):
    technique = TechniqueFactory(stages=[1], findings=["general"])
    TechniqueStepFactory(technique=technique, order=1)
    clients = [ClientFactory(therapist=therapist) for _ in range(CLIENTS)]
    cookies = {"therapist": _session_cookie(therapist), "manager": _session_cookie(manager)}
    database = tmp_path / "clinic.sqlite3"
    _database_file(database)
    monkeypatch.setenv("SQLITE_PATH", str(database))
    monkeypatch.setenv("DATABASE_URL", "")
    log = tmp_path / "server.log"

    answers: list[tuple[str, int, float]] = []
    errors: list[str] = []
    writing = threading.Event()
    done = threading.Event()

    def browser(base: str, who: str) -> Browser:
        b = Browser(base, timeout=60)
        b.cookies["sessionid"] = cookies[who]
        return b

    def writer(base: str) -> None:
        try:
            b = browser(base, "manager")
            edit = reverse("protocols:item_edit", args=["techniques", technique.slug])
            for n in range(LONG_WRITES):
                page = b.get(edit)
                data = form_fields(page.text, action=edit)
                data["steps"] = "\n".join(
                    f"Write {n}, step {k}: ".ljust(STEP_TEXT_MAX, "x")
                    for k in range(1, TECHNIQUE_STEPS_MAX + 1)
                )
                writing.set()
                started = time.monotonic()
                reply = b.post(edit, data)
                answers.append(("long write", reply.status, time.monotonic() - started))
        except Exception as error:  # noqa: BLE001 - counted below
            errors.append(f"writer: {error!r}")
        finally:
            writing.set()
            done.set()

    def reader(base: str, index: int) -> None:
        b = browser(base, "therapist")
        pages = [c.get_absolute_url() for c in clients] + [reverse("sessions:today")]
        writing.wait(timeout=60)
        k = index
        while not done.is_set():
            path = pages[k % len(pages)]
            k += 1
            try:
                started = time.monotonic()
                reply = b.get(path)
                answers.append((path, reply.status, time.monotonic() - started))
            except Exception as error:  # noqa: BLE001 - counted below
                errors.append(f"{path}: {error!r}")

    with gunicorn(workers=2, threads=4, log_path=log) as (base, _process):
        threads = [threading.Thread(target=writer, args=(base,))]
        threads += [threading.Thread(target=reader, args=(base, i)) for i in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)

    server_log = log.read_text()
    failed = [a for a in answers if a[1] >= 400 and not (a[0] == "long write" and a[1] == 302)]
    reads = [a for a in answers if a[0] != "long write"]
    writes = [a for a in answers if a[0] == "long write"]
    slowest_write = max(seconds for _p, _s, seconds in writes) if writes else 0
    print(
        f"\n{len(writes)} long writes (slowest {slowest_write:.1f} s) among {len(reads)} "
        f"concurrent page requests: {len(failed)} failed"
    )
    assert errors == []
    assert [status for _p, status, _s in writes] == [302] * LONG_WRITES
    assert failed == [], failed[:5]
    assert "database is locked" not in server_log
    assert len(reads) >= READERS, "the pages were read while the long writes ran"
    # The last write is what the database holds: every step at its limit.
    stored = sqlite3.connect(database)
    steps = stored.execute(
        f"SELECT COUNT(*), MIN(LENGTH(text)) FROM {TechniqueStep._meta.db_table} "
        "WHERE technique_id = ?",
        [technique.pk],
    ).fetchone()
    audit_rows = stored.execute(f"SELECT COUNT(*) FROM {AuditEvent._meta.db_table}").fetchone()[0]
    stored.close()
    assert steps == (TECHNIQUE_STEPS_MAX, STEP_TEXT_MAX)
    assert audit_rows >= len([r for r in reads if r[0] != reverse("sessions:today")])
    assert Technique.objects.filter(pk=technique.pk).exists()
