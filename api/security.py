"""Browser-facing hardening: security headers, no routing on encoded slashes, and a limit on
failed sign-ins per address.

The web UI keeps its token in localStorage, where any script running on the page could read
it; the Content-Security-Policy lets only this server's own script files run.
"""

from __future__ import annotations

import base64
import hashlib
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The web UI and the API: scripts, styles and requests only to this server, no framing.
APP_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
              "frame-ancestors 'none'")
# FastAPI's API docs load Swagger UI / ReDoc from jsDelivr and start them with one inline
# script, which is allowed by its hash only (computed from the page actually sent).
DOCS_POLICY = ("default-src 'self'; script-src 'self' https://cdn.jsdelivr.net {hashes}; "
               "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net "
               "https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com; "
               "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
               "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
           "Referrer-Policy": "no-referrer"}
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def _add_headers(message: Message, policy: str) -> None:
    headers = MutableHeaders(scope=message)
    for name, value in HEADERS.items():
        headers[name] = value
    headers["Content-Security-Policy"] = policy


def _script_hashes(body: bytes) -> str:
    return " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m).digest()).decode()}'"
                    for m in INLINE_SCRIPT.findall(body))


class SecurityHeaders:
    """Adds the security headers to every HTTP response; `docs_paths` get DOCS_POLICY."""

    def __init__(self, app: ASGIApp, *, docs_paths: Iterable[str]) -> None:
        self.app = app
        self.docs_paths = frozenset(docs_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_paths:
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_headers(message, APP_POLICY)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Buffer the (small, generated) docs page to hash its inline scripts."""
        start: Message = {}
        body: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                whole = b"".join(body)
                _add_headers(start, DOCS_POLICY.format(hashes=_script_hashes(whole)))
                await send(start)
                await send({"type": "http.response.body", "body": whole})

        await self.app(scope, receive, buffered)


class NoEncodedSlash:
    """404 for a path with an encoded '/' (%2F): the server decodes it before routing, so
    `/key-persons/P1%2Fhistory` would otherwise reach the history route of P1. No id in a
    path may contain '/'."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw: bytes = scope.get("raw_path") or scope["path"].encode()
            if b"%2f" in raw.split(b"?", 1)[0].lower():
                response = JSONResponse({"detail": "not found: no id contains '/' (%2F)"},
                                        status_code=404)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SignInLimiter:
    """Failed sign-ins per client address: a burst of BURST, then one every REFILL_S seconds.

    In-process: with several workers, each keeps its own counts. Only failures are counted,
    so a valid token is never slowed or refused, from any address.
    """

    BURST = 30
    REFILL_S = 2

    def __init__(self, *, clock: Callable[[], float] = time.monotonic,
                 max_addresses: int = 10_000) -> None:
        self._clock = clock
        self._max = max_addresses
        # address → (allowance left, when it was computed); least recently failed first.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def failed(self, address: str) -> int:
        """Count a failed sign-in: 0 if it is within the limit, else seconds to wait."""
        with self._lock:
            now = self._clock()
            left, since = self._buckets.pop(address, (float(self.BURST), now))
            left = min(float(self.BURST), left + (now - since) / self.REFILL_S)
            wait = 0 if left >= 1 else math.ceil((1 - left) * self.REFILL_S)
            self._buckets[address] = (left - 1 if wait == 0 else left, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
            return wait


def count_failed_sign_in(request: Request) -> None:
    """Count the caller's failed sign-in; 429 with Retry-After beyond the limit."""
    limiter: SignInLimiter = request.app.state.sign_ins
    address = request.client.host if request.client else "unknown"
    wait = limiter.failed(address)
    if wait:
        raise HTTPException(429, f"too many failed sign-ins from {address}; "
                                 f"try again in {wait} s", headers={"Retry-After": str(wait)})
