"""Alerts: the stored record, its rules and settings, listing (scoped) and acknowledging.

An alert's id is `rule:subject:period`: one alert per rule, subject (a person or an account)
and period, so a re-import or a second edit the same day raises nothing new. The period is the
company day for the event rules, the month for an overdue review (rule 5), and the day of the
stale record for stale scores (rule 6), so that a scheduled rule speaks once per case, not
every day until someone acts.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from graphbrm import clock
from graphbrm.access import Viewer, visibility
from graphbrm.errors import InvalidInput, NotFound, Problem
from graphbrm.figures import Thresholds
from graphbrm.settings import Settings
from graphbrm.store import QueryRow, Store

log = logging.getLogger("graphbrm.alerts")

Rule = Literal["blocker", "band_drop", "fading", "cut_off", "review_overdue", "stale_scores"]
RULES: tuple[Rule, ...] = get_args(Rule)
Severity = Literal["high", "medium", "low"]
SEVERITY: dict[str, Severity] = {"blocker": "high", "band_drop": "medium", "fading": "medium",
                                 "cut_off": "high", "review_overdue": "low",
                                 "stale_scores": "medium"}
MAX_LISTED = 500


@dataclass(frozen=True)
class AlertConfig:
    """The rules' switches and thresholds (settings GRAPHBRM_ALERT_*)."""

    rules: frozenset[str] = frozenset(RULES)
    thresholds: Thresholds = field(default_factory=Thresholds)
    fading_points: int = 15
    fading_days: int = 30
    review_due_day: int = 25
    stale_days: int = 90
    zone: ZoneInfo = clock.UTC

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertConfig:
        """The configuration that these settings describe."""
        return cls(rules=frozenset(settings.alert_rules),
                   thresholds=Thresholds(good=settings.good, excellent=settings.excellent),
                   fading_points=settings.alert_fading_points,
                   fading_days=settings.alert_fading_days,
                   review_due_day=settings.alert_review_due_day,
                   stale_days=settings.alert_stale_days, zone=settings.zone)

    def on(self, rule: str) -> bool:
        return rule in self.rules


@dataclass
class NewAlert:
    """An alert about to be recorded."""

    rule: str
    subject: str
    period: str
    account_id: str
    account_name: str | None
    before: dict[str, Any]
    after: dict[str, Any]
    message_zh: str
    message_en: str
    person_id: str | None = None
    person_name: str | None = None
    path: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.rule}:{self.subject}:{self.period}"


class AlertPublic(BaseModel):
    """One alert: what happened, to whom, the figures before and after, in two languages."""

    id: str
    rule: Rule
    severity: Severity
    account_id: str
    account_name: str | None = None
    person_id: str | None = None
    person_name: str | None = None
    before: dict[str, Any]
    after: dict[str, Any]
    message_zh: str
    message_en: str
    path: list[str]
    day: str
    created_at: str
    acknowledged_by: str | None = None
    acknowledged_at: str | None = None


class AlertList(BaseModel):
    """Alerts newest first (at most 500 in `data`); `count` counts them all."""

    data: list[AlertPublic]
    count: int


def record(store: Store, alert: NewAlert, *, zone: ZoneInfo) -> bool:
    """Store `alert` unless its rule × subject × period is already there, and queue it for the
    webhooks that want it; whether it is new."""
    rows = store.write("alerts/create_alert", id=alert.id, rule=alert.rule,
                       severity=SEVERITY[alert.rule], account_id=alert.account_id,
                       account_name=alert.account_name, person_id=alert.person_id,
                       person_name=alert.person_name,
                       before_json=json.dumps(alert.before, ensure_ascii=False),
                       after_json=json.dumps(alert.after, ensure_ascii=False),
                       message_zh=alert.message_zh, message_en=alert.message_en, path=alert.path,
                       day=clock.today(zone).isoformat(), created_at=clock.utc_stamp(),
                       origin=uuid.uuid4().hex)
    created = bool(rows and rows[0]["created"])
    if created:
        from graphbrm.alerts import webhooks

        webhooks.enqueue(store, alert_id=alert.id, rule=alert.rule, account_id=alert.account_id)
        log.info("alert %s", alert.id)
    return created


def list_alerts(store: Store, *, viewer: Viewer, state: str = "open",
                since: str | None = None) -> AlertList:
    """The alerts on accounts the viewer sees: open ones (default) or all, newest first."""
    if state not in ("open", "all"):
        raise InvalidInput([Problem("query", None, "state", "expected open or all")])
    params = {**visibility(store, viewer), "open_only": state == "open", "since": since}
    found = store.read("alerts/list_alerts", limit=MAX_LISTED, **params)[0]
    return AlertList(data=[public(a) for a in found["alerts"]], count=found["count"])


def acknowledge(store: Store, *, viewer: Viewer, alert_id: str) -> AlertPublic:
    """Mark a visible alert acknowledged by the viewer (the first acknowledgement stays)."""
    params = visibility(store, viewer)
    rows = store.write("alerts/ack_alert", id=alert_id, by=viewer.employee_id or "operator",
                       at=clock.utc_stamp(), **params)
    if not rows:
        raise NotFound(f"alert {alert_id!r}")
    return public(store.read("alerts/get_alert", id=alert_id, **params)[0])


def public(row: QueryRow) -> AlertPublic:
    values = {k: v for k, v in row.items() if not k.endswith("_json")}
    return AlertPublic(**values, before=json.loads(row["before_json"] or "{}"),
                       after=json.loads(row["after_json"] or "{}"))
