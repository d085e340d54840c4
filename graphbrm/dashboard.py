"""Realtime (R): the company's relationship figures as of any day, for a region, team or rep."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from graphbrm import access
from graphbrm.access import Viewer, line_of, require_visible_employee
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.figures import BANDS, Averages, Band, Thresholds, cut
from graphbrm.stats import rate, wilson
from graphbrm.store import QueryRow, Store
from graphbrm.vocabulary import DIMENSIONS

# The method's expectation of the win rate in each band (docs/method.md, win rate against score).
EXPECTED_MIN: dict[str, float] = {"good": 0.5, "excellent": 0.7}
CREDIBLE_MIN_CLOSED = 3
INCUBATION_MONTHS = 24


class BandCounts(BaseModel):
    excellent: int = 0
    good: int = 0
    poor: int = 0
    unknown: int = 0


class Overall(BaseModel):
    averages: Averages
    bands: BandCounts
    accounts: int
    key_persons: int


class Change(BaseModel):
    """The change in each average against an earlier day (`compared_with`)."""

    compared_with: dt.date
    averages: Averages


class Contribution(BaseModel):
    won: int
    won_with_influence: int
    count_share: float | None
    amount: float
    amount_with_influence: float
    amount_share: float | None


class Influence(BaseModel):
    potential: float | None
    contribution: Contribution


class WinRate(BaseModel):
    band: Band
    closed: int
    won: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None
    expected_min: float | None


class NotCredible(BaseModel):
    account_id: str
    name: str | None
    band: Band
    closed: int
    won: int
    rate: float
    ci_high: float
    expected_min: float


class Incubation(BaseModel):
    period: str
    count: int
    amount: float
    qualified_share: float | None


class Dashboard(BaseModel):
    as_of: dt.date
    scope: str
    overall: Overall
    mom: Change
    yoy: Change
    influence: Influence
    win_rate: list[WinRate]
    not_credible: list[NotCredible]
    incubation: list[Incubation]


@dataclass(frozen=True)
class AccountGroup:
    """The key accounts a dashboard covers: the company, region:X, team:ID (a manager and their
    line) or rep:ID (the accounts a rep owns)."""

    kind: str
    value: str | None = None

    @classmethod
    def parse(cls, text: str) -> AccountGroup:
        """Parse `company|region:X|team:ID|rep:ID`; InvalidInput otherwise."""
        kind, sep, value = text.strip().partition(":")
        if kind == "company" and not sep:
            return cls("company")
        if kind in ("region", "team", "rep") and value.strip():
            return cls(kind, value.strip())
        raise InvalidInput([Problem("query", None, "scope",
                                    "expected company, region:NAME, team:EMPLOYEE_ID or rep:EMPLOYEE_ID")])

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"


def month_end_before(day: dt.date) -> dt.date:
    """The last day of the calendar month before `day`'s month (the MoM comparison day)."""
    return day.replace(day=1) - dt.timedelta(days=1)


def year_before(day: dt.date) -> dt.date:
    """The same day one year earlier; Feb 29 becomes Feb 28 (the YoY comparison day)."""
    if day.month == 2 and day.day == 29:
        return day.replace(year=day.year - 1, day=28)
    return day.replace(year=day.year - 1)


def dashboard(store: Store, *, viewer: Viewer, as_of: dt.date, scope: str = "company",
              thresholds: Thresholds) -> Dashboard:
    """The realtime figures of the key accounts in the viewer's sight and the scope (docs/method.md, R)."""
    selected = AccountGroup.parse(scope)
    params = access.visibility(store, viewer)
    ids = group_account_ids(store, viewer=viewer, selected=selected, params=params)
    days = (as_of, month_end_before(as_of), year_before(as_of))
    # The four parts read the store independently: side by side, the store works on them at
    # once (half the time of a company dashboard at S10 on two cores).
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="dashboard") as pool:
        states_ = pool.submit(_states, store, ids, params, days, thresholds)
        contribution = pool.submit(_contribution, store, ids, params, as_of)
        win_rates = pool.submit(_win_rates, store, ids, params, thresholds, as_of)
        incubation = pool.submit(_incubation, store, ids, params, as_of)
    states = states_.result()
    now = states[as_of]
    return Dashboard(
        as_of=as_of, scope=str(selected), overall=now.overall,
        mom=_change(now.overall.averages, days[1], states[days[1]]),
        yoy=_change(now.overall.averages, days[2], states[days[2]]),
        influence=Influence(potential=rate(now.influenced, now.overall.key_persons),
                            contribution=contribution.result()),
        **win_rates.result(), incubation=incubation.result())


def group_account_ids(store: Store, *, viewer: Viewer, selected: AccountGroup,
                      params: dict[str, Any]) -> list[str]:
    """Ids of the key accounts the viewer can see that the scope selects.

    NotFound for a region without a visible account and for an employee the viewer cannot
    see: a mistyped scope is an error, never an empty dashboard.
    """
    region = owner = team = None
    if selected.kind == "region":
        region = selected.value
        if not store.read("dashboard/find_region", region=region, **params):
            raise NotFound(f"region {region!r}")
    elif selected.value is not None:
        require_visible_employee(store, viewer=viewer, employee_id=selected.value)
        if selected.kind == "rep":
            owner = selected.value
        else:
            team = line_of(store, employee_id=selected.value)
    rows = store.read("dashboard/scope_account_ids", region=region, owner=owner, team=team,
                      **params)
    return sorted(rows[0]["ids"]) if rows else []


@dataclass(frozen=True)
class _State:
    """The scope's accounts as of one day: the overall figures and the key persons influenced."""

    overall: Overall
    influenced: int


def _states(store: Store, ids: list[str], params: dict[str, Any], days: tuple[dt.date, ...],
            thresholds: Thresholds) -> dict[dt.date, _State]:
    """The scope's state on each of the days, aggregated by the store from the derived series."""
    day_of_cut = {cut(d): d for d in days}
    rows = store.read("dashboard/overall_states", ids=ids, cuts=list(day_of_cut),
                      good=thresholds.good, excellent=thresholds.excellent, **params)
    by_day = {day_of_cut[r["cut"]]: r for r in rows}
    return {d: _state(by_day.get(d, {})) for d in days}


def _state(row: QueryRow) -> _State:
    overall = Overall(averages=Averages(**{d: row.get(d) for d in DIMENSIONS}),
                      bands=BandCounts(**{b: row.get(b) or 0 for b in BANDS}),
                      accounts=row.get("accounts") or 0, key_persons=row.get("key_persons") or 0)
    return _State(overall, row.get("influenced") or 0)


def _change(now: Averages, day: dt.date, then: _State) -> Change:
    delta = {d: None if (a := getattr(now, d)) is None
             or (b := getattr(then.overall.averages, d)) is None
             else a - b for d in DIMENSIONS}
    return Change(compared_with=day, averages=Averages(**delta))


def _contribution(store: Store, ids: list[str], params: dict[str, Any],
                  as_of: dt.date) -> Contribution:
    """Won deals of the year to date with an employee's influence, by count and by amount."""
    year_start = dt.date(as_of.year, 1, 1).isoformat()
    won = _one(store.read("dashboard/influence_contribution", ids=ids, cut=cut(as_of),
                          since=year_start, **params))
    count, with_influence = won.get("won") or 0, won.get("won_with_influence") or 0
    amount = float(won.get("amount") or 0)
    amount_with_influence = float(won.get("amount_with_influence") or 0)
    return Contribution(
        won=count, won_with_influence=with_influence, count_share=rate(with_influence, count),
        amount=amount, amount_with_influence=amount_with_influence,
        amount_share=rate(amount_with_influence, amount))


def _one(rows: list[QueryRow]) -> QueryRow:
    """The single row of an aggregate query (none when it aggregated nothing)."""
    return rows[0] if rows else {}


def _win_rates(store: Store, ids: list[str], params: dict[str, Any], thresholds: Thresholds,
               as_of: dt.date) -> dict[str, Any]:
    """Win rate per band at closing, and the accounts whose scores the outcomes contradict."""
    rows = store.read("dashboard/win_rate_by_band", ids=ids, cut=cut(as_of),
                      good=thresholds.good, excellent=thresholds.excellent, **params)
    per_band: dict[str, list[int]] = {b: [0, 0] for b in BANDS}
    per_account: dict[str, _Record] = defaultdict(_Record)
    for r in rows:
        per_band[r["band"]][0] += r["closed"]
        per_band[r["band"]][1] += r["won"]
        if r["band"] in EXPECTED_MIN:
            per_account[r["account_id"]].add(r["name"], r["band"], r["closed"], r["won"])
    win_rate = [_win_rate(b, *per_band[b]) for b in BANDS]
    flagged = [n for a, rec in per_account.items() if (n := rec.verdict(a)) is not None]
    flagged.sort(key=lambda n: (n.ci_high, n.account_id))
    return {"win_rate": win_rate, "not_credible": flagged}


def _win_rate(band_: Band, closed: int, won: int) -> WinRate:
    low, high = wilson(won, closed)
    return WinRate(band=band_, closed=closed, won=won, rate=rate(won, closed), ci_low=low,
                   ci_high=high, expected_min=EXPECTED_MIN.get(band_))


class _Record:
    """One account's opportunities closed while it was good or excellent."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.closed = self.won = 0
        self.bands: set[str] = set()

    def add(self, name: str | None, band_: str, closed: int, won: int) -> None:
        self.name, self.closed, self.won = name, self.closed + closed, self.won + won
        self.bands.add(band_)

    def verdict(self, account_id: str) -> NotCredible | None:
        """Flagged when ≥ 3 closed and the Wilson upper bound is below the expected minimum.

        Closed in both bands, the account is held to the lower (good) expectation: a flag
        must hold even for the most lenient reading of its band.
        """
        band_: Band = "good" if "good" in self.bands else "excellent"
        _, high = wilson(self.won, self.closed)
        if self.closed < CREDIBLE_MIN_CLOSED or high is None or high >= EXPECTED_MIN[band_]:
            return None
        return NotCredible(account_id=account_id, name=self.name, band=band_, closed=self.closed,
                           won=self.won, rate=self.won / self.closed, ci_high=high,
                           expected_min=EXPECTED_MIN[band_])


def incubation_periods(as_of: dt.date) -> list[str]:
    """The 24 calendar months ending with as_of's month, oldest first, as YYYY-MM."""
    index = as_of.year * 12 + as_of.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - INCUBATION_MONTHS + 1, index + 1)]


def _incubation(store: Store, ids: list[str], params: dict[str, Any],
                as_of: dt.date) -> list[Incubation]:
    periods = incubation_periods(as_of)
    rows = store.read("dashboard/incubation_months", ids=ids, cut=cut(as_of),
                      since=f"{periods[0]}-01", **params)
    by_period = {r["period"]: r for r in rows}
    result = []
    for period in periods:
        r = by_period.get(period, {})
        count = r.get("count") or 0
        result.append(Incubation(period=period, count=count, amount=float(r.get("amount") or 0),
                                 qualified_share=rate(r.get("qualified") or 0, count)))
    return result
