"""Graph export: GraphML and node-link JSON that networkx (and Gephi, yEd) read back."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped]  # no stubs installed
import pytest
from typer.testing import CliRunner

from graphbrm.access import Viewer
from graphbrm.analysis.snapshot import load_snapshot
from graphbrm.bundle import parse_tables
from graphbrm.graph_export import export_graph, to_graphml, to_node_link
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

OPERATOR = Viewer.operator()


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def read_graphml(text: str) -> nx.MultiDiGraph:
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)


def edge_set(graph: nx.MultiDiGraph) -> list[tuple[Any, ...]]:
    return sorted((u, v, tuple(sorted(attrs.items()))) for u, v, attrs in graph.edges(data=True))


def test_graphml_round_trips_with_counts_and_typed_attributes(small: Store) -> None:
    graph = load_snapshot(small, viewer=OPERATOR)
    back = read_graphml(export_graph(small, viewer=OPERATOR, fmt="graphml"))
    assert (back.number_of_nodes(), back.number_of_edges()) == (18, 29)
    assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
    assert edge_set(back) == edge_set(graph)
    # Types survive: ints as ints, floats as floats, booleans as booleans.
    assert back.nodes["P1"]["closeness"] == 80 and isinstance(back.nodes["P1"]["closeness"], int)
    assert back.nodes["O1"]["amount"] == 1_200_000.0
    assert isinstance(back.nodes["O1"]["amount"], float)
    assert back.nodes["O2"]["qualified"] is False
    assert back.nodes["P4"].get("price_acceptance") is None  # unknown: left out, not "None"
    assert {d["type"] for _, _, d in back.edges(data=True)} == {
        "PART_OF", "MEMBER_OF", "REPORTS_TO", "INFLUENCES", "KNOWS", "ON_TEAM", "FOR",
        "INVOLVES", "USED_INFLUENCE", "WITH", "BY"}


def test_graphml_types_one_name_once_and_escapes_text() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("a&<b>", label="X", size=1, note='say "hi" <b> & \n bye\x01',
                   tags=["x", "y"], flag=True)
    graph.add_node("c", label="X", size=2.5, note="plain", flag=False)
    graph.add_node("d", label="X", size="big")
    graph.add_edge("a&<b>", "c", key="R", type="R", weight=3)
    graph.add_edge("a&<b>", "c", key="S", type="S", weight=4.5)
    text = to_graphml(graph)
    back = read_graphml(text)
    # `size` is 1, 2.5 and "big": one key, of type string (a column in Gephi has one type).
    assert text.count('attr.name="size"') == 1
    assert back.nodes["a&<b>"]["size"] == "1" and back.nodes["d"]["size"] == "big"
    assert back.nodes["a&<b>"]["note"] == 'say "hi" <b> & \n bye'  # \x01 is not XML: dropped
    assert back.nodes["a&<b>"]["tags"] == '["x", "y"]'
    assert back.nodes["c"]["flag"] is False
    assert sorted(d["weight"] for _, _, d in back.edges(data=True)) == [3.0, 4.5]
    assert len({e.split('"')[1] for e in text.split("<edge id=")[1:]}) == 2  # unique edge ids


def test_node_link_json_round_trips(small: Store) -> None:
    graph = load_snapshot(small, viewer=OPERATOR)
    data = json.loads(export_graph(small, viewer=OPERATOR, fmt="json"))
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_multigraph() and back.is_directed()
    # networkx's convention: a node's `id` in node-link JSON is its key (here the same value).
    assert dict(back.nodes(data=True)) == {
        n: {k: v for k, v in attrs.items() if k != "id"} for n, attrs in graph.nodes(data=True)}
    assert all(n == attrs["id"] for n, attrs in graph.nodes(data=True))
    assert edge_set(back) == edge_set(graph)
    assert to_node_link(graph) == json.dumps(data, ensure_ascii=False)


def test_a_reps_export_has_no_foreign_persons(small: Store, client_for: Any) -> None:
    client = client_for(small, Viewer("E3", "rep"))  # owns A2 (no persons) and A3 (P9)
    response = client.get("/api/v1/export/graph", params={"format": "graphml"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphml+xml")
    persons = {n for n, d in read_graphml(response.text).nodes(data=True)
               if d["label"] == "KeyPerson"}
    assert persons == {"P9"}
    node_link = client.get("/api/v1/export/graph", params={"format": "json"}).json()
    assert {n["id"] for n in node_link["nodes"] if n["label"] == "KeyPerson"} == {"P9"}
    assert {n["id"] for n in node_link["nodes"] if n["label"] == "Account"} == {"A2", "A3"}
    one = client.get("/api/v1/export/graph", params={"format": "json", "scope": "account:A3"})
    assert {n["id"] for n in one.json()["nodes"] if n["label"] == "Account"} == {"A3"}
    assert client.get("/api/v1/export/graph", params={"scope": "account:A1"}).status_code == 404
    assert client.get("/api/v1/export/graph", params={"format": "gexf"}).status_code == 422


def test_cli_export_formats(small: Store, tmp_path: Path, point_cli_at: Any) -> None:
    from graphbrm.cli import app

    point_cli_at(small)
    runner = CliRunner()
    out = tmp_path / "g.graphml"
    result = runner.invoke(app, ["export", "--format", "graphml", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert read_graphml(out.read_text(encoding="utf-8")).number_of_nodes() == 18
    result = runner.invoke(app, ["export", "--format", "node-link", "--scope", "account:A1"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {n["id"] for n in data["nodes"] if n["label"] == "Account"} == {"A1"}
    bundle = runner.invoke(app, ["export", "--format", "json"])
    assert set(json.loads(bundle.stdout)) >= {"accounts", "key_persons", "score_history"}
    assert runner.invoke(app, ["export", "--format", "gexf"]).exit_code != 0
