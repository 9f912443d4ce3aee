"""Booking services: every write to an `Appointment` goes through one function here.

No double booking (docs/engineering-notes.md "No double booking"): each service looks for a clashing appointment inside its
transaction and refuses with a message naming it. On SQLite the transaction is IMMEDIATE, so
that check and the insert cannot interleave with another writer's. On PostgreSQL two requests
can both pass the check; the exclusion constraint then lets exactly one insert through and the
other gets SQLSTATE 23P01, which becomes the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from intake.models import Client
from sessions.booking.scheduling import (
    ClinicTimeError,
    SeriesRequest,
    WorkingHours,
    clinic_clock,
    clinic_datetime,
    free_slots,
    series_dates,
)
from sessions.models import OCCUPYING_STATUSES, Appointment
from sessions.models.appointment import APPOINTMENT_MINUTES_MAX, APPOINTMENT_MINUTES_MIN

APPOINTMENT_CLASH_THERAPIST = "{therapist} is already booked at that time: {client}, {when}."
APPOINTMENT_CLASH_CLIENT = (
    "{client} already has an appointment at that time: with {therapist}, {when}."
)
APPOINTMENT_CLASH_JUST_TAKEN = (
    "Someone booked that time a moment ago and then freed it again. Please try once more."
)
APPOINTMENT_MINUTES_OUT_OF_RANGE = (
    f"A session lasts {APPOINTMENT_MINUTES_MIN} to {APPOINTMENT_MINUTES_MAX} minutes."
)
# PostgreSQL's SQLSTATE for exclusion_violation.
EXCLUSION_VIOLATION = "23P01"


# --- reading -----------------------------------------------------------------------------------


def appointments_overlapping(*, start: datetime, end: datetime) -> Q:
    """Appointments holding any part of [start, end) (back-to-back visits do not overlap).

    The bound `starts_at > start - APPOINTMENT_MINUTES_MAX` follows from the other two (no
    visit is longer), but it turns the (therapist, starts_at) and (client, starts_at) indexes
    into a narrow range scan: without it PostgreSQL reads every appointment the therapist
    ever had before `end` (20,000 rows in the benchmark: bench/results/latest.md).
    """
    return Q(
        starts_at__lt=end,
        ends_at__gt=start,
        starts_at__gt=start - timedelta(minutes=APPOINTMENT_MINUTES_MAX),
    )


def working_hours() -> WorkingHours:
    """The clinic's working day (settings CLINIC_DAY_STARTS, CLINIC_DAY_ENDS)."""
    return WorkingHours(
        opens=time.fromisoformat(settings.CLINIC_DAY_STARTS),
        closes=time.fromisoformat(settings.CLINIC_DAY_ENDS),
    )


def free_times(*, client: Client, day: date, minutes: int) -> list[datetime]:
    """The starts (UTC) at which `client` can be booked with their therapist on `day` for
    `minutes`: inside the working hours, clear of the therapist's and the client's visits,
    in the future (one query)."""
    start, end = appointment_day_bounds(day)
    busy = Appointment.objects.filter(
        Q(therapist_id=client.therapist_id) | Q(client_id=client.pk),
        appointments_overlapping(start=start, end=end),
        status__in=OCCUPYING_STATUSES,
    ).values_list("starts_at", "ends_at")
    return free_slots(
        day=day,
        minutes=minutes,
        hours=working_hours(),
        busy=list(busy),
        zone=timezone.get_default_timezone(),
        not_before=timezone.now(),
    )


def appointment_clash_find(
    *,
    therapist_id: int,
    client_id: int,
    starts_at: datetime,
    ends_at: datetime,
    exclude_id: int | None = None,
) -> Appointment | None:
    """The first appointment holding any part of [starts_at, ends_at) for the therapist or
    the client (back-to-back visits do not clash), or None."""
    clashes = Appointment.objects.filter(
        Q(therapist_id=therapist_id) | Q(client_id=client_id),
        appointments_overlapping(start=starts_at, end=ends_at),
        status__in=OCCUPYING_STATUSES,
    ).select_related("client", "therapist")
    if exclude_id is not None:
        clashes = clashes.exclude(pk=exclude_id)
    return clashes.order_by("starts_at", "id").first()


def appointment_when(appointment: Appointment) -> str:
    """'Mon 12 Jan 2026, 10:00-11:00' in the clinic's time zone; a time the autumn clock
    change repeats carries its UTC offset (`clinic_clock`)."""
    zone = timezone.get_default_timezone()
    starts = timezone.localtime(appointment.starts_at, zone)
    start = clinic_clock(appointment.starts_at, zone=zone)
    end = clinic_clock(appointment.ends_at, zone=zone)
    return f"{starts:%a %d %b %Y}, {start}\u2013{end}"


def appointment_clash_message(*, clash: Appointment, client_id: int) -> str:
    """Names the clashing appointment: the client's own, or another client's with the same
    therapist."""
    words = {
        "therapist": clash.therapist_name,
        "client": clash.client.full_name,
        "when": appointment_when(clash),
    }
    if clash.client_id == client_id:
        return APPOINTMENT_CLASH_CLIENT.format(**words)
    return APPOINTMENT_CLASH_THERAPIST.format(**words)


# --- writing -----------------------------------------------------------------------------------


def _is_exclusion_violation(error: IntegrityError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION


def _clash_refuse(appointment: Appointment) -> None:
    clash = appointment_clash_find(
        therapist_id=appointment.therapist_id,
        client_id=appointment.client_id,
        starts_at=appointment.starts_at,
        ends_at=appointment.ends_at,
        exclude_id=appointment.pk,
    )
    if clash is not None:
        raise ValidationError(
            appointment_clash_message(clash=clash, client_id=appointment.client_id),
            code="clash",
        )


def appointment_save_without_clash(
    appointment: Appointment, *, update_fields: list[str] | None = None
) -> Appointment:
    """Check, validate and save (only `update_fields`, if given) in one transaction; a clash
    raises ValidationError, never IntegrityError, and leaves nothing written."""
    if timezone.is_naive(appointment.starts_at):
        raise ValueError("Appointment times must be time-zone aware.")
    if not APPOINTMENT_MINUTES_MIN <= appointment.minutes <= APPOINTMENT_MINUTES_MAX:
        raise ValidationError(APPOINTMENT_MINUTES_OUT_OF_RANGE, code="minutes")
    appointment.times_set(starts_at=appointment.starts_at, minutes=appointment.minutes)
    try:
        with transaction.atomic():
            _clash_refuse(appointment)
            # Constraints are not validated here: the overlap check above names the clash,
            # which the exclusion constraints' generic message would not; the database
            # remains the backstop for the moment between that check and the insert.
            appointment.full_clean(validate_constraints=False)
            appointment.save(update_fields=update_fields)
    except IntegrityError as error:
        if not _is_exclusion_violation(error):
            raise
        # The database refused a row another transaction committed meanwhile: name it.
        _clash_refuse(appointment)
        raise ValidationError(APPOINTMENT_CLASH_JUST_TAKEN, code="clash") from error
    return appointment


def appointment_book(
    *,
    client: Client,
    starts_at: datetime,
    minutes: int,
    booked_by: User | None,
    note: str = "",
) -> Appointment:
    """Book `client` with their own therapist (the client's owner: nobody else may see them)."""
    appointment = Appointment(
        therapist_id=client.therapist_id,
        client=client,
        starts_at=starts_at,
        minutes=minutes,
        note=note,
        booked_by=booked_by,
    )
    return appointment_save_without_clash(appointment)


# --- series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSkip:
    """A visit of a series that was not booked, and why: for the therapist to resolve."""

    starts_at: datetime | None
    day: date
    at: time
    reason: str


@dataclass(frozen=True)
class SeriesResult:
    booked: list[Appointment]
    skipped: list[SeriesSkip]


def appointment_series_book(
    *,
    client: Client,
    series: SeriesRequest,
    at: time,
    minutes: int,
    booked_by: User | None,
    note: str = "",
) -> SeriesResult:
    """Book a course of care in one step (clinical rules §6 frequency advice).

    Each visit keeps the same wall-clock time in the clinic (10:00 stays 10:00 across a clock
    change) and lasts `minutes` real minutes. Each is booked on its own terms; a visit that
    clashes (or whose time the spring clock change skips) is skipped and returned with the reason, never dropped silently. All in one transaction:
    on SQLite nobody else can book in between; on PostgreSQL a visit lost to a concurrent
    booking rolls back only its own savepoint and is listed like any other clash.
    """
    zone = timezone.get_default_timezone()
    booked: list[Appointment] = []
    skipped: list[SeriesSkip] = []
    with transaction.atomic():
        for day in series_dates(series):
            try:
                starts_at = clinic_datetime(day=day, at=at, zone=zone)
            except ClinicTimeError as error:
                skipped.append(SeriesSkip(starts_at=None, day=day, at=at, reason=str(error)))
                continue
            try:
                booked.append(
                    appointment_book(
                        client=client,
                        starts_at=starts_at,
                        minutes=minutes,
                        booked_by=booked_by,
                        note=note,
                    )
                )
            except ValidationError as error:
                skipped.append(
                    SeriesSkip(starts_at=starts_at, day=day, at=at, reason=" ".join(error.messages))
                )
    return SeriesResult(booked=booked, skipped=skipped)


def appointment_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The clinic-time midnight that starts `day` and the one that ends it, as aware moments."""
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), zone)
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), zone)
    return start, end
