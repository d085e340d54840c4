"""Request limits: body size caps (413 before the body is read), and no NUL characters."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

IMPORT_PATH = "/api/v1/import"


class BodyLimit:
    """Caps every request body at `max_bytes`, and `/api/v1/import` at `import_max_bytes`.

    A declared Content-Length above the cap is refused at once; a body sent without one
    (chunked) is counted as it arrives and refused when it passes the cap.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, import_max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.import_max_bytes = import_max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.import_max_bytes if scope["path"] == IMPORT_PATH else self.max_bytes
        declared = _content_length(scope)
        if declared is not None and declared > cap:
            await too_large(cap)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, cap), send)


def too_large(cap: int) -> JSONResponse:
    """The 413 answer."""
    return JSONResponse({"detail": f"request body larger than {cap} bytes"}, status_code=413)


def _counting(receive: Receive, cap: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > cap:
                # FastAPI re-raises an HTTPException met while reading the body, and the app's
                # handler turns it into the response.
                raise HTTPException(413, f"request body larger than {cap} bytes")
        return message

    return counted


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def refuse_nul(request: Request) -> None:
    """422 for a NUL character in the path, the query string or a JSON body.

    The FalkorDB client sends parameters inside the query text, where a NUL ends it, so that
    store cannot keep one; it is refused up front, the same on both stores.
    """
    places = [(("path",), request.scope["path"]),
              *((("query", k), f"{k}={v}") for k, v in request.query_params.multi_items())]
    bad = [loc for loc, text in places if "\x00" in text]
    if not bad and await _json_has_nul(request):
        bad = [("body",)]
    if bad:
        # The same shape as FastAPI's own 422, which the OpenAPI document declares.
        raise RequestValidationError([{"type": "value_error", "loc": loc, "input": None,
                                       "msg": "NUL characters (\\u0000) are not accepted"}
                                      for loc in bad])


async def _json_has_nul(request: Request) -> bool:
    if not request.headers.get("content-type", "").startswith("application/json"):
        return False
    body = await request.body()
    if b"\\u0000" not in body:
        return False
    try:
        return _has_nul(json.loads(body))
    except ValueError:
        return False  # not JSON: the route's own parsing answers that


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False
