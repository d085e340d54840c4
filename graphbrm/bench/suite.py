"""`graphbrm bench`: W1–W7 on a seeded company, per store, with the ratios.

One store at a time: open it, seed the company (or reuse it), draw the sample, run the chosen
workloads, close it. The ratios that need one run (HTTP ÷ library, store ÷ networkx, embedded ÷
Neo4j) are computed here; those across scales come from two JSON files (`--compare`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphbrm.bench import workloads as w
from graphbrm.bench.company import (
    Imported,
    Progress,
    Sample,
    Target,
    draw_sample,
    ensure_company,
    generate_bundle,
)
from graphbrm.bench.report import WORKLOADS, Result, machine, store_ratios, versions
from graphbrm.bundle import Bundle
from graphbrm.errors import InvalidInput, Problem
from graphbrm.store import Store

Say = Callable[[str], None]


@dataclass(frozen=True)
class Plan:
    """What to measure: the scale and seed of the company, which workloads, how hard."""

    scale: float
    seed: int = 7
    workloads: tuple[str, ...] = WORKLOADS
    runs: int = 200
    clients: int = 16
    seconds: float = 20.0

    @property
    def slow_runs(self) -> int:
        """Runs of the company-wide workloads (W3 cold, W4): a tenth, at least 3 (or `runs`)."""
        return max(min(self.runs, 3), self.runs // 10)


def parse_workloads(text: str) -> tuple[str, ...]:
    """`W1,W3` as ("W1", "W3"); an unknown name is InvalidInput."""
    chosen = tuple(dict.fromkeys(t.strip().upper() for t in text.split(",") if t.strip()))
    unknown = [t for t in chosen if t not in WORKLOADS]
    if unknown or not chosen:
        raise InvalidInput([Problem("bench", None, "workloads",
                                    f"{text!r}: expected some of {', '.join(WORKLOADS)}")])
    return chosen


def run_bench(plan: Plan, stores: Sequence[str], *, cache_dir: Path,
              say: Say = lambda _: None, progress: Progress | None = None) -> Result:
    """Measure every store; the first store's result, the second's under `compared`."""
    bundle = generate_bundle(plan.scale, plan.seed)
    targets = [Target(s, cache_dir, plan.scale, plan.seed) for s in stores]
    # Every store seeded before any is measured: a refused store fails the run at once.
    seeded = [seed_store(target, bundle, say=say, progress=progress) for target in targets]
    results = [run_store(plan, target, bundle, imported, say=say)
               for target, imported in zip(targets, seeded, strict=True)]
    first = results[0]
    if len(results) > 1:
        first["compared"] = results[1]
        kinds = {r["store"] == "embedded": r for r in results}
        if len(kinds) == 2:
            first["ratios"]["embedded_over_neo4j"] = store_ratios(kinds[True], kinds[False])
    return first


def seed_store(target: Target, bundle: Bundle, *, say: Say,
               progress: Progress | None) -> Imported | None:
    """Import the company into one store unless it holds it already; that import's timing."""
    say(f"{target.store}: company at scale {target.scale:g}, seed {target.seed}")
    store = target.open()
    try:
        seeded = ensure_company(store, target, bundle, progress)
    finally:
        store.close()
    where = target.data_dir if target.embedded else target.store
    say(f"imported it into {where}" if seeded else f"reused it from {where}")
    return seeded


def run_store(plan: Plan, target: Target, bundle: Bundle, seeded: Imported | None, *,
              say: Say) -> Result:
    """Run the plan's workloads on one store that holds the company."""
    store = target.open()
    try:
        sample = draw_sample(store, seed=plan.seed)
        server = store.read("bench/server_version")[0]["version"]
        measured: dict[str, Any] = {}
        ratios: dict[str, Any] = {}
        for workload in plan.workloads:
            say(f"{target.store}: {workload}")
            measured[workload] = _measure(workload, plan, store, target, sample, bundle, seeded)
        _same_run_ratios(plan, store, sample, measured, ratios, say)
    finally:
        store.close()
    return {"scale": plan.scale, "store": target.store, "versions": versions(server),
            "machine": machine(), "workloads": measured, "ratios": ratios,
            "seed": plan.seed, "sample": {"key_accounts": len(sample.accounts),
                                          "veto_holders": len(sample.veto_holders)}}


def _measure(workload: str, plan: Plan, store: Store, target: Target, sample: Sample,
             bundle: Bundle, seeded: Imported | None) -> dict[str, Any]:
    from graphbrm.bench.service import w7_http

    if workload == "W1":
        return w.w1_review(store, sample, plan.runs)
    if workload == "W2":
        return w.w2_paths(store, sample, plan.runs)
    if workload == "W3":
        return w.w3_dashboard(store, sample, plan.runs, plan.slow_runs)
    if workload == "W4":
        return w.w4_yearly(store, plan.slow_runs)
    if workload == "W5":
        return w.w5_import(store, target, bundle, seeded)
    if workload == "W6":
        return w.w6_analysis(target)
    return w7_http(store, target, sample, runs=plan.runs, clients=plan.clients,
                   seconds=plan.seconds)


def _same_run_ratios(plan: Plan, store: Store, sample: Sample, measured: dict[str, Any],
                     ratios: dict[str, Any], say: Say) -> None:
    """HTTP ÷ library for W1 (both measured one request at a time); store ÷ networkx for W2."""
    if "W1" in measured and "W7" in measured:
        http, library = measured["W7"]["w1_sequential"]["p50_ms"], measured["W1"]["p50_ms"]
        ratios["W1_http_over_library"] = round(http / library, 3) if library else None
    if "W2" in measured:
        say("W2 in networkx")
        ratios["W2_store_over_networkx"] = w.networkx_ratio(store, sample, plan.runs,
                                                            measured["W2"]["p50_ms"])
