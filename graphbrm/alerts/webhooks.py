"""Webhooks: where alerts are posted (any JSON receiver, or a WeCom, DingTalk or Feishu group
robot), who may add them, and the queue of deliveries each new alert leaves in the store.

An admin's webhook gets every account's alerts; a manager's gets those of the accounts their
line sees, the same scope as their alert list. Deliveries wait in the store as pending
`Delivery` nodes for the one delivery worker (graphbrm/alerts/delivery.py), so a receiver,
slow or dead, never holds up the write that raised the alert.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import urllib.parse
import uuid
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.alerts import seal
from graphbrm.alerts.model import RULES, Rule
from graphbrm.errors import Forbidden, InvalidInput, NotFound, Problem
from graphbrm.settings import Settings
from graphbrm.store import Store

Format = Literal["json", "wecom", "dingtalk", "feishu"]
FORMATS: tuple[str, ...] = get_args(Format)
MAX_LOG = 200


class WebhookCreate(BaseModel):
    """A webhook to add. `secret`: the robot's sign secret (DingTalk "加签", Feishu "签名校验");
    for `json` a secret is made and shown once."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000)
    format: Format = "json"
    rules: list[Rule] = Field(default_factory=lambda: list(RULES), min_length=1)
    scope: str | None = Field(default=None, max_length=200, description=(
        "company (admins only), or team:EMPLOYEE_ID for that employee's line; default: "
        "company for an admin, the manager's own line for a manager"))
    secret: str | None = Field(default=None, min_length=1, max_length=200)


class WebhookPublic(BaseModel):
    """A webhook as listed: the URL without its query (a robot's key stays hidden)."""

    id: str
    format: Format
    rules: list[Rule]
    scope: str
    url_shown: str
    signed: bool
    created_by: str | None = None
    created_at: str
    deliveries: int = 0
    pending: int = 0
    failed: int = 0


class NewWebhook(BaseModel):
    """A webhook just added; `secret` (json format) is shown this once."""

    webhook: WebhookPublic
    secret: str | None = None


class WebhookList(BaseModel):
    data: list[WebhookPublic]
    count: int


class Delivery(BaseModel):
    """One alert's delivery to one webhook: pending, delivered or failed (after every retry)."""

    id: str
    alert_id: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    next_at: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    created_at: str
    updated_at: str | None = None
    delivered_at: str | None = None


class DeliveryLog(BaseModel):
    """A webhook's deliveries, newest first (at most 200)."""

    webhook_id: str
    data: list[Delivery]
    count: int


def add_webhook(store: Store, *, viewer: Viewer, new: WebhookCreate,
                settings: Settings) -> NewWebhook:
    """Check and store a webhook; the URL and any secret are stored sealed."""
    scope_employee = _scope_for(viewer, new.scope)
    if scope_employee is not None and not store.read("daily/find_employee",
                                                     employee_id=scope_employee):
        raise InvalidInput([Problem("webhook", None, "scope",
                                    f"unknown employee {scope_employee!r}")])
    check_url(new.url, allow_private=settings.webhook_allow_private)
    secret = new.secret
    if new.format == "json" and secret is None:
        secret = secrets.token_urlsafe(32)
    key = seal.key_for(settings)
    webhook_id = "wh_" + uuid.uuid4().hex[:12]
    store.write("webhooks/create_webhook", id=webhook_id, format=new.format,
                rules=sorted(set(new.rules), key=RULES.index),
                scope_employee_id=scope_employee, url_shown=shown_url(new.url),
                url_sealed=seal.seal(new.url, key),
                secret_sealed=seal.seal(secret, key) if secret else None,
                created_by=viewer.employee_id or "operator", created_at=clock.utc_stamp())
    found = [w for w in list_webhooks(store, viewer=viewer).data if w.id == webhook_id]
    return NewWebhook(webhook=found[0], secret=secret if new.format == "json" else None)


def list_webhooks(store: Store, *, viewer: Viewer) -> WebhookList:
    """Every webhook for an admin; a manager's line's webhooks for a manager."""
    rows = store.read("webhooks/list_webhooks", **_owner(viewer))
    hooks = [WebhookPublic(**{k: v for k, v in r.items() if k != "scope_employee_id"},
                           scope=_scope_text(r["scope_employee_id"])) for r in rows]
    return WebhookList(data=hooks, count=len(hooks))


def remove_webhook(store: Store, *, viewer: Viewer, webhook_id: str) -> None:
    """Remove a webhook with its delivery log, or NotFound."""
    if not store.write("webhooks/delete_webhook", id=webhook_id, **_owner(viewer)):
        raise NotFound(f"webhook {webhook_id!r}")


def deliveries(store: Store, *, viewer: Viewer, webhook_id: str) -> DeliveryLog:
    """A webhook's delivery log, newest first, or NotFound."""
    rows = store.read("webhooks/list_deliveries", webhook_id=webhook_id, limit=MAX_LOG,
                      **_owner(viewer))
    if not rows:
        raise NotFound(f"webhook {webhook_id!r}")
    log = [Delivery(**d) for d in rows[0]["deliveries"] if d and d.get("id")]
    return DeliveryLog(webhook_id=webhook_id, data=log, count=len(log))


def enqueue(store: Store, *, alert_id: str, rule: str, account_id: str) -> int:
    """Queue a new alert for every webhook that wants its rule and sees its account."""
    hooks = store.read("webhooks/list_webhooks", all=True, scope_employee_id=None)
    visible: dict[str, list[str]] = {}
    wanted = []
    for w in hooks:
        if rule not in w["rules"]:
            continue
        employee = w["scope_employee_id"]
        if employee is not None and employee not in visible:
            rows = store.read("access/visible_account_ids", employee_id=employee)
            visible[employee] = rows[0]["ids"] if rows else []
        if employee is None or account_id in visible[employee]:
            wanted.append(w["id"])
    if not wanted:
        return 0
    at = clock.utc_stamp()
    store.write("webhooks/create_deliveries", rows=[
        {"id": "dl_" + uuid.uuid4().hex[:16], "webhook_id": w, "alert_id": alert_id, "at": at}
        for w in wanted])
    return len(wanted)


def check_url(url: str, *, allow_private: bool) -> None:
    """InvalidInput unless `url` is http(s) to a public address (or private ones are allowed)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput([Problem("webhook", None, "url", "expected an http:// or https:// URL")])
    if allow_private:
        return
    refused = private_address(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    if refused:
        raise InvalidInput([Problem("webhook", None, "url", (
            f"{parts.hostname} is {refused}; webhooks post only to public addresses unless "
            "GRAPHBRM_WEBHOOK_ALLOW_PRIVATE=true"))])


def private_address(host: str, port: int) -> str | None:
    """Why posting to `host` is refused (a loopback, private, link-local or reserved address,
    or a name that does not resolve), or None for a public address."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return "a name that does not resolve"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            return f"a non-public address ({address})"
    return None


def shown_url(url: str) -> str:
    """The URL without query or credentials: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?…`."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "…" if parts.query else "",
                                    ""))


def _scope_for(viewer: Viewer, scope: str | None) -> str | None:
    """The scope employee of a new webhook: None (company) for admins, a manager's own line."""
    if viewer.role == "admin":
        if scope in (None, "company"):
            return None
        if scope.startswith("team:") and len(scope) > 5:
            return scope[5:]
        raise InvalidInput([Problem("webhook", None, "scope", "expected company or team:ID")])
    if viewer.role == "manager" and viewer.employee_id:
        if scope in (None, f"team:{viewer.employee_id}"):
            return viewer.employee_id
        raise Forbidden(f"a manager's webhooks cover their own line: team:{viewer.employee_id}")
    raise Forbidden(f"the {viewer.role} role may not manage webhooks")


def _owner(viewer: Viewer) -> dict[str, object]:
    if viewer.role == "admin":
        return {"all": True, "scope_employee_id": None}
    if viewer.role == "manager" and viewer.employee_id:
        return {"all": False, "scope_employee_id": viewer.employee_id}
    raise Forbidden(f"the {viewer.role} role may not manage webhooks")


def _scope_text(employee_id: str | None) -> str:
    return "company" if employee_id is None else f"team:{employee_id}"


__all__ = ["FORMATS", "WebhookCreate", "add_webhook", "list_webhooks", "remove_webhook",
           "deliveries", "enqueue", "check_url"]
