"""Races and resubmits: conflicting actions on the same record sent at the same moment.

Against gunicorn on loopback, with real concurrent requests: each pair slot has its own
therapist (a logged-in session, plus a second connection on the same session for the double
clicks) and its own logged-in session of the clinic manager. A round sends one pair per slot,
every request of the round released by one barrier after each side has read its form page:

- cancel vs reschedule: the manager cancels a booked visit while its therapist moves it;
- check-in vs cancel: the therapist checks in today's visit (the red-flag re-screen, all
  clear) while the manager cancels it;
- plan double accept: "Accept this plan" sent twice with the same form token (a double click);
- booking resubmit: the same booking form (same token) sent twice.

The visits are booked for the run through the booking service (not measured), on calendars of
therapists made for the run, so nothing else competes for their slots. Afterwards the database
is read: every acknowledged change (a redirect) is there and no refused one is; no visit holds
a state it cannot hold (checked in and cancelled both acknowledged, a cancel reason on a live
visit, a re-screen recorded for a refused check-in); one plan per accept token and one
appointment per booking token; and no 5xx.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.urls import reverse
from django.utils import timezone

from bench.browser import Browser, Response, form_fields
from bench.pages import PLAN_QUERY
from bench.seed import intake_done

KINDS = ("cancel vs reschedule", "check-in vs cancel", "plan double accept", "booking resubmit")
STALE = "This visit was "
STALE_MESSAGE = re.compile(r"This visit was [^<]*")
ALERT = re.compile(r'class="alert[^"]*"[^>]*>\s*([^<]+)')
PLAN_URL = re.compile(r"/plans/(\d+)/$")
APPOINTMENT_URL = re.compile(r"/appointments/(\d+)/$")
MINUTES = 30
FIRST_SLOT = dtime(6, 0)
SLOTS_PER_DAY = 32  # 06:00 to 21:30: away from the night's clock changes
BARRIER_SECONDS = 60
CLIENTS_PER_THERAPIST = 3


@dataclass
class Side:
    """One request of a pair: who sent it and what came back."""

    label: str
    status: int = 0
    location: str = ""
    stale: str = ""  # the "This visit was ..." message of a refused action
    other: str = ""  # another message of a 200 answer
    error: str = ""  # an exception: no answer

    @property
    def done(self) -> bool:
        return self.status in (301, 302, 303)


@dataclass
class Pair:
    kind: str
    slot: int
    client_id: int
    appointment_id: int | None = None
    start: datetime | None = None
    new_start: datetime | None = None
    reason: str = ""
    data: dict | None = None  # the form both clicks of a double send
    path: str = ""
    ready: threading.Event = field(default_factory=threading.Event)
    sides: list[Side] = field(default_factory=list)


@dataclass
class Cast:
    therapists: list[User]
    clients: dict[int, list[int]]  # therapist id -> their race clients
    manager: tuple[str, str]
    password: str


@dataclass
class RaceResult:
    pairs: list[Pair]
    rounds: int
    slots: int
    seconds: float
    problems: list[str]
    outcomes: dict[str, Counter]
    stale_examples: list[str]
    other_examples: Counter
    moved_then_cancelled: list[str]
    lost: int
    phantom: int
    duplicates: int
    inconsistent: int
    server_errors: int
    request_errors: int
    tracebacks: int
    stopped_early: bool

    @property
    def ok(self) -> bool:
        return not (
            self.lost
            or self.phantom
            or self.duplicates
            or self.inconsistent
            or self.server_errors
            or self.request_errors
            or self.tracebacks
        )


# --- the cast and the visits (ORM, not measured) ---------------------------------------------


def cast_create(slots: int) -> Cast:
    """Therapists made for this run (empty calendars), each with ready clients, and the
    demo manager."""
    from bench.seed import BENCH_PASSWORD
    from core.roles import THERAPIST
    from sciatica_clinic.demo.clients import DEMO_LOGINS, demo_users_ensure

    demo_users_ensure()
    manager = next(d for d in DEMO_LOGINS if d.username == "manager")
    group = Group.objects.get(name=THERAPIST)
    password = make_password(BENCH_PASSWORD)
    stamp = uuid.uuid4().hex[:6]
    therapists, clients = [], {}
    for n in range(slots):
        user = User.objects.create(
            username=f"race-{stamp}-{n:02d}",
            first_name="Race",
            last_name=f"Therapist {n:02d}",
            password=password,
        )
        user.groups.add(group)
        therapists.append(user)
        clients[user.pk] = [
            _ready_client(user, f"race-{stamp}-{n:02d}-{k}@example.test").pk
            for k in range(CLIENTS_PER_THERAPIST)
        ]
    return Cast(therapists, clients, (manager.username, manager.password), BENCH_PASSWORD)


def _ready_client(therapist: User, email: str):
    """A client with intake done (history, screening, assessment): plannable, check-in-able."""
    from datetime import date

    from intake import services as intake_services

    today = timezone.localdate()
    client = intake_services.client_create(
        therapist=therapist,
        first_name="Rae",
        last_name="Racer",
        date_of_birth=date(1980, 5, 1),
        email=email,
        occupation="Office worker",
        consent_given=True,
        consent_date=today - timedelta(days=60),
    )
    intake_done(client=client, therapist=therapist, today=today)
    return client


class Slots:
    """Free half-hour slots of one therapist: today's, and from the day after tomorrow on."""

    def __init__(self):
        self.today = 0
        self.later = 0

    @staticmethod
    def _at(day, index: int) -> datetime:
        minutes = FIRST_SLOT.hour * 60 + FIRST_SLOT.minute + index * MINUTES
        wall = datetime.combine(day, dtime(minutes // 60, minutes % 60))
        return timezone.make_aware(wall, timezone.get_default_timezone())

    def next_today(self) -> datetime:
        if self.today >= SLOTS_PER_DAY:
            raise RuntimeError("races: no free slot left today; fewer rounds")
        self.today += 1
        return self._at(timezone.localdate(), self.today - 1)

    def next_later(self) -> datetime:
        index, self.later = self.later, self.later + 1
        day = timezone.localdate() + timedelta(days=2 + index // SLOTS_PER_DAY)
        return self._at(day, index % SLOTS_PER_DAY)


def _book(client_id: int, starts_at: datetime) -> int:
    from intake.models import Client
    from sessions.booking.services import appointment_book

    client = Client.objects.get(pk=client_id)
    return appointment_book(client=client, starts_at=starts_at, minutes=MINUTES, booked_by=None).pk


def _local(moment: datetime) -> tuple[str, str]:
    local = timezone.localtime(moment)
    return local.date().isoformat(), f"{local:%H:%M}"


# --- one pair's two sides (threads) ----------------------------------------------------------


def _classify(side: Side, response: Response) -> None:
    side.status = response.status
    side.location = response.location
    if response.status == 200:
        text = response.text
        stale = STALE_MESSAGE.search(text)
        if stale:
            side.stale = " ".join(stale.group(0).split())
        else:
            alert = ALERT.search(text)
            side.other = " ".join(alert.group(1).split())[:160] if alert else "(no message)"


def _send(side: Side, browser: Browser, path: str, data: dict | None) -> None:
    if data is None:
        side.error = "no form"
        return
    try:
        _classify(side, browser.post(path, data))
    except Exception as error:  # noqa: BLE001 (any failure is recorded)
        side.error = type(error).__name__


def _prepare_cancel(browser: Browser, pair: Pair) -> tuple[str, dict | None]:
    path = reverse("sessions:appointment_cancel", args=[pair.appointment_id])
    page = browser.get(reverse("sessions:appointment_detail", args=[pair.appointment_id]))
    fields = form_fields(page.text, action=path) if page.status == 200 else {}
    if "reason" not in fields:
        return path, None
    fields["reason"] = pair.reason
    return path, fields


def _prepare_reschedule(browser: Browser, pair: Pair) -> tuple[str, dict | None]:
    path = reverse("sessions:appointment_reschedule", args=[pair.appointment_id])
    page = browser.get(path)
    fields = form_fields(page.text, action=path) if page.status == 200 else {}
    if "day" not in fields:
        return path, None
    fields["day"], fields["at"] = _local(pair.new_start)
    fields["minutes"] = str(MINUTES)
    return path, fields


def _prepare_check_in(browser: Browser, pair: Pair) -> tuple[str, dict | None]:
    from intake.rules import RED_FLAG_QUESTIONS

    path = reverse("sessions:appointment_check_in", args=[pair.appointment_id])
    # The red-flag questions asked even when the client was screened earlier today (an
    # earlier round's re-screen): every acknowledged check-in then records one re-screen.
    page = browser.get(f"{path}?rescreen=1")
    fields = form_fields(page.text, action=path) if page.status == 200 else {}
    if "csrfmiddlewaretoken" not in fields:
        return path, None
    fields.update({question.name: "no" for question in RED_FLAG_QUESTIONS})
    return path, fields


def _prepare_plan(browser: Browser, pair: Pair) -> tuple[str, dict | None]:
    path = reverse("sessions:plan_review", args=[pair.client_id])
    page = browser.get(reverse("sessions:plan_new", args=[pair.client_id]) + PLAN_QUERY)
    fields = form_fields(page.text, action=path) if page.status == 200 else {}
    if "form_token" not in fields:
        return path, None
    fields["action"] = "accept"
    return path, fields


def _prepare_booking(browser: Browser, pair: Pair) -> tuple[str, dict | None]:
    day, at = _local(pair.start)
    path = reverse("sessions:appointment_book") + f"?client={pair.client_id}&day={day}&at={at}"
    page = browser.get(path)
    fields = form_fields(page.text, action=path) if page.status == 200 else {}
    if "form_token" not in fields:
        return path, None
    fields.update({"day": day, "at": at, "minutes": str(MINUTES)})
    return path, fields


def _side_run(browser, pair: Pair, side: Side, prepare, barrier: threading.Barrier) -> None:
    """Read the form page (or wait for the other click's), wait for the round, post."""
    path, data = "", None
    try:
        if prepare is not None:
            path, data = prepare(browser, pair)
            pair.path, pair.data = path, data
            pair.ready.set()
    except Exception as error:  # noqa: BLE001
        side.error = f"form page: {type(error).__name__}"
        pair.ready.set()
    try:
        barrier.wait(timeout=BARRIER_SECONDS)
    except threading.BrokenBarrierError:
        side.error = side.error or "barrier broken"
        return
    if prepare is None:  # the second click sends what the first one read
        pair.ready.wait(timeout=BARRIER_SECONDS)
        path, data = pair.path, pair.data
    if not side.error:
        _send(side, browser, path, data)


# --- the run ---------------------------------------------------------------------------------


def races_run(*, base: str, slots: int, rounds: int, max_seconds: float) -> RaceResult:
    from intake.models import Screening
    from sessions.models.plan import SessionPlan

    cast = cast_create(slots)
    screening_floor = Screening.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    plan_floor = SessionPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    therapists, managers, seconds_ = [], [], []
    for therapist in cast.therapists:
        browser = Browser(base)
        browser.login(therapist.username, cast.password)
        browser.close()
        second = Browser(base)  # the same session on another connection: a double click
        second.cookies = dict(browser.cookies)
        manager = Browser(base)
        manager.login(*cast.manager)
        manager.close()
        therapists.append(browser)
        seconds_.append(second)
        managers.append(manager)
    calendars = {t.pk: Slots() for t in cast.therapists}
    pairs: list[Pair] = []
    started = time.monotonic()
    stopped_early = False
    done_rounds = 0
    for round_ in range(rounds):
        if time.monotonic() - started > max_seconds:
            stopped_early = True
            break
        jobs = []
        for slot, therapist in enumerate(cast.therapists):
            kind = KINDS[(slot + round_) % len(KINDS)]
            client_ids = cast.clients[therapist.pk]
            pair = Pair(kind, slot, client_ids[round_ % len(client_ids)])
            calendar = calendars[therapist.pk]
            t, t2, m = therapists[slot], seconds_[slot], managers[slot]
            if kind == KINDS[0]:
                pair.start, pair.new_start = calendar.next_later(), calendar.next_later()
                pair.appointment_id = _book(pair.client_id, pair.start)
                pair.reason = f"race {uuid.uuid4().hex[:12]}"
                sides = [
                    ("manager cancel", m, _prepare_cancel),
                    ("therapist reschedule", t, _prepare_reschedule),
                ]
            elif kind == KINDS[1]:
                pair.start = calendar.next_today()
                pair.appointment_id = _book(pair.client_id, pair.start)
                pair.reason = f"race {uuid.uuid4().hex[:12]}"
                sides = [
                    ("therapist check-in", t, _prepare_check_in),
                    ("manager cancel", m, _prepare_cancel),
                ]
            elif kind == KINDS[2]:
                sides = [("first click", t, _prepare_plan), ("second click", t2, None)]
            else:
                pair.start = calendar.next_later()
                sides = [("first send", t, _prepare_booking), ("resubmit", t2, None)]
            for label, browser, prepare in sides:
                side = Side(label)
                pair.sides.append(side)
                jobs.append((browser, pair, side, prepare))
            pairs.append(pair)
        barrier = threading.Barrier(len(jobs))
        threads = [
            threading.Thread(target=_side_run, args=(*job, barrier), daemon=True) for job in jobs
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=BARRIER_SECONDS * 3)
        done_rounds += 1
    seconds = time.monotonic() - started
    for browser in (*therapists, *seconds_, *managers):
        browser.close()
    return verify(
        pairs,
        rounds=done_rounds,
        slots=slots,
        seconds=seconds,
        screening_floor=screening_floor,
        plan_floor=plan_floor,
        stopped_early=stopped_early,
    )


# --- the database afterwards -----------------------------------------------------------------


def verify(pairs, *, rounds, slots, seconds, screening_floor, plan_floor, stopped_early):
    from intake.models import Screening
    from sessions.models import Appointment
    from sessions.models.plan import SessionPlan

    problems: list[str] = []
    outcomes: dict[str, Counter] = {kind: Counter() for kind in KINDS}
    stale_examples: list[str] = []
    other_examples: Counter = Counter()
    moved_then_cancelled: list[str] = []
    lost = phantom = duplicates = inconsistent = 0
    sides = [side for pair in pairs for side in pair.sides]
    server_errors = sum(1 for side in sides if side.status >= 500)
    request_errors = sum(1 for side in sides if side.error or 400 <= side.status < 500)
    for pair in pairs:
        for side in pair.sides:
            if side.status >= 400 or side.error:
                problems.append(
                    f"{pair.kind}, slot {pair.slot}, {side.label}: "
                    f"{side.error or f'HTTP {side.status}'} (appointment {pair.appointment_id}, "
                    f"client {pair.client_id})"
                )
            if side.stale and len(stale_examples) < 3:
                stale_examples.append(side.stale)
            if side.other:
                other_examples[f"{pair.kind}, {side.label}: {side.other}"] += 1

    def flag(kind: str, pair: Pair, text: str) -> None:
        problems.append(
            f"{kind}: {pair.kind}, appointment {pair.appointment_id} (client {pair.client_id}): "
            f"{text}; answers: "
            + ", ".join(
                f"{s.label} {s.status or s.error}{' stale' if s.stale else ''}" for s in pair.sides
            )
        )

    checkins_acked: Counter = Counter()
    plans_acked: Counter = Counter()
    for pair in pairs:
        first, second = pair.sides
        if pair.kind in KINDS[:2]:
            appointment = Appointment.objects.get(pk=pair.appointment_id)
            history = list(appointment.history.order_by("history_date", "history_id"))
            if appointment.status == "checked_in" and appointment.cancellation_reason:
                inconsistent += 1
                flag("inconsistent", pair, "checked in with a cancel reason")
            if appointment.status == "booked" and appointment.cancellation_reason:
                inconsistent += 1
                flag("inconsistent", pair, "booked with a cancel reason")
        if pair.kind == KINDS[0]:
            cancel, move = first, second
            outcome = {
                (True, False): "cancel won",
                (False, True): "reschedule won",
                (True, True): "both (moved, then cancelled)",
                (False, False): "neither",
            }[(cancel.done, move.done)]
            if cancel.done:
                if appointment.status != "cancelled" or (
                    appointment.cancellation_reason != pair.reason
                ):
                    lost += 1
                    flag("lost", pair, f"cancel acknowledged, status {appointment.status}")
            elif appointment.status == "cancelled":
                phantom += 1
                flag("phantom", pair, "cancelled without an acknowledged cancel")
            moved = [i for i, h in enumerate(history) if h.starts_at == pair.new_start]
            if move.done:
                if not moved:
                    lost += 1
                    flag("lost", pair, "reschedule acknowledged, never at the new time")
                if not cancel.done and appointment.starts_at != pair.new_start:
                    lost += 1
                    flag("lost", pair, f"reschedule acknowledged, now at {appointment.starts_at}")
                if cancel.done and len(moved_then_cancelled) < 2:
                    moved_then_cancelled.append(
                        f"appointment {pair.appointment_id}: "
                        + " -> ".join(
                            f"{h.status} {timezone.localtime(h.starts_at):%a %H:%M} "
                            f"({h.history_user.get_full_name() if h.history_user else 'service'})"
                            for h in history
                        )
                    )
                if cancel.done:
                    cancelled = [i for i, h in enumerate(history) if h.status == "cancelled"]
                    if moved and cancelled and cancelled[0] < moved[0]:
                        inconsistent += 1
                        flag("inconsistent", pair, "moved after its acknowledged cancel")
            elif moved:
                phantom += 1
                flag("phantom", pair, "moved without an acknowledged reschedule")
        elif pair.kind == KINDS[1]:
            check_in, cancel = first, second
            outcome = {
                (True, False): "check-in won",
                (False, True): "cancel won",
                (True, True): "both acknowledged",
                (False, False): "neither",
            }[(check_in.done, cancel.done)]
            if check_in.done and cancel.done:
                inconsistent += 1
                flag("inconsistent", pair, "check-in and cancel both acknowledged")
            expected = "checked_in" if check_in.done else "cancelled" if cancel.done else "booked"
            if check_in.done != cancel.done and appointment.status != expected:
                lost += 1
                flag("lost", pair, f"expected {expected}, found {appointment.status}")
            elif not (check_in.done or cancel.done) and appointment.status != expected:
                phantom += 1
                flag("phantom", pair, f"nothing acknowledged, found {appointment.status}")
            if check_in.done:
                checkins_acked[pair.client_id] += 1
        elif pair.kind == KINDS[2]:
            outcome = _double_outcome(first, second)
            match = PLAN_URL.search(first.location) or PLAN_URL.search(second.location)
            if first.done or second.done:
                plans_acked[pair.client_id] += 1
                if match is None or not SessionPlan.objects.filter(pk=match.group(1)).exists():
                    lost += 1
                    flag("lost", pair, f"accept acknowledged, no plan at {first.location}")
        else:
            outcome = _double_outcome(first, second)
            found = Appointment.objects.filter(client_id=pair.client_id, starts_at=pair.start)
            count = found.count()
            if first.done or second.done:
                match = APPOINTMENT_URL.search(first.location or second.location)
                if match is None or not found.filter(pk=match.group(1)).exists():
                    lost += 1
                    flag("lost", pair, f"booking acknowledged, not at {first.location}")
            elif count:
                phantom += 1
                flag("phantom", pair, "booked without an acknowledgement")
            if count > 1:
                duplicates += count - 1
                flag("duplicate", pair, f"{count} appointments for one booking token")
        outcomes[pair.kind][outcome] += 1
        for side in pair.sides:
            if side.stale:
                outcomes[pair.kind][f"{side.label} refused, stale message"] += 1
            elif side.other:
                outcomes[pair.kind][f"{side.label} refused, other message"] += 1
    # A refused check-in records no re-screen: one new screening per acknowledged check-in.
    clients = {pair.client_id for pair in pairs if pair.kind == KINDS[1]}
    for client_id in clients:
        count = Screening.objects.filter(client_id=client_id, pk__gt=screening_floor).count()
        if count != checkins_acked[client_id]:
            inconsistent += 1
            problems.append(
                f"inconsistent: client {client_id}: {count} re-screens recorded for "
                f"{checkins_acked[client_id]} acknowledged check-ins"
            )
    # One plan per accept token: the plans made in the run, client by client.
    for client_id in {pair.client_id for pair in pairs if pair.kind == KINDS[2]}:
        count = SessionPlan.objects.filter(client_id=client_id, pk__gt=plan_floor).count()
        if count > plans_acked[client_id]:
            duplicates += count - plans_acked[client_id]
            problems.append(
                f"duplicate: client {client_id}: {count} plans for "
                f"{plans_acked[client_id]} accept tokens"
            )
    return RaceResult(
        pairs=pairs,
        rounds=rounds,
        slots=slots,
        seconds=seconds,
        problems=problems,
        outcomes=outcomes,
        stale_examples=stale_examples,
        other_examples=other_examples,
        moved_then_cancelled=moved_then_cancelled,
        lost=lost,
        phantom=phantom,
        duplicates=duplicates,
        inconsistent=inconsistent,
        server_errors=server_errors,
        request_errors=request_errors,
        tracebacks=0,
        stopped_early=stopped_early,
    )


def _double_outcome(first: Side, second: Side) -> str:
    if first.done and second.done:
        if first.location == second.location:
            return "both led to the same record"
        return "both acknowledged, different records"
    if first.done or second.done:
        return "one acknowledged, the other refused"
    return "neither"
