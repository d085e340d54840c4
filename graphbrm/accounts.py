"""Accounts: pages of accounts with their figures, one account, its relationship map."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.errors import NotFound
from graphbrm.figures import AccountFigures, Thresholds, cut, figures_from_row, person_status
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS


class AccountPage(BaseModel):
    data: list[AccountFigures]
    count: int


class MapNode(BaseModel):
    id: str
    kind: Literal["department", "key_person", "employee"]
    name: str | None
    title: str | None = None
    decision_role: str | None = None
    department_id: str | None = None
    parent_id: str | None = None
    closeness: int | None = None
    solution_acceptance: int | None = None
    price_acceptance: int | None = None
    status: str | None = None
    opposes: bool | None = None
    unclear: bool | None = None


class MapEdge(BaseModel):
    source: str
    target: str
    type: str
    strength: int | None = None
    # ON_TEAM only: the employee's role on the account team (owner | member).
    team_role: str | None = None


class AccountMap(BaseModel):
    account: AccountFigures
    nodes: list[MapNode]
    edges: list[MapEdge]


def figures_for(store: Store, *, ids: list[str], as_of: dt.date, thresholds: Thresholds,
                params: dict[str, Any]) -> list[AccountFigures]:
    """Figures of the given accounts (those visible under `params`), in the order of `ids`."""
    rows = store.read("accounts/account_figures", ids=ids, cut=cut(as_of), **params)
    by_id = {r["id"]: figures_from_row(r, thresholds) for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def list_accounts(store: Store, *, viewer: Viewer, thresholds: Thresholds, limit: int = 50,
                  offset: int = 0, q: str | None = None, tier: str | None = None,
                  as_of: dt.date | None = None, zone: ZoneInfo = clock.UTC) -> AccountPage:
    """A page of the viewer's accounts with their figures as of a day (default today in
    `zone`, the company's time zone); two queries per page."""
    params = visibility(store, viewer)
    page = store.read("accounts/page_account_ids", q=q or None, tier=tier, offset=offset,
                      limit=limit, **params)[0]
    figures = figures_for(store, ids=page["ids"], as_of=as_of or clock.today(zone),
                          thresholds=thresholds, params=params)
    return AccountPage(data=figures, count=page["count"])


def get_account(store: Store, *, viewer: Viewer, account_id: str, thresholds: Thresholds,
                as_of: dt.date | None = None, zone: ZoneInfo = clock.UTC) -> AccountFigures:
    """One account's figures (default: today in `zone`), or NotFound when it does not exist or
    is not visible."""
    found = figures_for(store, ids=[account_id], as_of=as_of or clock.today(zone),
                        thresholds=thresholds, params=visibility(store, viewer))
    if not found:
        raise NotFound(f"account {account_id!r}")
    return found[0]


def account_map(store: Store, *, viewer: Viewer, account_id: str, thresholds: Thresholds,
                as_of: dt.date | None = None, zone: ZoneInfo = clock.UTC) -> AccountMap:
    """The relationship map: departments, key persons with scores and status, our employees
    (scores as of a day, default today in `zone`)."""
    as_of = as_of or clock.today(zone)
    params = visibility(store, viewer)
    account = get_account(store, viewer=viewer, account_id=account_id, thresholds=thresholds,
                          as_of=as_of)
    by_account = {"account_id": account_id, **params}
    nodes = [MapNode(kind="department", **d)
             for d in store.read("accounts/account_departments", **by_account)]
    for p in store.read("accounts/account_persons", cut=cut(as_of), **by_account):
        status = person_status(p, p["decision_role"], thresholds)
        nodes.append(MapNode(kind="key_person", status=status, opposes=status == "opposes",
                             unclear=status == "unclear",
                             **{k: p[k] for k in ("id", "name", "title", "decision_role",
                                                  "department_id", *DIMENSIONS)}))
    edges, employees = [], {}
    for e in store.read("accounts/account_edges", **by_account):
        on_team = e["type"] == "ON_TEAM"
        edges.append(MapEdge(source=e["source"], target=e["target"], type=e["type"],
                             strength=e["strength"], team_role=e["source_title"] if on_team else None))
        if e["source_label"] == "Employee":
            employees[e["source"]] = MapNode(id=e["source"], kind="employee", name=e["source_name"],
                                             title=None if on_team else e["source_title"])
    nodes += employees.values()
    return AccountMap(account=account, nodes=nodes, edges=edges)
