"""Issue 12's High items: a data query cannot take the service down, the embedded store has
its own key, and one data directory has exactly one store server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from fastapi.testclient import TestClient

from graphbrm.access import Viewer
from graphbrm.errors import InvalidInput, StoreUnavailable
from graphbrm.readonly_query import check_read_only, run_query
from graphbrm.settings import Settings
from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore

DATA = Viewer("E1", "data")
# A billion rows, produced lazily by both stores.
BILLION_ROWS = ("UNWIND range(1, 1000) AS a UNWIND range(1, 1000) AS b "
                "UNWIND range(1, 1000) AS c RETURN c, b, a")
MB = 1 << 20


def peak_growth_mb(action: Callable[[], Any]) -> float:
    """How far this process's resident memory rose above its start while `action` ran."""
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current VmRSS
    before = _status_kb("VmRSS")
    action()
    return (_status_kb("VmHWM") - before) / 1024


def _status_kb(field: str, pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


# 1. One read-only query exhausts memory


def test_the_store_cuts_a_billion_rows_at_the_row_limit(store: Store) -> None:
    result: list[Any] = []
    grew = peak_growth_mb(lambda: result.append(
        run_query(store, text=BILLION_ROWS, params={}, timeout_s=30, row_limit=100)))
    [answer] = result
    assert (len(answer.rows), answer.truncated) == (100, True)
    assert answer.columns == ["c", "b", "a"]  # as written, though the store's cut sorts them
    assert answer.rows[:2] == [[1, 1, 1], [2, 1, 1]]
    assert grew < 100, f"the API process grew by {grew:.0f} MB"


def test_the_issues_query_neither_fills_the_api_nor_the_store(store: Store,
                                                               client_for: Any) -> None:
    client = client_for(store, DATA)
    responses: list[Any] = []
    grew = peak_growth_mb(lambda: responses.append(client.post(
        "/api/v1/query", json={"query": "UNWIND range(1, 50000000) AS x RETURN x"})))
    [response] = responses
    if store.dialect == "falkordb":
        # FalkorDB builds the whole list first: 800 MB, above the per-query limit.
        assert response.status_code == 422, response.text
        assert "more memory than one query may use" in response.text
    else:
        assert response.status_code == 200, response.text
        body = response.json()
        assert (len(body["rows"]), body["truncated"]) == (Settings().query_row_limit, True)
    assert grew < 200, f"the API process grew by {grew:.0f} MB"


@pytest.mark.parametrize("text", [
    "UNWIND range(1, 100000000) AS x WITH collect(x) AS xs RETURN size(xs) AS n",
    # The issue's: FalkorDB builds the list (1.6 GB); Neo4j counts it without building it.
    "RETURN size(range(1, 100000000)) AS n",
])
def test_a_query_above_the_memory_limit_is_refused_not_a_crash(store: Store, client_for: Any,
                                                               text: str) -> None:
    client = client_for(store, DATA)
    response = client.post("/api/v1/query", json={"query": text})
    if store.dialect == "neo4j" and "collect" not in text:
        assert response.json()["rows"] == [[100_000_000]]
    else:
        assert response.status_code == 422, response.text
        assert "more memory than one query may use" in response.json()["detail"][0]["msg"]
    assert client.post("/api/v1/query", json={"query": "RETURN 1 AS one"}).json()["rows"] == [[1]]


def test_a_column_order_survives_the_cut(store: Store) -> None:
    result = run_query(store, text="RETURN 1 AS zed, 2 AS alpha, 3 AS `mid dle`, 4 + 1",
                       params={}, timeout_s=5, row_limit=10)
    assert (result.columns, result.rows) == (["zed", "alpha", "mid dle", "4 + 1"], [[1, 2, 3, 5]])


def test_a_query_needs_a_return() -> None:
    with pytest.raises(InvalidInput) as e:
        check_read_only("CALL db.labels()")
    assert "ends with RETURN" in str(e.value)


def test_data_queries_beyond_the_concurrency_limit_are_refused_while_reads_go_on(
        store: Store) -> None:
    from graphbrm.api.app import create_app
    from graphbrm.api.deps import get_viewer

    settings = Settings(query_timeout_s=3, query_concurrency=1, query_queue_wait_s=1)
    app = create_app(settings, store)
    app.dependency_overrides[get_viewer] = lambda: DATA
    runaway = "UNWIND range(1, 1000000) AS x RETURN sum(reduce(s = 0, i IN range(1, 1000) | s + i * x))"
    with TestClient(app) as client:
        first = threading.Thread(target=client.post, args=("/api/v1/query",),
                                 kwargs={"json": {"query": runaway}})
        first.start()
        try:
            busy = _post_until_busy(client, first)
        finally:
            first.join()
        assert busy.status_code == 503
        assert "busy: 1 data query is already running" in busy.json()["detail"]
        assert client.get("/healthz").status_code == 200
        assert client.post("/api/v1/query", json={"query": "RETURN 1 AS one"}).status_code == 200


def _post_until_busy(client: TestClient, running: threading.Thread) -> Any:
    """Send a small query until one meets the running query (which holds the only slot)."""
    while running.is_alive():
        response = client.post("/api/v1/query", json={"query": "RETURN 1 AS one"})
        if response.status_code != 200:
            return response
    pytest.fail("the small queries never met the running one")


# 2. The embedded store accepts anyone on the machine


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "data"


def _raw_command(port: int, command: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(command)
        return conn.recv(200)


def test_the_embedded_store_refuses_anyone_without_its_secret(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir)
    port = server.start()
    try:
        assert _raw_command(port, b"PING\r\n").startswith(b"-NOAUTH")
        assert _raw_command(port, b"GRAPH.LIST\r\n").startswith(b"-NOAUTH")
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=port, password="guess").ping()
        assert redis.Redis(port=port, password=server.password).ping()
        store = FalkorStore("127.0.0.1", port, "g", password=server.password)
        store.ensure_schema()
        assert store.read("health/ping") == [{"ok": 1}]
        assert server.password.encode() not in Path(f"/proc/{server.pid()}/cmdline").read_bytes()
        assert _mode(data_dir) == 0o700
        for name in ("store.secret", "store.json", "redis.log"):
            assert _mode(data_dir / name) == 0o600, name
    finally:
        server.stop()
    assert EmbeddedServer(data_dir).password == server.password  # kept with the data


def test_each_data_directory_has_its_own_secret(tmp_path: Path) -> None:
    secrets = []
    for name in ("a", "b"):
        server = EmbeddedServer(tmp_path / name)
        server.start()
        secrets.append(server.password)
        server.stop()
    assert secrets[0] != secrets[1] and len(secrets[0]) >= 32


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# 3. Two servers on one data directory


def test_stopping_the_first_user_leaves_the_server_to_the_second(data_dir: Path) -> None:
    first, second = EmbeddedServer(data_dir), EmbeddedServer(data_dir)
    port = first.start()
    assert second.start() == port and not second.owned
    store = FalkorStore("127.0.0.1", port, "g", password=second.password)
    store.write("test/create_duplicate_account")
    pid = first.pid()
    assert pid is not None
    first.stop()  # the starter stops first: the server stays for the second
    assert store.read("health/ping") == [{"ok": 1}]
    assert (data_dir / "store.json").exists()
    second.stop()  # the last user stops it
    assert not _alive(pid)
    assert not (data_dir / "store.json").exists()


def test_a_stale_user_never_removes_the_state_of_a_newer_server(data_dir: Path) -> None:
    old = EmbeddedServer(data_dir)
    old.start()
    os.kill(old.pid() or 0, signal.SIGKILL)  # the store dies under its starter
    assert old.process is not None
    old.process.wait()
    new = EmbeddedServer(data_dir)
    port = new.start()
    assert new.owned
    old.stop()  # before: deleted store.json, which named the new server
    third = EmbeddedServer(data_dir)
    assert third.start() == port  # a third command finds it
    third.stop()
    new.stop()


@pytest.fixture
def orphan(data_dir: Path) -> Iterator[int]:
    """A store server whose graphbrm was killed -9: its pid."""
    starter = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from graphbrm.store.embedded import EmbeddedServer\n"
         "server = EmbeddedServer(sys.argv[1]); server.start()\n"
         "print(server.pid(), flush=True); time.sleep(600)", str(data_dir)],
        stdout=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent)
    assert starter.stdout is not None
    with starter.stdout:
        pid = int(starter.stdout.readline())
    starter.kill()
    starter.wait()
    assert _alive(pid)
    yield pid
    if _alive(pid):
        os.kill(pid, signal.SIGKILL)


def test_a_server_left_by_a_killed_graphbrm_is_shared_then_stopped(data_dir: Path,
                                                                   orphan: int) -> None:
    server = EmbeddedServer(data_dir)
    port = server.start()
    assert not server.owned and server.pid() == orphan
    store = FalkorStore("127.0.0.1", port, "g", password=server.password)
    store.ensure_schema()
    assert store.read("health/ping") == [{"ok": 1}]
    server.stop()  # its last user
    assert not _alive(orphan)


def test_no_second_server_on_the_files_of_a_running_one(data_dir: Path, orphan: int) -> None:
    (data_dir / "store.json").unlink()  # as during the restarts in the issue
    with pytest.raises(StoreUnavailable) as e:
        EmbeddedServer(data_dir).start()
    assert "still holds" in str(e.value) and "server.lock" in str(e.value)
    assert _servers_in(data_dir) == [orphan]


def _servers_in(data_dir: Path) -> list[int]:
    """The pids of the redis-servers working in `data_dir`."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if (proc.name.isdigit() and (proc / "comm").read_text().strip() == "redis-server"
                    and (proc / "cwd").resolve() == data_dir.resolve()):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    from graphbrm.store.embedded import _alive as alive

    return alive(pid)


# 4. The API never reconnects after the embedded store died (Medium)


def test_reads_come_back_after_the_embedded_server_died(data_dir: Path) -> None:
    server = EmbeddedServer(data_dir, fsync="always")
    store = FalkorStore("127.0.0.1", server.start(), "g", server=server)
    try:
        store.ensure_schema()
        store.write("test/create_duplicate_account")
        before = store.read("stats/graph_counts")
        dead = server.pid()
        os.kill(dead or 0, signal.SIGKILL)
        assert store.read("stats/graph_counts") == before  # restarted from its files
        assert server.pid() != dead and _servers_in(data_dir) == [server.pid()]
    finally:
        store.close()
    assert _servers_in(data_dir) == []


def test_the_unavailable_message_names_no_internals() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nobody listens here once closed
    with pytest.raises(StoreUnavailable) as e:
        FalkorStore("127.0.0.1", port, "g").read("health/ping")
    assert str(port) not in str(e.value) and "127.0.0.1" not in str(e.value)
    assert str(e.value) == "the graph store is not answering; try again shortly"
