"""The viewer's part of the graph as a networkx MultiDiGraph, for offline analysis and export.

One query per label and per relationship type (`cypher/snapshot/`), run over chunks of the
accounts in scope, never one per node; each returns one row of columns (lists), which the
FalkorDB client parses several times faster than a row per node. Nodes are keyed by their `id`
and carry every stored property plus `label` (key persons, opportunities and reviews also the
`account_id` they belong to); edges are keyed by their type and carry `type` plus, for the types
that have properties in the model in docs/import.md (INFLUENCES, KNOWS, ON_TEAM, INVOLVES), their properties.

Left out: the Score and TieChange history records (the KeyPerson node already carries a copy of
its latest scores and `scored_at`) and sign-in Tokens. Employees are all included (our staff);
everything else only for the accounts in scope that the viewer may see. An edge whose other end
lies outside the scope (another region or account) is left out.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx

from graphbrm.access import Viewer, visibility
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.store import QueryRow, Store

Progress = Callable[[int, int], None]
# Per label, the only node properties to load (each a list of values, no maps); a label not
# named loads every property. Must include "id".
Fields = Mapping[str, tuple[str, ...]]

ACCOUNTS_PER_QUERY = 2000
# Defence in depth: whatever another module stores on a node, secrets never leave in a snapshot.
SECRET_MARKERS = ("password", "secret", "token", "hash")


@dataclass(frozen=True)
class NodeQuery:
    name: str
    label: str
    per_account: bool = True  # False: not account data (our staff), run once without $ids


@dataclass(frozen=True)
class RelQuery:
    name: str
    type: str
    source: str
    target: str | None  # None: the query returns each target's label
    per_account: bool = True
    # The relationship's properties, in the order of each `props` list the query returns:
    # plain values in lists rather than maps, which both clients parse faster.
    props: tuple[str, ...] = ()


TIE_PROPS = ("strength", "since")  # what the importer sets on INFLUENCES and KNOWS
# Key persons and accounts first: on an id clash between labels they keep the plain id.
NODE_QUERIES = (
    NodeQuery("nodes_key_person", "KeyPerson"), NodeQuery("nodes_account", "Account"),
    NodeQuery("nodes_employee", "Employee", per_account=False),
    NodeQuery("nodes_department", "Department"), NodeQuery("nodes_opportunity", "Opportunity"),
    NodeQuery("nodes_activity", "Activity"), NodeQuery("nodes_review", "Review"))
REL_QUERIES = (
    RelQuery("rels_part_of", "PART_OF", "Department", None),
    RelQuery("rels_member_of", "MEMBER_OF", "KeyPerson", "Department"),
    RelQuery("rels_reports_to_person", "REPORTS_TO", "KeyPerson", "KeyPerson"),
    RelQuery("rels_reports_to_employee", "REPORTS_TO", "Employee", "Employee", per_account=False),
    RelQuery("rels_influences_person", "INFLUENCES", "KeyPerson", "KeyPerson", props=TIE_PROPS),
    RelQuery("rels_influences_employee", "INFLUENCES", "Employee", "KeyPerson", props=TIE_PROPS),
    RelQuery("rels_knows", "KNOWS", "Employee", "KeyPerson", props=TIE_PROPS),
    RelQuery("rels_on_team", "ON_TEAM", "Employee", "Account", props=("role",)),
    RelQuery("rels_for", "FOR", "Opportunity", "Account"),
    RelQuery("rels_involves", "INVOLVES", "Opportunity", "KeyPerson", props=("role",)),
    RelQuery("rels_used_influence", "USED_INFLUENCE", "Opportunity", "Employee"),
    RelQuery("rels_with", "WITH", "Activity", "KeyPerson"),
    RelQuery("rels_by", "BY", "Activity", "Employee"),
    RelQuery("rels_reviews", "REVIEWS", "Review", "Account"))
SNAPSHOT_LABELS = frozenset(q.label for q in NODE_QUERIES)
SNAPSHOT_TYPES = frozenset(q.type for q in REL_QUERIES)


@dataclass(frozen=True)
class GraphPart:
    """What part of the visible graph to load: the company, one region, or one account."""

    kind: str = "company"
    value: str | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


def parse_graph_part(text: str) -> GraphPart:
    """`company`, `region:X` or `account:ID` as a GraphPart; anything else is InvalidInput."""
    kind, sep, value = text.partition(":")
    if text == "company":
        return GraphPart()
    if sep and kind in ("region", "account") and value:
        return GraphPart(kind, value)
    raise InvalidInput([Problem("scope", None, "scope",
                                f"{text!r}: expected company, region:NAME or account:ID")])


def load_snapshot(store: Store, *, viewer: Viewer, account_id: str | None = None,
                  region: str | None = None, kinds: Collection[str] | None = None,
                  fields: Fields | None = None, progress: Progress | None = None) -> nx.MultiDiGraph:
    """The visible graph (or one region, or one account), keyed by id; `kinds` limits the
    labels and relationship types loaded (default: all), `fields` the node properties."""
    params = visibility(store, viewer)
    ids = [r["id"] for r in store.read("snapshot/scope_account_ids", account_id=account_id,
                                       region=region, **params)]
    if account_id is not None and not ids:
        raise NotFound(f"account {account_id!r}")
    return _load(store, params, ids, kinds, progress, fields)


def load_graph_part(store: Store, *, viewer: Viewer, where: GraphPart, kinds: Collection[str] | None = None,
               fields: Fields | None = None, progress: Progress | None = None) -> nx.MultiDiGraph:
    """`load_snapshot` for a parsed GraphPart."""
    return load_snapshot(store, viewer=viewer, kinds=kinds, fields=fields, progress=progress,
                         account_id=where.value if where.kind == "account" else None,
                         region=where.value if where.kind == "region" else None)


def load_accounts(store: Store, *, viewer: Viewer, account_ids: list[str],
                  kinds: Collection[str] | None = None) -> nx.MultiDiGraph:
    """The snapshot of exactly these accounts (those of them the viewer may see)."""
    return _load(store, visibility(store, viewer), sorted(set(account_ids)), kinds, None)


def _load(store: Store, params: dict[str, Any], ids: list[str], kinds: Collection[str] | None,
          progress: Progress | None, fields: Fields | None = None) -> nx.MultiDiGraph:
    with paused_gc():
        return _load_all(store, params, ids, kinds, progress, fields)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Python's cycle collector off while a snapshot loads, as before if it was off already.

    A load allocates millions of small lists, dicts and tuples that live on, none in a cycle;
    each collection walks all of them again, which took more than half of the loading time at
    scale 1. The few cycles made meanwhile (in this or other threads) wait for the next one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load_all(store: Store, params: dict[str, Any], ids: list[str],
              kinds: Collection[str] | None, progress: Progress | None,
              fields: Fields | None) -> nx.MultiDiGraph:
    wanted = set(kinds) if kinds is not None else SNAPSHOT_LABELS | SNAPSHOT_TYPES
    nodes = [q for q in NODE_QUERIES if q.label in wanted]
    rels = [q for q in REL_QUERIES if q.type in wanted]
    chunks = [ids[i:i + ACCOUNTS_PER_QUERY] for i in range(0, len(ids), ACCOUNTS_PER_QUERY)]
    total = sum(len(chunks) if q.per_account else 1 for q in nodes) + sum(
        len(chunks) if q.per_account else 1 for q in rels)
    runner = _Runner(store, params, chunks, progress, total=total)
    builder = _Builder()
    for nq in nodes:
        names = (fields or {}).get(nq.label)
        for columns in runner.columns(nq.name, per_account=nq.per_account,
                                      names=None if names is None else list(names)):
            builder.add_nodes(nq.label, columns, names)
    for rq in rels:
        for columns in runner.columns(rq.name, per_account=rq.per_account):
            builder.add_edges(rq, columns)
    return builder.graph


class _Runner:
    """Runs one snapshot query per chunk of account ids and reports each one done."""

    def __init__(self, store: Store, params: dict[str, Any], chunks: list[list[str]],
                 progress: Progress | None, *, total: int) -> None:
        self.store, self.params, self.chunks = store, params, chunks
        self.progress, self.total, self.done = progress, total, 0

    def columns(self, name: str, *, per_account: bool, **extra: Any) -> list[QueryRow]:
        if not per_account:
            return [self._read(name, **extra)]
        return [self._read(name, ids=chunk, **self.params, **extra) for chunk in self.chunks]

    def _read(self, name: str, **params: Any) -> QueryRow:
        rows = self.store.read(f"snapshot/{name}", **params)
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total)
        return rows[0] if rows else {}


class _Builder:
    """Adds columns to the graph; an id used by two labels keeps the second as `Label:id`."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()
        self.keys: dict[tuple[str, str], str] = {}
        self.label_of: dict[str, str] = {}

    def add_nodes(self, label: str, columns: QueryRow, names: tuple[str, ...] | None = None) -> None:
        """Nodes from maps of every property, or from lists of the values of `names`."""
        props_list = columns.get("props") or []
        account_ids = columns.get("account_ids") or [None] * len(props_list)
        nodes = []
        for props, account_id in zip(props_list, account_ids, strict=True):
            attrs = _public(props if names is None else dict(zip(names, props, strict=True)))
            if account_id is not None and label != "Account" and "account_id" not in attrs:
                attrs["account_id"] = account_id
            attrs["label"] = label
            nodes.append((self._key_for(label, attrs["id"]), attrs))
        self.graph.add_nodes_from(nodes)

    def add_edges(self, query: RelQuery, columns: QueryRow) -> None:
        sources = columns.get("sources") or []
        targets = columns.get("targets") or []
        labels = columns.get("target_labels") or [query.target] * len(sources)
        values = columns.get("props") or [()] * len(sources)
        keys, kind, names = self.keys, query.type, query.props
        bare = {"type": kind}  # networkx copies it into each edge's own dict
        edges = []
        for s, t, label, row in zip(sources, targets, labels, values, strict=True):
            source = keys.get((query.source, s))
            target = keys.get((label, t))
            if source is None or target is None:  # the other end is out of scope
                continue
            attrs = bare
            if names:
                attrs = {n: v for n, v in zip(names, row, strict=True) if v is not None}
                attrs["type"] = kind
            edges.append((source, target, kind, attrs))
        self.graph.add_edges_from(edges)

    def _key_for(self, label: str, id_: str) -> str:
        found = self.keys.get((label, id_))
        if found is not None:
            return found
        key = id_ if self.label_of.setdefault(id_, label) == label else f"{label}:{id_}"
        self.keys[(label, id_)] = key
        return key


def _public(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None and not _is_secret(k)}


@cache
def _is_secret(name: str) -> bool:
    return any(marker in name.lower() for marker in SECRET_MARKERS)
