"""A key person's history: its append-only Score records and its decision-role changes."""

from __future__ import annotations

from pydantic import BaseModel

from graphbrm.access import Viewer, visibility
from graphbrm.errors import NotFound
from graphbrm.store import Store


class ScoreRecord(BaseModel):
    """One append-only Score record: the values valid from `at` (a UTC instant, or a day), the
    company day it counts from, who recorded them and how."""

    id: str
    at: str
    day: str | None = None
    closeness: int | None = None
    solution_acceptance: int | None = None
    price_acceptance: int | None = None
    actor: str | None = None
    source: str | None = None
    recorded_at: str | None = None


class RoleChange(BaseModel):
    """One change of a decision role made through the API."""

    id: str
    at: str
    before: str | None = None
    after: str
    actor: str | None = None
    source: str | None = None


class ScoreHistory(BaseModel):
    """A person's Score records newest first (`data`, `count`), and its role changes."""

    person_id: str
    data: list[ScoreRecord]
    count: int
    role_changes: list[RoleChange]


def score_history(store: Store, *, viewer: Viewer, person_id: str) -> ScoreHistory:
    """A visible key person's Score records (newest first) and role changes, or NotFound."""
    params = visibility(store, viewer)
    if not store.read("history/get_key_person", person_id=person_id, **params):
        raise NotFound(f"key person {person_id!r}")
    records = [ScoreRecord(**r) for r in store.read("history/list_scores", person_id=person_id,
                                                     **params)]
    changes = [RoleChange(**r) for r in store.read("history/list_role_changes",
                                                    person_id=person_id, **params)]
    return ScoreHistory(person_id=person_id, data=records, count=len(records),
                        role_changes=changes)
