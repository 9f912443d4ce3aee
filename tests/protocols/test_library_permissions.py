"""Therapists read the library; the manager adds and edits it; nobody may delete."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from protocols.permissions import LIBRARY_MODELS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", LIBRARY_MODELS)
def test_therapist_may_view_but_not_change(therapist, model):
    assert therapist.has_perm(f"protocols.view_{model}")
    assert not therapist.has_perm(f"protocols.change_{model}")
    assert not therapist.has_perm(f"protocols.add_{model}")


@pytest.mark.parametrize("model", LIBRARY_MODELS)
def test_manager_may_add_change_and_view_but_not_delete(manager, model):
    for action in ("view", "add", "change"):
        assert manager.has_perm(f"protocols.{action}_{model}")
    assert not manager.has_perm(f"protocols.delete_{model}")


def test_grants_come_back_after_a_flush():
    from django.contrib.auth.models import Group

    call_command("flush", interactive=False, verbosity=0)
    assert Group.objects.get(name="Therapist").permissions.count() == len(LIBRARY_MODELS)


def test_migrating_another_app_first_on_a_fresh_database_works(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DEBUG": "true", "SQLITE_PATH": str(tmp_path / "fresh.sqlite3")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "intake", "-v0"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
