"""A whole data graph as plain values, and loading one into a store: the part of backup and
restore that both stores share (graphbrm/backup.py has the file; each store its consistency).

Labels, relationship types and property keys cannot be Cypher parameters, so they are written
into the query text, and only when they are plain names (checked again here, whatever the
caller checked). Every value is a `$parameter`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphbrm.errors import InvalidInput, Problem

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
BATCH = 2000
# A restore takes the place of this bookkeeping node, which opening a store creates.
BOOKKEEPING = "DataVersion"

Props = dict[str, Any]
# Runs one statement in the target with $parameters; the rows as lists of values.
Run = Callable[[str, dict[str, Any]], list[list[Any]]]


@dataclass
class GraphDump:
    """Every node (labels, properties; its key is its index) and relationship (type, start key,
    end key, properties). Values are text, whole numbers, floats, booleans, dates, or lists."""

    nodes: list[tuple[list[str], Props]] = field(default_factory=list)
    relationships: list[tuple[str, int, int, Props]] = field(default_factory=list)

    def data_version(self) -> int:
        """The write counter of the graph (derived/bump_data_version); 0 when it has none."""
        for labels, props in self.nodes:
            if BOOKKEEPING in labels and isinstance(props.get("n"), int):
                return int(props["n"])
        return 0


def quoted(name: str) -> str:
    """A label, type or property key for the query text: a plain name only."""
    if not NAME.match(name):
        raise InvalidInput([Problem("backup", None, "name",
                                    f"{name!r} is not a plain name (letters, digits, _)")])
    return f"`{name}`"


def load(run: Run, dump: GraphDump, *, element_id: str) -> None:
    """Create the dump's nodes and relationships with `run` (`element_id`: the store's function
    from an element to its id, `id` or `elementId`)."""
    ids = _create_nodes(run, dump, element_id)
    _create_relationships(run, dump, ids, element_id)


def _create_nodes(run: Run, dump: GraphDump, element_id: str) -> list[Any]:
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for key, (labels, _) in enumerate(dump.nodes):
        groups[tuple(sorted(labels))].append(key)
    ids: list[Any] = [None] * len(dump.nodes)
    dates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label_set, keys in groups.items():
        text = (f"UNWIND $rows AS row CREATE (n{''.join(':' + quoted(x) for x in label_set)}) "
                f"SET n = row.p RETURN row.k AS k, {element_id}(n) AS id")
        for start in range(0, len(keys), BATCH):
            rows = [{"k": k, "p": _plain(dump.nodes[k][1])} for k in keys[start:start + BATCH]]
            for k, made in run(text, {"rows": rows}):
                ids[k] = made
    for key, (_, props) in enumerate(dump.nodes):
        for name, day in _dates(props):
            dates[name].append({"id": ids[key], "v": day})
    _set_dates(run, dates, f"MATCH (x) WHERE {element_id}(x) = target")
    return ids


def _create_relationships(run: Run, dump: GraphDump, ids: list[Any], element_id: str) -> None:
    groups: dict[str, list[int]] = defaultdict(list)
    for n, (kind, _, _, _) in enumerate(dump.relationships):
        groups[kind].append(n)
    made_ids: list[Any] = [None] * len(dump.relationships)
    for kind, numbers in groups.items():
        # The ids as plain variables: FalkorDB seeks a node by them, not by `row.a`.
        text = (f"UNWIND $rows AS row WITH row, row.a AS from_id, row.b AS to_id "
                f"MATCH (a) WHERE {element_id}(a) = from_id "
                f"MATCH (b) WHERE {element_id}(b) = to_id "
                f"CREATE (a)-[r:{quoted(kind)}]->(b) SET r = row.p "
                f"RETURN row.k AS k, {element_id}(r) AS id")
        for start in range(0, len(numbers), BATCH):
            rows = []
            for n in numbers[start:start + BATCH]:
                _, begin, end, props = dump.relationships[n]
                rows.append({"k": n, "a": ids[begin], "b": ids[end], "p": _plain(props)})
            for n, made in run(text, {"rows": rows}):
                made_ids[n] = made
    dates: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for n, (_, _, _, props) in enumerate(dump.relationships):
        for name, day in _dates(props):
            dates[name].append({"id": made_ids[n], "v": day})
    _set_dates(run, dates, f"MATCH ()-[x]->() WHERE {element_id}(x) = target")


def _set_dates(run: Run, dates: dict[str, list[dict[str, Any]]], find: str) -> None:
    """Date properties, set with date(): a parameter reaches FalkorDB as text."""
    for name, rows in dates.items():
        text = f"UNWIND $rows AS row WITH row, row.id AS target {find} " \
               f"SET x.{quoted(name)} = date(row.v)"
        for start in range(0, len(rows), BATCH):
            run(text, {"rows": rows[start:start + BATCH]})


def _plain(props: Props) -> Props:
    return {k: v for k, v in props.items() if type(v) is not dt.date}


def _dates(props: Props) -> list[tuple[str, str]]:
    return [(k, v.isoformat()) for k, v in props.items() if type(v) is dt.date]
