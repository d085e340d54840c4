"""Tie edits: add, change or remove a tie into a key person, kept in history with the actor.

A tie is our employee's `KNOWS` or `INFLUENCES` tie to a key person, or one key person's
`INFLUENCES` on another of the same account (the model in docs/import.md). Every new strength,
change or removal appends a TieChange record (the audit trail lists them); a removal has no
strength after it.
Who may edit: whoever sees the key person's account (a rep their accounts, a manager their
line's, executives and admins all); a foreign person looks missing. After a removal, alert
rule 4 compares the accounts it can touch with before: it may have cut a decision maker off.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.alerts import events as alert_events
from graphbrm.alerts.model import AlertConfig
from graphbrm.derived import refresh_accounts
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.store import Store

API_SOURCE = "api"
TieType = Literal["knows", "influences"]
Strength = Annotated[int, Field(ge=0, le=100, strict=True)]


class TieUpdate(BaseModel):
    """A tie's strength (0–100) and, optionally, the day it began (default: kept, or today)."""

    model_config = ConfigDict(extra="forbid")

    strength: Strength
    since: dt.date | None = None


class TiePublic(BaseModel):
    """A tie as stored: `from_id` (an employee or a key person) → `person_id`."""

    type: TieType
    from_id: str
    from_kind: Literal["employee", "key_person"]
    person_id: str
    account_id: str
    strength: int | None
    before: int | None = None
    created: bool = False


def set_tie(store: Store, *, viewer: Viewer, person_id: str, tie_type: TieType, from_id: str,
            changes: TieUpdate, zone: ZoneInfo = clock.UTC) -> TiePublic:
    """Add the tie `from_id` → `person_id`, or change its strength; NotFound if either end is
    unseen. No alert rule watches it: a tie added or changed takes no score or reach away."""
    params = visibility(store, viewer)
    if from_id == person_id:
        raise InvalidInput([Problem("tie", None, "from_id", "a tie joins two different people")])
    kind = _source_kind(store, from_id=from_id, tie_type=tie_type)
    since = changes.since.isoformat() if changes.since else None
    at = clock.utc_stamp()
    query = "ties/set_employee_tie" if kind == "employee" else "ties/set_person_tie"
    extra = {"type": tie_type.upper()} if kind == "employee" else {}
    rows = store.write(query, person_id=person_id, from_id=from_id, strength=changes.strength,
                       since=since, since_day=since, today=clock.today(zone).isoformat(),
                       change_id=_change_id(tie_type, from_id, person_id, at), at=at,
                       actor=viewer.employee_id or "operator", source=API_SOURCE,
                       **extra, **params)
    if not rows:
        raise NotFound(_missing(kind, from_id, person_id))
    account_id = rows[0]["account_id"]
    refresh_accounts(store, account_ids=[account_id])
    return TiePublic(type=tie_type, from_id=from_id, from_kind=kind, person_id=person_id,
                     account_id=account_id, strength=changes.strength,
                     before=rows[0]["before"], created=not rows[0]["existed"])


def remove_tie(store: Store, *, viewer: Viewer, person_id: str, tie_type: TieType,
               from_id: str, alerts: AlertConfig | None = None) -> TiePublic:
    """Remove the tie `from_id` → `person_id` (the contact is lost); NotFound if there is none
    the viewer sees. Then rule 4 looks for decision makers nobody reaches any more."""
    params = visibility(store, viewer)
    kind = _source_kind(store, from_id=from_id, tie_type=tie_type)
    watch = alert_events.watch_reach(store, person_id=person_id, config=alerts)
    at = clock.utc_stamp()
    query = "ties/remove_employee_tie" if kind == "employee" else "ties/remove_person_tie"
    extra = {"type": tie_type.upper()} if kind == "employee" else {}
    rows = store.write(query, person_id=person_id, from_id=from_id,
                       change_id=_change_id(tie_type, from_id, person_id, at), at=at,
                       actor=viewer.employee_id or "operator", source=API_SOURCE,
                       **extra, **params)
    if not rows:
        raise NotFound(f"{tie_type} tie {from_id!r} → {person_id!r}")
    account_id = rows[0]["account_id"]
    refresh_accounts(store, account_ids=[account_id])
    watch.finish(cause=(from_id, person_id))
    return TiePublic(type=tie_type, from_id=from_id, from_kind=kind, person_id=person_id,
                     account_id=account_id, strength=None, before=rows[0]["before"])


def _source_kind(store: Store, *, from_id: str,
                 tie_type: TieType) -> Literal["employee", "key_person"]:
    """Whether the tie starts at our employee or a key person; only employees know people.
    (A key person's id in a knows tie is "no such employee", not "a key person": that would
    tell a caller that a person of an account they may not see exists.)"""
    found = store.read("ties/find_source", from_id=from_id)[0]
    if found["employee"]:
        return "employee"
    if tie_type == "knows":
        raise NotFound(f"employee {from_id!r} (only our employees have knows ties)")
    if not found["key_person"]:
        raise NotFound(f"employee or key person {from_id!r}")
    return "key_person"


def _missing(kind: str, from_id: str, person_id: str) -> str:
    if kind == "employee":
        return f"key person {person_id!r}"
    return f"key persons {from_id!r} and {person_id!r} of one account"


def _change_id(tie_type: TieType, from_id: str, person_id: str, at: str) -> str:
    """Like the import's `TYPE:from>to@batch`: the edit's instant, and a random part, since two
    edits can share an instant under a coarse clock."""
    return f"{tie_type.upper()}:{from_id}>{person_id}@{at}.{uuid.uuid4().hex[:8]}"
