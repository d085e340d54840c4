"""HTTP load on a running graphbrm: many clients, mixed reads, latency per route.

Each client signs in with one of the given tokens, learns what that token may see (its
accounts, their key persons, its own employee id), then sends reads in a fixed mix until the
time is up, over one keep-alive connection. Only the standard library is used, so the script
measures the server, not an HTTP client's extras.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROUTES = ("accounts", "account", "map", "review", "paths", "dashboard", "daily")
SAMPLE_ACCOUNTS = 20


@dataclass
class RouteStats:
    """Latency of one route over the run, in milliseconds."""

    route: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float


@dataclass
class LoadReport:
    """What `run_load` measured."""

    clients: int
    seconds: float
    requests: int
    errors: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    routes: list[RouteStats]
    error_samples: list[str] = field(default_factory=list)


@dataclass
class Target:
    """What one token may see: the ids its requests are drawn from."""

    token: str
    employee_id: str | None
    account_ids: list[str]
    person_ids: list[str]


@dataclass
class _Samples:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def add(self, route: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.times.setdefault(route, []).append(ms)
            if error is not None:
                self.errors[route] = self.errors.get(route, 0) + 1
                if len(self.error_samples) < 20:
                    self.error_samples.append(f"{route}: {error}")


def run_load(base_url: str, tokens: Sequence[str], *, clients: int = 32,
             seconds: float = 60) -> LoadReport:
    """Send the read mix from `clients` threads for `seconds`; latency per route and overall."""
    targets = [discover(base_url, token) for token in tokens]
    samples = _Samples()
    deadline = time.monotonic() + seconds
    workers = [threading.Thread(target=_client, args=(base_url, targets[n % len(targets)], n,
                                                     deadline, samples), daemon=True)
               for n in range(clients)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return _report(samples, clients, time.monotonic() - started)


# One request of a weighted mix: (route name, path, token), drawn by the client's own generator.
Pick = Callable[[random.Random], tuple[str, str, str]]


def run_mix(base_url: str, pick: Pick, *, clients: int = 32, seconds: float = 60) -> LoadReport:
    """Send requests drawn by `pick` from `clients` threads for `seconds`; as `run_load`."""
    samples = _Samples()
    deadline = time.monotonic() + seconds
    workers = [threading.Thread(target=_mix_client, args=(base_url, pick, n, deadline, samples),
                                daemon=True) for n in range(clients)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return _report(samples, clients, time.monotonic() - started)


def discover(base_url: str, token: str) -> Target:
    """The employee, accounts and key persons a token sees (a few accounts' persons)."""
    connection = _connect(base_url)
    try:
        me = _get_json(connection, "/api/v1/me", token)
        page = _get_json(connection, "/api/v1/accounts?limit=200", token)
        account_ids = [a["id"] for a in page["data"]]
        person_ids: list[str] = []
        for account_id in account_ids[:SAMPLE_ACCOUNTS]:
            graph = _get_json(connection, f"/api/v1/accounts/{account_id}/map", token)
            person_ids += [n["id"] for n in graph["nodes"] if n["kind"] == "key_person"]
    finally:
        connection.close()
    if not account_ids or not person_ids:
        raise ValueError("this token sees no account with key persons: nothing to load")
    return Target(token, me["employee_id"], account_ids, person_ids)


def process_rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ValueError(f"no VmRSS for process {pid}")


def _client(base_url: str, target: Target, number: int, deadline: float,
            samples: _Samples) -> None:
    rng = random.Random(number)
    routes = [r for r in ROUTES if r != "daily" or target.employee_id is not None]
    connection = _connect(base_url)
    turn = number
    while time.monotonic() < deadline:
        route = routes[turn % len(routes)]
        turn += 1
        path = _path(route, target, rng)
        started = time.perf_counter()
        error = None
        try:
            status = _get_status(connection, path, target.token)
            if status != 200:
                error = f"HTTP {status} on {path}"
        except (OSError, http.client.HTTPException) as e:
            error = f"{type(e).__name__} on {path}"
            connection.close()
            connection = _connect(base_url)
        samples.add(route, (time.perf_counter() - started) * 1000, error)
    connection.close()


def _mix_client(base_url: str, pick: Pick, number: int, deadline: float,
                samples: _Samples) -> None:
    rng = random.Random(number)
    connection = _connect(base_url)
    while time.monotonic() < deadline:
        route, path, token = pick(rng)
        ms, error, connection = timed_get(connection, base_url, path, token)
        samples.add(route, ms, error)
    connection.close()


def timed_get(connection: http.client.HTTPConnection, base_url: str, path: str,
              token: str) -> tuple[float, str | None, http.client.HTTPConnection]:
    """One GET: its milliseconds, an error (non-200 or broken connection), the connection to
    use next (a new one after a failure)."""
    started = time.perf_counter()
    error = None
    try:
        status = _get_status(connection, path, token)
        if status != 200:
            error = f"HTTP {status} on {path}"
    except (OSError, http.client.HTTPException) as e:
        error = f"{type(e).__name__} on {path}"
        connection.close()
        connection = _connect(base_url)
    return (time.perf_counter() - started) * 1000, error, connection


def connect(base_url: str) -> http.client.HTTPConnection:
    """A keep-alive connection to the server."""
    return _connect(base_url)


def _path(route: str, target: Target, rng: random.Random) -> str:
    account = rng.choice(target.account_ids)
    return {
        "accounts": "/api/v1/accounts?limit=50",
        "account": f"/api/v1/accounts/{account}",
        "map": f"/api/v1/accounts/{account}/map",
        "review": f"/api/v1/accounts/{account}/review",
        "paths": f"/api/v1/key-persons/{rng.choice(target.person_ids)}/paths",
        "dashboard": "/api/v1/dashboard",
        "daily": f"/api/v1/employees/{target.employee_id}/daily",
    }[route]


def _connect(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80,
                                      timeout=60)


def _get_status(connection: http.client.HTTPConnection, path: str, token: str) -> int:
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    response.read()
    return response.status


def _get_json(connection: http.client.HTTPConnection, path: str, token: str) -> Any:
    connection.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise ValueError(f"GET {path}: HTTP {response.status}: {body[:200]!r}")
    return json.loads(body)


def _report(samples: _Samples, clients: int, elapsed: float) -> LoadReport:
    every = sorted(ms for times in samples.times.values() for ms in times)
    routes = [RouteStats(route, len(times), samples.errors.get(route, 0),
                         _percentile(sorted(times), 50), _percentile(sorted(times), 99))
              for route, times in sorted(samples.times.items())]
    errors = sum(samples.errors.values())
    return LoadReport(clients=clients, seconds=round(elapsed, 1), requests=len(every),
                      errors=errors, requests_per_s=round(len(every) / elapsed, 1),
                      p50_ms=_percentile(every, 50), p99_ms=_percentile(every, 99),
                      routes=routes, error_samples=samples.error_samples)


def _percentile(ordered: list[float], pct: float) -> float:
    """Nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return round(ordered[rank - 1], 2)
