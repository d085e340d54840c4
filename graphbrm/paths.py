"""Who can reach a key person: the best paths from our employees over INFLUENCES/KNOWS (docs/method.md)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from graphbrm.access import Viewer, visibility
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.store import Store

K_RANGE = (1, 20)
HOPS_RANGE = (1, 6)


class ReachPath(BaseModel):
    """One path: strength = the product of its edges' strengths ÷ 100 each."""

    strength: float
    nodes: list[str]
    names: list[str | None]


class PathsResult(BaseModel):
    target_id: str
    paths: list[ReachPath]


def best_paths(store: Store, *, viewer: Viewer, target_id: str, k: int = 5, max_hops: int = 4,
               source_ids: list[str] | None = None) -> PathsResult:
    """The top `k` paths to a visible key person, best first, distinct first hops preferred."""
    check_limits(k=k, max_hops=max_hops)
    params = visibility(store, viewer)
    if not store.read("history/get_key_person", person_id=target_id, **params):
        raise NotFound(f"key person {target_id!r}")
    return PathsResult(target_id=target_id,
                       paths=paths_to(store, target_id=target_id, k=k, max_hops=max_hops,
                                      source_ids=source_ids, params=params))


def paths_to(store: Store, *, target_id: str, k: int, max_hops: int,
             source_ids: list[str] | None, params: dict[str, Any]) -> list[ReachPath]:
    """The paths query alone, for callers that already checked the target and the scope."""
    rows = store.read("paths/best_paths", target_id=target_id, k=k, max_hops=max_hops,
                      sources=source_ids, **params)
    # Rounded only for display: 0.8 × 0.5 × 0.9 is 0.36, not 0.36000000000000004.
    return [ReachPath(strength=round(r["strength"], 6), nodes=r["nodes"], names=r["names"])
            for r in rows]


def check_limits(*, k: int, max_hops: int) -> None:
    """InvalidInput unless 1 ≤ k ≤ 20 and 1 ≤ max_hops ≤ 6."""
    problems = [Problem("paths", None, name, f"must be between {low} and {high}")
                for name, value, (low, high) in (("k", k, K_RANGE), ("max_hops", max_hops, HOPS_RANGE))
                if not low <= value <= high]
    if problems:
        raise InvalidInput(problems)
