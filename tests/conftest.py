"""Store fixtures: the embedded FalkorDB always; Neo4j through NEO4J_URI or testcontainers.

Each test gets an empty graph (its own FalkorDB graph key; the Neo4j database cleared).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore

_graph_numbers = itertools.count()


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
    """(uri, user, password) of a Neo4j 5 server, or skip with the reason."""
    if os.environ.get("NEO4J_URI"):
        yield (os.environ["NEO4J_URI"], os.environ.get("NEO4J_USER", "neo4j"),
               os.environ.get("NEO4J_PASSWORD", ""))
        return
    if not _docker_available():
        pytest.skip("Neo4j tests need NEO4J_URI or a Docker engine for testcontainers; "
                    "neither is available on this machine")
    from testcontainers.neo4j import Neo4jContainer

    with Neo4jContainer("neo4j:5.26") as container:
        yield container.get_connection_url(), "neo4j", container.password


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty graph on each available store."""
    if request.param == "falkordb":
        server = request.getfixturevalue("embedded_server")
        s: Store = FalkorStore("127.0.0.1", server.port, f"test{next(_graph_numbers)}")
        s.clear()
        yield s
        s.clear()
        FalkorStore.close(s)  # type: ignore[arg-type]
    else:
        from graphbrm.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_settings")
        s = Neo4jStore(uri, user, password, "neo4j")
        s.clear()
        s.ensure_schema()
        yield s
        s.close()
