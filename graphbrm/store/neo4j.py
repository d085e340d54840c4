"""Neo4j 5 through the official driver: one driver per process, managed transactions."""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    ClientError,
    ConstraintError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship

from graphbrm import queries
from graphbrm.errors import Conflict, InvalidInput, Problem, StoreUnavailable
from graphbrm.metrics import timed_query
from graphbrm.store import (
    BUMP_VERSION,
    LABELS,
    TOKEN_QUERIES,
    UNAVAILABLE,
    QueryRow,
    Store,
    graph_copy,
)
from graphbrm.store.graph_copy import GraphDump

DUMP_TRIES = 5
NOT_EMPTY = ("the store already holds data; restore with --replace to put the backup in its "
             "place")
FETCH_SIZE = 1000  # rows per pull of a caller's query: what the API holds beyond its result

# The server's notes that an operator cannot act on: "null value eliminated in set function"
# (avg() over unknown scores, by design) and planner hints. Deprecation, security, schema and
# topology notes are still logged.
QUIET_NOTIFICATIONS = [neo4j.NotificationDisabledClassification[name] for name in
                       ("HINT", "UNRECOGNIZED", "UNSUPPORTED", "PERFORMANCE", "GENERIC")]


class Neo4jStore:
    """One Neo4j database. `execute_query` retries transient errors itself.

    Sign-in tokens are kept in `tokens`, a store outside Neo4j (the `tokens/` queries run
    there): Neo4j Community has one user database and no per-label read rules, so nothing kept
    in this database is out of reach of a data query.
    """

    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str, *,
                 tokens: Store) -> None:
        self.database = database
        self.tokens = tokens
        self._driver = GraphDatabase.driver(
            uri, auth=(user, password),
            notifications_disabled_classifications=QUIET_NOTIFICATIONS)
        try:
            self._driver.verify_connectivity()
        except (ServiceUnavailable, OSError) as e:
            self._driver.close()
            tokens.close()
            raise StoreUnavailable(f"Neo4j at {uri}: {e}") from e

    def read(self, query: str, **params: Any) -> list[QueryRow]:
        if query.startswith(TOKEN_QUERIES):
            return self.tokens.read(query, **params)
        return self._run(query, params, RoutingControl.READ)

    def write(self, query: str, **params: Any) -> list[QueryRow]:
        if query.startswith(TOKEN_QUERIES):
            return self.tokens.write(query, **params)
        # The data version goes up in the write's own transaction (see graphbrm/cache.py), so
        # that a backup that sees the same version before and after saw no write (dump_graph).
        return self._run(query, params, RoutingControl.WRITE, bump=True)

    def run_read_only(self, text: str, params: dict[str, Any], *, timeout_s: float,
                      row_limit: int) -> tuple[list[str], list[list[Any]], bool]:
        # Stream and stop: the server produces rows as they are pulled, and rolling back an
        # unfinished result ends the query. An explicit transaction, because a managed one
        # would retry a query stopped by the memory limit (a transient error) again and again.
        try:
            with self._driver.session(database=self.database,
                                      default_access_mode=neo4j.READ_ACCESS,
                                      fetch_size=min(row_limit + 1, FETCH_SIZE)) as session, \
                    session.begin_transaction(timeout=timeout_s) as tx:
                return _first_rows(tx.run(text, params), row_limit)
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        except ClientError as e:
            raise InvalidInput([Problem("query", None, "cypher", e.message or str(e))]) from e
        except TransientError as e:
            if "memory" not in (e.code or "").lower():
                raise
            raise InvalidInput([Problem("query", None, "cypher", e.message or str(e))]) from e

    def explain(self, query: str, **params: Any) -> str:
        with self._driver.session(database=self.database) as session:
            summary = session.run("EXPLAIN " + queries.load(query, self.dialect), params).consume()
        return "\n".join(_operators(summary.plan or {}))

    def ensure_schema(self) -> None:
        for label in LABELS:  # labels from the allow-list, never from input
            self._driver.execute_query(
                f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                f"FOR (n:{label}) REQUIRE n.id IS UNIQUE", database_=self.database)
        self.tokens.ensure_schema()

    def clear(self) -> None:
        self._delete_data()
        self.tokens.clear()

    def close(self) -> None:
        self._driver.close()
        self.tokens.close()

    def dump_graph(self) -> GraphDump:
        """The data graph as of one moment: read in one transaction between two reads of the
        data version, which every write raises in its own transaction; read again if a write
        landed meanwhile (Neo4j reads committed data, it keeps no snapshot)."""
        version = queries.load("derived/data_version", self.dialect)
        for _ in range(DUMP_TRIES):
            with self._driver.session(database=self.database,
                                      default_access_mode=neo4j.READ_ACCESS) as session, \
                    session.begin_transaction() as tx:
                before = tx.run(version).single(strict=True)["version"]
                dump = _read_graph(tx)
                if tx.run(version).single(strict=True)["version"] == before:
                    return dump
        raise StoreUnavailable(f"the store changed during each of {DUMP_TRIES} attempts to read "
                               "it whole; try again when fewer writes run")

    def load_graph(self, dump: GraphDump, *, replace: bool) -> None:
        """Replace the data graph by the dump, in batches: one transaction for a whole store
        would pass `db.memory.transaction.max` (512 MiB in docker-compose.yml) at a few
        hundred thousand records. What it replaces is read first and, should any batch
        fail, written back, so a failed restore leaves the graph as it was."""
        records, version = self._data_records()
        if records and not replace:
            raise Conflict(NOT_EMPTY)
        saved = self.dump_graph() if records else GraphDump()
        self._delete_data()
        try:
            self._load(dump)
        except BaseException as failure:
            self._put_back(saved, version, failure)
            raise
        self._driver.execute_query("MERGE (v:DataVersion {id: 'graph'}) SET v.n = $n",
                                   n=max(version, dump.data_version()) + 1,
                                   database_=self.database)

    def _put_back(self, saved: GraphDump, version: int, failure: BaseException) -> None:
        try:
            self._delete_data()
            self._load(saved)
            self._driver.execute_query("MERGE (v:DataVersion {id: 'graph'}) SET v.n = $n",
                                       n=version + 1, database_=self.database)
        except Exception as again:
            raise StoreUnavailable(
                f"the restore failed ({failure}) and writing back what it replaced failed too "
                f"({again}); restore your previous backup") from failure

    def _data_records(self) -> tuple[int, int]:
        """How many nodes the data graph holds besides its data version, and that version."""
        records, _, _ = self._driver.execute_query(
            "OPTIONAL MATCH (v:DataVersion {id: 'graph'}) "
            "OPTIONAL MATCH (n) WHERE NOT n:DataVersion "
            "RETURN coalesce(v.n, 0) AS n, count(n) AS records", database_=self.database,
            routing_=RoutingControl.READ)
        return records[0]["records"], records[0]["n"]

    def _load(self, dump: GraphDump) -> None:
        def run(text: str, params: dict[str, Any]) -> list[list[Any]]:
            found, _, _ = self._driver.execute_query(text, params, database_=self.database)
            return [record.values() for record in found]

        try:
            graph_copy.load(run, dump, element_id="elementId")
        except (ClientError, ConstraintError) as e:
            raise InvalidInput([Problem("backup", None, "restore", e.message or str(e))]) from e

    def _delete_data(self) -> None:
        # CALL … IN TRANSACTIONS runs only in an auto-commit transaction, not execute_query's.
        with self._driver.session(database=self.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                        ).consume()

    @timed_query
    def _run(self, query: str, params: dict[str, Any], routing: RoutingControl, *,
             bump: bool = False) -> list[QueryRow]:
        queries.check_call(query, self.dialect, params)
        text = queries.load(query, self.dialect)
        try:
            if bump:
                records = self._write_and_bump(text, params)
            else:
                records, _, _ = self._driver.execute_query(
                    text, params, database_=self.database, routing_=routing)
        except ConstraintError as e:
            raise Conflict(e.message or str(e)) from e
        except (ServiceUnavailable, SessionExpired) as e:
            raise StoreUnavailable(UNAVAILABLE) from e
        # A neo4j Record iterates over its values, hence keys().
        return [{k: plain(record[k]) for k in record.keys()} for record in records]  # noqa: SIM118


    def _write_and_bump(self, text: str, params: dict[str, Any]) -> list[neo4j.Record]:
        bump = queries.load(BUMP_VERSION, self.dialect)

        def work(tx: neo4j.ManagedTransaction) -> list[neo4j.Record]:
            records = list(tx.run(text, params))
            tx.run(bump).consume()
            return records

        with self._driver.session(database=self.database) as session:
            return session.execute_write(work)


def _read_graph(tx: neo4j.Transaction) -> GraphDump:
    dump, keys = GraphDump(), {}
    for record in tx.run("MATCH (n) RETURN elementId(n) AS id, labels(n) AS labels, "
                         "properties(n) AS props"):
        keys[record["id"]] = len(dump.nodes)
        dump.nodes.append((list(record["labels"]), _native(record["props"])))
    for record in tx.run("MATCH (a)-[r]->(b) RETURN type(r) AS type, elementId(a) AS a, "
                         "elementId(b) AS b, properties(r) AS props"):
        dump.relationships.append((record["type"], keys[record["a"]], keys[record["b"]],
                                   _native(record["props"])))
    return dump


def _native(props: dict[str, Any]) -> dict[str, Any]:
    """Driver values as Python's: a neo4j Date as a datetime.date, and so on."""
    return {k: [_value(x) for x in v] if isinstance(v, list) else _value(v)
            for k, v in props.items()}


def _value(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


def _first_rows(result: neo4j.Result, row_limit: int) -> tuple[list[str], list[list[Any]], bool]:
    """At most `row_limit` rows and whether there were more; the rest is never fetched."""
    rows: list[list[Any]] = []
    for record in result:
        if len(rows) == row_limit:
            return list(result.keys()), rows, True
        rows.append([plain(v) for v in record.values()])
    return list(result.keys()), rows, False


def _operators(plan: dict[str, Any], depth: int = 0) -> list[str]:
    """A plan as lines `operator | identifiers`, children indented under their parent."""
    line = f"{'  ' * depth}{plan.get('operatorType', '')} | {', '.join(plan.get('identifiers', []))}"
    return [line, *(op for child in plan.get('children', []) for op in _operators(child, depth + 1))]


def plain(value: Any) -> Any:
    """Driver nodes, relationships and paths as plain JSON-able maps; other values unchanged."""
    if isinstance(value, Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, Path):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
