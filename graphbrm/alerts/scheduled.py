"""Scheduled rules 5 and 6: run by `graphbrm alerts run` (for cron) and once a day by the
`graphbrm up` process. Running them again the same day (or month) raises nothing new."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from graphbrm.alerts import messages
from graphbrm.alerts.events import best_path, path_names
from graphbrm.alerts.model import AlertConfig, NewAlert, record
from graphbrm.store import Store


class RunResult(BaseModel):
    """What one scheduled run found and how many of its alerts were new."""

    as_of: str
    review_overdue: int
    stale_scores: int
    new_alerts: list[str]


def run_scheduled(store: Store, *, config: AlertConfig, as_of: dt.date) -> RunResult:
    """Evaluate rules 5 and 6 as of `as_of` (a company day) and record their alerts."""
    overdue = _review_overdue(store, config, as_of) if config.on("review_overdue") else []
    stale = _stale_scores(store, config, as_of) if config.on("stale_scores") else []
    new = [a.id for a in overdue + stale if record(store, a, zone=config.zone)]
    return RunResult(as_of=as_of.isoformat(), review_overdue=len(overdue),
                     stale_scores=len(stale), new_alerts=new)


def _review_overdue(store: Store, config: AlertConfig, as_of: dt.date) -> list[NewAlert]:
    """Rule 5: from day `review_due_day` of a month, key accounts without a review in it."""
    if as_of.day < config.review_due_day:
        return []
    month = as_of.strftime("%Y-%m")
    rows = store.read("alerts/overdue_reviews", month_start=as_of.replace(day=1).isoformat(),
                      as_of=as_of.isoformat())
    alerts = []
    for r in rows:
        words = messages.review_overdue(r["name"] or r["id"], r["owner"], month,
                                        config.review_due_day)
        alerts.append(NewAlert(rule="review_overdue", subject=r["id"], period=month,
                               account_id=r["id"], account_name=r["name"],
                               before={"reviews_this_month": 0},
                               after={"reviews_this_month": 0, "as_of": as_of.isoformat()},
                               message_zh=words[0], message_en=words[1]))
    return alerts


def _stale_scores(store: Store, config: AlertConfig, as_of: dt.date) -> list[NewAlert]:
    """Rule 6: veto holders and approvers whose latest score is `stale_days` or more old.
    One alert per person and stale record: a new score ends it, the next staleness is new."""
    before = as_of - dt.timedelta(days=config.stale_days - 1)
    alerts = []
    for r in store.read("alerts/stale_scores", before=before.isoformat()):
        who = messages.person(r["name"], r["id"], r["account_name"])
        path = best_path(store, r["id"])
        words = messages.stale(who, r["decision_role"], r["last_day"], config.stale_days, path)
        alerts.append(NewAlert(rule="stale_scores", subject=r["id"],
                               period=r["last_day"] or "never", account_id=r["account_id"],
                               account_name=r["account_name"], person_id=r["id"],
                               person_name=r["name"], before={"last_scored": r["last_day"]},
                               after={"as_of": as_of.isoformat()}, message_zh=words[0],
                               message_en=words[1], path=path_names(path)))
    return alerts
