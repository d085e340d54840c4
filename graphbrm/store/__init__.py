"""One small interface over the two graph stores (embedded/remote FalkorDB and Neo4j 5)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from graphbrm.settings import Settings

if TYPE_CHECKING:
    from graphbrm.store.graph_copy import GraphDump

# One row a query returns, column name → value (not the import bundle's row models).
QueryRow = dict[str, Any]
# What a store failure answers (503 over HTTP): the caller can only try again later.
UNAVAILABLE = "the graph store is not answering; try again shortly"


def driver_errors() -> tuple[type[Exception], ...]:
    """The errors of the stores' drivers. The stores turn the ones they expect (a lost
    connection, a refused write) into graphbrm errors; any other that escapes is a store
    failure too."""
    import neo4j.exceptions
    import redis

    return redis.RedisError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError

# Every label and relationship type graphbrm writes in the data graph: the allow-list for
# anything that is not a $parameter (schema statements, export, the networkx snapshot).
LABELS = ("Account", "Department", "KeyPerson", "Employee", "Opportunity", "Activity",
          "Score", "TieChange", "RoleChange", "Review", "AccountSeries", "DataVersion",
          "Alert", "Webhook", "Delivery")
# Named queries under cypher/tokens/ run on the store's token graph, never on the data graph
# that a caller's read-only Cypher can read (see graphbrm/tokens.py).
TOKEN_QUERIES = "tokens/"
# Every write bumps the data version after it; cached reports are keyed by it.
BUMP_VERSION = "derived/bump_data_version"
REL_TYPES = ("PART_OF", "MEMBER_OF", "REPORTS_TO", "INFLUENCES", "KNOWS", "ON_TEAM", "FOR",
             "INVOLVES", "USED_INFLUENCE", "BY", "WITH", "SCORED", "REVIEWS",
             "SENDS")


class Store(Protocol):
    """What graphbrm needs from a graph store. Queries are named files under cypher/."""

    dialect: str

    def read(self, query: str, **params: Any) -> list[QueryRow]:
        """Run a named read query; rows as dicts."""
        ...

    def write(self, query: str, **params: Any) -> list[QueryRow]:
        """Run a named write query in one transaction; rows as dicts."""
        ...

    def run_read_only(self, text: str, params: dict[str, Any], *, timeout_s: float,
                      row_limit: int) -> tuple[list[str], list[list[Any]], bool]:
        """Run a caller's Cypher in the store's read-only mode: (columns, rows, truncated)."""
        ...

    def explain(self, query: str, **params: Any) -> str:
        """The plan of a named query as text, without running it (tests check index use)."""
        ...

    def ensure_schema(self) -> None:
        """Create the unique-id constraints and indexes; safe to run again."""
        ...

    def clear(self) -> None:
        """Delete the whole graph (tests and `seed --replace`)."""
        ...

    def dump_graph(self) -> GraphDump:
        """Every node and relationship of the data graph, as of one moment (graphbrm backup)."""
        ...

    def load_graph(self, dump: GraphDump, *, replace: bool) -> None:
        """Put `dump` in place of the data graph, all of it or nothing; Conflict when the
        graph holds records (anything but its data version) and `replace` is not set."""
        ...

    def close(self) -> None:
        """Release connections (and stop an embedded server this process started)."""
        ...


def open_store(settings: Settings) -> Store:
    """The store that `settings.store` names, connected, with its schema in place and its
    records' days in the company's time zone."""
    from graphbrm import queries

    queries.load_all()  # a broken query file fails here, at start-up, not at its first call
    target = settings.store
    if target.startswith(("neo4j://", "neo4j+s://", "bolt://", "bolt+s://")):
        from graphbrm.store.neo4j import Neo4jStore

        store: Store = Neo4jStore(target, settings.neo4j_user,
                                  settings.neo4j_password.get_secret_value(),
                                  settings.neo4j_database, tokens=_token_store(settings))
    elif target.startswith("falkordb://") or target.startswith("redis://"):
        from graphbrm.store.falkor import FalkorStore

        host, _, port_text = target.split("://", 1)[1].partition(":")
        password = settings.falkordb_password.get_secret_value() or None
        store = FalkorStore(host or "127.0.0.1", int(port_text or 6379), settings.graph,
                            password=password)
    elif target == "embedded":
        from graphbrm.store.embedded import EmbeddedServer
        from graphbrm.store.falkor import FalkorStore

        server = EmbeddedServer(settings.data_dir, fsync=settings.fsync,
                                query_memory_mb=settings.store_query_memory_mb)
        port = server.start()
        store = FalkorStore("127.0.0.1", port, settings.graph, password=server.password,
                            server=server)
    else:
        from graphbrm.errors import StoreUnavailable

        raise StoreUnavailable(
            f"GRAPHBRM_STORE={target!r}: expected embedded, falkordb://host:port, neo4j://… or bolt://…")
    store.ensure_schema()
    from graphbrm.tokens import move_tokens_out_of_data_graph

    move_tokens_out_of_data_graph(store)  # a store written by an older graphbrm
    from graphbrm.derived import ensure_days

    ensure_days(store, settings.zone)  # after an upgrade or a change of GRAPHBRM_TIMEZONE
    return store


def _token_store(settings: Settings) -> Any:
    """Where a Neo4j store keeps sign-in tokens: a graph of the embedded FalkorDB server in the
    data directory. Neo4j Community has one user database and no per-label access rules, so a
    token kept in Neo4j would be readable by every data query."""
    from graphbrm.store.embedded import EmbeddedServer
    from graphbrm.store.falkor import FalkorStore

    server = EmbeddedServer(settings.data_dir, fsync=settings.fsync,
                            query_memory_mb=settings.store_query_memory_mb)
    port = server.start()
    try:
        return FalkorStore("127.0.0.1", port, neo4j_token_graph(settings.graph,
                                                                 settings.neo4j_database),
                           server=server, tokens_only=True)
    except BaseException:
        server.stop()
        raise


def neo4j_token_graph(graph: str, database: str) -> str:
    """The name of the FalkorDB graph that holds the tokens of Neo4j database `database`."""
    return f"{graph}-neo4j-{database}"
