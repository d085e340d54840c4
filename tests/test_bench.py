"""`graphbrm bench`: the quick mode end to end, and its parts on the small company.

No test here asserts a time: only that each workload ran as often as asked, on what it claims.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbrm.access import Viewer
from graphbrm.analysis.reachability import REACH_KINDS
from graphbrm.analysis.snapshot import load_snapshot
from graphbrm.bench import workloads as w
from graphbrm.bench.company import (
    NotScratch,
    Target,
    draw_sample,
    ensure_company,
    generate_bundle,
    replace_company,
)
from graphbrm.bench.report import WORKLOADS, rows, scale_ratios
from graphbrm.bench.suite import Plan, parse_workloads
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput
from graphbrm.history import score_history
from graphbrm.importer import import_bundle
from graphbrm.paths import best_paths
from graphbrm.store import Store
from tests.small import small_bundle

LATENCY = {"p50_ms", "p95_ms", "p99_ms", "runs"}


def test_quick_mode_measures_w1_to_w7_and_writes_the_json(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from graphbrm.cli import app

    for name in ("GRAPHBRM_STORE", "GRAPHBRM_GRAPH", "GRAPHBRM_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "s01.json"
    runner = CliRunner()
    common = ["bench", "--scale", "0.1", "--runs", "3", "--cache-dir", str(tmp_path / "cache")]
    result = runner.invoke(app, [*common, "--seconds", "2", "--clients", "4", "--json", str(out)])
    assert result.exit_code == 0, result.output
    body = json.loads(out.read_text())
    assert {"scale", "store", "versions", "machine", "workloads", "ratios"} <= set(body)
    assert (body["scale"], body["store"]) == (0.1, "embedded")
    found = body["workloads"]
    assert list(found) == list(WORKLOADS)
    for workload in ("W1", "W2", "W3", "W4"):
        assert set(found[workload]) >= LATENCY and found[workload]["runs"] == 3, workload
    assert found["W3"]["cold"]["runs"] == 3
    assert found["W5"]["rows"] == generate_bundle(0.1, 7).row_count()
    assert set(found["W5"]) >= {"rows", "seconds", "rows_per_s"}
    assert found["W6"]["seconds"] > 0 and found["W6"]["peak_rss_mb"] > 0
    assert set(found["W7"]) >= {"req_per_s", "p50_ms", "p99_ms", "errors"}
    assert found["W7"]["requests"] > 0 and found["W7"]["errors"] == 0
    assert set(found["W7"]["routes"]) <= {"review", "paths", "dashboard"}
    assert found["W7"]["w1_sequential"]["runs"] == 3 and found["W7"]["store_rss_mb"] > 0
    assert set(body["ratios"]) == {"W1_http_over_library", "W2_store_over_networkx"}
    assert "W7 HTTP mix" in result.stdout and "W1_http_over_library" in result.stdout
    # The second run reuses the company of that scale and seed instead of importing it again.
    again = runner.invoke(app, [*common, "--workloads", "w1,W5", "--json", str(out)])
    assert again.exit_code == 0, again.output
    assert "reused it from" in again.output
    assert list(json.loads(out.read_text())["workloads"]) == ["W1", "W5"]
    # Two runs' files give the ratios across scales.
    compared = runner.invoke(app, ["bench", "--compare", str(out), str(out)])
    assert compared.exit_code == 0 and "W1_s0.1_over_s0.1" in compared.stdout


def test_plan_and_report_helpers() -> None:
    assert parse_workloads("w2, W1,W2") == ("W2", "W1")
    for bad in ("", "W8", "W1,x"):
        with pytest.raises(InvalidInput):
            parse_workloads(bad)
    assert (Plan(0.1, runs=3).slow_runs, Plan(1, runs=200).slow_runs, Plan(1, runs=1).slow_runs) == (
        3, 20, 1)
    assert w.percentiles([5.0, 1.0, 3.0, 2.0, 4.0]) == {"p50_ms": 3.0, "p95_ms": 5.0,
                                                        "p99_ms": 5.0, "runs": 5}
    small = {"scale": 1, "workloads": {"W1": {"p99_ms": 4.0}, "W2": {"p99_ms": 2.0}}}
    large = {"scale": 10, "workloads": {"W1": {"p99_ms": 5.0}, "W2": {"p99_ms": 3.0}}}
    assert scale_ratios(small, large) == {"W1_s10_over_s1": 1.25, "W2_s10_over_s1": 1.5}
    result = {"store": "bolt://x", "workloads": {"W5": {"rows": 10, "seconds": 1.0,
                                                        "rows_per_s": 20_000.0}}}
    assert ("W5", "rows/s", "20,000", "≥ 15,000", "met") in rows(result)


def test_the_company_is_marked_reused_and_never_someone_elses(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    target = Target("bolt://somewhere", Path("unused"), 0.05, 7)
    with pytest.raises(NotScratch):  # real data, no marker: refused, nothing cleared
        ensure_company(store, target, parse_tables(small_bundle()))
    assert store.read("bench/get_marker")[0]["scale"] is None
    imported = replace_company(store, target, parse_tables(small_bundle()))
    assert imported.rows == parse_tables(small_bundle()).row_count()
    marker = store.read("bench/get_marker")[0]
    assert (marker["scale"], marker["seed"], marker["complete"]) == (0.05, 7, True)
    assert ensure_company(store, target, parse_tables(small_bundle())) is None
    other_seed = Target("bolt://somewhere", Path("unused"), 0.05, 8)
    assert ensure_company(store, other_seed, parse_tables(small_bundle())) is not None
    assert "version" in store.read("bench/server_version")[0]


def test_workloads_on_the_small_company(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    sample = draw_sample(store, seed=7)
    assert ("A1", "E2") in sample.accounts and ("P1", "E2") in sample.veto_holders
    assert sample.executive_id
    for stats in (w.w1_review(store, sample, 2), w.w2_paths(store, sample, 2),
                  w.w4_yearly(store, 2)):
        assert set(stats) == LATENCY and stats["runs"] == 2
    before = score_history(store, viewer=Viewer.operator(), person_id="P1").count
    dashboard = w.w3_dashboard(store, sample, 2, 2)
    assert dashboard["runs"] == 2 and dashboard["cold"]["runs"] == 2
    # Each cold run follows a real score edit of a veto holder (P1 is the only one).
    assert score_history(store, viewer=Viewer.operator(), person_id="P1").count == before + 2


def test_the_networkx_search_finds_the_stores_paths(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    graph = w.reversed_reach(load_snapshot(store, viewer=Viewer.operator(), kinds=REACH_KINDS))
    for person in ("P1", "P2", "P3", "P4"):
        on_store = best_paths(store, viewer=Viewer.operator(), target_id=person)
        in_networkx = w.networkx_best_paths(graph, person)
        assert [p.nodes for p in on_store.paths] == [nodes for _, nodes in in_networkx], person
        assert [p.strength for p in on_store.paths] == pytest.approx(
            [s for s, _ in in_networkx]), person
    assert w.networkx_best_paths(graph, "nobody") == []
