"""A key person: reading one, and editing its scores and decision role.

Every score change appends a Score record dated now (never edits one); the history of those
records is in graphbrm/history.py.
"""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.alerts import events as alert_events
from graphbrm.alerts.model import AlertConfig
from graphbrm.derived import refresh_accounts
from graphbrm.errors import NotFound
from graphbrm.figures import PersonStatus, Thresholds, person_status
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import DIMENSIONS, DecisionRole

API_SOURCE = "api"
# Strict: a score is a JSON integer, not "80", 80.5 or true.
EditedScore = Annotated[int | None, Field(ge=0, le=100, strict=True)]


class KeyPersonUpdate(BaseModel):
    """The fields a PATCH may send; a score of null means unknown. Only the sent fields change."""

    model_config = ConfigDict(extra="forbid")

    closeness: EditedScore = None
    solution_acceptance: EditedScore = None
    price_acceptance: EditedScore = None
    decision_role: DecisionRole | None = None

    @field_validator("decision_role")
    @classmethod
    def _role_is_not_null(cls, value: DecisionRole | None) -> DecisionRole:
        if value is None:
            raise ValueError("a decision role cannot be unset; send one of the roles")
        return value


class KeyPersonPublic(BaseModel):
    """A key person with its department, account, current scores and status."""

    id: str
    name: str | None
    title: str | None = None
    decision_role: str | None = None
    department_id: str
    department: str | None = None
    account_id: str
    account_name: str | None = None
    closeness: int | None = None
    solution_acceptance: int | None = None
    price_acceptance: int | None = None
    scored_at: str | None = None
    status: PersonStatus


def get_key_person(store: Store, *, viewer: Viewer, person_id: str,
                   thresholds: Thresholds) -> KeyPersonPublic:
    """One visible key person with its current scores and status, or NotFound."""
    return _person(store, person_id=person_id, params=visibility(store, viewer), thresholds=thresholds)


def update_key_person(store: Store, *, viewer: Viewer, person_id: str, changes: KeyPersonUpdate,
                      thresholds: Thresholds, zone: ZoneInfo = clock.UTC,
                      alerts: AlertConfig | None = None) -> KeyPersonPublic:
    """Apply a PATCH: sent scores become a new Score record dated now, counted from today in
    the company's time zone `zone`; a role change is recorded. Then the alert rules `alerts`
    (default: the settings') compare the account with its state before the edit."""
    params = visibility(store, viewer)
    fields = [d for d in DIMENSIONS if d in changes.model_fields_set]
    role = changes.decision_role if "decision_role" in changes.model_fields_set else None
    watch = None
    if fields or role is not None:
        watch = alert_events.watch_person(store, person_id=person_id, config=alerts)
        at = clock.utc_stamp()
        written = store.write("history/update_key_person", person_id=person_id, fields=fields,
                              scores={d: getattr(changes, d) for d in fields}, role=role,
                              at=at, day=clock.day_of(at, zone),
                              actor=viewer.employee_id or "operator",
                              source=API_SOURCE, **params)
        if not written:
            raise NotFound(f"key person {person_id!r}")
    person = _person(store, person_id=person_id, params=params, thresholds=thresholds)
    if fields:
        refresh_accounts(store, account_ids=[person.account_id])
    if watch is not None:
        watch.finish()
    return person


def _person(store: Store, *, person_id: str, params: dict[str, Any],
            thresholds: Thresholds) -> KeyPersonPublic:
    rows = store.read("history/get_key_person", person_id=person_id, **params)
    if not rows:
        raise NotFound(f"key person {person_id!r}")
    return _public(rows[0], thresholds)


def _public(row: QueryRow, thresholds: Thresholds) -> KeyPersonPublic:
    return KeyPersonPublic(**row, status=person_status(row, row["decision_role"], thresholds))
