"""A store wrapper that notes which named queries the tests ran to completion."""

from __future__ import annotations

from typing import Any

from graphbrm.store import Store

EXECUTED_QUERIES: set[str] = set()
# Set when pytest deselects any test (-k, -m, --deselect): then not every query had its chance.
DESELECTED: list[bool] = []


class RecordingStore:
    """Passes everything to a real store and notes each named query that completed (one that
    raised, a parse error say, does not count as run)."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.dialect = inner.dialect

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        rows = self.inner.read(query, **params)
        EXECUTED_QUERIES.add(query)
        return rows

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        rows = self.inner.write(query, **params)
        EXECUTED_QUERIES.add(query)
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
