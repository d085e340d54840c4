"""Reports cached per process, keyed by the store's data version: never stale, across processes.

Every `Store.write` bumps a counter in the store (cypher/derived/bump_data_version): on Neo4j
in the write's own transaction, on FalkorDB right after the write (one query is one command
there). A report is looked up under (version, report, arguments, viewer) with the version read
*before* the report is computed, so an entry can only hold data as new as its version or newer;
a write makes every older entry unreachable in every process that reads the same store. On
FalkorDB a process that dies between a write and its bump could leave a stale entry reachable
until the next write; entries also expire after `ttl_s` to bound that.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from graphbrm.metrics import REPORT_CACHE
from graphbrm.store import Store

T = TypeVar("T")


class ReportCache:
    """A small LRU of computed reports; thread-safe."""

    def __init__(self, *, max_entries: int = 512, ttl_s: float = 300.0) -> None:
        self.max_entries, self.ttl_s = max_entries, ttl_s
        self.hits = self.misses = 0
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
        """The report under `key` at the store's current data version, computed if missing."""
        full_key = (data_version(store), *key)
        with self._lock:
            found = self._entries.get(full_key)
            if found is not None and time.monotonic() - found[0] < self.ttl_s:
                self._entries.move_to_end(full_key)
                self.hits += 1
                REPORT_CACHE.labels("hit").inc()
                return found[1]  # type: ignore[return-value]
        self.misses += 1
        REPORT_CACHE.labels("miss").inc()
        report = compute()
        with self._lock:
            self._entries[full_key] = (time.monotonic(), report)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return report


def data_version(store: Store) -> int:
    """How many writes the store has seen (0 before the first)."""
    rows = store.read("derived/data_version")
    return int(rows[0]["version"]) if rows else 0
