"""FalkorDB through the official `falkordb` client (native protocol)."""

from __future__ import annotations

import contextlib
import secrets
import threading
from typing import Any

import falkordb
import redis
from falkordb.edge import Edge
from falkordb.helpers import stringify_param_value as falkordb_literal
from falkordb.node import Node
from falkordb.path import Path as FalkorPath
from falkordb.query_result import QueryResult

from graphbrm import queries
from graphbrm.errors import Conflict, InvalidInput, Problem, StoreUnavailable
from graphbrm.metrics import timed_query
from graphbrm.store import BUMP_VERSION, LABELS, TOKEN_QUERIES, UNAVAILABLE, QueryRow, graph_copy
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.graph_copy import GraphDump

ROWS_PARAM = "_graphbrm_rows"  # the row limit of a caller's query, as a $parameter
TOKEN_GRAPH_SUFFIX = "_tokens"
DUMP_PAGE = 10_000
NOT_EMPTY = ("the store already holds data; restore with --replace to put the backup in its "
             "place")


class FalkorStore:
    """One FalkorDB graph (a key of the server); thread-safe through the client's pool.

    Sign-in tokens live in a second graph, `<graph>_tokens`, which only the `tokens/` queries
    reach: a caller's read-only Cypher runs on the data graph and no Cypher can name another.
    With `tokens_only` this store keeps nothing but tokens (the token graph of a Neo4j store).
    """

    dialect = "falkordb"
    _graph: falkordb.Graph  # set by _connect, again when the embedded server was restarted
    _tokens: falkordb.Graph

    def __init__(self, host: str, port: int, graph: str, *, password: str | None = None,
                 server: EmbeddedServer | None = None, tokens_only: bool = False) -> None:
        self.server = server
        self.graph_name = graph
        self.token_graph_name = graph + TOKEN_GRAPH_SUFFIX
        self.tokens_only = tokens_only
        if password is None and server is not None:
            password = server.password
        self._host, self._password = host, password
        self._connect(port)
        self._schema_lock = threading.Lock()
        self._revive_lock = threading.Lock()

    def read(self, query: str, **params: Any) -> list[QueryRow]:
        return self._run(query, params, read_only=True)

    def write(self, query: str, **params: Any) -> list[QueryRow]:
        rows = self._run(query, params, read_only=False)
        if not query.startswith(TOKEN_QUERIES):  # tokens are no data: cached reports stay
            self._run(BUMP_VERSION, {}, read_only=False)  # after the write: see graphbrm/cache.py
        return rows

    def run_read_only(self, text: str, params: dict[str, Any], *, timeout_s: float,
                      row_limit: int) -> tuple[list[str], list[list[Any]], bool]:
        # The server cuts the result: the whole reply is read into memory at once, so cutting
        # it here would come too late. RETURN * orders the columns by name.
        limited = f"CALL {{ {text}\n}} RETURN * LIMIT ${ROWS_PARAM}"
        if ROWS_PARAM in params:
            raise InvalidInput([Problem("query", None, "params", f"{ROWS_PARAM} is reserved")])
        try:
            result = self._graph.ro_query(limited, {**params, ROWS_PARAM: row_limit + 1},
                                          timeout=int(timeout_s * 1000))
        except redis.ConnectionError as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        except redis.ResponseError as e:
            raise InvalidInput([Problem("query", None, "cypher", str(e))]) from e
        columns = [h[1] if isinstance(h, list | tuple) else str(h) for h in result.header]
        rows = [[plain(v) for v in row] for row in result.result_set[:row_limit]]
        return columns, rows, len(result.result_set) > row_limit

    def explain(self, query: str, **params: Any) -> str:
        text = queries.load(query, self.dialect)
        return str(self._graph.explain(text, params))

    def ensure_schema(self) -> None:
        with self._schema_lock:
            created = self._ensure_unique_ids(self._tokens, ("Token",))
            if not self.tokens_only:
                created = self._ensure_unique_ids(self._graph, LABELS) or created
            if created and self.server is not None:
                # Indexes created inside the AOF's tail are not used while it is replayed, so
                # every replayed MERGE would scan; in the snapshot they are.
                self.server.compact()

    def clear(self) -> None:
        for graph in (self._tokens,) if self.tokens_only else (self._graph, self._tokens):
            with contextlib.suppress(redis.ResponseError):  # the graph did not exist yet
                graph.delete()
        self._select_graphs()
        self.ensure_schema()

    def _ensure_unique_ids(self, graph: falkordb.Graph, labels: tuple[str, ...]) -> bool:
        """An index and a unique constraint on `id` for each label; whether any was created."""
        existing = {(c["label"], tuple(c["properties"])) for c in _constraints(graph)}
        indexed = _indexed_labels(graph)
        created = False
        for label in labels:  # from the allow-list, never from input
            if label not in indexed:
                graph.query(f"CREATE INDEX FOR (n:{label}) ON (n.id)")
                created = True
            if (label, ("id",)) not in existing:
                with contextlib.suppress(redis.ResponseError):  # "already exists" (pending)
                    graph.create_node_unique_constraint(label, "id")
                created = True
        return created

    def _select_graphs(self) -> None:
        self._graph = self._db.select_graph(self.graph_name)
        self._tokens = self._db.select_graph(self.token_graph_name)

    def dump_graph(self) -> GraphDump:
        """The data graph as of one moment: GRAPH.COPY clones it in one command, under the
        graph's lock; the clone is read page by page while writes go on, then deleted."""
        copy_name = f"{self.graph_name}_backup_{secrets.token_hex(4)}"
        try:
            self._db.connection.execute_command("GRAPH.COPY", self.graph_name, copy_name)
        except redis.ResponseError:
            return GraphDump()  # no graph yet: nothing was ever written
        except redis.ConnectionError as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        copy = self._db.select_graph(copy_name)
        try:
            return _read_graph(copy)
        finally:
            with contextlib.suppress(redis.RedisError):
                copy.delete()

    def load_graph(self, dump: GraphDump, *, replace: bool) -> None:
        """Build the dump as a new graph beside the data graph, then RENAME it in place: one
        atomic command, so a failure at any step leaves the data graph as it was."""
        staging = self._db.select_graph(f"{self.graph_name}_restore_{secrets.token_hex(4)}")
        try:
            graph_copy.load(lambda text, params: staging.query(params_header(params) + text
                                                               ).result_set,
                            dump, element_id="id")
            self._ensure_unique_ids(staging, LABELS)
            version = self._replaced_version(replace)
            staging.query(params_header({"n": max(version, dump.data_version()) + 1})
                          + "MERGE (v:DataVersion {id: 'graph'}) SET v.n = $n")
            self._db.connection.rename(staging.name, self.graph_name)
        except redis.ConnectionError as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        except redis.ResponseError as e:
            raise InvalidInput([Problem("backup", None, "restore", str(e))]) from e
        finally:
            with contextlib.suppress(redis.RedisError):
                staging.delete()  # after the RENAME there is no such graph any more
        if self.server is not None:
            self.server.compact()  # the next start loads the restored graph, not the log

    def _replaced_version(self, replace: bool) -> int:
        """The data version of the graph a restore replaces (Conflict if it holds records and
        `replace` is not set): the restored graph's version goes above it, so no report cached
        from the replaced data is served again."""
        try:
            result = self._graph.ro_query(
                "OPTIONAL MATCH (v:DataVersion {id: 'graph'}) "
                "OPTIONAL MATCH (n) WHERE NOT n:DataVersion "
                "RETURN coalesce(v.n, 0) AS n, count(n) AS records").result_set
        except redis.ResponseError:
            result = []  # no data graph yet
        version, records = result[0] if result else (0, 0)
        if records and not replace:
            raise Conflict(NOT_EMPTY)
        return int(version)

    def close(self) -> None:
        self._db.connection.close()
        if self.server is not None:
            self.server.stop()

    def used_memory_bytes(self) -> int:
        """Memory the FalkorDB server holds (Redis INFO used_memory), for GET /metrics."""
        return int(self._db.connection.info("memory")["used_memory"])

    def _connect(self, port: int) -> None:
        self._port = port
        try:
            self._db = falkordb.FalkorDB(host=self._host, port=port, password=self._password)
        except redis.ConnectionError as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        self._select_graphs()

    def _revive(self) -> bool:
        """After the embedded server died: restart it from its files (or find the one another
        user restarted) and reconnect; whether that worked."""
        if self.server is None:
            return False
        with self._revive_lock:
            try:
                port = self.server.revive()
                if port != self._port:
                    self._connect(port)
            except StoreUnavailable:
                return False
        return True

    @timed_query
    def _run(self, query: str, params: dict[str, Any], *, read_only: bool) -> list[QueryRow]:
        queries.check_call(query, self.dialect, params)
        text = queries.load(query, self.dialect)
        tokens = query.startswith(TOKEN_QUERIES)
        if self.tokens_only and not tokens:
            raise StoreUnavailable(f"{query}: this store keeps only sign-in tokens")
        try:
            result = self._send(text, params, read_only=read_only, tokens=tokens)
        except redis.ConnectionError as e:
            # A read is safe to repeat; a write may have reached the store before it died.
            if not (self._revive() and read_only):
                raise StoreUnavailable(UNAVAILABLE) from e
            try:
                result = self._send(text, params, read_only=True, tokens=tokens)
            except redis.ConnectionError as again:
                raise StoreUnavailable(UNAVAILABLE) from again
        columns = [h[1] for h in result.header]
        return [dict(zip(columns, (plain(v) for v in row), strict=True))
                for row in result.result_set]

    def _send(self, text: str, params: dict[str, Any], *, read_only: bool,
              tokens: bool = False) -> QueryResult:
        query = params_header(params) + text
        graph = self._tokens if tokens else self._graph
        try:
            return graph.ro_query(query) if read_only else graph.query(query)
        except redis.ResponseError as e:
            if "unique constraint violation" in str(e):
                raise Conflict(str(e)) from e
            raise


def _read_graph(graph: falkordb.Graph) -> GraphDump:
    """Every node and relationship of a graph nobody writes to, read in windows of node ids
    (an id range is a seek, so no window scans or sorts the whole graph)."""
    dump, keys = GraphDump(), {}
    top = graph.ro_query("MATCH (n) RETURN max(id(n))").result_set[0][0]
    windows = range(0, -1 if top is None else top + 1, DUMP_PAGE)
    for low in windows:
        for node_id, labels, props in _window(
                graph, "MATCH (n) WHERE id(n) >= $low AND id(n) < $high "
                       "RETURN id(n), labels(n), properties(n)", low):
            keys[node_id] = len(dump.nodes)
            dump.nodes.append((list(labels), dict(props)))
    for low in windows:  # each relationship once: with the window of its start node
        for kind, start, end, props in _window(
                graph, "MATCH (a)-[r]->(b) WHERE id(a) >= $low AND id(a) < $high "
                       "RETURN type(r), id(a), id(b), properties(r)", low):
            dump.relationships.append((kind, keys[start], keys[end], dict(props)))
    return dump


def _window(graph: falkordb.Graph, text: str, low: int) -> list[list[Any]]:
    rows: list[list[Any]] = graph.ro_query(
        params_header({"low": low, "high": low + DUMP_PAGE}) + text).result_set
    return rows


def _constraints(graph: falkordb.Graph) -> list[dict[str, Any]]:
    try:
        found: list[dict[str, Any]] = graph.list_constraints()
        return found
    except redis.ResponseError:
        return []  # a graph that does not exist yet has none


def _indexed_labels(graph: falkordb.Graph) -> set[str]:
    try:
        rows = graph.query("CALL db.indexes() YIELD label, properties "
                           "RETURN label, properties").result_set
    except redis.ResponseError:
        return set()
    return {label for label, props in rows if "id" in props}


def params_header(params: dict[str, Any]) -> str:
    """`CYPHER a=… b=… `: the parameters as FalkorDB takes them before a query.

    The same text as the client's own header, which spent a third of an import's time in
    Python building it; our named queries' parameter names are identifiers.
    """
    if not params:
        return ""
    return "CYPHER " + "".join(f"`{name}`={literal(value)} " for name, value in params.items())


def literal(value: Any) -> str:
    """A parameter value as a Cypher literal (strings escaped as the client escapes them)."""
    kind = type(value)
    if kind is str:
        text: str = value
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return repr(value)
    if kind is list or kind is tuple:
        return "[" + ",".join(map(literal, value)) + "]"
    if kind is dict:
        return "{" + ",".join(f"`{k}`:{literal(v)}" for k, v in value.items()) + "}"
    return str(falkordb_literal(value))  # anything rarer: the client's own rules


def plain(value: Any) -> Any:
    """Client nodes, edges and paths as plain JSON-able maps; other values unchanged."""
    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **value.properties}
    if isinstance(value, Edge):
        return {"_type": value.relation, **value.properties}
    if isinstance(value, FalkorPath):
        return {"nodes": [plain(n) for n in value.nodes()],
                "relationships": [plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
