"""Yearly assessment (Y): each rep judged by the relationship bands of the key accounts they own."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.errors import InvalidInput, Problem
from graphbrm.figures import BANDS, Averages, Band, Targets, Thresholds, band, cut
from graphbrm.stats import rate
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS

# A rep who owns no key account in the viewer's sight is not assessed (no shares to judge).
NOT_ASSESSED = "not assessed: owns no key account"
# Shares are fractions of whole accounts; this only absorbs float noise such as 0.9 vs 9/10.
_SLACK = 1e-9


class AccountBands(BaseModel):
    account_id: str
    name: str
    start: Band
    end: Band


class RepAssessment(BaseModel):
    employee_id: str
    name: str | None
    accounts: int
    excellent: int
    good: int
    poor: int
    unknown: int
    share_excellent: float | None
    share_good_or_better: float | None
    # None with a reason when the rep is not assessed (owns no key account in sight).
    meets_target: bool | None
    reason: str | None = None
    account_bands: list[AccountBands]


class YearlyAssessment(BaseModel):
    year: int
    start_as_of: dt.date
    end_as_of: dt.date
    targets: Targets
    reps: list[RepAssessment]


def year_span(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """(start, end) days of the assessment: Dec 31 of the year before, and Dec 31 or today."""
    if year > today.year:
        raise InvalidInput([Problem("query", None, "year", f"{year} has not begun yet")])
    return dt.date(year - 1, 12, 31), min(dt.date(year, 12, 31), today)


def yearly_assessment(store: Store, *, viewer: Viewer, year: int, thresholds: Thresholds,
                      targets: Targets, today: dt.date | None = None,
                      zone: ZoneInfo = clock.UTC) -> YearlyAssessment:
    """Per rep the viewer may assess: band counts and shares of their key accounts at year end
    (or today, in the company's time zone `zone`, for the running year)."""
    start, end = year_span(year, today or clock.today(zone))
    params = visibility(store, viewer)
    reps = store.read("yearly/rep_key_accounts", employees=_assessable(store, viewer), **params)
    ids = sorted({a for r in reps for a in r["account_ids"]})
    bands = _bands(store, ids=ids, days=(start, end), thresholds=thresholds, params=params)
    assessed = [_assess(r["employee_id"], r["name"], [bands[i] for i in r["account_ids"] if i in bands],
                        targets)
                for r in reps]
    return YearlyAssessment(year=year, start_as_of=start, end_as_of=end, targets=targets,
                            reps=assessed)


def _assessable(store: Store, viewer: Viewer) -> list[str]:
    """Employees whose assessment the viewer may see: themselves and their line (or all)."""
    if viewer.sees_all or viewer.employee_id is None:
        return []
    rows = store.read("daily/line_employee_ids", employee_id=viewer.employee_id)
    return list(rows[0]["ids"]) if rows else []


def _bands(store: Store, *, ids: list[str], days: tuple[dt.date, dt.date], thresholds: Thresholds,
           params: dict[str, Any]) -> dict[str, AccountBands]:
    """Each account's band at the start and the end of the year, from one pass over history."""
    start, end = cut(days[0]), cut(days[1])
    rows = store.read("dashboard/account_states", ids=ids, cuts=sorted({start, end}), **params)
    on: dict[tuple[str, str], Band] = {
        (r["account_id"], r["cut"]): band(Averages(**{d: r[d] for d in DIMENSIONS}), thresholds)
        for r in rows}
    names = {r["account_id"]: r["name"] for r in rows}
    return {i: AccountBands(account_id=i, name=names[i], start=on[(i, start)], end=on[(i, end)])
            for i in names}


def _assess(employee_id: str, name: str | None, bands: list[AccountBands],
            targets: Targets) -> RepAssessment:
    bands.sort(key=lambda b: (b.name, b.account_id))
    counts = {b: sum(1 for a in bands if a.end == b) for b in BANDS}
    rep = RepAssessment(employee_id=employee_id, name=name, accounts=len(bands),
                        excellent=counts["excellent"], good=counts["good"], poor=counts["poor"],
                        unknown=counts["unknown"],
                        share_excellent=rate(counts["excellent"], len(bands)),
                        share_good_or_better=rate(counts["excellent"] + counts["good"], len(bands)),
                        meets_target=None, account_bands=bands)
    if rep.share_excellent is None or rep.share_good_or_better is None:
        rep.reason = NOT_ASSESSED
    else:
        rep.meets_target = (rep.share_excellent >= targets.share_excellent - _SLACK
                            and rep.share_good_or_better >= targets.share_good_or_better - _SLACK)
    return rep
