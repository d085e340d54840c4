"""Posting queued alerts to their webhooks, in each receiver's format, with retries.

`deliver_due` sends every pending delivery that is due and records each attempt's outcome; a
failure (an error status, a robot's non-zero errcode, a timeout) is retried after
GRAPHBRM_WEBHOOK_RETRY_S, then 4×, 16×… as long, up to GRAPHBRM_WEBHOOK_MAX_ATTEMPTS attempts.

One `Courier` thread runs it, in the `graphbrm up` process only: the API worker processes
never deliver, so however many GRAPHBRM_WORKERS there are, each delivery is posted once and
the daily scheduled rules run once (a lock-free claim would need a compare-and-set that the two
stores do not share).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from graphbrm import clock
from graphbrm.alerts import seal
from graphbrm.alerts.model import AlertPublic, log, public
from graphbrm.alerts.webhooks import check_url
from graphbrm.errors import GraphbrmError
from graphbrm.settings import Settings
from graphbrm.store import QueryRow, Store

BATCH = 50
MAX_ERROR_CHARS = 300
SEVERITY_WORDS = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
USER_AGENT = "graphbrm-webhook/1"


@dataclass(frozen=True)
class Request:
    """What one attempt posts."""

    url: str
    body: bytes
    headers: dict[str, str]


def build_request(alert: AlertPublic, *, fmt: str, url: str, secret: str | None,
                  delivery_id: str, now: float) -> Request:
    """The request for one alert in the webhook's format, signed when it has a secret."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    if fmt == "json":
        body = _json({"type": "graphbrm.alert", "delivery_id": delivery_id,
                      "alert": alert.model_dump(mode="json")})
        stamp = str(int(now))
        headers |= {"X-Graphbrm-Delivery": delivery_id, "X-Graphbrm-Timestamp": stamp}
        if secret:
            headers["X-Graphbrm-Signature"] = "sha256=" + sign_json(secret, stamp, body)
        return Request(url, body, headers)
    if fmt == "wecom":
        return Request(url, _json({"msgtype": "markdown",
                                   "markdown": {"content": markdown(alert)}}), headers)
    if fmt == "dingtalk":
        if secret:
            url = _with_query(url, dingtalk_sign(secret, int(now * 1000)))
        return Request(url, _json({"msgtype": "markdown", "markdown": {
            "title": f"graphbrm 预警 · {alert.account_name or alert.account_id}",
            "text": markdown(alert)}}), headers)
    payload: dict[str, Any] = {"msg_type": "text", "content": {"text": plain_text(alert)}}
    if secret:
        stamp = str(int(now))
        payload |= {"timestamp": stamp, "sign": feishu_sign(secret, stamp)}
    return Request(url, _json(payload), headers)


def sign_json(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 (hex) of `timestamp.body` with the webhook's secret."""
    return hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                    hashlib.sha256).hexdigest()


def dingtalk_sign(secret: str, millis: int) -> dict[str, str]:
    """DingTalk's robot signature: base64 HMAC-SHA256 of "timestamp\\nsecret" keyed by the
    secret, sent as `timestamp` and `sign` query parameters."""
    digest = hmac.new(secret.encode("utf-8"), f"{millis}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return {"timestamp": str(millis), "sign": base64.b64encode(digest).decode("ascii")}


def feishu_sign(secret: str, timestamp: str) -> str:
    """Feishu's bot signature: base64 HMAC-SHA256 of an empty message keyed by
    "timestamp\\nsecret"."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def markdown(alert: AlertPublic) -> str:
    """The robot message: severity, both languages, and the reach path."""
    zh, en = SEVERITY_WORDS[alert.severity]
    lines = [f"**graphbrm 预警 / alert** · {zh} / {en}",
             f"> {alert.message_zh}", "", f"> {alert.message_en}"]
    if alert.path:
        lines += ["", "路径 / path: " + " → ".join(alert.path)]
    return "\n".join(lines)


def plain_text(alert: AlertPublic) -> str:
    zh, en = SEVERITY_WORDS[alert.severity]
    return f"graphbrm 预警 / alert · {zh} / {en}\n{alert.message_zh}\n{alert.message_en}"


def send(request: Request, *, timeout_s: float) -> tuple[int | None, str | None]:
    """Post once: (HTTP status, None) on success, else (status or None, the reason)."""
    opener = urllib.request.build_opener(_NoRedirect)
    req = urllib.request.Request(request.url, data=request.body, headers=request.headers,
                                 method="POST")
    try:
        with opener.open(req, timeout=timeout_s) as response:
            status, text = response.status, response.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, f"HTTP {e.code}"
    except (OSError, ValueError) as e:
        return None, (str(getattr(e, "reason", None) or e) or type(e).__name__)
    return status, _robot_error(text)


def _robot_error(text: str) -> str | None:
    """WeCom and DingTalk answer 200 with `errcode`, Feishu with `code`: non-zero is a failure."""
    try:
        answer = json.loads(text)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    for field in ("errcode", "code", "StatusCode"):
        if answer.get(field) not in (None, 0):
            return f"{field} {answer[field]}: {answer.get('errmsg') or answer.get('msg') or ''}"
    return None


def deliver_due(store: Store, settings: Settings) -> int:
    """Attempt every delivery that is due; how many were attempted."""
    rows = store.read("webhooks/due_deliveries", now=clock.utc_stamp(), limit=BATCH)
    key = seal.key_for(settings) if rows else b""
    for row in rows:
        _attempt(store, settings, row, key)
    return len(rows)


def _attempt(store: Store, settings: Settings, row: QueryRow, key: bytes) -> None:
    attempts = row["attempts"] + 1
    try:
        url = seal.unseal(row["url_sealed"], key)
        secret = seal.unseal(row["secret_sealed"], key) if row["secret_sealed"] else None
        check_url(url, allow_private=settings.webhook_allow_private)
        request = build_request(public(_alert_row(row)), fmt=row["format"], url=url,
                                secret=secret, delivery_id=row["id"], now=time.time())
        status, error = send(request, timeout_s=settings.webhook_timeout_s)
    except GraphbrmError as e:
        status, error = None, str(e)
    outcome, next_at = "delivered", None
    if error is not None:
        outcome = "failed" if attempts >= settings.webhook_max_attempts else "pending"
        wait = settings.webhook_retry_s * 4 ** (attempts - 1)
        next_at = clock.utc_stamp(clock.now() + dt.timedelta(seconds=wait))
        log.warning("webhook %s: delivery %s attempt %d: %s", row["webhook_id"], row["id"],
                    attempts, error)
    store.write("webhooks/update_delivery", id=row["id"], status=outcome, attempts=attempts,
                next_at=next_at, last_status=status,
                last_error=error[:MAX_ERROR_CHARS] if error else None, at=clock.utc_stamp())


def _alert_row(row: QueryRow) -> QueryRow:
    fields = ("rule", "severity", "account_id", "account_name", "person_id", "person_name",
              "before_json", "after_json", "message_zh", "message_en", "path", "day",
              "created_at", "acknowledged_by", "acknowledged_at")
    return {"id": row["alert_id"], **{f: row[f] for f in fields}}


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _with_query(url: str, extra: dict[str, str]) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + joiner + urllib.parse.urlencode(extra)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery: following it could reach an address check_url refused."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Courier(threading.Thread):
    """The background worker of `graphbrm up`: deliveries every `poll_s`, the scheduled rules
    once per company day."""

    def __init__(self, store: Store, settings: Settings, *, poll_s: float = 1.0) -> None:
        super().__init__(name="graphbrm-alerts", daemon=True)
        self.store, self.settings, self.poll_s = store, settings, poll_s
        self.stopping = threading.Event()
        self.last_run_day: dt.date | None = None

    def run(self) -> None:
        while not self.stopping.is_set():
            self.tick()
            self.stopping.wait(self.poll_s)

    def tick(self) -> None:
        """One round: the day's scheduled rules if not yet run, then the due deliveries."""
        from graphbrm.alerts.model import AlertConfig
        from graphbrm.alerts.scheduled import run_scheduled

        try:
            today = clock.today(self.settings.zone)
            if self.last_run_day != today:
                run_scheduled(self.store, config=AlertConfig.from_settings(self.settings),
                              as_of=today)
                self.last_run_day = today
            deliver_due(self.store, self.settings)
        except Exception:  # the worker outlives a store hiccup; the next round tries again
            log.exception("alerts: background round failed")

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=self.settings.webhook_timeout_s + 5)
