"""The company the bench measures: where it is stored, seeded once per scale and seed, reused.

The embedded store keeps one data directory per scale and seed under the user cache directory;
a Neo4j database holds one company at a time. Either way a `BenchCompany` marker node records
the scale and seed, written before the import (complete: false) and after it, so a finished
company is reused and a half-imported one is replaced. A Neo4j database holding data without
the marker is someone's real data: the bench refuses to clear it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graphbrm.bundle import Bundle, parse_tables
from graphbrm.errors import GraphbrmError
from graphbrm.importer import import_bundle
from graphbrm.settings import Settings, get_settings
from graphbrm.store import Store, open_store

GRAPH = "bench"
SCRATCH_GRAPH = "bench-import"  # W5's empty graph beside the company, embedded store only
Progress = Callable[[int, int], None]


class NotScratch(GraphbrmError):
    """The database holds data that the bench did not put there."""


@dataclass(frozen=True)
class Target:
    """One store to measure: `embedded` (a data directory per company) or a Neo4j URI."""

    store: str
    cache_dir: Path
    scale: float
    seed: int

    @property
    def embedded(self) -> bool:
        return self.store == "embedded"

    @property
    def data_dir(self) -> Path:
        return self.cache_dir / f"scale-{self.scale:g}-seed-{self.seed}"

    def settings(self, graph: str = GRAPH) -> Settings:
        """The configured settings, pointed at this target's store and graph."""
        return get_settings().model_copy(update={
            "store": self.store, "data_dir": self.data_dir, "graph": graph})

    def env(self) -> dict[str, str]:
        """The environment under which a `graphbrm` child process uses the same store."""
        return {**os.environ, "GRAPHBRM_STORE": self.store, "GRAPHBRM_GRAPH": GRAPH,
                "GRAPHBRM_DATA_DIR": str(self.data_dir)}

    def open(self, graph: str = GRAPH) -> Store:
        return open_store(self.settings(graph))


@dataclass(frozen=True)
class Imported:
    """One timed import (validation included)."""

    rows: int
    score_records: int
    seconds: float


@dataclass
class Sample:
    """What the workloads draw from: key accounts with their reps, veto holders, an executive."""

    accounts: list[tuple[str, str]]  # (account, its owner)
    veto_holders: list[tuple[str, str]]  # (person, the owner of its account)
    executive_id: str
    rng: random.Random = field(default_factory=lambda: random.Random(7))


def generate_bundle(scale: float, seed: int) -> Bundle:
    """The generated company of docs/benchmarks.md at `scale` (its history ends today)."""
    from graphbrm.seed.generate import generate

    return parse_tables(generate(scale=scale, seed=seed, end=dt.date.today()))


def timed_import(store: Store, bundle: Bundle, progress: Progress | None = None) -> Imported:
    """Import `bundle` into `store` and time it end to end."""
    started = time.perf_counter()
    result = import_bundle(store, bundle, progress=progress)
    return Imported(result.rows, result.score_records, time.perf_counter() - started)


def ensure_company(store: Store, target: Target, bundle: Bundle,
                   progress: Progress | None = None) -> Imported | None:
    """Import the company unless the store already holds it; the import's timing if one ran."""
    marker = store.read("bench/get_marker")[0]
    if marker["complete"] and marker["scale"] == target.scale and marker["seed"] == target.seed:
        return None
    if marker["nodes"] and marker["scale"] is None and not target.embedded:
        raise NotScratch(f"{target.store} holds {marker['nodes']} nodes that the bench did not "
                         "write; point --store at an empty database")
    return replace_company(store, target, bundle, progress)


def replace_company(store: Store, target: Target, bundle: Bundle,
                    progress: Progress | None = None) -> Imported:
    """Clear the store and import the company into it, marked by scale and seed."""
    store.clear()
    store.write("bench/set_marker", scale=target.scale, seed=target.seed, complete=False)
    imported = timed_import(store, bundle, progress)
    store.write("bench/set_marker", scale=target.scale, seed=target.seed, complete=True)
    return imported


def draw_sample(store: Store, *, seed: int) -> Sample:
    """The key accounts, veto holders and executive of the stored company."""
    rows = store.read("bench/key_accounts")
    if not rows:
        raise GraphbrmError("the company has no key account with an owner to measure")
    top = store.read("bench/top_employee")
    return Sample(accounts=[(r["account_id"], r["rep_id"]) for r in rows],
                  veto_holders=[(v, r["rep_id"]) for r in rows for v in r["veto_ids"]],
                  executive_id=top[0]["id"] if top else rows[0]["rep_id"],
                  rng=random.Random(seed))
