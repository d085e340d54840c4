"""Daily (D): whom an employee influences, their influence potential, next steps, activities."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graphbrm import clock
from graphbrm.access import Viewer, require_visible_employee, visibility
from graphbrm.bundle import iso_date_or_time
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.figures import PersonStatus, Thresholds, cut, person_status
from graphbrm.stats import rate
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS, Id

ACTIVITY_DAYS = 90


class Tie(BaseModel):
    person_id: str
    name: str | None
    account_id: str
    account_name: str | None
    department: str | None
    decision_role: str | None
    closeness: int | None
    solution_acceptance: int | None
    price_acceptance: int | None
    strength: int | None
    type: Literal["INFLUENCES", "KNOWS"]


class TeamPerson(BaseModel):
    """A key person of an account whose team the employee is on."""

    person_id: str
    name: str | None
    account_id: str
    account_name: str | None
    department: str | None
    decision_role: str | None
    influenced: bool


class PersonLabel(BaseModel):
    """What names a key person to a reader: two persons may share a name, not an account and
    department as well."""

    id: str
    name: str | None
    account_id: str
    account_name: str | None
    department: str | None


class Potential(BaseModel):
    """Key persons of the employee's team accounts, and those this employee influences."""

    team_key_persons: int
    influenced: int
    share: float | None


class Activity(BaseModel):
    id: str
    employee_id: str
    kind: str
    type: str
    at: str
    # The company day the activity belongs to (its time zone), from `at`.
    day: str | None = None
    note: str | None = None
    person_ids: list[str]
    # The persons of `person_ids`, labelled; same order.
    persons: list[PersonLabel] = []
    actor: str | None = None
    recorded_at: str | None = None


class StepPath(BaseModel):
    strength: float
    nodes: list[str]
    names: list[str | None] = []


class NextStep(BaseModel):
    person_id: str
    name: str | None
    account_id: str
    account_name: str | None
    decision_role: str | None
    status: PersonStatus
    path: StepPath


class DailyView(BaseModel):
    employee_id: str
    name: str | None
    as_of: dt.date
    influences: list[Tie]
    # Every key person of the employee's team accounts: what `potential` counts.
    team: list[TeamPerson]
    potential: Potential
    activities: list[Activity]
    next_steps: list[NextStep]


class ActivityCreate(BaseModel):
    """A logged activity; `at` is an ISO date (a company day) or date-time (UTC unless it
    names an offset); default now."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["prescribed", "optional"]
    type: Annotated[str, Field(min_length=1, max_length=200)]
    at: str | None = None
    note: Annotated[str | None, Field(max_length=2000)] = None
    person_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    employee_id: Id | None = None

    @field_validator("at", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> str | None:
        text = iso_date_or_time(value)
        return None if text is None else clock.as_utc(text)


def _now() -> str:
    return clock.now().astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def daily_view(store: Store, *, viewer: Viewer, employee_id: str, thresholds: Thresholds,
               as_of: dt.date | None = None, zone: ZoneInfo = clock.UTC) -> DailyView:
    """The daily view of one employee, as of the end of a day (default today in `zone`)."""
    as_of = as_of or clock.today(zone)
    employee = require_visible_employee(store, viewer=viewer, employee_id=employee_id)
    params = {**visibility(store, viewer), "employee_id": employee_id, "cut": cut(as_of)}
    ties = [Tie(**r) for r in store.read("daily/employee_ties", **params)]
    team = store.read("daily/team_persons", **params)
    since = (as_of - dt.timedelta(days=ACTIVITY_DAYS - 1)).isoformat()  # as_of is one of them
    rows = store.read("daily/employee_activities", since=since, **params)
    labels = _labels(store, viewer, {i for r in rows for i in r["person_ids"]})
    activities = [_labelled(Activity(**{**r, "person_ids": sorted(r["person_ids"])}), labels)
                  for r in rows]
    return DailyView(employee_id=employee_id, name=employee["name"], as_of=as_of, influences=ties,
                     team=[TeamPerson(**{k: p[k] for k in TeamPerson.model_fields}) for p in team],
                     potential=_potential(team), activities=activities,
                     next_steps=_next_steps(store, viewer, employee_id, team, thresholds))


def _labels(store: Store, viewer: Viewer, person_ids: set[str]) -> dict[str, PersonLabel]:
    """The visible key persons among `person_ids`, labelled, by id."""
    if not person_ids:
        return {}
    rows = store.read("daily/person_labels", ids=sorted(person_ids), **visibility(store, viewer))
    return {r["id"]: PersonLabel(**r) for r in rows}


def _labelled(activity: Activity, labels: dict[str, PersonLabel]) -> Activity:
    activity.persons = [labels[i] for i in activity.person_ids if i in labels]
    return activity


def _potential(team: list[QueryRow]) -> Potential:
    influenced = sum(1 for p in team if p["influenced"])
    return Potential(team_key_persons=len(team), influenced=influenced,
                     share=rate(influenced, len(team)))


def _next_steps(store: Store, viewer: Viewer, employee_id: str, team: list[QueryRow],
                thresholds: Thresholds) -> list[NextStep]:
    """Opposing or unclear veto holders and approvers this employee can reach, strongest first."""
    from graphbrm.paths import best_paths

    steps = []
    for person in team:
        status = person_status({d: person[d] for d in DIMENSIONS}, person["decision_role"],
                               thresholds)
        if person["decision_role"] not in BLOCKING_ROLES or status not in ("opposes", "unclear"):
            continue
        found = best_paths(store, viewer=viewer, target_id=person["person_id"], k=1,
                           source_ids=[employee_id])
        if found.paths:
            steps.append(NextStep(status=status, path=StepPath(**found.paths[0].model_dump()),
                                  **{k: person[k] for k in ("person_id", "name", "account_id",
                                                            "account_name", "decision_role")}))
    steps.sort(key=lambda s: (-s.path.strength, s.person_id))
    return steps


def log_activity(store: Store, *, viewer: Viewer, activity: ActivityCreate,
                 zone: ZoneInfo = clock.UTC) -> Activity:
    """Record an activity by the viewer (or by an employee in their line) with key persons; it
    belongs to the day of its `at` in the company's time zone `zone`."""
    employee_id = activity.employee_id or viewer.employee_id
    if employee_id is None:
        raise InvalidInput([Problem("activity", None, "employee_id",
                                    "required when the caller is not an employee")])
    require_visible_employee(store, viewer=viewer, employee_id=employee_id)
    wanted = sorted(set(activity.person_ids))
    labels = _labels(store, viewer, set(wanted))
    if len(labels) != len(wanted):
        raise NotFound("key person")
    at = activity.at or _now()
    record = Activity(id=f"ACT-{uuid.uuid4().hex[:16]}", employee_id=employee_id,
                      kind=activity.kind, type=activity.type, at=at,
                      day=clock.day_of(at, zone), note=activity.note, person_ids=wanted,
                      actor=viewer.employee_id or "operator", recorded_at=_now())
    store.write("daily/create_activity", **record.model_dump(exclude={"persons"}))
    return _labelled(record, labels)
