"""What an import changes, per table: rows created, changed, or already stored as they are.

Worked out before the write, by comparing each row with what the store holds under its key, so
that importing the same bundle twice says "0 created, 0 changed".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from graphbrm.bundle import TABLES, Bundle
from graphbrm.score_records import Outcome, ScoreRecords
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS

LOOKUP_BATCH = 5000
# Each table's key; the tables keyed by `id` are looked up with `$ids`, the others with `$keys`.
KEYS: dict[str, tuple[str, ...]] = {
    "account_teams": ("employee_id", "account_id"), "influences": ("source", "target"),
    "knows": ("employee_id", "person_id")}
# Kept as Score records and compared as such (graphbrm/score_records.py).
SCORE_FIELDS = (*DIMENSIONS, "scored_at")


class TableCounts(BaseModel):
    """Rows of one table: new, different from the stored ones, or the same."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def count_changes(store: Store, bundle: Bundle, scores: ScoreRecords) -> dict[str, TableCounts]:
    """Per table of the bundle that has rows, how many rows importing it creates or changes."""
    counts = {}
    for table in TABLES:
        rows = getattr(bundle, table)
        if not rows:
            continue
        counts[table] = TableCounts()
        for outcome in _outcomes(store, table, rows, scores):
            counts[table].add(outcome)
    return counts


def total(counts: dict[str, TableCounts]) -> TableCounts:
    """The counts of all tables together."""
    return TableCounts(**{o: sum(getattr(c, o) for c in counts.values())
                          for o in ("created", "changed", "unchanged")})


def _outcomes(store: Store, table: str, rows: list[Any], scores: ScoreRecords) -> list[Outcome]:
    if table == "score_history":
        return [scores.of_history_row(h.person_id, h.at) for h in rows]
    key = KEYS.get(table, ("id",))
    stored = {tuple(r[k] for k in key): _comparable(table, r)
              for r in _stored(store, table, key, rows)}
    outcomes = []
    for row in rows:
        before = stored.get(tuple(getattr(row, k) for k in key))
        outcome: Outcome = ("created" if before is None
                            else "unchanged" if before == _comparable(table, row.model_dump())
                            else "changed")
        if table == "key_persons" and outcome == "unchanged":
            outcome = "changed" if scores.of_key_person(row.id, row.scored_at) != "unchanged" \
                else "unchanged"
        outcomes.append(outcome)
    return outcomes


def _stored(store: Store, table: str, key: tuple[str, ...],
            rows: list[Any]) -> Iterable[dict[str, Any]]:
    keys = sorted({tuple(getattr(r, k) for k in key) for r in rows})
    for start in range(0, len(keys), LOOKUP_BATCH):
        chunk = keys[start:start + LOOKUP_BATCH]
        if key == ("id",):
            yield from store.read(f"import/stored_{table}", ids=[k[0] for k in chunk])
        else:
            yield from store.read(f"import/stored_{table}",
                                  keys=[dict(zip(key, k, strict=True)) for k in chunk])


def _comparable(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row in one form, stored or from the bundle: lists as sets, scores left to Score records."""
    found = {k: v for k, v in row.items() if not (table == "key_persons" and k in SCORE_FIELDS)}
    if table == "opportunities":
        found["used_influence"] = sorted(found["used_influence"])
        found["involves"] = sorted((i["person_id"], i["role"]) for i in found["involves"])
    if table == "activities":
        found["person_ids"] = sorted(found["person_ids"])
    return found
