"""No double booking under concurrency: PostgreSQL's exclusion constraints (docs/engineering-notes.md).

SQLite serialises writers with IMMEDIATE transactions instead; these tests need real
concurrent connections and run on PostgreSQL only.
"""

from __future__ import annotations

import threading
import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from sessions.booking import services as booking
from sessions.booking.scheduling import SeriesRequest
from sessions.booking.services import (
    APPOINTMENT_CLASH_THERAPIST,
    EXCLUSION_VIOLATION,
    appointment_book,
    appointment_when,
)
from sessions.models import Appointment
from tests.intake.factories import ClientFactory
from tests.sessions.factories import clinic_time

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever happened
            results[key] = error
        finally:
            connections.close_all()

    return threading.Thread(target=run)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_overlapping_bookings_let_exactly_one_through(therapist):
    clients = [ClientFactory(therapist=therapist) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: dict[int, object] = {}

    def booker(index):
        def book():
            barrier.wait(timeout=10)
            return appointment_book(
                client=clients[index],
                starts_at=clinic_time(1, 10, 15 * index),
                minutes=60,
                booked_by=therapist,
            )

        return book

    threads = [_in_thread(booker(i), results, i) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    booked = [r for r in results.values() if isinstance(r, Appointment)]
    refused = [r for r in results.values() if isinstance(r, ValidationError)]
    assert len(booked) == 1 and len(refused) == 1, results
    assert booked[0].client.full_name in refused[0].messages[0]
    assert Appointment.objects.count() == 1


def _backend_waiting_on_a_lock() -> bool:
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_booking_that_loses_the_race_in_the_database_gets_the_clash_message(therapist):
    """The loser passed the service's own check before the winner committed: only the
    exclusion constraint stops it, and SQLSTATE 23P01 still becomes a message naming the
    winner, not a 500."""
    winner_client = ClientFactory(therapist=therapist, first_name="Wendy", last_name="Winner")
    loser_client = ClientFactory(therapist=therapist)
    winner_booked = threading.Event()
    loser_waiting = threading.Event()
    results: dict[str, object] = {}

    def winner():
        with transaction.atomic():
            appointment = appointment_book(
                client=winner_client,
                starts_at=clinic_time(1, 10),
                minutes=60,
                booked_by=therapist,
            )
            winner_booked.set()
            loser_waiting.wait(timeout=10)
        return appointment

    def loser():
        winner_booked.wait(timeout=10)
        return appointment_book(
            client=loser_client, starts_at=clinic_time(1, 10, 30), minutes=60, booked_by=therapist
        )

    threads = [_in_thread(winner, results, "winner"), _in_thread(loser, results, "loser")]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while not _backend_waiting_on_a_lock() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _backend_waiting_on_a_lock(), "the loser's insert never waited for the winner"
    loser_waiting.set()
    for thread in threads:
        thread.join(timeout=30)

    won = results["winner"]
    assert isinstance(won, Appointment)
    assert isinstance(results["loser"], ValidationError), results
    assert results["loser"].messages == [
        APPOINTMENT_CLASH_THERAPIST.format(
            therapist="Alice", client="Wendy Winner", when=appointment_when(won)
        )
    ]
    assert list(Appointment.objects.values_list("client_id", flat=True)) == [winner_client.pk]


@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_rows_for_a_therapist(therapist):
    first, second = ClientFactory(therapist=therapist), ClientFactory(therapist=therapist)
    Appointment.objects.create(
        therapist=therapist, client=first, starts_at=clinic_time(1, 10), minutes=60
    )
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Appointment.objects.create(
            therapist=therapist, client=second, starts_at=clinic_time(1, 10, 59), minutes=30
        )
    assert refused.value.__cause__.sqlstate == EXCLUSION_VIOLATION


@pytest.mark.django_db
def test_the_database_itself_refuses_overlapping_rows_for_a_client(therapist, colleague):
    client = ClientFactory(therapist=therapist)
    Appointment.objects.create(
        therapist=therapist, client=client, starts_at=clinic_time(1, 10), minutes=60
    )
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Appointment.objects.create(
            therapist=colleague, client=client, starts_at=clinic_time(1, 9, 30), minutes=60
        )
    assert refused.value.__cause__.sqlstate == EXCLUSION_VIOLATION


@pytest.mark.django_db
def test_the_database_lets_cancelled_and_no_show_rows_overlap(therapist):
    client = ClientFactory(therapist=therapist)
    for status in (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW):
        Appointment.objects.create(
            therapist=therapist,
            client=client,
            starts_at=clinic_time(1, 10),
            minutes=60,
            status=status,
        )
    Appointment.objects.create(
        therapist=therapist, client=client, starts_at=clinic_time(1, 10), minutes=60
    )
    assert Appointment.objects.count() == 3


@pytest.mark.django_db
def test_a_series_visit_lost_in_the_database_is_listed_and_the_rest_still_booked(
    therapist, monkeypatch
):
    """The exclusion constraint refuses one visit of a series inside its savepoint: that visit
    is listed with the clash, the series transaction carries on with the others."""
    client = ClientFactory(therapist=therapist)
    first_day = timezone.localdate() + timedelta(days=1)
    other = ClientFactory(therapist=therapist, first_name="Olga", last_name="Other")
    busy = Appointment.objects.create(
        therapist=therapist,
        client=other,
        starts_at=timezone.make_aware(
            timezone.datetime.combine(first_day + timedelta(days=1), clock(9, 30))
        ),
        minutes=60,
    )
    real_find = booking.appointment_clash_find
    calls = {"n": 0}

    def find_blind_to_the_second_visit(**kwargs):
        # The second visit's own check misses the clash, as it would under a race.
        calls["n"] += 1
        return None if calls["n"] == 2 else real_find(**kwargs)

    monkeypatch.setattr(booking, "appointment_clash_find", find_blind_to_the_second_visit)
    result = booking.appointment_series_book(
        client=client,
        series=SeriesRequest(
            first_day=first_day,
            weekdays=tuple(sorted({first_day.weekday(), (first_day.weekday() + 1) % 7})),
            per_week=2,
            weeks=2,
            then_every_weeks=2,
            then_visits=0,
        ),
        at=clock(10),
        minutes=60,
        booked_by=therapist,
    )
    assert len(result.booked) == 3
    assert [skip.day for skip in result.skipped] == [first_day + timedelta(days=1)]
    assert result.skipped[0].reason == APPOINTMENT_CLASH_THERAPIST.format(
        therapist="Alice", client="Olga Other", when=appointment_when(busy)
    )
    assert Appointment.objects.filter(client=client).count() == 3
