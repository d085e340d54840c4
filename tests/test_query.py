"""Read-only Cypher for the data role: writes refused, runaways stopped, big results cut."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput
from graphbrm.importer import import_bundle
from graphbrm.readonly_query import check_read_only, run_query
from graphbrm.store import Store
from tests.small import small_bundle

DATA = Viewer("E1", "data")
WRITES = [
    "CREATE (n:Account {id: 'X'})",
    "create (n:Account {id: 'X'}) return n",
    "MERGE (n:Account {id: 'A1'}) SET n.name = 'x'",
    "MATCH (n:Account {id: 'A1'}) SET n.name = 'hacked'",
    "MATCH (n:KeyPerson) DETACH DELETE n",
    "MATCH (n:KeyPerson {id: 'P1'}) DELETE n",
    "MATCH (n:KeyPerson) REMOVE n.closeness",
    "MATCH (n:KeyPerson) FOREACH (x IN [1] | SET n.closeness = 0)",
    "CREATE INDEX FOR (n:Account) ON (n.name)",
    "DROP INDEX ON :Account(id)",
    "CALL db.idx.fulltext.createNodeIndex('Account', 'name')",
    "CALL dbms.security.createUser('x', 'y', false)",
    "EXPLAIN CREATE (n:Account {id: 'X'})",
    "PROFILE MATCH (n) RETURN n",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "MATCH (n) CALL { WITH n SET n.x = 1 } IN TRANSACTIONS RETURN 1",
    "/* harmless */ CREATE (n:Account {id: 'X'})",
    "MATCH (n) RETURN n; CREATE (m:Account {id: 'X'})",
    "MATCH (n) WITH n CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "SHOW DATABASES",
]
READS = [
    "MATCH (k:KeyPerson) WHERE k.name = 'CREATE; SET x' RETURN k.id ORDER BY k.id",
    "MATCH (k:KeyPerson) // DELETE in a comment\nRETURN k.id AS `set`, {create: 1} AS m",
    "MATCH (k:KeyPerson)-[:REPORTS_TO]->(m) RETURN k.id, m.id;",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (a:Account) CALL { WITH a MATCH (a)<-[:FOR]-(o) RETURN count(o) AS n } RETURN a.id, n",
    "UNWIND $ids AS id MATCH (k:KeyPerson {id: id}) RETURN k.name",
    "OPTIONAL MATCH (n:Nothing) RETURN n",
]


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def graph_counts(store: Store) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in store.read("stats/graph_counts")}


@pytest.mark.parametrize("text", WRITES)
def test_the_check_refuses_writes_and_admin(text: str) -> None:
    with pytest.raises(InvalidInput) as e:
        check_read_only(text)
    assert e.value.problems[0].reason


@pytest.mark.parametrize("text", READS)
def test_the_check_lets_reads_through(text: str) -> None:
    assert check_read_only(text) == text.removesuffix(";")


def test_every_write_is_refused_over_the_api_and_nothing_changes(small: Store,
                                                                 client_for: Any) -> None:
    client = client_for(small, DATA)
    before = graph_counts(small)
    for text in WRITES:
        response = client.post("/api/v1/query", json={"query": text})
        assert response.status_code == 422, text
        assert response.json()["detail"], text
    assert graph_counts(small) == before
    assert client.get("/api/v1/accounts/A1").json()["name"] == "华东精密机械"


def test_the_stores_read_only_mode_is_the_real_guard(small: Store) -> None:
    # Past the text check (called directly), the store itself refuses to write.
    before = graph_counts(small)
    for text in ("CREATE (n:Account {id: 'X'})", "MATCH (n:Account) SET n.name = 'x'",
                 "MATCH (n:KeyPerson) DETACH DELETE n"):
        with pytest.raises(InvalidInput):
            small.run_read_only(text, {}, timeout_s=5, row_limit=10)
    assert graph_counts(small) == before


def test_results_as_json_values(small: Store, client_for: Any) -> None:
    client = client_for(small, DATA)
    response = client.post("/api/v1/query", json={
        "query": "MATCH (k:KeyPerson {id: $id})-[r:REPORTS_TO]->(m) "
                 "RETURN k, r, m.id AS manager, [1, 2.5, true, null] AS values",
        "params": {"id": "P2"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["k", "r", "manager", "values"]
    [[person, rel, manager, values]] = body["rows"]
    assert person["_labels"] == ["KeyPerson"] and person["id"] == "P2"
    assert person["closeness"] == 90
    assert rel == {"_type": "REPORTS_TO"}
    assert (manager, values, body["truncated"]) == ("P1", [1, 2.5, True, None], False)


def test_a_large_result_is_cut_at_the_row_limit(small: Store) -> None:
    def rows(n: int, limit: int) -> tuple[int, bool]:
        result = run_query(small, text="UNWIND range(1, $n) AS x RETURN x", params={"n": n},
                           timeout_s=10, row_limit=limit)
        return len(result.rows), result.truncated

    assert rows(5000, 100) == (100, True)
    assert rows(100, 100) == (100, False)  # exactly at the limit: nothing was cut
    assert rows(99, 100) == (99, False)


@pytest.mark.parametrize("runaway", [
    # A billion additions: seconds on either store (Neo4j counts a bare cartesian product fast).
    "UNWIND range(1, 1000000) AS x RETURN sum(reduce(s = 0, i IN range(1, 1000) | s + i * x))",
    "UNWIND range(1, 300) AS i MATCH (a), (b), (c) RETURN count(*)",
])
def test_a_runaway_query_is_stopped_by_the_time_limit(small: Store, runaway: str) -> None:
    with pytest.raises(InvalidInput) as e:
        run_query(small, text=runaway, params={}, timeout_s=0.2, row_limit=10)
    assert "longer than the limit of 0.2 s" in str(e.value)


def test_bad_queries_and_roles(small: Store, client_for: Any) -> None:
    client = client_for(small, DATA)
    bad = client.post("/api/v1/query", json={"query": "MATCH (n RETURN n"})
    assert bad.status_code == 422 and bad.json()["detail"]
    assert client.post("/api/v1/query", json={"query": "RETURN $x", "params": {"x y": 1}}
                       ).status_code == 422
    assert client.post("/api/v1/query", json={"query": "RETURN 1", "extra": 1}).status_code == 422
    # The FalkorDB client cannot send these (it raised: a 500); refused, wherever they nest.
    for value in ({"": 1}, {"a`b": 1}, [{"ok": {"x`": 2}}]):
        refused = client.post("/api/v1/query", json={"query": "RETURN $v", "params": {"v": value}})
        assert refused.status_code == 422, value
        assert refused.json()["problems"][0]["field"] == "params.v"
    with pytest.raises(InvalidInput):  # the API refuses NUL before; the CLI reaches here
        run_query(small, text="RETURN $v", params={"v": ["nul\u0000"]}, timeout_s=1,
                  row_limit=1)
    nested = client.post("/api/v1/query", json={"query": "RETURN $v AS v",
                                                "params": {"v": {"a b": [1, {"c-d": "e"}]}}})
    assert nested.json()["rows"] == [[{"a b": [1, {"c-d": "e"}]}]]
    assert client.post("/api/v1/query", json={"query": "RETURN 'open"}).status_code == 422
    for role in ("rep", "manager", "executive"):
        rep = client_for(small, Viewer("E2", role))
        assert rep.post("/api/v1/query", json={"query": "RETURN 1"}).status_code == 403
    admin = client_for(small, Viewer.operator())
    assert admin.post("/api/v1/query", json={"query": "RETURN 1 AS one"}).json() == {
        "columns": ["one"], "rows": [[1]], "truncated": False}


def test_cli_query(small: Store, monkeypatch: pytest.MonkeyPatch, point_cli_at: Any) -> None:
    from graphbrm.cli import app

    point_cli_at(small)
    monkeypatch.setenv("GRAPHBRM_QUERY_ROW_LIMIT", "2")
    runner = CliRunner()
    text = "MATCH (k:KeyPerson) RETURN k.id AS id, k.name AS name ORDER BY id"
    result = runner.invoke(app, ["query", text, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"columns": ["id", "name"],
                                         "rows": [["P1", "王建国"], ["P2", "李晓梅"]],
                                         "truncated": True}
    table = runner.invoke(app, ["query", "MATCH (k:KeyPerson {id: $id}) RETURN k.title",
                                "--params", '{"id": "P1"}'])
    assert table.exit_code == 0 and "总经理" in table.stdout
    assert runner.invoke(app, ["query", "CREATE (n:X)"]).exit_code != 0
    assert runner.invoke(app, ["query", "RETURN 1", "--params", "[1]"]).exit_code != 0
