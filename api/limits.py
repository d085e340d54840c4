"""Request limits: body size caps (413 before the body is read), and no values a store cannot keep."""

from __future__ import annotations

from itertools import islice
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graphbrm.values import unkeepable

NUL = "NUL characters (\\u0000) are not accepted"
# A 422 names at most this many places (api/errors.py caps every list it renders the same).
MAX_SHOWN = 1000


class BodyLimit:
    """Caps every request body at `max_bytes`, and the import route's (`import_path`, as the
    app mounts it) at `import_max_bytes`.

    A declared Content-Length above the cap is refused at once; a body sent without one
    (chunked) is counted as it arrives and refused when it passes the cap.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, import_max_bytes: int,
                 import_path: str) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.import_max_bytes = import_max_bytes
        self.import_path = import_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.import_max_bytes if scope["path"] == self.import_path else self.max_bytes
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
    """422 for a NUL character in the path or the query string, and for a JSON body holding a
    value no store keeps (NUL, a lone surrogate, NaN or an infinity), naming where it is.

    The FalkorDB client sends parameters inside the query text, where a NUL ends it, so that
    store cannot keep one; it is refused up front, the same on both stores.
    """
    places = [(("path",), request.scope["path"]),
              *((("query", k), f"{k}={v}") for k, v in request.query_params.multi_items())]
    bad: list[tuple[tuple[str | int, ...], str]] = [(loc, NUL) for loc, text in places
                                                    if "\x00" in text]
    if not bad:
        bad = [(("body", *at), why) for at, why in islice(unkeepable(await _json(request)),
                                                          MAX_SHOWN)]
    if bad:
        # The same shape as FastAPI's own 422, which the OpenAPI document declares.
        raise RequestValidationError([{"type": "value_error", "loc": loc, "input": None,
                                       "msg": why} for loc, why in bad])


async def _json(request: Request) -> Any:
    """The body as FastAPI parses it: JSON when there is no Content-Type or it is
    application/json or application/*+json, in any case (FastAPI caches the parse)."""
    kind = request.headers.get("content-type")
    if kind is not None:
        media = kind.partition(";")[0].strip().lower()
        if not (media == "application/json"
                or (media.startswith("application/") and media.endswith("+json"))):
            return None
    if not await request.body():
        return None
    try:
        return await request.json()
    except ValueError:
        return None  # not JSON: the route's own parsing answers that
