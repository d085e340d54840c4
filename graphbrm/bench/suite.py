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
    """The hot paths a user waits for, on typical objects of the seeded company."""
    from graphbrm import accounts

    t = Thresholds()
    operator = Viewer.operator()
    first = accounts.list_accounts(store, viewer=operator, thresholds=t, tier="key", limit=1)
    account_id = first.data[0].id
    return {
        "accounts page (50, with figures)": lambda: accounts.list_accounts(
            store, viewer=operator, thresholds=t, limit=50, as_of=as_of),
        "one account's figures": lambda: accounts.get_account(
            store, viewer=operator, account_id=account_id, thresholds=t, as_of=as_of),
        "one account's map": lambda: accounts.account_map(
            store, viewer=operator, account_id=account_id, thresholds=t, as_of=as_of),
    }


def run(*, scale: float, seed: int, repeat: int,
        progress: Callable[[int, int], None] | None = None) -> tuple[ImportTiming, list[Timing]]:
    """Generate, import and time the cases at one scale, in a scratch store."""
    from seed.generate import generate

    end = dt.date.today()
    bundle = parse_tables(generate(scale=scale, seed=seed, end=end))
    with tempfile.TemporaryDirectory(prefix="graphbrm-bench-") as folder:
        store = scratch_store(Path(folder))
        try:
            imported = timed_import(store, bundle, progress)
            timings = [time_case(name, case, repeat=repeat)
                       for name, case in cases(store, as_of=end).items()]
        finally:
            store.close()
    return imported, timings
