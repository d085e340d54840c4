"""One log line per request, a request id that the answer, its log line and its error body
share, and `--log-format json` lines that parse."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graphbrm.api.app import create_app
from graphbrm.api.observability import JsonFormatter, RequestIdFilter, log_config
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.test_metrics import free_port, wait_for


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    app = create_app(Settings(), store)

    @app.get("/test-only/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "graphbrm.access"]


def test_a_request_gets_a_new_id_unless_it_brings_a_sane_one(client: TestClient) -> None:
    new = client.get("/healthz").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", new)
    assert client.get("/healthz").headers["X-Request-ID"] != new
    assert client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42"}).headers[
        "X-Request-ID"] == "lb-7f3a.42"
    for insane in ("x" * 129, "two words", "a\tb", "<script>", ""):
        given = client.get("/healthz", headers={"X-Request-ID": insane}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", given), insane


def test_one_log_line_per_request_carries_its_id(client: TestClient,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="graphbrm.access")
    answers = [client.get("/healthz"), client.get("/api/v1/accounts/A1")]  # 200, then 401
    records = access_records(caplog)
    assert [(r.request_id, r.status, r.route) for r in records] == [  # type: ignore[attr-defined]
        (answers[0].headers["X-Request-ID"], 200, "/healthz"),
        (answers[1].headers["X-Request-ID"], 401, "/api/v1/accounts/{account_id}")]
    line = logging.Formatter(log_config("text")["formatters"]["main"]["format"]).format(records[1])
    assert f"[{answers[1].headers['X-Request-ID']}]" in line
    assert '"GET /api/v1/accounts/A1" 401' in line


def test_error_bodies_carry_the_request_id(client: TestClient) -> None:
    cases = [
        ("/api/v1/accounts/A1", {}, 401),  # graphbrm's own error
        ("/no/such/route", {}, 404),  # the framework's
        ("/api/v1/accounts/A1%2Fmap", {}, 404),  # a middleware's refusal
        ("/test-only/boom", {}, 500),  # a bug
    ]
    for path, headers, status in cases:
        answer = client.get(path, headers={"X-Request-ID": "case-" + str(status), **headers})
        assert answer.status_code == status, (path, answer.text)
        assert answer.json()["request_id"] == answer.headers["X-Request-ID"] == f"case-{status}"
        assert answer.json()["detail"], path
        assert int(answer.headers["content-length"]) == len(answer.content)


def test_a_bug_is_logged_with_its_request_id(client: TestClient,
                                             caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    answer = client.get("/test-only/boom")
    [access] = access_records(caplog)
    assert (access.status, access.request_id) == (500, answer.headers["X-Request-ID"])  # type: ignore[attr-defined]


def test_json_lines_parse_and_carry_the_fields() -> None:
    record = logging.LogRecord("graphbrm.access", logging.INFO, __file__, 1, '%s "%s" %d',
                               ("127.0.0.1", "GET /healthz", 200), None)
    record.request_id, record.status, record.route = "r-1", 200, "/healthz"
    try:
        raise ValueError("bad\nline")
    except ValueError:
        failed = logging.LogRecord("graphbrm", logging.ERROR, __file__, 1, "it failed: %s",
                                   ("中文",), sys.exc_info())
    RequestIdFilter().filter(failed)
    lines = [JsonFormatter().format(r) for r in (record, failed)]
    assert all("\n" not in line for line in lines)
    access, error = (json.loads(line) for line in lines)
    assert access["message"] == '127.0.0.1 "GET /healthz" 200'
    assert (access["request_id"], access["status"], access["route"], access["level"]) == (
        "r-1", 200, "/healthz", "INFO")
    assert error["message"] == "it failed: 中文" and "request_id" not in error  # no request
    assert "ValueError: bad\nline" in error["exception"]


def test_up_with_log_format_json_writes_one_object_per_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GRAPHBRM_", "NEO4J_", "PROMETHEUS_"))}
    env.update(GRAPHBRM_DATA_DIR=str(tmp_path / "data"), GRAPHBRM_WORKERS="1")
    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "graphbrm"), "up",
                               "--log-format", "json", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server)
        request = urllib.request.Request(f"{base}/api/v1/accounts/A1",
                                         headers={"X-Request-ID": "json-test-1"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        assert json.loads(refused.value.read())["request_id"] == "json-test-1"
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=60)
    entries = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any(e["logger"].startswith("uvicorn") for e in entries)  # the server's own lines too
    [access] = [e for e in entries if e.get("request_id") == "json-test-1"]
    assert (access["logger"], access["status"], access["path"]) == (
        "graphbrm.access", 401, "/api/v1/accounts/A1")
