"""Two app servers behind HAProxy, one PostgreSQL: the load through the balancer, then one
server killed mid-load.

HAProxy runs `deploy/haproxy.cfg` itself, the file production uses, with a self-signed
certificate made for the run (TLS ends at HAProxy, as in production), on loopback ports. Each
request of the load carries an `X-Request-ID` that HAProxy logs with the server it went to and
how it ended, so every error of the kill run is traced to the server that had it.

The kill: SIGKILL to one gunicorn master and all its workers at once (a machine that dies),
chosen at a moment when one of its workers is serving a request. Then:
- errors: every failed request must be one HAProxy sent to the killed server and that was
  cut there (termination state "S...": the server went away); GETs cut that way are retried
  on the other server by HAProxy (`retry-on`), POSTs are not (they may have been written);
- writes: every acknowledged write is in the database (`bench.load.writes_verify`);
- sessions: every therapist keeps working on the surviving server with the session cookie
  they logged in with (their requests after the kill succeed: no login page, no error);
- PDFs: signed notes that nobody had printed are printed first on the server to be killed
  (it renders and stores them); after the kill the balancer's other server reprints them
  byte for byte, from the copy in PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from bench.faults import busy_worker
from bench.server import ROOT, free_port, worker_pids

CONFIG = ROOT / "deploy" / "haproxy.cfg"
LOG_LINE = re.compile(
    r"^(?P<accepted>\d+\.\d+) (?P<request_id>\S*) (?P<server>\S+) (?P<status>-?\d+) "
    r"(?P<termination>\S+) (?P<retries>\+?\d+) (?P<method>\S+) (?P<path>\S+) (?P<ms>-?\d+)"
)


@dataclass(frozen=True)
class Balanced:
    """One request as HAProxy logged it."""

    request_id: str
    server: str
    status: int
    termination: str
    retries: int
    redispatched: bool
    method: str
    path: str


def _certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 and its key, in one PEM (HAProxy's `crt`)."""
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    both = folder / "haproxy.pem"
    both.write_text(cert.read_text() + key.read_text())
    return cert


@contextmanager
def haproxy(servers: list[str], *, workers: int, log_path: Path) -> Iterator[str]:
    """HAProxy with `deploy/haproxy.cfg` in front of `servers` (base URLs of app servers);
    yields its https:// base URL. Sets BENCH_TLS_CA so `bench.browser` trusts it."""
    if len(servers) != 2:
        raise ValueError("deploy/haproxy.cfg names two app servers")
    with tempfile.TemporaryDirectory(prefix="sciatica-haproxy-") as folder:
        cert = _certificate(Path(folder))
        port = free_port()
        env = {
            **os.environ,
            "CLINIC_HTTPS_BIND": f"127.0.0.1:{port}",
            "CLINIC_TLS_CERT": str(Path(folder) / "haproxy.pem"),
            "CLINIC_HOST": "127.0.0.1",
            "CLINIC_APP1": servers[0].removeprefix("http://"),
            "CLINIC_APP2": servers[1].removeprefix("http://"),
            "CLINIC_APP_WORKERS": str(workers),
        }
        log = open(log_path, "a")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(
            ["haproxy", "-db", "-f", str(CONFIG)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
        previous_ca = os.environ.get("BENCH_TLS_CA")
        os.environ["BENCH_TLS_CA"] = str(cert)
        base = f"https://127.0.0.1:{port}"
        try:
            _wait_until_up(base, proc, cert)
            yield base
        finally:
            proc.send_signal(signal.SIGUSR1)  # soft stop: ends once the last request is done
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            log.close()
            if previous_ca is None:
                os.environ.pop("BENCH_TLS_CA", None)
            else:
                os.environ["BENCH_TLS_CA"] = previous_ca


def _wait_until_up(base: str, proc: subprocess.Popen, cert: Path) -> None:
    import ssl

    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2, context=context).read()  # noqa: S310 (loopback)
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("haproxy did not start: see its log") from None
            time.sleep(0.2)


def balancer_log(path: Path) -> dict[str, Balanced]:
    """HAProxy's request lines (deploy/haproxy.cfg's log-format), by request id."""
    lines = {}
    for line in path.read_text(errors="replace").splitlines():
        match = LOG_LINE.match(line)
        if not match or match["request_id"] in {"", "-"}:
            continue
        lines[match["request_id"]] = Balanced(
            request_id=match["request_id"],
            server=match["server"].rsplit("/", 1)[-1],
            status=int(match["status"]),
            termination=match["termination"],
            retries=int(match["retries"].lstrip("+")),
            redispatched=match["retries"].startswith("+"),
            method=match["method"],
            path=match["path"],
        )
    return lines


def server_kill(master_pid: int, *, at: list[float]) -> list[int]:
    """SIGKILL a gunicorn master and every worker at once, while one of them is serving;
    appends the moment of the kill (time.monotonic()) to `at`."""
    busy_worker(master_pid)
    victims = [*worker_pids(master_pid), master_pid]
    at.append(time.monotonic())
    for pid in victims:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return victims


class ConnectionCounter:
    """PostgreSQL's client connections to the clinic database, sampled every half second."""

    SQL = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
    )

    def __init__(self) -> None:
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> ConnectionCounter:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            while not self._stop.wait(0.5):
                self.samples.append(conn.execute(self.SQL).fetchone()[0])

    @property
    def summary(self) -> str:
        if not self.samples:
            return "not sampled"
        mean = sum(self.samples) / len(self.samples)
        return f"{min(self.samples)}-{max(self.samples)} (mean {mean:.1f})"


@dataclass
class KillCheck:
    """What the kill run's errors, sessions and PDFs came to (see the module docstring)."""

    errors: int = 0
    errors_traced: int = 0  # sent to the killed server and cut there (HAProxy's log says so)
    # In flight at the kill, the client's kept-alive connection closed without an answer and
    # no log line: what HAProxy does when a server drops a request of a reused client
    # connection without a byte of answer, so that the client may retry (HAProxy issues
    # 1423, 2375). Only the killed server dropped anything.
    errors_unanswered_in_flight: int = 0
    errors_untraced: list[str] = field(default_factory=list)
    # Requests HAProxy sent again, answered by the other server, by method: any method whose
    # connection the dead server refused; GETs also when it died mid-request.
    retried: dict[str, int] = field(default_factory=dict)
    personas: int = 0
    personas_served_after: int = 0  # therapists with successful requests after the kill
    session_failures: int = 0  # redirects to the login page after the kill
    pdfs_checked: int = 0
    pdfs_identical: int = 0
    pdf_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.errors_untraced
            and self.session_failures == 0
            and self.personas_served_after == self.personas
            and self.pdfs_identical == self.pdfs_checked
        )


UNANSWERED = {"RemoteDisconnected", "ConnectionResetError", "BrokenPipeError"}


def kill_check(*, log, balanced: dict[str, Balanced], killed: str, killed_at: float) -> KillCheck:
    """Trace the run's errors through HAProxy's log (and, for the ones it does not log, the
    client's own timing: in flight at the moment of the kill, `killed_at`)."""
    check = KillCheck()
    for sample in log.samples:
        if sample.ok:
            continue
        check.errors += 1
        entry = balanced.get(sample.request_id)
        in_flight = sample.started <= killed_at <= sample.started + sample.ms / 1000
        if entry and entry.server == killed and entry.termination.startswith("S"):
            check.errors_traced += 1
        elif entry is None and sample.error in UNANSWERED and in_flight:
            check.errors_unanswered_in_flight += 1
        else:
            where = f"{entry.server} {entry.status} {entry.termination}" if entry else "not logged"
            check.errors_untraced.append(f"{sample.label}: {sample.error} ({where})")
    for entry in balanced.values():
        if entry.retries and entry.status < 500:
            check.retried[entry.method] = check.retried.get(entry.method, 0) + 1
    return check


@dataclass(frozen=True)
class PrintedPdf:
    username: str
    client_id: int
    note_id: int
    sha256: str


def pdfs_first_print(*, app: str, personas, count: int = 5) -> list[PrintedPdf]:
    """Print, on the app server `app` directly, the PDFs of signed notes nobody has printed
    yet (one note each of the first `count` therapists): that server renders and stores them."""
    from django.urls import reverse

    from bench.browser import Browser
    from sessions.models import SessionNote

    printed = []
    for persona in personas[:count]:
        note = (
            SessionNote.objects.filter(
                therapist__username=persona.username,
                signed_at__isnull=False,
                client_id__in=persona.client_ids,
                pdfs__isnull=True,
            )
            .order_by("-id")
            .first()
        )
        if note is None:
            continue
        browser = Browser(app)
        browser.login(persona.username, persona.password)
        reply = browser.get(reverse("sessions:note_pdf", args=[note.client_id, note.pk]))
        browser.close()
        if reply.status == 200 and reply.body.startswith(b"%PDF"):
            digest = hashlib.sha256(reply.body).hexdigest()
            printed.append(PrintedPdf(persona.username, note.client_id, note.pk, digest))
    return printed


def pdfs_reprint(check: KillCheck, *, base: str, printed: list[PrintedPdf], logins) -> None:
    """Reprint `printed` through the balancer (the server that printed them is dead): the
    bytes must be those it printed, as PostgreSQL stored them."""
    from django.urls import reverse

    from bench.browser import Browser
    from sessions.models.note import SignedNotePdf

    for pdf in printed:
        check.pdfs_checked += 1
        stored = SignedNotePdf.objects.filter(note_id=pdf.note_id).values_list("sha256", flat=True)
        browser = Browser(base)
        browser.login(pdf.username, logins[pdf.username])
        reply = browser.get(reverse("sessions:note_pdf", args=[pdf.client_id, pdf.note_id]))
        browser.close()
        digest = hashlib.sha256(reply.body).hexdigest()
        if reply.status == 200 and digest == pdf.sha256 and list(stored) == [pdf.sha256]:
            check.pdfs_identical += 1
        else:
            check.pdf_problems.append(
                f"note {pdf.note_id}: HTTP {reply.status}, "
                f"{'same' if digest == pdf.sha256 else 'other'} bytes, stored {list(stored)}"
            )


def sessions_check(check: KillCheck, *, log, personas, killed_at: float) -> None:
    """Each therapist's requests after the kill, on the surviving server with the session they
    logged in with before it: answered (the load counts a login page as an error, since it
    expects 200 or the write's redirect), none sent back to the login page."""
    check.personas = len(personas)
    served = {s.username for s in log.samples if s.ok and s.started > killed_at and s.username}
    check.personas_served_after = len(served)
    check.session_failures = sum(
        1 for s in log.samples if s.started > killed_at and "login page" in s.error
    )


@contextmanager
def pgbouncer(*, pool_size: int) -> Iterator[str]:
    """PgBouncer (Debian's package) in transaction pooling mode in front of the bench's
    PostgreSQL, on a loopback port; yields a DATABASE_URL that goes through it. It refuses to
    run as root: it runs as the cluster's owner, like PostgreSQL."""
    from urllib.parse import urlsplit

    target = urlsplit(os.environ["DATABASE_URL"])
    with tempfile.TemporaryDirectory(prefix="sciatica-pgbouncer-") as folder:
        os.chmod(folder, 0o755)
        port = free_port()
        users = Path(folder) / "users.txt"
        users.write_text(f'"{target.username}" "{target.password}"\n')
        ini = Path(folder) / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"{target.path.lstrip('/')} = host={target.hostname} port={target.port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
            f"auth_type = plain\nauth_file = {users}\n"
            f"pool_mode = transaction\ndefault_pool_size = {pool_size}\n"
            "max_client_conn = 500\nignore_startup_parameters = extra_float_digits,options\n"
        )
        for path in (users, ini):
            path.chmod(0o644)
        command = ["/usr/sbin/pgbouncer", str(ini)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = target._replace(netloc=f"{target.username}:{target.password}@127.0.0.1:{port}")
        try:
            _wait_for_port(port, proc)
            yield url.geturl()
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_for_port(port: int, proc: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 15
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("pgbouncer did not start")
        time.sleep(0.1)
