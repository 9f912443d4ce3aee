"""Client search on PostgreSQL (intake/search.py): pg_trgm, and GIN trigram indexes on
exactly the expressions the search filters on, so a word anywhere in a name (LIKE '%...%'),
a typo (the `%` operator) and a piece of a phone number use an index instead of reading
every client. Nothing on SQLite: its search reads the therapist's clients (README "Client
search")."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "intake_client_first_name_trgm": 'UPPER(("first_name")::text) gin_trgm_ops',
    "intake_client_last_name_trgm": 'UPPER(("last_name")::text) gin_trgm_ops',
    "intake_client_phone_digits_trgm": "REGEXP_REPLACE(\"phone\", '[^0-9]+', '', 'g') gin_trgm_ops",
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON intake_client USING gin ({expression})",
            params=None,
        )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0004_text_limits"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(indexes_create, indexes_drop),
    ]
