"""Reach paths (docs/method.md) on hand-built graphs whose answers are worked out in the comments."""

from __future__ import annotations

from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput, NotFound
from graphbrm.importer import import_bundle
from graphbrm.paths import best_paths
from graphbrm.store import Store
from tests.plans import assert_starts_from_an_index
from tests.small import small_bundle

OPERATOR = Viewer.operator()


def company() -> dict[str, list[dict[str, Any]]]:
    """Account A (persons X, M, N, C) and account B (person Y); employees E1, E2, E3.

    Ties (strength): E1→M 90, M→X 90, M→N 80, N→X 90, X→M 70 (a cycle M⇄X), E2 knows X 50,
    E3→Y 100, Y→X 100 (Y is in account B), E2 knows C 10, C→N 10; E2 also influences X at 40,
    a second, weaker tie over the same two nodes, which must not give a second path.
    Paths to X, strength = product of strengths ÷ 100:
      E1→M→X      0.9 × 0.9        = 0.81   (2 hops)
      E1→M→N→X    0.9 × 0.8 × 0.9  = 0.648  (3 hops)
      E2→X        0.5              = 0.50   (1 hop)
      E3→Y→X      1.0 × 1.0        = 1.00   (2 hops, through account B)
      E2→C→N→X    0.1 × 0.1 × 0.9  = 0.009  (3 hops)
    """
    person = {"decision_role": "user", "closeness": 70, "solution_acceptance": 70,
              "price_acceptance": 70, "scored_at": "2026-10-01"}
    return {
        "accounts": [{"id": "A", "name": "Account A", "tier": "key", "expected_key_persons": 4},
                     {"id": "B", "name": "Account B", "tier": "key", "expected_key_persons": 1}],
        "departments": [{"id": "DA", "account_id": "A", "name": "IT"},
                        {"id": "DB", "account_id": "B", "name": "IT"}],
        "key_persons": [{"id": "X", "department_id": "DA", "name": "Xu", **person,
                         "decision_role": "veto"},
                        {"id": "M", "department_id": "DA", "name": "Ma", **person},
                        {"id": "N", "department_id": "DA", "name": "Ni", **person},
                        {"id": "C", "department_id": "DA", "name": "Cao", **person},
                        {"id": "Y", "department_id": "DB", "name": "Yu", **person}],
        "employees": [{"id": "E1", "name": "Emma", "role": "rep"},
                      {"id": "E2", "name": "Eli", "role": "rep"},
                      {"id": "E3", "name": "Eve", "role": "rep"}],
        "account_teams": [{"employee_id": "E1", "account_id": "A", "role": "owner"},
                          {"employee_id": "E3", "account_id": "B", "role": "owner"}],
        "influences": [{"from": "E1", "to": "M", "strength": 90},
                       {"from": "M", "to": "X", "strength": 90},
                       {"from": "M", "to": "N", "strength": 80},
                       {"from": "N", "to": "X", "strength": 90},
                       {"from": "X", "to": "M", "strength": 70},
                       {"from": "E3", "to": "Y", "strength": 100},
                       {"from": "Y", "to": "X", "strength": 100},
                       {"from": "C", "to": "N", "strength": 10},
                       {"from": "E2", "to": "X", "strength": 40}],
        "knows": [{"employee_id": "E2", "person_id": "X", "strength": 50},
                  {"employee_id": "E2", "person_id": "C", "strength": 10}],
    }


@pytest.fixture
def graph(store: Store) -> Store:
    import_bundle(store, parse_tables(company()))
    return store


def found(store: Store, target: str = "X", viewer: Viewer = OPERATOR,
          **options: Any) -> list[tuple[list[str], float]]:
    result = best_paths(store, viewer=viewer, target_id=target, **options)
    assert result.target_id == target
    return [(p.nodes, p.strength) for p in result.paths]


def test_the_best_path_is_not_the_shortest(store: Store) -> None:
    # E knows X at 20 (0.20, one hop); E→A→X at 90 × 90 = 0.81 (two hops) comes first.
    bundle = {
        "accounts": [{"id": "A1", "name": "A1"}],
        "departments": [{"id": "D1", "account_id": "A1", "name": "D"}],
        "key_persons": [{"id": "X", "department_id": "D1", "name": "X"},
                        {"id": "P", "department_id": "D1", "name": "P"}],
        "employees": [{"id": "E", "name": "E"}],
        "influences": [{"from": "E", "to": "P", "strength": 90},
                       {"from": "P", "to": "X", "strength": 90}],
        "knows": [{"employee_id": "E", "person_id": "X", "strength": 20}],
    }
    import_bundle(store, parse_tables(bundle))
    assert found(store) == [(["E", "P", "X"], 0.81), (["E", "X"], 0.2)]
    names = best_paths(store, viewer=OPERATOR, target_id="X").paths[0].names
    assert names == ["E", "P", "X"]


def test_distinct_first_hops_come_before_the_rest(graph: Store) -> None:
    # First hops: E3→Y (best 1.00), E1→M (best 0.81), E2→X (0.50), E2→C (0.009).
    # Pure ranking would put E1→M→N→X (0.648) before E2→X (0.50); it shares E1→M with 0.81,
    # so it comes after the best path of every other first hop.
    assert found(graph, k=20) == [
        (["E3", "Y", "X"], 1.0), (["E1", "M", "X"], 0.81), (["E2", "X"], 0.5),
        (["E2", "C", "N", "X"], 0.009), (["E1", "M", "N", "X"], 0.648)]
    assert [nodes for nodes, _ in found(graph, k=3)] == [["E3", "Y", "X"], ["E1", "M", "X"],
                                                         ["E2", "X"]]


def test_max_hops_is_respected(graph: Store) -> None:
    assert found(graph, max_hops=1) == [(["E2", "X"], 0.5)]
    # Two hops: the three-hop paths through N drop out.
    assert found(graph, max_hops=2) == [(["E3", "Y", "X"], 1.0), (["E1", "M", "X"], 0.81),
                                        (["E2", "X"], 0.5)]


def test_no_node_twice_in_a_path(graph: Store) -> None:
    # X→M closes the cycle M⇄X: E1→M→X→M→N→X would be 5 hops; it must never appear.
    # Paths to N: E1→M→N 0.72, E2→C→N 0.01, E2→X→M→N 0.5×0.7×0.8 = 0.28,
    # E3→Y→X→M→N 0.56, and E1→M→X→M→N is a cycle (M twice).
    paths = found(graph, target="N", k=20, max_hops=6)
    assert all(len(nodes) == len(set(nodes)) for nodes, _ in paths)
    assert sorted(paths, key=lambda p: -p[1]) == [
        (["E1", "M", "N"], 0.72), (["E3", "Y", "X", "M", "N"], 0.56),
        (["E2", "X", "M", "N"], 0.28), (["E2", "C", "N"], 0.01)]


def test_a_rep_never_gets_a_path_through_an_account_they_cannot_see(graph: Store) -> None:
    # E1 sees only account A: the best path E3→Y→X runs through Y of account B.
    as_e1 = found(graph, viewer=Viewer("E1", "rep"), k=20)
    assert all("Y" not in nodes for nodes, _ in as_e1)
    assert as_e1[0] == (["E1", "M", "X"], 0.81)
    assert len(as_e1) == 4
    # E3 sees only account B: X is a foreign person, which looks exactly like a missing one.
    with pytest.raises(NotFound):
        best_paths(graph, viewer=Viewer("E3", "rep"), target_id="X")
    with pytest.raises(NotFound):
        best_paths(graph, viewer=OPERATOR, target_id="nobody")


def test_only_the_given_employees_paths(graph: Store) -> None:
    # The daily view: one employee's own paths.
    assert found(graph, source_ids=["E2"]) == [(["E2", "X"], 0.5), (["E2", "C", "N", "X"], 0.009)]
    assert found(graph, source_ids=["E9"]) == []


@pytest.mark.parametrize("options,field", [({"k": 0}, "k"), ({"k": 21}, "k"),
                                           ({"max_hops": 0}, "max_hops"),
                                           ({"max_hops": 7}, "max_hops")])
def test_out_of_range_limits_are_rejected(graph: Store, options: dict[str, int],
                                          field: str) -> None:
    with pytest.raises(InvalidInput) as e:
        best_paths(graph, viewer=OPERATOR, target_id="X", **options)
    assert [p.field for p in e.value.problems] == [field]


def test_api_equals_library_and_rejects_bad_limits(graph: Store, client_for: Any) -> None:
    rep = Viewer("E1", "rep")
    client = client_for(graph, rep)
    response = client.get("/api/v1/key-persons/X/paths", params={"k": 3, "max_hops": 3})
    assert response.status_code == 200
    library = best_paths(graph, viewer=rep, target_id="X", k=3, max_hops=3)
    assert response.json() == library.model_dump(mode="json")
    assert response.json()["paths"][0] == {"strength": 0.81, "nodes": ["E1", "M", "X"],
                                           "names": ["Emma", "Ma", "Xu"]}
    for params, field in (({"k": 21}, "k"), ({"max_hops": 7}, "max_hops"), ({"k": 0}, "k")):
        bad = client.get("/api/v1/key-persons/X/paths", params=params)
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["loc"] == ["query", field]
    assert client.get("/api/v1/key-persons/Y/paths").status_code == 404


def test_the_small_company_veto_holder(store: Store) -> None:
    # P1: E2→P3→P2→P1 = 0.8 × 0.5 × 0.9 = 0.36; E3 knows P1 at 20 = 0.20.
    import_bundle(store, parse_tables(small_bundle()))
    assert found(store, target="P1") == [(["E2", "P3", "P2", "P1"], 0.36), (["E3", "P1"], 0.2)]


SCOPED = {"all": False, "visible": ["A"]}
HOT_QUERIES = [  # (query, parameters, the node its plan must start from by index)
    ("paths/best_paths", {"target_id": "X", "k": 5, "max_hops": 4, "sources": None, **SCOPED},
     "t:KeyPerson"),
    ("history/get_key_person", {"person_id": "X", **SCOPED}, "k:KeyPerson"),
    ("history/update_key_person", {"person_id": "X", "fields": ["closeness"],
                                   "scores": {"closeness": 1}, "role": None, "at": "2026-01-01",
                                   "actor": "test", "source": "test", **SCOPED}, "k:KeyPerson"),
    ("history/list_scores", {"person_id": "X", **SCOPED}, "k:KeyPerson"),
    ("review/list_reviews", {"account_id": "A", **SCOPED}, "a:Account"),
    ("review/latest_review_before", {"account_id": "A", "before": "2026-01-01", **SCOPED},
     "a:Account"),
    ("dashboard/account_states", {"ids": ["A"], "cuts": ["2026-01-01"], **SCOPED}, "a:Account"),
    ("derived/rebuild_account_series", {"ids": ["A"]}, "a:Account"),
    ("derived/data_version", {}, "v:DataVersion"),
]


@pytest.mark.parametrize("query,params,anchor", HOT_QUERIES, ids=[q for q, _, _ in HOT_QUERIES])
def test_the_plan_starts_from_an_index(graph: Store, query: str, params: dict[str, Any],
                                       anchor: str) -> None:
    """The planner trap: each hot query must start from an id index, never a scan."""
    assert_starts_from_an_index(graph.explain(query, **params), graph.dialect, anchor)
