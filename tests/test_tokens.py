"""Sign-in tokens are out of reach of the data role's read-only Cypher, on both stores; the
data role reads the change history with its actors (the README's sign-in section says why)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from graphbrm import tokens
from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

DATA = Viewer("E1", "data")

# Every way a read-only query could reach a token: whole nodes, the label, the properties a
# token has, and the schema procedures.
TOKEN_PROBES = [
    "MATCH (n) RETURN n",
    "MATCH (t:Token) RETURN t",
    "MATCH (t:Token) RETURN properties(t) AS p, t.id AS id",
    "MATCH (n) WHERE n.hash IS NOT NULL RETURN n.hash",
    "MATCH (n) WHERE n.token_id IS NOT NULL OR n.expires_at IS NOT NULL RETURN properties(n)",
    "MATCH (n) RETURN labels(n) AS labels, count(*) AS n",
    "MATCH (n) RETURN keys(n) AS keys",
    "MATCH (n) WHERE n.role IN ['admin', 'data'] RETURN n",
    "MATCH (n) WHERE size(n.id) = 64 RETURN n.id",
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey",
    "MATCH (n) OPTIONAL MATCH (n)-[r]-() RETURN n, r",
]


def query(client: Any, text: str) -> dict[str, Any]:
    response = client.post("/api/v1/query", json={"query": text})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


@pytest.fixture
def signed_in(store: Store) -> tokens.NewToken:
    import_bundle(store, parse_tables(small_bundle()))
    return tokens.create_token(store, employee_id="E1", role="admin", lifetime_days=7,
                               label="laptop")


@pytest.mark.parametrize("text", TOKEN_PROBES)
def test_no_data_query_reaches_a_token(store: Store, client_for: Any,
                                       signed_in: tokens.NewToken, text: str) -> None:
    answer = json.dumps(query(client_for(store, DATA), text), ensure_ascii=False)
    hashed = tokens.hash_token(signed_in.token)
    for secret in (hashed, signed_in.info.token_id, signed_in.info.expires_at, "laptop",
                   "Token", "token_id", "expires_at"):
        assert secret not in answer
    # the token works all the same
    assert tokens.viewer_for_token(store, token=signed_in.token) == Viewer("E1", "admin")


def test_the_data_graph_holds_no_token_even_counted(store: Store, client_for: Any,
                                                    signed_in: tokens.NewToken) -> None:
    client = client_for(store, DATA)
    # E1..E3, A1..A3, D1/D2/D3/D9, P1..P4/P9 and the rest: whatever the count, it is the same
    # before and after more tokens are created, and an admin's query sees the same.
    before = query(client, "MATCH (n) RETURN count(n) AS n")["rows"]
    tokens.create_token(store, employee_id="E2", role="rep", lifetime_days=7)
    assert query(client, "MATCH (n) RETURN count(n) AS n")["rows"] == before
    admin = client_for(store, Viewer.operator())
    assert query(admin, "MATCH (t:Token) RETURN count(t) AS n")["rows"] == [[0]]
    assert sorted(r["employee_id"] for r in tokens.token_records(store)) == ["E1", "E2"]


def test_tokens_of_an_older_data_graph_move_out_at_start(store: Store, client_for: Any) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    hashed = tokens.hash_token("gbrm_0123456789ab_secret")
    _write_raw(store, "CREATE (:Token {id: $hash, token_id: '0123456789ab', employee_id: 'E2', "
                      "role: 'rep', created_at: '2026-11-01T00:00:00+00:00', "
                      "expires_at: '2099-01-01T00:00:00+00:00'})", hash=hashed)
    assert tokens.move_tokens_out_of_data_graph(store) == 1
    assert tokens.move_tokens_out_of_data_graph(store) == 0
    assert tokens.viewer_for_token(store, token="gbrm_0123456789ab_secret") == Viewer("E2", "rep")
    answer = json.dumps(query(client_for(store, DATA), "MATCH (n) RETURN n"))
    assert hashed not in answer


def test_a_token_needs_an_employee_of_the_data_graph(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    with pytest.raises(Exception, match="not found|E404"):
        tokens.create_token(store, employee_id="E404", role="rep", lifetime_days=7)
    assert tokens.token_records(store) == []


def test_the_data_role_reads_who_changed_a_score(store: Store, client_for: Any) -> None:
    """Decision: the data role reads every record of the data graph, the change history with
    its actor and source included, like an admin's audit trail; a rep or manager has no
    query endpoint at all (403), so nobody reads through it what their audit view hides."""
    import_bundle(store, parse_tables(small_bundle()))
    rep = client_for(store, Viewer("E2", "rep"))
    assert rep.patch("/api/v1/key-persons/P1", json={"price_acceptance": 65}).status_code == 200
    rows = query(client_for(store, DATA),
                 "MATCH (s:Score) WHERE s.source = 'api' "
                 "RETURN s.actor AS actor, s.price_acceptance AS price")["rows"]
    assert rows == [["E2", 65]]
    for viewer in (Viewer("E2", "rep"), Viewer("E1", "manager"), Viewer("E1", "executive")):
        response = client_for(store, viewer).post("/api/v1/query",
                                                  json={"query": "MATCH (s:Score) RETURN s"})
        assert response.status_code == 403, viewer


def _write_raw(store: Store, text: str, **params: Any) -> None:
    """A write that no named query makes any more: a token inside the data graph."""
    inner = getattr(store, "inner", store)
    if inner.dialect == "falkordb":
        inner._graph.query(text, params)
    else:
        inner._driver.execute_query(text, params, database_=inner.database)
