"""Offline analysis (docs/method.md): snapshot, reachability, disjoint paths, what-if.

The hand-built graphs have their answers worked out in the comments.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import networkx as nx  # type: ignore[import-untyped]  # no stubs installed
import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import figures_for
from graphbrm.analysis.reachability import (
    REACH_KINDS,
    ReachGraph,
    analyze,
    cut_nodes,
    hops_from_staff,
    node_disjoint_paths,
)
from graphbrm.analysis.snapshot import SNAPSHOT_LABELS, SNAPSHOT_TYPES, load_snapshot, parse_graph_part
from graphbrm.analysis.whatif import WhatIfRequest, what_if
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput, NotFound
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.plans import assert_starts_from_an_index
from tests.small import small_bundle

T = Thresholds()
OPERATOR = Viewer.operator()
TODAY = dt.date.today()


def graph_counts(store: Store) -> dict[str, int]:
    return {r["kind"]: r["count"] for r in store.read("stats/graph_counts")}


def reach_graph(ties: list[tuple[str, str, int]], roles: dict[str, str]) -> nx.MultiDiGraph:
    """A snapshot-shaped graph: ids starting with E are employees, the rest key persons."""
    graph = nx.MultiDiGraph()
    for u, v, _ in ties:
        for n in (u, v):
            label = "Employee" if n.startswith("E") else "KeyPerson"
            graph.add_node(n, id=n, name=n.lower(), label=label,
                           **({"decision_role": roles.get(n, "user"), "account_id": "A"}
                              if label == "KeyPerson" else {}))
    for n, role in roles.items():
        if n not in graph:
            graph.add_node(n, id=n, name=n.lower(), label="KeyPerson", decision_role=role,
                           account_id="A")
    for u, v, strength in ties:
        graph.add_edge(u, v, key="INFLUENCES", type="INFLUENCES", strength=strength)
    return graph


# P3 (veto):     E1→P1→P3 and E2→P1→P3                    → P1 lies on every path.
# P2 (approver): E1→P2 and E1→P4→P2                       → E1 lies on every path.
# W (approver):  E1→W only                                → E1 again (E1 now has 2 dependents).
# T (veto):      E3→Q1→T (2 hops), E4→R1→R2→R3→R4→T (5)   → within 4 hops E3 and Q1 are cuts,
#                                                           though over any length nobody is.
# V (veto):      E5→S1→S2→S3→S4→V, 5 hops                → unreachable within 4 hops.
# X (decision maker): E2→X only → unreachable? no; E2 is a cut, but only veto/approver count.
# U (decision maker): no tie at all                      → unreachable, no path at all.
TIES = [("E1", "P1", 80), ("E2", "P1", 50), ("P1", "P3", 90),
        ("E1", "P2", 60), ("E1", "P4", 100), ("P4", "P2", 70), ("E1", "W", 50),
        ("E3", "Q1", 40), ("Q1", "T", 50),
        ("E4", "R1", 100), ("R1", "R2", 100), ("R2", "R3", 100), ("R3", "R4", 100),
        ("R4", "T", 100),
        ("E5", "S1", 100), ("S1", "S2", 100), ("S2", "S3", 100), ("S3", "S4", 100),
        ("S4", "V", 100), ("E2", "X", 30)]
ROLES = {"P3": "veto", "P2": "approver", "W": "approver", "T": "veto", "V": "veto",
         "X": "decision_maker", "U": "decision_maker"}


def test_unreachable_decision_makers_veto_holders_first() -> None:
    report = analyze(reach_graph(TIES, ROLES), thresholds=T)
    assert [(u.id, u.decision_role, u.hops) for u in report.unreachable] == [
        ("V", "veto", 5), ("U", "decision_maker", None)]
    assert report.unreachable_total == 2
    assert (report.decision_makers, report.gates, report.employees) == (7, 5, 5)
    # V has no scores: a veto holder with unknown dimensions is unclear (docs/method.md).
    assert report.unreachable[0].status == "unclear"


def test_single_points_of_failure_are_exact_for_the_hop_bound() -> None:
    report = analyze(reach_graph(TIES, ROLES), thresholds=T)
    assert [(s.id, s.kind, s.targets) for s in report.single_points_of_failure] == [
        ("E1", "employee", ["P2", "W"]), ("E3", "employee", ["T"]),
        ("P1", "key_person", ["P3"]), ("Q1", "key_person", ["T"])]
    # With room for the 5-hop detour, nothing cuts T off any more.
    wide = analyze(reach_graph(TIES, ROLES), max_hops=5, thresholds=T)
    assert all("T" not in s.targets for s in wide.single_points_of_failure)
    assert "V" in [t for s in wide.single_points_of_failure for t in s.targets]


def test_cut_nodes_agree_with_removing_each_node() -> None:
    # The definition, checked by brute force: x is a cut of t when, without x, no employee
    # reaches t within 4 hops.
    graph = reach_graph(TIES, ROLES)
    reach = ReachGraph.of(graph)
    hops = hops_from_staff(reach, limit=4)
    for target in ("P3", "P2", "W", "T"):
        brute = []
        for x in sorted(set(graph) - {target}):
            without = ReachGraph.of(graph, without=[x])
            if hops_from_staff(without, limit=4).get(target, 5) > 4:
                brute.append(x)
        assert cut_nodes(reach, target, hops, max_hops=4) == brute, target


def test_access_holders_by_reach_then_summed_best_strength() -> None:
    # E1: P3 via P1 0.8×0.9 = 0.72; P2 best of 0.6 and 1.0×0.7 = 0.70; W 0.5 → 3, 1.92.
    # E2: P3 via P1 0.5×0.9 = 0.45; X 0.3 → 2, 0.75.   E3: T 0.4×0.5 = 0.2 → 1, 0.2.
    # E4 and E5 reach T and V only in 5 hops: not holders within 4.
    report = analyze(reach_graph(TIES, ROLES), thresholds=T)
    assert [(h.employee_id, h.decision_makers) for h in report.access_holders] == [
        ("E1", 3), ("E2", 2), ("E3", 1)]
    assert [h.strength for h in report.access_holders] == pytest.approx([1.92, 0.75, 0.2])
    assert len(analyze(reach_graph(TIES, ROLES), thresholds=T, top=1).access_holders) == 1


def test_node_disjoint_paths_counted_by_hand() -> None:
    # Into Z come A, B and C: E1→A→Z, E2→B→Z, E3→C→Z share nobody → 3 paths.
    ties = [("E1", "A", 50), ("E1", "B", 50), ("E2", "B", 100), ("A", "Z", 100),
            ("B", "Z", 100), ("B", "C", 100), ("C", "Z", 100), ("E3", "C", 20)]
    found = node_disjoint_paths(reach_graph(ties, {"Z": "veto"}), "Z")
    assert sorted(p.nodes for p in found.paths) == [["E1", "A", "Z"], ["E2", "B", "Z"],
                                                    ["E3", "C", "Z"]]
    assert [p.strength for p in found.paths] == [1.0, 0.5, 0.2]  # strongest first
    # Without E3's tie, C is only reached through B, which E2's path already uses → 2.
    fewer = node_disjoint_paths(reach_graph(ties[:-1], {"Z": "veto"}), "Z")
    assert len(fewer.paths) == 2
    # P1 cuts every path to P3 (above), so there is exactly one disjoint path.
    assert len(node_disjoint_paths(reach_graph(TIES, ROLES), "P3").paths) == 1
    # T: the 5-hop detour counts only when 5 hops are allowed.
    assert len(node_disjoint_paths(reach_graph(TIES, ROLES), "T").paths) == 1
    assert len(node_disjoint_paths(reach_graph(TIES, ROLES), "T", max_hops=5).paths) == 2
    assert node_disjoint_paths(reach_graph(TIES, ROLES), "U").paths == []


def test_scope_parsing() -> None:
    assert str(parse_graph_part("company")) == "company"
    assert str(parse_graph_part("region:华东")) == "region:华东"
    assert parse_graph_part("account:A:1").value == "A:1"
    for bad in ("", "team:X", "region:", "everything"):
        with pytest.raises(InvalidInput):
            parse_graph_part(bad)


# --- on a store -------------------------------------------------------------------------


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


@pytest.fixture
def seeded(store: Store) -> Store:
    from graphbrm.seed.generate import generate

    import_bundle(store, parse_tables(generate(scale=0.05, seed=7, end=dt.date(2026, 11, 28))))
    return store


def test_snapshot_of_a_seeded_company_holds_every_node_and_edge(seeded: Store) -> None:
    from graphbrm.review import ReviewCreate, record_review

    account = seeded.read("snapshot/scope_account_ids", all=True, visible=[], account_id=None,
                          region=None)[0]["id"]
    record_review(seeded, viewer=OPERATOR, account_id=account, thresholds=T,
                  review=ReviewCreate(date=dt.date(2026, 11, 1), rep_id="E00001", actions=[]))
    counts = graph_counts(seeded)
    graph = load_snapshot(seeded, viewer=OPERATOR)
    by_label = {label: 0 for label in SNAPSHOT_LABELS}
    for _, label in graph.nodes(data="label"):
        by_label[label] += 1
    by_type = {kind: 0 for kind in SNAPSHOT_TYPES}
    for _, _, kind in graph.edges(data="type"):
        by_type[kind] += 1
    assert by_label == {label: counts.get(f"node:{label}", 0) for label in SNAPSHOT_LABELS}
    assert by_type == {kind: counts.get(f"rel:{kind}", 0) for kind in SNAPSHOT_TYPES}
    assert by_label["Review"] == 1 and by_label["KeyPerson"] > 900
    # History, sign-in records and derived figures stay out; everything else is there.
    left_out = {k.split(":")[1] for k in counts} - SNAPSHOT_LABELS - SNAPSHOT_TYPES
    assert left_out <= {"Score", "TieChange", "SCORED", "Token", "AccountSeries", "DataVersion"}


def test_snapshot_properties_and_keys(small: Store) -> None:
    graph = load_snapshot(small, viewer=OPERATOR)
    assert graph.nodes["P4"] == {"id": "P4", "name": "Chen Jing", "title": "Engineer",
                                 "decision_role": "user", "closeness": 40,
                                 "solution_acceptance": 60, "scored_at": "2026-10-01",
                                 "account_id": "A1", "label": "KeyPerson"}
    assert graph.edges["E2", "P3", "INFLUENCES"] == {"strength": 80, "since": "2025-03-01",
                                                     "type": "INFLUENCES"}
    assert graph.edges["D3", "D2", "PART_OF"] == {"type": "PART_OF"}
    assert graph.nodes["O1"]["qualified"] is True


def test_a_reps_snapshot_holds_only_their_accounts(small: Store) -> None:
    # P9 of account A3 (not E2's) influences P1 of A1: neither P9 nor the tie may show.
    import_bundle(small, parse_tables({"influences": [{"from": "P9", "to": "P1",
                                                       "strength": 70}]}))
    rep = Viewer("E2", "rep")  # owns A1 only
    graph = load_snapshot(small, viewer=rep)
    persons = {n for n, label in graph.nodes(data="label") if label == "KeyPerson"}
    assert persons == {"P1", "P2", "P3", "P4"}
    assert {n for n, label in graph.nodes(data="label") if label == "Account"} == {"A1"}
    assert "D9" not in graph and "P9" not in graph
    assert {n for n, label in graph.nodes(data="label") if label == "Employee"} == {
        "E1", "E2", "E3"}  # our staff, all of them
    # The query itself never returns the foreign end (scoping lives in the queries).
    rows = small.read("snapshot/rels_influences_person", ids=["A1"], all=False, visible=["A1"])
    assert "P9" not in rows[0]["sources"]
    with pytest.raises(NotFound):
        load_snapshot(small, viewer=rep, account_id="A3")
    assert set(load_snapshot(small, viewer=OPERATOR, region="华北")) >= {"A3", "P9", "D9"}
    assert "P9" in load_snapshot(small, viewer=OPERATOR)


def test_analysis_on_the_small_company_through_the_api(small: Store, client_for: Any) -> None:
    # P2 (approver) is reached only by E2→P3→P2 (0.8×0.5 = 0.40): E2 and P3 are cuts.
    # P1 (veto): E2→P3→P2→P1 (0.36) and E3 knows P1 (0.20): no cut.
    client = client_for(small, Viewer("E2", "rep"))
    response = client.get("/api/v1/analysis/reachability", params={"scope": "account:A1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"] == "account:A1" and body["unreachable"] == []
    assert [(s["id"], s["targets"]) for s in body["single_points_of_failure"]] == [
        ("E2", ["P2"]), ("P3", ["P2"])]
    assert [(h["employee_id"], h["decision_makers"], h["strength"])
            for h in body["access_holders"]] == [("E2", 2, 0.76), ("E3", 1, 0.2)]
    assert client.get("/api/v1/analysis/reachability",
                      params={"scope": "account:A3"}).status_code == 404
    assert client.get("/api/v1/analysis/reachability",
                      params={"scope": "team:X"}).status_code == 422
    paths = client.get("/api/v1/analysis/disjoint-paths/P1").json()
    assert paths["paths"] == [{"nodes": ["E2", "P3", "P2", "P1"], "hops": 3, "strength": 0.36},
                              {"nodes": ["E3", "P1"], "hops": 1, "strength": 0.2}]
    assert client.get("/api/v1/analysis/disjoint-paths/P9").status_code == 404
    assert client.get("/api/v1/analysis/disjoint-paths/nobody").status_code == 404


# --- what-if ----------------------------------------------------------------------------


def test_what_if_scores_and_a_leaver_on_the_small_company(small: Store) -> None:
    before = graph_counts(small)
    request = WhatIfRequest.model_validate({
        "person_changes": [{"person_id": "P1", "price_acceptance": 70}],
        "employee_leaves": ["E2"]})
    result = what_if(small, viewer=OPERATOR, request=request, thresholds=T)
    assert graph_counts(small) == before  # nothing written
    [a1] = result.accounts
    # Price: (59+80+61)/3 = 66.67 before; P1 59 → 70 gives (70+80+61)/3 = 70.33.
    assert a1.before.figures.averages.price_acceptance == pytest.approx(200 / 3)
    assert a1.after.figures.averages.price_acceptance == pytest.approx(211 / 3)
    answers = {(q.key, q.passed) for q in a1.before.questions}
    # Coverage fails (1 missing, P4 unknown); averages pass (70, 75, 66.7); P1 opposes (59).
    assert answers == {("coverage", False), ("averages", True), ("blockers", False)}
    assert {(q.key, q.passed) for q in a1.after.questions} == {
        ("coverage", False), ("averages", True), ("blockers", True)}
    # Without E2: P2 loses its only path; P1 keeps E3's 0.20 (was 0.36 through E2).
    reach = {d.person_id: (d.reachable_before, d.reachable_after, d.strength_before,
                           d.strength_after, d.status_before, d.status_after)
             for d in a1.decision_makers}
    assert reach == {"P1": (True, True, 0.36, 0.2, "opposes", "ok"),
                     "P2": (True, False, 0.4, None, "ok", "ok")}


@pytest.mark.parametrize(("expected", "complete"), [(None, False), (1, True)])
def test_what_if_coverage_needs_a_key_accounts_expected_count(store: Store, expected: int | None,
                                                              complete: bool) -> None:
    # One person, fully scored: the map is complete only if the account says it expects one.
    account: dict[str, Any] = {"id": "A9", "name": "单人客户", "tier": "key"}
    if expected is not None:
        account["expected_key_persons"] = expected
    import_bundle(store, parse_tables({
        "accounts": [account], "departments": [{"id": "D90", "account_id": "A9", "name": "采购部"}],
        "key_persons": [{"id": "P90", "department_id": "D90", "name": "赵一", "closeness": 70,
                         "solution_acceptance": 70, "price_acceptance": 70}]}))
    request = WhatIfRequest.model_validate({"person_changes": [{"person_id": "P90", "closeness": 90}]})
    [a9] = what_if(store, viewer=OPERATOR, request=request, thresholds=T).accounts
    for state in (a9.before, a9.after):
        assert {(q.key, q.passed) for q in state.questions} >= {("coverage", complete)}


def test_what_if_before_agrees_with_the_account_figures(seeded: Store) -> None:
    # Persons of a dozen accounts change; each account's "before" equals figures_for.
    persons = seeded.read("export/key_persons")[::80]
    request = WhatIfRequest.model_validate({
        "person_changes": [{"person_id": p["id"], "closeness": 100} for p in persons],
        "employee_leaves": ["E00003"]})
    result = what_if(seeded, viewer=OPERATOR, request=request, thresholds=T)
    ids = [a.account_id for a in result.accounts]
    assert len(ids) >= 10
    expected = figures_for(seeded, ids=ids, as_of=TODAY, thresholds=T,
                           params={"all": True, "visible": []})
    for account, figures in zip(result.accounts, expected, strict=True):
        got = account.before.figures.model_dump()
        want = figures.model_dump()
        assert got["averages"] == pytest.approx(want.pop("averages")), account.account_id
        got.pop("averages")
        assert got == want
        assert account.after.figures.identified == figures.identified


def test_what_if_is_scoped_and_checked(small: Store, client_for: Any) -> None:
    rep = client_for(small, Viewer("E2", "rep"))
    ok = rep.post("/api/v1/analysis/what-if",
                  json={"person_changes": [{"person_id": "P2", "closeness": 10}]})
    assert ok.status_code == 200, ok.text
    assert [a["account_id"] for a in ok.json()["accounts"]] == ["A1"]
    # A foreign person looks exactly like a missing one.
    for person in ("P9", "nobody"):
        assert rep.post("/api/v1/analysis/what-if", json={
            "person_changes": [{"person_id": person, "closeness": 10}]}).status_code == 404
    assert rep.post("/api/v1/analysis/what-if",
                    json={"employee_leaves": ["E9"]}).status_code == 404
    assert rep.post("/api/v1/analysis/what-if", json={}).status_code == 422
    assert rep.post("/api/v1/analysis/what-if", json={"person_changes": [
        {"person_id": "P2", "closeness": 101}]}).status_code == 422
    assert rep.post("/api/v1/analysis/what-if", json={"person_changes": [
        {"person_id": "P2", "warmth": 1}]}).status_code == 422
    with pytest.raises(InvalidInput):
        what_if(small, viewer=OPERATOR, thresholds=T, request=WhatIfRequest.model_validate(
            {"person_changes": [{"person_id": "P2"}, {"person_id": "P2"}]}))
    # E3 (another team) leaves: only A1, where E3 knows P1, is affected for the rep.
    leaver = rep.post("/api/v1/analysis/what-if", json={"employee_leaves": ["E3"]}).json()
    assert [a["account_id"] for a in leaver["accounts"]] == ["A1"]


def test_reach_snapshot_loads_only_what_the_analysis_needs(small: Store) -> None:
    graph = load_snapshot(small, viewer=OPERATOR, kinds=REACH_KINDS)
    assert {label for _, label in graph.nodes(data="label")} == {"Employee", "KeyPerson"}
    assert {kind for _, _, kind in graph.edges(data="type")} == {"INFLUENCES", "KNOWS"}


@pytest.mark.parametrize("query,params", [
    ("snapshot/person_accounts", {"ids": ["P1"], "all": False, "visible": ["A1"]}),
    ("whatif/employee_accounts", {"ids": ["E2"], "all": False, "visible": ["A1"]}),
    ("snapshot/nodes_key_person", {"ids": ["A1"], "all": False, "visible": ["A1"]}),
    ("snapshot/rels_knows", {"ids": ["A1"], "all": False, "visible": ["A1"]}),
])
def test_per_request_queries_start_from_an_index(small: Store, query: str,
                                                 params: dict[str, Any]) -> None:
    """The planner trap: what-if and disjoint paths run these on every request."""
    assert_starts_from_an_index(small.explain(query, **params), small.dialect)


def test_cli_analyze_prints_the_apis_json(small: Store, client_for: Any,
                                          monkeypatch: pytest.MonkeyPatch, point_cli_at: Any) -> None:
    from typer.testing import CliRunner

    from graphbrm.cli import app

    point_cli_at(small)
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", "--scope", "region:华东", "--top", "1", "--json"])
    assert result.exit_code == 0, result.output
    api = client_for(small).get("/api/v1/analysis/reachability",
                                params={"scope": "region:华东", "top": 1})
    assert json.loads(result.stdout) == api.json()
    assert len(api.json()["single_points_of_failure"]) == 1
    table = runner.invoke(app, ["analyze"])
    assert table.exit_code == 0, table.output
    assert "single points of failure (2)" in table.stdout and "孙丽" in table.stdout
