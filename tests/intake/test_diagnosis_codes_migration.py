"""The data migration that turns the free-text diagnosis codes of earlier versions into checked
ICD-10-CM codes, keeping the original text wherever it did not read as codes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from intake.models import Client
from tests.core.factories import TherapistFactory

# Migrating needs real transactions; the serialized rollback gives later transactional tests
# the database as it was (the role groups included).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("intake", "0005_client_search_trigram")]


def test_free_text_codes_become_checked_codes_and_unreadable_text_is_kept():
    therapist = TherapistFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("intake", "Client")
        texts = {
            "Clean": "m54.31, M51.16",
            "Mixed": "M54.3x; G57.01",
            "Heading": "M54.3",
            "Empty": "",
        }
        for name, text in texts.items():
            old.objects.create(
                first_name=name,
                last_name="Client",
                date_of_birth="1980-01-01",
                therapist_id=therapist.pk,
                diagnosis_codes=text,
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def state(name):
        client = Client.objects.get(first_name=name)
        return [d.code for d in client.diagnoses.all()], client.diagnosis_codes_as_written

    assert state("Clean") == (["M54.31", "M51.16"], "")
    assert state("Mixed") == (["G57.01"], "M54.3x; G57.01")
    assert state("Heading") == ([], "M54.3")
    assert state("Empty") == ([], "")
    assert Client.objects.get(first_name="Clean").diagnoses.first().description == (
        "Sciatica, right side"
    )
