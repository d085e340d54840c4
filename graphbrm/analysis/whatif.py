"""What-if: changed scores and leaving employees, simulated in Python without writing anything.

For each affected account (the accounts of the changed persons, and those where a leaver has an
INFLUENCES/KNOWS tie): the figures, the three monthly-review answers (docs/method.md) and the
reachability of its decision makers, before and after. "Before" uses the same as-of-today
scores as `graphbrm.accounts.figures_for`; reachability runs on the snapshot of the affected
accounts.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.analysis.reachability import (
    DECISION_MAKER_ROLES,
    REACH_KINDS,
    ReachGraph,
    best_strengths,
)
from graphbrm.analysis.snapshot import load_accounts
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.figures import AccountFigures, PersonStatus, Thresholds, cut, figures_from_row, person_status
from graphbrm.review import map_complete
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS

Score = Annotated[int | None, Field(ge=0, le=100)]
QuestionKey = Literal["coverage", "averages", "blockers"]


class PersonChange(BaseModel):
    """New scores for one key person; an absent dimension keeps its value."""

    model_config = ConfigDict(extra="forbid")
    person_id: Annotated[str, Field(min_length=1, max_length=200)]
    closeness: Score = None
    solution_acceptance: Score = None
    price_acceptance: Score = None


class WhatIfRequest(BaseModel):
    """Score changes and employees who leave; nothing is written."""

    model_config = ConfigDict(extra="forbid")
    person_changes: Annotated[list[PersonChange], Field(max_length=1000)] = []
    employee_leaves: Annotated[list[Annotated[str, Field(min_length=1, max_length=200)]],
                               Field(max_length=1000)] = []


class ReviewAnswer(BaseModel):
    key: QuestionKey
    passed: bool


class AccountState(BaseModel):
    figures: AccountFigures
    questions: list[ReviewAnswer]


class DecisionMakerReach(BaseModel):
    person_id: str
    name: str | None
    decision_role: str
    status_before: PersonStatus
    status_after: PersonStatus
    reachable_before: bool
    reachable_after: bool
    strength_before: float | None  # the best path of at most max_hops hops; null: none
    strength_after: float | None


class AccountWhatIf(BaseModel):
    account_id: str
    before: AccountState
    after: AccountState
    decision_makers: list[DecisionMakerReach]


class WhatIfResult(BaseModel):
    """The affected accounts, each before and after."""

    as_of: dt.date
    max_hops: int
    accounts: list[AccountWhatIf]


def what_if(store: Store, *, viewer: Viewer, request: WhatIfRequest, thresholds: Thresholds,
            max_hops: int = 4, as_of: dt.date | None = None,
            zone: ZoneInfo = clock.UTC) -> WhatIfResult:
    """Simulate the request on the viewer's affected accounts (scores as of a day, default today
    in `zone`); the store is only read."""
    as_of = as_of or clock.today(zone)
    _check(request)
    params = visibility(store, viewer)
    account_ids = _affected_accounts(store, request, params)
    graph = load_accounts(store, viewer=viewer, account_ids=account_ids,
                          kinds=REACH_KINDS | {"Account"})
    reach = ReachGraph.of(graph)
    before = best_strengths(reach, reach.employees, max_hops=max_hops)
    after_reach = ReachGraph.of(graph, without=request.employee_leaves)
    after = best_strengths(after_reach, after_reach.employees, max_hops=max_hops)
    changes = {c.person_id: c for c in request.person_changes}
    accounts = []
    for account_id in account_ids:
        persons = store.read("accounts/account_persons", account_id=account_id,
                             cut=cut(as_of), **params)
        changed = [_changed(p, changes.get(p["id"])) for p in persons]
        account = graph.nodes[account_id]
        accounts.append(AccountWhatIf(
            account_id=account_id,
            before=_state(account, persons, thresholds),
            after=_state(account, changed, thresholds),
            decision_makers=_decision_makers(persons, changed, before, after, thresholds)))
    return WhatIfResult(as_of=as_of, max_hops=max_hops, accounts=accounts)


def _check(request: WhatIfRequest) -> None:
    problems = []
    if not request.person_changes and not request.employee_leaves:
        problems.append(Problem("what-if", None, None,
                                "give at least one person change or one employee who leaves"))
    seen: set[str] = set()
    for n, change in enumerate(request.person_changes, 1):
        if change.person_id in seen:
            problems.append(Problem("person_changes", n, "person_id",
                                    f"{change.person_id!r} is changed twice"))
        seen.add(change.person_id)
    if problems:
        raise InvalidInput(problems)


def _affected_accounts(store: Store, request: WhatIfRequest, params: dict[str, Any]) -> list[str]:
    """Accounts of the changed persons, then those where a leaver has a tie; in that order."""
    wanted = [c.person_id for c in request.person_changes]
    of_person = {r["person_id"]: r["account_id"]
                 for r in store.read("snapshot/person_accounts", ids=wanted, **params)}
    leavers = {r["id"]: r["account_ids"]
               for r in store.read("whatif/employee_accounts", ids=request.employee_leaves,
                                   **params)}
    for person in wanted:
        if person not in of_person:
            raise NotFound(f"key person {person!r}")
    for employee in request.employee_leaves:
        if employee not in leavers:
            raise NotFound(f"employee {employee!r}")
    ordered = [of_person[p] for p in wanted] + sorted(
        a for e in request.employee_leaves for a in leavers[e])
    return list(dict.fromkeys(ordered))


def _changed(person: QueryRow, change: PersonChange | None) -> QueryRow:
    if change is None:
        return person
    new = {d: getattr(change, d) for d in DIMENSIONS if getattr(change, d) is not None}
    return {**person, **new}


def account_figures(account: dict[str, Any], persons: list[QueryRow],
                    thresholds: Thresholds) -> AccountFigures:
    """docs/method.md account figures from the account's persons and their scores, in Python."""
    row = {"id": account["id"], "name": account.get("name"), "industry": account.get("industry"),
           "region": account.get("region"), "tier": account.get("tier"),
           "expected": account.get("expected_key_persons"), "identified": len(persons),
           "unknown": sum(1 for p in persons if any(p.get(d) is None for d in DIMENSIONS))}
    for d in DIMENSIONS:
        known = [p[d] for p in persons if p.get(d) is not None]
        row[d] = sum(known) / len(known) if known else None
    return figures_from_row(row, thresholds)


def review_answers(figures: AccountFigures, persons: list[QueryRow],
                   thresholds: Thresholds) -> list[ReviewAnswer]:
    """The three monthly-review questions of docs/method.md, pass or fail."""
    averages = figures.averages.values()
    blockers = [p for p in persons if p.get("decision_role") in BLOCKING_ROLES
                and person_status(p, p["decision_role"], thresholds) in ("opposes", "unclear")]
    return [
        ReviewAnswer(key="coverage", passed=map_complete(figures)),
        ReviewAnswer(key="averages",
                     passed=all(v is not None and v >= thresholds.good for v in averages)),
        ReviewAnswer(key="blockers", passed=not blockers),
    ]


def _state(account: dict[str, Any], persons: list[QueryRow], thresholds: Thresholds) -> AccountState:
    figures = account_figures(account, persons, thresholds)
    return AccountState(figures=figures, questions=review_answers(figures, persons, thresholds))


def _decision_makers(persons: list[QueryRow], changed: list[QueryRow], before: dict[str, float],
                     after: dict[str, float], thresholds: Thresholds) -> list[DecisionMakerReach]:
    found = []
    for old, new in zip(persons, changed, strict=True):
        role = old.get("decision_role")
        if role in DECISION_MAKER_ROLES:
            found.append(DecisionMakerReach(
                person_id=old["id"], name=old.get("name"), decision_role=role,
                status_before=person_status(old, role, thresholds),
                status_after=person_status(new, role, thresholds),
                reachable_before=old["id"] in before, reachable_after=new["id"] in after,
                strength_before=_rounded(before.get(old["id"])),
                strength_after=_rounded(after.get(new["id"]))))
    return found


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
