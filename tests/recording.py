"""A store wrapper that notes which named queries the tests ran."""

from __future__ import annotations

from typing import Any

from graphbrm.store import Store

EXECUTED_QUERIES: set[str] = set()


class RecordingStore:
    """Passes everything to a real store and notes which named queries ran."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.dialect = inner.dialect

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        EXECUTED_QUERIES.add(query)
        return self.inner.read(query, **params)

    def write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        EXECUTED_QUERIES.add(query)
        return self.inner.write(query, **params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
