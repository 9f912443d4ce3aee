"""Database triggers that make the audit trail append-only.

No page edits or deletes audit events; these triggers make the database refuse too, whoever
writes: an UPDATE or DELETE of a `sciatica_clinic_auditevent` row raises IntegrityError on
SQLite and PostgreSQL. (PostgreSQL's TRUNCATE is a table owner's operation, not a row's, and
stays possible for a database administrator, as it must be for test flushes.)

SQLite drops a table's triggers when Django rebuilds the table: a later migration that rebuilds
it must call `audit_lock_install` again; it is idempotent. Django's test flush on SQLite deletes
row by row, so transactional tests remove the triggers before it (tests/e2e/conftest.py).
"""

from __future__ import annotations

AUDIT_APPEND_ONLY_DB = "audit: audit events cannot be changed or deleted"

_TABLE = "sciatica_clinic_auditevent"
_SQLITE_TRIGGERS = {
    "sciatica_clinic_auditevent_no_update": f"""
        CREATE TRIGGER sciatica_clinic_auditevent_no_update
        BEFORE UPDATE ON {_TABLE} FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY_DB}'); END""",
    "sciatica_clinic_auditevent_no_delete": f"""
        CREATE TRIGGER sciatica_clinic_auditevent_no_delete
        BEFORE DELETE ON {_TABLE} FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, '{AUDIT_APPEND_ONLY_DB}'); END""",
}
_POSTGRES_FUNCTION = "sciatica_clinic_auditevent_lock"
_POSTGRES_TRIGGER = "sciatica_clinic_auditevent_lock"


def audit_lock_install(apps, schema_editor) -> None:
    """Create (or re-create) the append-only triggers for the connection's database."""
    audit_lock_remove(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in _SQLITE_TRIGGERS.values():
            schema_editor.execute(sql, params=None)
    elif vendor == "postgresql":
        # SQLSTATE 23000 (integrity_constraint_violation): psycopg raises IntegrityError.
        schema_editor.execute(
            f"""CREATE OR REPLACE FUNCTION {_POSTGRES_FUNCTION}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION '{AUDIT_APPEND_ONLY_DB}' USING ERRCODE = 'integrity_constraint_violation';
            END $$""",
            params=None,
        )
        schema_editor.execute(
            f"CREATE TRIGGER {_POSTGRES_TRIGGER} BEFORE UPDATE OR DELETE ON {_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {_POSTGRES_FUNCTION}()",
            params=None,
        )
    else:
        raise NotImplementedError(f"No audit lock for the {vendor} database backend.")


def audit_lock_remove(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in _SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
    elif vendor == "postgresql":
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {_POSTGRES_TRIGGER} ON {_TABLE}", params=None
        )
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_POSTGRES_FUNCTION}()", params=None)
