"""The same intake form sent twice at the same moment (two tabs, a double tap): exactly one
submission; the other is told the form was already sent. A revoke racing the submit: one of
them wins, never both. Real concurrent connections: PostgreSQL only."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from intake.models import IntakeLink, IntakeSubmission
from intake.portal import services
from tests.intake.factories import ClientFactory
from tests.intake.portal.test_intake_link_services import answers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _race(*targets):
    barrier = threading.Barrier(len(targets))
    results: dict[int, object] = {}

    def runner(index, target):
        def run():
            try:
                barrier.wait(timeout=10)
                results[index] = target()
            except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
                results[index] = error
            finally:
                connections.close_all()

        return threading.Thread(target=run)

    threads = [runner(i, t) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return [results[i] for i in range(len(targets))]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_save_exactly_one(therapist):
    client = ClientFactory(therapist=therapist)
    _, token = services.intake_link_issue(client=client, issued_by=therapist)

    def submit():
        return services.intake_submission_create(token=token, answers=answers())

    results = _race(submit, submit)
    refused = [r for r in results if isinstance(r, services.LinkRefused)]
    assert len(refused) == 1 and refused[0].message == services.LINK_USED
    assert IntakeSubmission.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_revoke_racing_the_submit_lets_one_win(therapist):
    client = ClientFactory(therapist=therapist)
    link, token = services.intake_link_issue(client=client, issued_by=therapist)
    results = _race(
        lambda: services.intake_submission_create(token=token, answers=answers()),
        lambda: services.intake_link_revoke(link=link, revoked_by=therapist),
    )
    link = IntakeLink.objects.get()
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1
    assert (link.used_at is None) != (link.revoked_at is None)
