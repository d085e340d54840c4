"""A store that stops answering gives 503 with a plain message, on both stores: on the read-only
query path and on the product's own reads. The store's server is cut off by closing a proxy that
stands between graphbrm and the server, so the shared test servers keep running."""

from __future__ import annotations

import contextlib
import itertools
import socket
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import neo4j.exceptions
import pytest
import redis

from graphbrm.access import Viewer
from graphbrm.errors import StoreUnavailable
from graphbrm.readonly_query import run_query
from graphbrm.store import UNAVAILABLE, Store
from graphbrm.store.falkor import FalkorStore

_numbers = itertools.count()
COUNT = "MATCH (n) RETURN count(n) AS n"


class Proxy:
    """Forwards a loopback port to a server until `stop()`, which also drops every connection."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # stopped
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()

    def stop(self) -> None:
        # Shut down before closing: a socket closed while a thread waits in accept() on it
        # would go on accepting.
        for s in (self.listener, *self.sockets):
            with contextlib.suppress(OSError):  # already closed by the other side
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass  # the proxy was stopped


@pytest.fixture(params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def cut_off(request: pytest.FixtureRequest) -> Iterator[tuple[Store, Proxy]]:
    """A store reached through a proxy; stopping the proxy is the server going away."""
    server = request.getfixturevalue("embedded_server")
    if request.param == "falkordb":
        proxy = Proxy("127.0.0.1", server.port)
        store: Any = FalkorStore("127.0.0.1", proxy.port, f"cut{next(_numbers)}",
                                 password=server.password)
        store.ensure_schema()  # the graph exists from here on
    else:
        from graphbrm.store.neo4j import Neo4jStore

        uri, user, password = request.getfixturevalue("neo4j_settings")
        address = urlsplit(uri)
        proxy = Proxy(address.hostname or "127.0.0.1", address.port or 7687)
        tokens = FalkorStore("127.0.0.1", server.port, f"cut{next(_numbers)}_tokens",
                             password=server.password, tokens_only=True)
        # bolt://, not neo4j://: a routing driver would go round the proxy to the server.
        store = Neo4jStore(f"bolt://127.0.0.1:{proxy.port}", user, password, "neo4j",
                           tokens=tokens)
    yield store, proxy
    proxy.stop()
    store.close()


def test_a_store_that_stops_answering_is_a_503_with_a_plain_message(
        cut_off: tuple[Store, Proxy], client_for: Any) -> None:
    store, proxy = cut_off
    client = client_for(store, Viewer("E5", "data"))
    assert client.post("/api/v1/query", json={"query": COUNT}).status_code == 200
    assert client.get("/api/v1/accounts").status_code == 200
    proxy.stop()
    for answer in (client.post("/api/v1/query", json={"query": COUNT}),
                   client.get("/api/v1/accounts")):
        assert (answer.status_code, answer.json()["detail"]) == (503, UNAVAILABLE)


def test_the_read_only_query_path_raises_store_unavailable(cut_off: tuple[Store, Proxy]) -> None:
    store, proxy = cut_off
    proxy.stop()
    with pytest.raises(StoreUnavailable, match=UNAVAILABLE):
        run_query(store, text=COUNT, params={}, timeout_s=5, row_limit=10)


class FailingStore:
    """A store whose every read and write fails with one driver error."""

    dialect = "falkordb"

    def __init__(self, error: Exception) -> None:
        self.error = error

    def read(self, query: str, **params: Any) -> Any:
        raise self.error

    write = read


@pytest.mark.parametrize("error", [
    redis.TimeoutError("Timeout reading from socket"),
    redis.ResponseError("LOADING Redis is loading the dataset in memory"),
    neo4j.exceptions.SessionExpired("Failed to read from defunct connection"),
    neo4j.exceptions.DatabaseUnavailable("Database 'neo4j' is unavailable"),
], ids=lambda e: type(e).__name__)
def test_any_driver_error_a_store_lets_through_is_a_503_with_a_plain_message(
        error: Exception, client_for: Any) -> None:
    answer = client_for(FailingStore(error)).get("/api/v1/accounts")
    assert (answer.status_code, answer.json()["detail"]) == (503, UNAVAILABLE)
    assert str(error) not in answer.text
