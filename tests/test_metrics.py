"""GET /metrics: who may read it, and counts that move by exactly what was done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from graphbrm import tokens
from graphbrm.api.app import create_app
from graphbrm.bundle import parse_tables
from graphbrm.cache import ReportCache
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

LOOPBACK = ("127.0.0.1", 50000)
ELSEWHERE = ("203.0.113.7", 50000)  # a documentation address: not this machine


@pytest.fixture
def company(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


@pytest.fixture
def client_from(company: Store) -> Iterator[object]:
    """`client_from(address)`: a test client whose requests come from `address`."""
    clients: list[TestClient] = []

    def make(address: tuple[str, int] = LOOPBACK) -> TestClient:
        client = TestClient(create_app(Settings(), company), client=address)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def token(store: Store, employee_id: str, role: str) -> dict[str, str]:
    new = tokens.create_token(store, employee_id=employee_id, role=role, lifetime_days=1)
    return {"Authorization": f"Bearer {new.token}"}


def value(text: str, name: str, **labels: str) -> float:
    """The sample `name{labels}` of an exposition; 0 if it has not been counted yet."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def scrape(client: TestClient) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    return answer.text


def test_metrics_from_this_machine_need_no_token(client_from) -> None:  # type: ignore[no-untyped-def]
    for address in (LOOPBACK, ("::1", 50000), ("::ffff:127.0.0.1", 50000)):
        answer = client_from(address).get("/metrics")
        assert answer.status_code == 200, address
        assert answer.headers["content-type"].startswith("text/plain; version=")
        assert "graphbrm_http_requests_total" in answer.text


def test_metrics_from_elsewhere_only_for_the_admin_role(client_from, company: Store) -> None:  # type: ignore[no-untyped-def]
    client = client_from(ELSEWHERE)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=token(company, "E2", "rep")).status_code == 403
    assert client.get("/metrics", headers=token(company, "E1", "manager")).status_code == 403
    answer = client.get("/metrics", headers=token(company, "E1", "admin"))
    assert answer.status_code == 200 and "graphbrm_http_requests_total" in answer.text


def test_requests_are_counted_per_route_template_and_status(client_from, company: Store) -> None:  # type: ignore[no-untyped-def]
    client = client_from()
    headers = token(company, "E1", "manager")
    template = {"method": "GET", "route": "/api/v1/accounts/{account_id}"}
    before = scrape(client)
    assert client.get("/api/v1/accounts/A1", headers=headers).status_code == 200
    assert client.get("/api/v1/accounts/A2", headers=headers).status_code == 200
    assert client.get("/api/v1/accounts/NOPE", headers=headers).status_code == 404
    assert client.get("/no/such/page/42").status_code == 404
    after = scrape(client)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("graphbrm_http_requests_total", **template, status="200") == 2
    assert moved("graphbrm_http_request_duration_seconds_count", **template, status="200") == 2
    assert moved("graphbrm_http_requests_total", **template, status="404") == 1
    # A path no route matched is not a label of its own: label values stay few.
    assert moved("graphbrm_http_requests_total", method="GET", route="<unmatched>", status="404") == 1
    assert "/api/v1/accounts/A1" not in after and "/no/such/page/42" not in after
    # The first scrape is counted by the time of the second.
    assert moved("graphbrm_http_requests_total", method="GET", route="/metrics", status="200") == 1


def test_store_queries_are_timed_per_named_query(client_from) -> None:  # type: ignore[no-untyped-def]
    client = client_from()
    before = scrape(client)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200  # one health/ping each
    after = scrape(client)
    name = "graphbrm_store_query_seconds_count"
    assert value(after, name, query="health/ping") - value(before, name, query="health/ping") == 3


def test_imported_rows_are_counted(client_from, company: Store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client = client_from()
    bundle = small_bundle()
    rows = parse_tables(bundle).row_count()
    before = value(scrape(client), "graphbrm_import_rows_total")
    answer = client.post("/api/v1/import", headers=token(company, "E1", "admin"),
                         files={"file": ("bundle.json", json.dumps(bundle), "application/json")})
    assert answer.status_code == 200, answer.text
    assert value(scrape(client), "graphbrm_import_rows_total") - before == rows > 0


def test_report_cache_hits_and_misses_are_counted(company: Store) -> None:
    from prometheus_client import generate_latest

    def counts() -> tuple[float, float]:
        text = generate_latest().decode()
        return (value(text, "graphbrm_report_cache_lookups_total", result="hit"),
                value(text, "graphbrm_report_cache_lookups_total", result="miss"))

    cache = ReportCache()
    hits, misses = counts()
    assert cache.get(company, ("test",), lambda: 1) == 1
    assert cache.get(company, ("test",), lambda: 2) == 1
    assert cache.get(company, ("other",), lambda: 3) == 3
    assert counts() == (hits + 1, misses + 2)


def test_the_falkordb_store_reports_its_memory(client_from, company: Store) -> None:  # type: ignore[no-untyped-def]
    memory = value(scrape(client_from()), "graphbrm_store_memory_bytes")
    if company.dialect == "falkordb":
        info = company.used_memory_bytes()  # type: ignore[attr-defined]
        assert 0.5 * info < memory < 2 * info  # read at another moment, so not equal
    else:
        assert memory == 0  # Neo4j's memory is on its own metrics endpoint


def test_counts_are_the_servers_across_workers(tmp_path: Path) -> None:
    """`graphbrm up --workers 2`: whichever worker answers a scrape, it counts every worker's
    requests; the metric files live in a temporary directory that is gone after the stop."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GRAPHBRM_", "NEO4J_", "PROMETHEUS_"))}
    env.update(GRAPHBRM_DATA_DIR=str(tmp_path / "data"), TMPDIR=str(temp))
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "graphbrm"), "up", "--workers", "2",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server)
        assert [p.name for p in temp.iterdir() if p.name.startswith("graphbrm-metrics-")]
        count = healthz_count(base)
        for _ in range(12):  # new connections each: the workers take turns as the kernel likes
            urllib.request.urlopen(f"{base}/healthz", timeout=10).close()
            now = healthz_count(base)
            assert now == count + 1
            count = now
    finally:
        server.terminate()
        server.communicate(timeout=60)
    assert list(temp.iterdir()) == []


def healthz_count(base: str) -> float:
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    return value(text, "graphbrm_http_requests_total", route="/healthz", status="200")


def wait_for(base: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"graphbrm up exited: {server.communicate()[1]}")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    pytest.fail("graphbrm up did not answer /healthz within 90 s")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
