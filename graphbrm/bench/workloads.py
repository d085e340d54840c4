"""W1–W6 as library calls on the seeded company; W7 (HTTP) is in service.py.

Each workload warms up once, then runs `runs` times; latencies are reported as nearest-rank
percentiles in milliseconds. Nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from graphbrm.access import Viewer
from graphbrm.bench.company import SCRATCH_GRAPH, Imported, Sample, Target, timed_import
from graphbrm.bundle import Bundle
from graphbrm.figures import Thresholds
from graphbrm.store import Store

Stats = dict[str, Any]
THRESHOLDS = Thresholds()
PAST_DAYS = 180  # W3's "past date": half a year back, inside the 24 months of history


def percentiles(samples_ms: list[float]) -> Stats:
    """p50/p95/p99 (nearest rank) of latencies in ms, and how many there were."""
    ordered = sorted(samples_ms)

    def rank(pct: float) -> float:
        return round(ordered[max(1, math.ceil(pct / 100 * len(ordered))) - 1], 3)

    if not ordered:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0, "runs": 0}
    return {"p50_ms": rank(50), "p95_ms": rank(95), "p99_ms": rank(99), "runs": len(ordered)}


def timed(call: Callable[[], Any]) -> float:
    """Milliseconds that one call took."""
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def repeat(make_call: Callable[[], Callable[[], Any]], runs: int) -> Stats:
    """Warm up once, then time `runs` calls, each made fresh (a new random pick)."""
    make_call()()
    return percentiles([timed(make_call()) for _ in range(runs)])


def w1_review(store: Store, sample: Sample, runs: int) -> Stats:
    """Monthly review of a random key account, as its rep."""
    from graphbrm.review import monthly_review

    today = dt.date.today()

    def call() -> Callable[[], Any]:
        account, rep = sample.rng.choice(sample.accounts)
        return lambda: monthly_review(store, viewer=Viewer(rep, "rep"), account_id=account,
                                      as_of=today, thresholds=THRESHOLDS)
    return repeat(call, runs)


def w2_paths(store: Store, sample: Sample, runs: int) -> Stats:
    """Top-5 reach paths (≤ 4 hops) to a random veto holder, as the rep of its account."""
    from graphbrm.paths import best_paths

    def call() -> Callable[[], Any]:
        person, rep = sample.rng.choice(sample.veto_holders)
        return lambda: best_paths(store, viewer=Viewer(rep, "rep"), target_id=person, k=5,
                                  max_hops=4)
    return repeat(call, runs)


def w3_dashboard(store: Store, sample: Sample, runs: int, cold_runs: int) -> Stats:
    """Company dashboard as of today and a past date, through the report cache as the API
    serves it: warm (repeated), and cold (just after a score edit, so the cache misses); the top
    level is warm, `cold` the first call after each write."""
    from graphbrm.cache import ReportCache
    from graphbrm.dashboard import dashboard

    executive = Viewer(sample.executive_id, "executive")
    today = dt.date.today()
    days = [today, today - dt.timedelta(days=PAST_DAYS)]
    cache = ReportCache()

    def call(day: dt.date) -> Callable[[], Any]:
        return lambda: cache.get(store, ("dashboard", executive, day), lambda: dashboard(
            store, viewer=executive, as_of=day, thresholds=THRESHOLDS))

    cold = []
    for n in range(cold_runs):
        edit_a_score(store, sample)
        cold.append(timed(call(days[n % 2])))
    warm = [timed(call(days[n % 2])) for n in range(runs)]
    return {**percentiles(warm), "cold": percentiles(cold),
            "as_of": [d.isoformat() for d in days]}


def edit_a_score(store: Store, sample: Sample) -> None:
    """A real small write: a veto holder's closeness moves by one, as a user's edit would."""
    from graphbrm.key_persons import KeyPersonUpdate, get_key_person, update_key_person

    person, _ = sample.rng.choice(sample.veto_holders)
    operator = Viewer.operator()
    now = get_key_person(store, viewer=operator, person_id=person, thresholds=THRESHOLDS)
    closeness = 50 if now.closeness is None else (now.closeness + 1 if now.closeness < 100 else 99)
    update_key_person(store, viewer=operator, person_id=person, thresholds=THRESHOLDS,
                      changes=KeyPersonUpdate(closeness=closeness))


def w4_yearly(store: Store, runs: int) -> Stats:
    """Yearly assessment of all reps (this year, as of today)."""
    from graphbrm.figures import Targets
    from graphbrm.yearly import yearly_assessment

    today = dt.date.today()
    return repeat(lambda: lambda: yearly_assessment(
        store, viewer=Viewer.operator(), year=today.year, thresholds=THRESHOLDS,
        targets=Targets(), today=today), runs)


def w5_import(store: Store, target: Target, bundle: Bundle, seeded: Imported | None) -> Stats:
    """Import of the whole company into an empty graph, validation included: rows/s.

    An import that just seeded the company is that measurement; otherwise the embedded store
    imports into a scratch graph beside the company, and Neo4j (one database) is re-seeded.
    """
    from graphbrm.bench.company import replace_company

    if seeded is None and target.embedded:
        scratch = target.open(SCRATCH_GRAPH)
        try:
            scratch.clear()
            seeded = timed_import(scratch, bundle)
            scratch.clear()
        finally:
            scratch.close()
    elif seeded is None:
        seeded = replace_company(store, target, bundle)
    return {"rows": seeded.rows, "seconds": round(seeded.seconds, 3),
            "rows_per_s": round(seeded.rows / seeded.seconds, 1),
            "score_records": seeded.score_records}


def w6_analysis(target: Target) -> Stats:
    """`graphbrm analyze` of the whole company in a child process: seconds and its peak RSS."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(graphbrm_command("analyze", "--json"), env=target.env(),
                                 stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak memory
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"graphbrm analyze failed ({child.returncode}): "
                               f"{errors.read().decode(errors='replace')[-500:]}")
    return {"seconds": round(seconds, 3), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def graphbrm_command(*args: str) -> list[str]:
    """The `graphbrm` command line of this interpreter (no reliance on PATH)."""
    return [sys.executable, "-c", "from graphbrm.cli import main; main()", *args]


def networkx_ratio(store: Store, sample: Sample, runs: int, store_p50_ms: float) -> float | None:
    """W2 on the store ÷ the same search in networkx on an in-memory snapshot (p50s)."""
    from graphbrm.analysis.reachability import REACH_KINDS
    from graphbrm.analysis.snapshot import load_snapshot

    graph = reversed_reach(load_snapshot(store, viewer=Viewer.operator(), kinds=REACH_KINDS))
    stats = repeat(lambda: _nx_call(graph, sample), runs)
    return round(store_p50_ms / stats["p50_ms"], 3) if stats["p50_ms"] else None


def _nx_call(graph: nx.DiGraph, sample: Sample) -> Callable[[], Any]:
    person, _ = sample.rng.choice(sample.veto_holders)
    return lambda: networkx_best_paths(graph, person)


def reversed_reach(snapshot: nx.MultiDiGraph) -> nx.DiGraph:
    """The reach edges reversed (person ← employee or person), the best of parallel ties."""
    from graphbrm.analysis.reachability import ReachGraph

    reach = ReachGraph.of(snapshot)
    graph = nx.DiGraph()
    graph.add_nodes_from(reach.employees, employee=True)
    graph.add_edges_from((v, u, {"strength": s}) for u, vs in reach.succ.items()
                         for v, s in vs.items())
    return graph


def networkx_best_paths(graph: nx.DiGraph, target: str, *, k: int = 5,
                        max_hops: int = 4) -> list[tuple[float, list[str]]]:
    """paths/best_paths.cypher in networkx: the best path per distinct first hop, then the
    rest, by strength, hops and ids; from any employee, at most `max_hops` hops."""
    if target not in graph:
        return []
    employees = [n for n, is_employee in graph.nodes(data="employee") if is_employee]
    found = []
    for backwards in nx.all_simple_paths(graph, target, employees, cutoff=max_hops):
        nodes = backwards[::-1]
        strength = math.prod(graph[v][u]["strength"] for u, v in itertools.pairwise(nodes))
        found.append((strength, nodes))
    found.sort(key=lambda p: (-p[0], len(p[1]), ">".join(p[1]) + ">"))
    firsts: dict[tuple[str, str], tuple[float, list[str]]] = {}
    for path in found:
        firsts.setdefault((path[1][0], path[1][1]), path)
    chosen = {id(p) for p in firsts.values()}
    ranked = list(firsts.values()) + [p for p in found if id(p) not in chosen]
    return ranked[:k]
