"""Faults for the load run (restart PostgreSQL, kill a gunicorn worker) and backup/restore.

All of it acts on the throwaway cluster of `bin/with-postgres` (PG_TEST_BIN, PG_TEST_DIR,
PG_TEST_PORT), never on anything else.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.server import worker_pids


def _as_postgres(args: list[str]) -> list[str]:
    # The cluster belongs to the postgres user when the bench runs as root (initdb refuses root).
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _cluster() -> tuple[Path, Path, str]:
    try:
        return (
            Path(os.environ["PG_TEST_BIN"]),
            Path(os.environ["PG_TEST_DIR"]),
            os.environ["PG_TEST_PORT"],
        )
    except KeyError:
        raise RuntimeError("Run under bin/with-postgres (PG_TEST_* are not set).") from None


def postgres_restart() -> None:
    """`pg_ctl restart -m fast`: open connections are cut, the server is back when it returns.

    The new server logs to the cluster's log file, not to pg_ctl's output: it would inherit
    a pipe there and keep it open, and waiting for pg_ctl's output would never end.
    """
    pg_bin, pg_dir, _ = _cluster()
    subprocess.run(
        _as_postgres(
            [
                str(pg_bin / "pg_ctl"),
                "-D",
                str(pg_dir / "data"),
                "-l",
                str(pg_dir / "log"),
                "-m",
                "fast",
                "-w",
                "restart",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )


def _cpu_ticks(pid: int) -> int:
    """User + system CPU ticks of a process so far (/proc/PID/stat), 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def busy_worker(master_pid: int, *, within: float = 5.0) -> int:
    """A gunicorn worker that is serving a request now (its CPU time moved in the last 50 ms),
    so that killing it cuts a request in flight; any worker if none gets busy in `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        before = {pid: _cpu_ticks(pid) for pid in worker_pids(master_pid)}
        time.sleep(0.05)
        for pid, ticks in before.items():
            if _cpu_ticks(pid) > ticks:
                return pid
    return worker_pids(master_pid)[0]


def worker_kill(master_pid: int) -> int:
    """SIGKILL a busy gunicorn worker mid-request (as the OOM killer would); the master starts
    another."""
    victim = busy_worker(master_pid)
    os.kill(victim, signal.SIGKILL)
    # The window ends when the master has a full set of workers again.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pids = worker_pids(master_pid)
        if victim not in pids and len(pids) >= 2:
            break
        time.sleep(0.05)
    return victim


# ---------------------------------------------------------------------------------------------
# Backup and restore
# ---------------------------------------------------------------------------------------------

ROW_COUNTS_SQL = """
SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name
"""
# Every column of every signed note and of its technique rows, in id order, hashed.
SIGNED_NOTES_CHECKSUM_SQL = """
SELECT md5(string_agg(n::text || ':' || coalesce(t.rows, ''), '|' ORDER BY n.id))
FROM visits_sessionnote n
LEFT JOIN (
    SELECT note_id, string_agg(nt::text, ',' ORDER BY nt.id) AS rows
    FROM visits_notetechnique nt GROUP BY note_id
) t ON t.note_id = n.id
WHERE n.signed_at IS NOT NULL
"""


@dataclass(frozen=True)
class BackupCheck:
    dump_seconds: float
    restore_seconds: float
    dump_mib: float
    tables: int
    mismatched_tables: list[str]
    rows: int
    signed_checksum: str
    restored_checksum: str
    signed_notes: int
    dump_command: str
    restore_command: str

    @property
    def ok(self) -> bool:
        return not self.mismatched_tables and self.signed_checksum == self.restored_checksum


def _psql(port: str, database: str, sql: str) -> str:
    pg_bin, _, _ = _cluster()
    return subprocess.run(
        [
            str(pg_bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            port,
            "-U",
            "clinic",
            "-d",
            database,
            "-XAtq",
            "-c",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PGPASSWORD": "clinic"},
    ).stdout.strip()


def _row_counts(port: str, database: str) -> dict[str, int]:
    tables = _psql(port, database, ROW_COUNTS_SQL).split()
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
    counts = {}
    for line in _psql(port, database, union).splitlines():
        name, count = line.split("|")
        counts[name] = int(count)
    return counts


def backup_restore(workdir: Path) -> BackupCheck:
    """pg_dump the live database, restore it into a fresh one, compare the two."""
    pg_bin, _, port = _cluster()
    env = {**os.environ, "PGPASSWORD": "clinic"}
    dump = workdir / "clinic.dump"
    conn = ["-h", "127.0.0.1", "-p", port, "-U", "clinic"]
    dump_cmd = [str(pg_bin / "pg_dump"), *conn, "--format=custom", f"--file={dump}", "clinic"]
    started = time.perf_counter()
    subprocess.run(dump_cmd, check=True, env=env, timeout=900, capture_output=True)
    dump_seconds = time.perf_counter() - started
    subprocess.run(
        [str(pg_bin / "createdb"), *conn, "clinic_restored"],
        check=True,
        env=env,
        timeout=60,
        capture_output=True,
    )
    restore_cmd = [
        str(pg_bin / "pg_restore"),
        *conn,
        "--no-owner",
        "--jobs=2",
        "--exit-on-error",
        "--dbname=clinic_restored",
        str(dump),
    ]
    started = time.perf_counter()
    subprocess.run(restore_cmd, check=True, env=env, timeout=1800, capture_output=True)
    restore_seconds = time.perf_counter() - started
    before, after = _row_counts(port, "clinic"), _row_counts(port, "clinic_restored")
    mismatched = [
        f"{t}: {before.get(t)} vs {after.get(t)}"
        for t in sorted(set(before) | set(after))
        if before.get(t) != after.get(t)
    ]
    return BackupCheck(
        dump_seconds=dump_seconds,
        restore_seconds=restore_seconds,
        dump_mib=dump.stat().st_size / 1024 / 1024,
        tables=len(before),
        mismatched_tables=mismatched,
        rows=sum(before.values()),
        signed_checksum=_psql(port, "clinic", SIGNED_NOTES_CHECKSUM_SQL),
        restored_checksum=_psql(port, "clinic_restored", SIGNED_NOTES_CHECKSUM_SQL),
        signed_notes=int(
            _psql(
                port,
                "clinic",
                "SELECT count(*) FROM visits_sessionnote WHERE signed_at IS NOT NULL",
            )
        ),
        dump_command="pg_dump --format=custom --file=clinic.dump clinic",
        restore_command="createdb clinic_restored && "
        "pg_restore --no-owner --jobs=2 --exit-on-error --dbname=clinic_restored clinic.dump",
    )
