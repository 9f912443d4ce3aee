"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded one).

Each test gets a fresh browser context against pytest-django's live server; the journeys'
steps (log in, screenshot) are in `tests/e2e/browser.py`.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.accounts.smtp import smtp_server  # noqa: F401  (a fixture for the journeys)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The machine's network is closed: keep Chromium from trying to reach Google's services.
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            # The live server reads committed data: each test commits and is flushed after.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def _append_only_triggers_let_the_flush_through(transactional_db):
    """Django's test flush on SQLite empties tables with DELETE, which the audit trail's and
    signed notes' triggers refuse: lift them for the flush, put them back for the next test.

    A serialized-rollback test's flush skips post_migrate, which brings back the role groups:
    ensure them here so a journey does not depend on which test ran before it.
    """
    from django.apps import apps as django_apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.db import connection

    from core.audit_lock import audit_lock_install, audit_lock_remove
    from core.roles import roles_ensure
    from protocols.permissions import library_permissions_ensure
    from sessions.models.note_lock import note_lock_install, note_lock_remove

    roles_ensure()
    # After a serialized-rollback test (the library's migration tests) the flush can also leave
    # the permissions and the groups' grants behind: a therapist would meet 403 in the library.
    for config in django_apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    library_permissions_ensure()
    with connection.schema_editor() as editor:
        audit_lock_install(None, editor)
        note_lock_install(None, editor)
    yield
    _requests_in_flight_finish(connection)
    with connection.schema_editor() as editor:
        audit_lock_remove(None, editor)
        note_lock_remove(None, editor)


def _requests_in_flight_finish(connection, seconds=10.0):
    """Wait for the live server to finish a request the browser sent as the test ended (a run
    sheet press, a page the journey did not wait for).

    On SQLite the live server's thread shares the test's in-memory connection: tearing down
    while its transaction is open fails ("schema editor cannot be used while foreign key
    constraint checks are enabled") and the next test starts on unflushed data.
    """
    deadline = time.monotonic() + seconds
    while connection.in_atomic_block and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run bin/setup (installs Debian's chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.console_errors = errors
    yield page
    context.close()
