"""The visible graph for networkx, Gephi and yEd users: GraphML or node-link JSON.

GraphML attributes are typed per attribute name (int → `long`, float → `double`, bool →
`boolean`, else `string`); one name never gets two types (ints mixed with floats become
doubles, anything mixed with text becomes text), lists and maps become JSON text, absent values
are left out, and characters XML 1.0 forbids are dropped. The writer streams text itself:
networkx's ElementTree writer took ~35 s for the S1 company. `format=json` is networkx's
node-link JSON (`nx.node_link_graph(data, edges="edges")` reads it back).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from graphbrm.access import Viewer, visibility
from graphbrm.analysis.snapshot import GraphPart, Progress, load_graph_part
from graphbrm.review import snapshots_for_reader
from graphbrm.store import Store

GraphFormat = Literal["graphml", "json"]
MEDIA_TYPES: dict[str, str] = {"graphml": "application/graphml+xml",
                               "json": "application/json"}
GRAPHML_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
Attrs = dict[str, Any]


def export_graph(store: Store, *, viewer: Viewer, fmt: GraphFormat, where: GraphPart | None = None,
                 progress: Progress | None = None) -> str:
    """The viewer's snapshot (of `where`, default the company) as GraphML or node-link JSON."""
    graph = load_graph_part(store, viewer=viewer, where=where or GraphPart(), progress=progress)
    _scope_reviews(store, viewer, graph)
    return to_graphml(graph) if fmt == "graphml" else to_node_link(graph)


def _scope_reviews(store: Store, viewer: Viewer, graph: nx.MultiDiGraph) -> None:
    """A recorded review keeps the paths its recorder could see: leave out those through
    people this viewer may not see, as the reviews route does."""
    reviews = [attrs for _, attrs in graph.nodes(data=True)
               if attrs.get("label") == "Review" and "figures_json" in attrs]
    if not reviews:
        return
    stored = snapshots_for_reader(store, params=visibility(store, viewer),
                                  texts=[attrs["figures_json"] for attrs in reviews])
    for attrs, snapshot in zip(reviews, stored, strict=True):
        attrs["figures_json"] = json.dumps(snapshot, ensure_ascii=False)


def to_node_link(graph: nx.MultiDiGraph) -> str:
    """networkx node-link JSON (`edges` key, edge `key` = relationship type)."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, default=str)


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML with one type per attribute name, readable by Gephi, yEd and networkx."""
    node_keys = _Keys("node", "n", (attrs for _, attrs in graph.nodes(data=True)))
    edge_keys = _Keys("edge", "e", (attrs for _, _, attrs in graph.edges(data=True)))
    parts = [GRAPHML_HEADER, *node_keys.declarations(), *edge_keys.declarations(),
             '  <graph edgedefault="directed">\n']
    for n, attrs in graph.nodes(data=True):
        parts.append(f"    <node id={_attr(n)}>{''.join(node_keys.data(attrs))}</node>\n")
    # Edge ids must be unique for Gephi and yEd; the relationship type is the `type` attribute.
    for n, (u, v, attrs) in enumerate(graph.edges(data=True)):
        parts.append(f'    <edge id="e{n}" source={_attr(u)} target={_attr(v)}>'
                     f"{''.join(edge_keys.data(attrs))}</edge>\n")
    parts.append("  </graph>\n</graphml>\n")
    return "".join(parts)


class _Keys:
    """The `<key>` declarations of one domain (node or edge): an id and a type per name."""

    def __init__(self, domain: str, prefix: str, records: Iterable[Attrs]) -> None:
        seen: dict[str, set[type]] = {}
        for attrs in records:
            for name, value in attrs.items():
                if value is not None:
                    seen.setdefault(name, set()).add(type(value))
        self.domain = domain
        self.ids = {name: f"{prefix}{i}" for i, name in enumerate(sorted(seen))}
        self.types = {name: _graphml_type(kinds) for name, kinds in seen.items()}

    def declarations(self) -> Iterator[str]:
        for name, key in self.ids.items():
            yield (f"  <key id={_attr(key)} for={_attr(self.domain)} attr.name={_attr(name)} "
                   f"attr.type={_attr(self.types[name])} />\n")

    def data(self, attrs: Attrs) -> Iterator[str]:
        for name, value in attrs.items():
            if value is not None:
                text = _FORMATTERS[self.types[name]](value)
                yield f'<data key="{self.ids[name]}">{escape(_xml_chars(text))}</data>'


def _graphml_type(kinds: set[type]) -> str:
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "long"  # 64-bit: amounts can pass the 32-bit `int` of GraphML
    if kinds <= {int, float}:
        return "double"
    return "string"


def _text(value: Any) -> str:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "boolean": lambda v: "true" if v else "false",
    "long": str,
    "double": lambda v: repr(float(v)),
    "string": _text,
}


def _attr(value: Any) -> str:
    return quoteattr(_xml_chars(str(value)))


def _xml_chars(text: str) -> str:
    return NOT_XML.sub("", text)
