"""Database triggers that make signed notes immutable (clinical rules §8: "a signed note is locked").

The charting services refuse to edit a signed note; these triggers make the database refuse
too, whoever writes: a signed `visits_sessionnote` row cannot be updated or deleted, the
technique rows of a signed note cannot be inserted, updated or deleted, and amendments and
stored PDFs are append-only. A refused statement raises IntegrityError on both SQLite and
PostgreSQL.

Migrations call `note_lock_install`. On SQLite, Django rebuilds a table for many schema
changes (adding a unique column, an AlterField...): the rebuild fails while triggers on other
tables name the table, and it drops the table's own triggers. So a migration that changes
one of these tables runs `note_lock_remove` first and `note_lock_install` last (see 0004).
Both are idempotent, and the lock covers only the tables that exist at that point of the
migration history. The lock tests fail if a migration forgets.
"""

from __future__ import annotations

# The messages the triggers raise (written out in the SQL below; the lock tests assert them).
SIGNED_NOTE_LOCKED_DB = "visits: a signed session note cannot be changed or deleted"
AMENDMENT_APPEND_ONLY_DB = "visits: amendments cannot be changed or deleted"
PDF_APPEND_ONLY_DB = "visits: a stored note PDF cannot be changed or deleted"

_SQLITE_TRIGGERS = {
    "visits_sessionnote_signed_no_update": """
        CREATE TRIGGER visits_sessionnote_signed_no_update
        BEFORE UPDATE ON visits_sessionnote FOR EACH ROW WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'visits: a signed session note cannot be changed or deleted'); END""",
    "visits_sessionnote_signed_no_delete": """
        CREATE TRIGGER visits_sessionnote_signed_no_delete
        BEFORE DELETE ON visits_sessionnote FOR EACH ROW WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'visits: a signed session note cannot be changed or deleted'); END""",
    "visits_notetechnique_signed_no_insert": """
        CREATE TRIGGER visits_notetechnique_signed_no_insert
        BEFORE INSERT ON visits_notetechnique FOR EACH ROW
        WHEN (SELECT signed_at FROM visits_sessionnote WHERE id = NEW.note_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'visits: a signed session note cannot be changed or deleted'); END""",
    "visits_notetechnique_signed_no_update": """
        CREATE TRIGGER visits_notetechnique_signed_no_update
        BEFORE UPDATE ON visits_notetechnique FOR EACH ROW
        WHEN (SELECT signed_at FROM visits_sessionnote WHERE id = OLD.note_id) IS NOT NULL
          OR (SELECT signed_at FROM visits_sessionnote WHERE id = NEW.note_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'visits: a signed session note cannot be changed or deleted'); END""",
    "visits_notetechnique_signed_no_delete": """
        CREATE TRIGGER visits_notetechnique_signed_no_delete
        BEFORE DELETE ON visits_notetechnique FOR EACH ROW
        WHEN (SELECT signed_at FROM visits_sessionnote WHERE id = OLD.note_id) IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'visits: a signed session note cannot be changed or deleted'); END""",
    "visits_noteamendment_no_update": """
        CREATE TRIGGER visits_noteamendment_no_update
        BEFORE UPDATE ON visits_noteamendment FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, 'visits: amendments cannot be changed or deleted'); END""",
    "visits_noteamendment_no_delete": """
        CREATE TRIGGER visits_noteamendment_no_delete
        BEFORE DELETE ON visits_noteamendment FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, 'visits: amendments cannot be changed or deleted'); END""",
    "visits_signednotepdf_no_update": """
        CREATE TRIGGER visits_signednotepdf_no_update
        BEFORE UPDATE ON visits_signednotepdf FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, 'visits: a stored note PDF cannot be changed or deleted'); END""",
    "visits_signednotepdf_no_delete": """
        CREATE TRIGGER visits_signednotepdf_no_delete
        BEFORE DELETE ON visits_signednotepdf FOR EACH ROW
        BEGIN SELECT RAISE(ABORT, 'visits: a stored note PDF cannot be changed or deleted'); END""",
}

# SQLSTATE 23000 (integrity_constraint_violation): psycopg raises IntegrityError, as SQLite does.
_POSTGRES_FUNCTIONS = {
    "visits_sessionnote_lock": """
        CREATE OR REPLACE FUNCTION visits_sessionnote_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF OLD.signed_at IS NOT NULL THEN
            RAISE EXCEPTION 'visits: a signed session note cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
    "visits_notetechnique_lock": """
        CREATE OR REPLACE FUNCTION visits_notetechnique_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        DECLARE
          locked boolean := false;
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') THEN
            locked := EXISTS (SELECT 1 FROM visits_sessionnote
                              WHERE id = OLD.note_id AND signed_at IS NOT NULL);
          END IF;
          IF NOT locked AND TG_OP IN ('INSERT', 'UPDATE') THEN
            locked := EXISTS (SELECT 1 FROM visits_sessionnote
                              WHERE id = NEW.note_id AND signed_at IS NOT NULL);
          END IF;
          IF locked THEN
            RAISE EXCEPTION 'visits: a signed session note cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$""",
    "visits_noteamendment_lock": """
        CREATE OR REPLACE FUNCTION visits_noteamendment_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'visits: amendments cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
    "visits_signednotepdf_lock": """
        CREATE OR REPLACE FUNCTION visits_signednotepdf_lock() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'visits: a stored note PDF cannot be changed or deleted' USING ERRCODE = 'integrity_constraint_violation';
        END $$""",
}

# (trigger name, table, events, function)
_POSTGRES_TRIGGERS = (
    (
        "visits_sessionnote_lock",
        "visits_sessionnote",
        "UPDATE OR DELETE",
        "visits_sessionnote_lock",
    ),
    (
        "visits_notetechnique_lock",
        "visits_notetechnique",
        "INSERT OR UPDATE OR DELETE",
        "visits_notetechnique_lock",
    ),
    (
        "visits_noteamendment_lock",
        "visits_noteamendment",
        "UPDATE OR DELETE",
        "visits_noteamendment_lock",
    ),
    (
        "visits_signednotepdf_lock",
        "visits_signednotepdf",
        "UPDATE OR DELETE",
        "visits_signednotepdf_lock",
    ),
)


def note_lock_install(apps, schema_editor) -> None:
    """Create (or re-create) the lock triggers for the connection's database."""
    note_lock_remove(apps, schema_editor)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if connection.vendor == "sqlite":
        for name, sql in _SQLITE_TRIGGERS.items():
            if _sqlite_trigger_table(name) in tables:
                schema_editor.execute(sql, params=None)
    elif connection.vendor == "postgresql":
        for sql in _POSTGRES_FUNCTIONS.values():
            schema_editor.execute(sql, params=None)
        for name, table, events, function in _POSTGRES_TRIGGERS:
            if table not in tables:
                continue
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE {events} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()",
                params=None,
            )
    else:
        raise NotImplementedError(
            f"No signed-note lock for the {connection.vendor} database backend."
        )


def note_lock_remove(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for name in _SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}", params=None)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
        for name, table, _events, _function in _POSTGRES_TRIGGERS:
            if table in tables:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}", params=None)
        for name in _POSTGRES_FUNCTIONS:
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()", params=None)


def _sqlite_trigger_table(trigger_name: str) -> str:
    """ "visits_notetechnique_signed_no_insert" -> "visits_notetechnique"."""
    app, table, *_ = trigger_name.split("_")
    return f"{app}_{table}"
