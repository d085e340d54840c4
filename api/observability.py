"""What an operator watches: a request id on every request, one log line per request, and
GET /metrics in Prometheus's text format.

The request id is the caller's `X-Request-ID` when it is a plain token of at most 128
characters (a proxy's or a client's trace id), else a new random one. It is returned in the
`X-Request-ID` header, carried by every log line written while the request runs, and added to
every JSON error answer as `request_id`, so a user's error report leads to the server's log.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import os
import re
import time
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Annotated, Any, Literal, Protocol, runtime_checkable

import redis
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphbrm.api.deps import StoreDep, bearer, get_viewer
from graphbrm.errors import Forbidden
from graphbrm.metrics import HTTP_REQUESTS, HTTP_SECONDS, MULTIPROC_ENV
from graphbrm.store import Store

REQUEST_ID: ContextVar[str | None] = ContextVar("graphbrm_request_id", default=None)
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+=-]{1,128}")
# Any other method is counted as OTHER: a label value per invented method would never end.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A request that matched no route: its raw path would make one series per URL ever tried.
UNMATCHED = "<unmatched>"
access_log = logging.getLogger("graphbrm.access")


def request_id_from(scope: Scope) -> str:
    """The caller's X-Request-ID if it is sane, else a new one."""
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text: str = value.decode("latin-1")
            if SANE_REQUEST_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


def route_template(scope: Scope, entry_root_path: str) -> str:
    """The path template of the route that answered (`/api/v1/accounts/{account_id}`), never the
    raw path; a mounted app without routes of its own (the static files) counts as its mount."""
    route = scope.get("route")
    if route is None:
        return UNMATCHED
    mounted = str(scope.get("root_path", ""))[len(entry_root_path):]
    if isinstance(route, Mount):
        return mounted or route.path
    template = str(getattr(route, "path_format", UNMATCHED))
    return mounted + _router_prefix(str(scope["path"])[len(mounted):], route) + template


def _router_prefix(path: str, route: object) -> str:
    """What lies in front of the route's own path: FastAPI keeps an included router's prefix
    (`/api/v1`) outside the route, so the route only knows `/accounts/{account_id}`."""
    regex = getattr(route, "path_regex", None)
    if regex is None or regex.match(path):
        return ""
    for cut in (i for i, char in enumerate(path) if char == "/" and i):
        if regex.match(path[cut:]):
            return path[:cut]
    return ""


class RequestObservation:
    """Gives each HTTP request its id, times and counts it, and logs one line for it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(scope)
        root_path = str(scope.get("root_path", ""))  # before a mount extends it
        # Left set when the app returns: the server logs an unhandled error afterwards, in this
        # same task, and its traceback then carries the id too. Each request has its own task.
        REQUEST_ID.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        answer = _Answer(send, request_id)
        started = time.perf_counter()
        try:
            await self.app(scope, receive, answer.send)
        except Exception:
            await answer.internal_error()
            raise
        finally:
            route = route_template(scope, root_path)
            self._record(scope, route, answer.status, time.perf_counter() - started, request_id)

    @staticmethod
    def _record(scope: Scope, route: str, status: int, seconds: float, request_id: str) -> None:
        method = scope["method"] if scope["method"] in METHODS else "OTHER"
        HTTP_REQUESTS.labels(method, route, str(status)).inc()
        HTTP_SECONDS.labels(method, route, str(status)).observe(seconds)
        client = scope.get("client")
        access_log.info(
            '%s "%s %s" %d %.1f ms', client[0] if client else "-", scope["method"],
            scope["path"], status, seconds * 1000,
            extra={"request_id": request_id, "method": scope["method"], "path": scope["path"],
                   "route": route, "status": status, "duration_ms": round(seconds * 1000, 3),
                   "client": client[0] if client else None})


class _Answer:
    """The response on its way out: the id added to its headers and to a JSON error body."""

    def __init__(self, send: Send, request_id: str) -> None:
        self._send, self.request_id = send, request_id
        self.status = 500  # until the app starts an answer
        self.started = False
        self._held: Message | None = None  # an error's start, held until its body is complete
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started, self.status = True, message["status"]
            headers = MutableHeaders(scope=message)
            headers["X-Request-ID"] = self.request_id
            if self.status >= 400 and headers.get("content-type", "").startswith("application/json"):
                self._held = message
                return
        elif message["type"] == "http.response.body" and self._held is not None:
            self._body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await self._send_error(self._held, b"".join(self._body))
            return
        await self._send(message)

    async def _send_error(self, start: Message, body: bytes) -> None:
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            body = json.dumps({**parsed, "request_id": self.request_id}, ensure_ascii=False,
                              separators=(",", ":")).encode()
            MutableHeaders(scope=start)["content-length"] = str(len(body))
        await self._send(start)
        await self._send({"type": "http.response.body", "body": body})

    async def internal_error(self) -> None:
        """A 500 that names the request id, unless the app had begun to answer."""
        if self.started:
            return
        body = {"detail": "internal error; the server's log has it under this request id"}
        await self.send({"type": "http.response.start", "status": 500,
                         "headers": [(b"content-type", b"application/json")]})
        await self.send({"type": "http.response.body", "body": json.dumps(body).encode()})


# --- Logging -------------------------------------------------------------------------------

# Attributes every log record has; the others were passed as `extra` and belong in the JSON.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message", "asctime", "color_message", "taskName"}


class RequestIdFilter(logging.Filter):
    """Gives each record the id of the request it was written for ("-" outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, the access
    fields of an access line, and the traceback of an error as one string."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update((k, v) for k, v in record.__dict__.items() if k not in _STANDARD)
        if entry.get("request_id") == "-":
            del entry["request_id"]
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def log_config(log_format: Literal["text", "json"]) -> dict[str, Any]:
    """The logging set-up of `graphbrm up` (uvicorn's `log_config`, also in every worker):
    every logger to standard error in one format; uvicorn's own access log off, since
    RequestObservation writes the one line per request."""
    formatter: dict[str, Any] = ({"()": f"{__name__}.JsonFormatter"} if log_format == "json"
                                 else {"format": TEXT_FORMAT})
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": f"{__name__}.RequestIdFilter"}},
        "formatters": {"main": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "main",
                                "filters": ["request_id"], "stream": "ext://sys.stderr"}},
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {"uvicorn": {"level": "INFO", "handlers": [], "propagate": True},
                    "uvicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
                    "uvicorn.access": {"level": "WARNING", "handlers": [], "propagate": False}},
    }


# --- GET /metrics ----------------------------------------------------------------------------

router = APIRouter()


@runtime_checkable
class ReportsMemory(Protocol):
    def used_memory_bytes(self) -> int: ...


class StoreMemory(Collector):
    """The memory of a FalkorDB store (embedded or falkordb://), read when scraped."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if not isinstance(self.store, ReportsMemory):
            return  # Neo4j: its own metrics endpoint tells its memory
        try:
            used = self.store.used_memory_bytes()
        except redis.RedisError:
            return  # the store is down: /healthz says so; the other metrics still answer
        yield GaugeMetricFamily("graphbrm_store_memory_bytes",
                                "Memory the FalkorDB server holds (Redis INFO used_memory).",
                                value=used)


def from_loopback(request: Request) -> bool:
    """The immediate client is this machine (behind uvicorn's trusted proxy headers)."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool((mapped or address).is_loopback)


def exposition(store: Store) -> bytes:
    """Every metric of the server: all workers' (multi-process mode) or this process's."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    memory = CollectorRegistry(auto_describe=True)
    memory.register(StoreMemory(store))
    return generate_latest(registry) + generate_latest(memory)


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, store: StoreDep,
            credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Response:
    """Prometheus metrics: from this machine without a token, else for the admin role only."""
    if not from_loopback(request):
        viewer = get_viewer(request, store, credentials)
        if viewer.role != "admin":
            raise Forbidden(f"the {viewer.role} role may not read the metrics; "
                            "only admin, or any caller on the server's own machine")
    return Response(exposition(store), media_type=CONTENT_TYPE_LATEST)
