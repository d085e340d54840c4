"""`graphbrm bench`: import a generated company into a scratch embedded store, time the queries.

Reports medians (and p90) of repeated calls measured in one run, so ratios between scales or
stores are comparable; nothing here asserts a time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphbrm.access import Viewer
from graphbrm.bundle import Bundle, parse_tables
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from graphbrm.store.embedded import EmbeddedServer
from graphbrm.store.falkor import FalkorStore

Case = Callable[[], Any]


@dataclass
class Timing:
    name: str
    runs: int
    median_ms: float
    p90_ms: float


@dataclass
class ImportTiming:
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds


def time_case(name: str, case: Case, *, repeat: int) -> Timing:
    """Run `case` once to warm up, then `repeat` times; its median and p90 in ms."""
    case()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        case()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return Timing(name, repeat, statistics.median(samples),
                  samples[min(len(samples) - 1, int(len(samples) * 0.9))])


def scratch_store(folder: Path) -> Store:
    """A fresh embedded store in `folder` (stopped by its close())."""
    server = EmbeddedServer(folder)
    store = FalkorStore("127.0.0.1", server.start(), "bench", server=server)
    store.ensure_schema()
    return store


def timed_import(store: Store, bundle: Bundle,
                 progress: Callable[[int, int], None] | None = None) -> ImportTiming:
    """Import `bundle` and time it end to end (validation included)."""
    start = time.perf_counter()
    result = import_bundle(store, bundle, progress=progress)
    return ImportTiming(result.rows + result.score_records, time.perf_counter() - start)


def cases(store: Store, *, as_of: dt.date) -> dict[str, Case]:
    """The hot paths a user waits for, on a typical key account of the seeded company."""
    from graphbrm import accounts, daily, dashboard, paths, review, yearly

    t = Thresholds()
    operator = Viewer.operator()
    sample = store.read("bench/sample_account")[0]
    account, person, rep = sample["account_id"], sample["person_id"], sample["rep_id"]
    as_rep = Viewer(rep, "rep")
    return {
        "accounts page (50, with figures)": lambda: accounts.list_accounts(
            store, viewer=operator, thresholds=t, limit=50, as_of=as_of),
        "one account's figures": lambda: accounts.get_account(
            store, viewer=operator, account_id=account, thresholds=t, as_of=as_of),
        "one account's map": lambda: accounts.account_map(
            store, viewer=operator, account_id=account, thresholds=t, as_of=as_of),
        "monthly review (rep)": lambda: review.monthly_review(
            store, viewer=as_rep, account_id=account, as_of=as_of, thresholds=t),
        "reach paths k=5, 4 hops (rep)": lambda: paths.best_paths(
            store, viewer=as_rep, target_id=person),
        "daily view (rep)": lambda: daily.daily_view(
            store, viewer=as_rep, employee_id=rep, thresholds=t, as_of=as_of),
        "dashboard, rep scope": lambda: dashboard.dashboard(
            store, viewer=as_rep, as_of=as_of, scope=f"rep:{rep}", thresholds=t),
        "dashboard, company (with MoM, YoY)": lambda: dashboard.dashboard(
            store, viewer=operator, as_of=as_of, thresholds=t),
        "yearly assessment, company": lambda: yearly.yearly_assessment(
            store, viewer=operator, year=as_of.year, thresholds=t, targets=yearly.Targets(),
            today=as_of),
    }


def run(*, scale: float, seed: int, repeat: int, slow_repeat: int = 5,
        progress: Callable[[int, int], None] | None = None) -> tuple[ImportTiming, list[Timing]]:
    """Generate, import and time the cases at one scale, in a scratch store."""
    from seed.generate import generate

    end = dt.date.today()
    bundle = parse_tables(generate(scale=scale, seed=seed, end=end))
    with tempfile.TemporaryDirectory(prefix="graphbrm-bench-") as folder:
        store = scratch_store(Path(folder))
        try:
            imported = timed_import(store, bundle, progress)
            timings = [time_case(name, case, repeat=slow_repeat if "company" in name else repeat)
                       for name, case in cases(store, as_of=end).items()]
        finally:
            store.close()
    return imported, timings
