"""The audit trail: the history records of a key person or an account, newest first.

Score records, decision-role changes and tie changes (a new or changed strength, or a removed
tie: no strength after) are append-only and carry who (actor), how (source: `api` or
`import:<batch id>`) and when; this module reads them back and says what changed.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel

from graphbrm.access import Viewer, visibility
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import DIMENSIONS


class FieldChange(BaseModel):
    """One value that changed: before (null when there was none) and after."""

    field: str
    before: Any = None
    after: Any = None


class AuditRecord(BaseModel):
    """One history record: a key person's scores or decision role, or a tie's strength (after
    null: the tie was removed)."""

    kind: Literal["score", "role", "tie"]
    id: str
    person_id: str
    at: str
    recorded_at: str | None = None
    actor: str | None = None
    source: str | None = None
    tie_type: str | None = None
    from_id: str | None = None
    changes: list[FieldChange]


class AuditPage(BaseModel):
    data: list[AuditRecord]
    count: int


def history(store: Store, *, viewer: Viewer, person_id: str | None = None,
            account_id: str | None = None, limit: int = 100, offset: int = 0) -> AuditPage:
    """History of one key person or of every key person of one account (NotFound if unseen)."""
    if (person_id is None) == (account_id is None):
        raise InvalidInput([Problem("audit", None, "person_id",
                                    "give exactly one of person_id and account_id")])
    params = visibility(store, viewer)
    person_ids = _persons_in_scope(store, params, person_id=person_id, account_id=account_id)
    records = (_score_records(store.read("audit/score_records", person_ids=person_ids, **params))
               + _role_records(store.read("audit/role_changes", person_ids=person_ids, **params))
               + _tie_records(store.read("audit/tie_changes", person_ids=person_ids, **params)))
    records.sort(key=lambda r: (r.at, r.recorded_at or "", r.id), reverse=True)
    return AuditPage(data=records[offset:offset + limit], count=len(records))


def _persons_in_scope(store: Store, params: dict[str, Any], *, person_id: str | None,
                      account_id: str | None) -> list[str]:
    if person_id is not None:
        if not store.read("audit/person_in_scope", person_id=person_id, **params):
            raise NotFound(f"key person {person_id!r}")
        return [person_id]
    rows = store.read("audit/account_person_ids", account_id=account_id, **params)
    if not rows:
        raise NotFound(f"account {account_id!r}")
    ids: list[str] = rows[0]["person_ids"]
    return ids


def _score_records(rows: list[QueryRow]) -> list[AuditRecord]:
    """Each record's changes against the same person's previous record (by validity time)."""
    records = []
    previous: dict[str, QueryRow] = {}
    for row in sorted(rows, key=lambda r: (r["person_id"], r["at"], r["recorded_at"] or "")):
        before = previous.get(row["person_id"], {})
        changes = [FieldChange(field=d, before=before.get(d), after=row[d])
                   for d in DIMENSIONS if before.get(d) != row[d] or not before]
        records.append(AuditRecord(kind="score", id=row["id"], person_id=row["person_id"],
                                   at=row["at"], recorded_at=row["recorded_at"],
                                   actor=row["actor"], source=row["source"], changes=changes))
        previous[row["person_id"]] = row
    return records


def _role_records(rows: list[QueryRow]) -> list[AuditRecord]:
    return [AuditRecord(kind="role", id=r["id"], person_id=r["person_id"], at=r["at"],
                        recorded_at=r["at"], actor=r["actor"], source=r["source"],
                        changes=[FieldChange(field="decision_role", before=r["before"],
                                        after=r["after"])])
            for r in rows]


def _tie_records(rows: list[QueryRow]) -> list[AuditRecord]:
    return [AuditRecord(kind="tie", id=r["id"], person_id=r["to_id"], at=r["at"],
                        recorded_at=r["at"], actor=r["actor"], source=r["source"],
                        tie_type=r["type"], from_id=r["from_id"],
                        changes=[FieldChange(field="strength", before=r["before"], after=r["strength"])])
            for r in rows]
