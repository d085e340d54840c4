"""Store fixtures: the embedded FalkorDB always; Neo4j through NEO4J_URI or testcontainers.

Each test gets an empty graph (its own FalkorDB graph key; the Neo4j database cleared).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graphbrm.store import Store, neo4j_token_graph
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore
from tests.recording import DESELECTED, RecordingStore

_graph_numbers = itertools.count()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check that every cypher file ran goes last."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note that some tests will not run (the every-query check then skips itself)."""
    if items:
        DESELECTED.append(True)


@pytest.fixture(scope="session")
def embedded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    server = EmbeddedServer(tmp_path_factory.mktemp("store"))
    server.start()
    yield server
    server.stop()


def _docker_available() -> bool:
    return shutil.which("docker") is not None and Path("/var/run/docker.sock").exists()


@pytest.fixture(scope="session")
def neo4j_settings() -> Iterator[tuple[str, str, str]]:
    """(uri, user, password) of a Neo4j 5 server: NEO4J_URI, else testcontainers where Docker
    answers, else a server started from Maven Central's jars; skip, with the reason, if none."""
    if os.environ.get("NEO4J_URI"):
        yield (os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
               os.environ.get("NEO4J_PASSWORD", ""))
        return
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        with Neo4jContainer("neo4j:5.26") as container:
            yield container.get_connection_url(), "neo4j", container.password
        return
    from tests.neo4j import launcher

    if reason := launcher.missing_tools():
        why = f"Neo4j tests need NEO4J_URI, a Docker engine or Java and Maven ({reason})"
        if os.environ.get("GRAPHBRM_REQUIRE_NEO4J"):  # CI: the Neo4j half must run, not skip
            pytest.fail(why)
        pytest.skip(why)
    with launcher.running_server() as uri:
        yield uri, "neo4j", ""


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty graph on each available store."""
    if request.param == "falkordb":
        server = request.getfixturevalue("embedded_server")
        inner = FalkorStore("127.0.0.1", server.port, f"test{next(_graph_numbers)}",
                            password=server.password)
        inner.clear()
        yield RecordingStore(inner)  # type: ignore[misc]
        inner.clear()
        inner.close()
    else:
        from graphbrm.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_settings")
        caplog = request.getfixturevalue("caplog")
        server = request.getfixturevalue("embedded_server")
        tokens = FalkorStore("127.0.0.1", server.port,
                             neo4j_token_graph(f"test{next(_graph_numbers)}", "neo4j"),
                             password=server.password, tokens_only=True)
        neo = Neo4jStore(uri, user, password, "neo4j", tokens=tokens)
        neo.clear()
        neo.ensure_schema()
        yield RecordingStore(neo)  # type: ignore[misc]
        neo.close()
        # What the driver logs from the server (deprecations, say) would drown a production log.
        notes = [r.getMessage() for r in caplog.records if r.name == "neo4j.notifications"]
        assert not notes, notes[0]


@pytest.fixture
def point_cli_at(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`point_cli_at(store)`: GRAPHBRM_* settings under which the CLI opens this test's store."""

    def point(store: Store) -> None:
        if store.dialect == "falkordb":
            server = request.getfixturevalue("embedded_server")
            monkeypatch.setenv("GRAPHBRM_STORE", f"falkordb://127.0.0.1:{server.port}")
            monkeypatch.setenv("GRAPHBRM_FALKORDB_PASSWORD", server.password)
            monkeypatch.setenv("GRAPHBRM_GRAPH", store.graph_name)  # type: ignore[attr-defined]
        else:
            uri, user, password = request.getfixturevalue("neo4j_settings")
            monkeypatch.setenv("GRAPHBRM_STORE", uri)
            monkeypatch.setenv("GRAPHBRM_NEO4J_USER", user)
            monkeypatch.setenv("GRAPHBRM_NEO4J_PASSWORD", password)
            monkeypatch.setenv("GRAPHBRM_NEO4J_DATABASE", "neo4j")
            # The tokens of a Neo4j store: the test's own graph on the embedded test server.
            server = request.getfixturevalue("embedded_server")
            monkeypatch.setenv("GRAPHBRM_DATA_DIR", str(server.data_dir))
            tokens = store.tokens.graph_name  # type: ignore[attr-defined]
            monkeypatch.setenv("GRAPHBRM_GRAPH", tokens.removesuffix("-neo4j-neo4j"))

    return point


@pytest.fixture
def client_for() -> Iterator[Any]:
    """`client_for(store, viewer)`: an API test client that calls as `viewer`."""
    from fastapi.testclient import TestClient

    from graphbrm.api.app import create_app
    from graphbrm.api.deps import get_viewer
    from graphbrm.settings import Settings

    clients: list[TestClient] = []

    def make(store: Store, viewer: Any = None, settings: Settings | None = None) -> TestClient:
        from graphbrm.access import Viewer

        app = create_app(settings or Settings(), store)
        app.dependency_overrides[get_viewer] = lambda: viewer or Viewer.operator()
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


# A frozen instant: the clock's "now" in every test that asks for `frozen_clock` unfrozen.
FROZEN = dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., dt.datetime]]:
    """Freeze graphbrm's clock at FROZEN; `frozen_clock(instant, process_tz=…)` moves it to
    another UTC instant and sets the process's own zone (TZ), which graphbrm must ignore."""
    from graphbrm import clock

    moment = [FROZEN]
    monkeypatch.setattr(clock, "now", lambda: moment[0])
    saved = os.environ.get("TZ")

    def freeze(instant: dt.datetime = FROZEN, *, process_tz: str | None = None) -> dt.datetime:
        assert instant.tzinfo is not None, "freeze an instant, not a wall-clock time"
        moment[0] = instant.astimezone(dt.UTC)
        if process_tz is not None:
            os.environ["TZ"] = process_tz
            time.tzset()
        return moment[0]

    yield freeze
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()
