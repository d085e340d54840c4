"""W7: the service as `graphbrm up` runs it, under many clients sending a mix of reads.

The bench starts `graphbrm up` on a free loopback port against the company's store, signs in a
few reps and one executive (graphbrm.tokens), times the monthly review over HTTP one request at a
time (for the HTTP ÷ library ratio), then sends the mix: 70 % reviews of the rep's key accounts,
20 % reach paths to their veto holders, 10 % company dashboards as the executive. The service's
memory (the `up` process and its workers) and the embedded store's are sampled separately.
"""

from __future__ import annotations

import contextlib
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from graphbrm.bench.company import Sample, Target
from graphbrm.bench.load import Pick, connect, run_mix, timed_get
from graphbrm.bench.workloads import Stats, graphbrm_command, percentiles
from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.tokens import create_token

REPS = 4  # rep tokens; each client signs in as one of them
MIX = (("review", 0.7), ("paths", 0.2), ("dashboard", 0.1))
START_TIMEOUT_S = 180.0


@dataclass
class SignIns:
    """Tokens of a few reps (with their key accounts and veto holders) and of the executive."""

    reps: list[tuple[str, list[str], list[str]]]  # (token, account ids, veto holder ids)
    executive: str


def sign_in(store: Store, sample: Sample) -> SignIns:
    """Create the tokens the load signs in with (valid for a day, labelled `bench`)."""
    owners = sorted({rep for _, rep in sample.accounts})[:REPS]
    reps = []
    for rep in owners:
        token = create_token(store, employee_id=rep, role="rep", lifetime_days=1, label="bench")
        reps.append((token.token, [a for a, r in sample.accounts if r == rep],
                     [p for p, r in sample.veto_holders if r == rep]))
    executive = create_token(store, employee_id=sample.executive_id, role="executive",
                             lifetime_days=1, label="bench")
    return SignIns(reps, executive.token)


def picker(sign_ins: SignIns) -> Pick:
    """The mix as a function of a client's random generator: (route, path, token)."""
    def pick(rng: random.Random) -> tuple[str, str, str]:
        token, accounts, vetoes = rng.choice(sign_ins.reps)
        draw = rng.random()
        if draw < MIX[0][1] or not vetoes:
            return "review", f"/api/v1/accounts/{rng.choice(accounts)}/review", token
        if draw < MIX[0][1] + MIX[1][1]:
            return "paths", f"/api/v1/key-persons/{rng.choice(vetoes)}/paths", token
        return "dashboard", "/api/v1/dashboard", sign_ins.executive
    return pick


def w7_http(store: Store, target: Target, sample: Sample, *, runs: int, clients: int,
            seconds: float) -> Stats:
    """Req/s, p50/p99 and errors of the mix; the review one at a time; peak memory."""
    sign_ins = sign_in(store, sample)
    with running_service(target) as (base_url, pid):
        sequential = review_over_http(base_url, sign_ins, runs)
        with MemorySampler(pid, store_pid(target)) as memory:
            report = run_mix(base_url, picker(sign_ins), clients=clients, seconds=seconds)
    return {"req_per_s": report.requests_per_s, "p50_ms": report.p50_ms,
            "p99_ms": report.p99_ms, "errors": report.errors, "requests": report.requests,
            "clients": clients, "seconds": report.seconds,
            "routes": {r.route: {"requests": r.requests, "errors": r.errors, "p50_ms": r.p50_ms,
                                 "p99_ms": r.p99_ms} for r in report.routes},
            "error_samples": report.error_samples[:5],
            "service_rss_mb": memory.peak_service_mb, "store_rss_mb": memory.peak_store_mb,
            "w1_sequential": sequential}


def review_over_http(base_url: str, sign_ins: SignIns, runs: int) -> Stats:
    """W1 over HTTP, one request at a time, warm (after one untimed request)."""
    rng = random.Random(1)
    connection = connect(base_url)
    samples = []
    try:
        for n in range(runs + 1):
            token, accounts, _ = rng.choice(sign_ins.reps)
            ms, error, connection = timed_get(
                connection, base_url, f"/api/v1/accounts/{rng.choice(accounts)}/review", token)
            if error is not None:
                raise RuntimeError(f"review over HTTP: {error}")
            if n:
                samples.append(ms)
    finally:
        connection.close()
    return percentiles(samples)


@contextlib.contextmanager
def running_service(target: Target) -> Iterator[tuple[str, int]]:
    """`graphbrm up` on a free loopback port: (base URL, pid), stopped with SIGTERM after."""
    port = _free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            graphbrm_command("up", "--host", "127.0.0.1", "--port", str(port)),
            env=target.env(), stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(process, port, log)
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"graphbrm up exited ({process.returncode}): "
                               f"{log.read().decode(errors='replace')[-1000:]}")
        connection = connect(f"http://127.0.0.1:{port}")
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.2)
    raise RuntimeError(f"graphbrm up did not answer on port {port} in {START_TIMEOUT_S:.0f} s")


def store_pid(target: Target) -> int | None:
    """The embedded redis-server's pid; None for Neo4j (its JVM is measured by its host)."""
    return EmbeddedServer(target.data_dir).pid() if target.embedded else None


@dataclass
class MemorySampler:
    """Peak RSS, sampled twice a second, of a process with its descendants, and of the store."""

    service_pid: int
    store_pid: int | None
    peak_service_mb: float = 0.0
    peak_store_mb: float | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(0.5):
                return

    def sample(self) -> None:
        service = sum(rss_mb(pid) for pid in tree(self.service_pid) if pid != self.store_pid)
        self.peak_service_mb = round(max(self.peak_service_mb, service), 1)
        if self.store_pid is not None:
            self.peak_store_mb = round(max(self.peak_store_mb or 0.0, rss_mb(self.store_pid)), 1)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree(pid: int) -> list[int]:
    """A process and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port
