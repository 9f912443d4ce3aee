"""Production settings are safe by default; every knob comes from the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 64 + "production-like-secret-for-check-deploy",
    "ALLOWED_HOSTS": "clinic.example.org",
    "DEBUG": "false",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "DATABASE_URL", "LANG"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_every_model_change_has_a_migration():
    result = _manage("makemigrations", "--check", "--dry-run", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [("", "django.db.backends.sqlite3"), ("postgres://u:p@db:5432/clinic", "postgresql")],
)
def test_database_url_chooses_the_database(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **keep,
            **PRODUCTION_ENV,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert engine in result.stdout, result.stderr


def test_the_embedded_sqlite_database_uses_wal_a_busy_timeout_and_immediate_writes(tmp_path):
    """docs/engineering-notes.md "SQLite settings", checked on a real file (an in-memory test
    database has no WAL), whichever database the suite runs on."""
    probe = (
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print([c.execute(f'PRAGMA {p}').fetchone()[0]"
        " for p in ('journal_mode', 'synchronous', 'busy_timeout')],"
        " connection.transaction_mode)\n"
    )
    env = {"DEBUG": "true", "DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "clinic.db")}
    result = _manage("shell", "-v", "0", "-c", probe, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["['wal',", "1,", "20000]", "IMMEDIATE"]


def _database_settings(**env: str) -> dict:
    code = (
        "import json; from django.conf import settings; d = settings.DATABASES['default']; "
        "print(json.dumps({k: d[k] for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', "
        "'DISABLE_SERVER_SIDE_CURSORS')} | {'pool': d.get('OPTIONS', {}).get('pool')}))"
    )
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={
            **keep,
            **PRODUCTION_ENV,
            "DATABASE_URL": "postgres://u:p@db:5432/clinic",
            "DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgresql_connections_are_persistent_and_checked_by_default():
    """docs/engineering-notes.md "Database connections"."""
    assert _database_settings() == {
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
        "pool": None,
    }


def test_behind_pgbouncer_server_side_cursors_are_off():
    settings = _database_settings(DB_PGBOUNCER="true")
    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert settings["CONN_MAX_AGE"] == 60


def test_a_pool_replaces_persistent_connections():
    settings = _database_settings(DB_POOL_MAX_SIZE="3")
    assert settings["CONN_MAX_AGE"] == 0
    assert settings["pool"] == {"min_size": 1, "max_size": 3, "timeout": 10}
