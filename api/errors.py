"""Domain errors to HTTP statuses, in one place; every error answer is rendered here, small and
JSON-clean whatever the input was."""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graphbrm.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StoreUnavailable,
    TooLarge,
    Unauthorized,
)
from graphbrm.store import UNAVAILABLE, driver_errors

# A 422 lists at most this many problems, then how many there were in all (`count`).
MAX_PROBLEMS = 1000
# A value the client sent is echoed to at most this many characters, a message to MAX_MESSAGE.
MAX_ECHO = 200
MAX_MESSAGE = 1000
log = logging.getLogger("graphbrm.store")


def install(app: FastAPI) -> None:
    """Register the handlers that turn graphbrm errors into JSON responses."""

    @app.exception_handler(RequestValidationError)
    def invalid_request(_: Request, e: RequestValidationError) -> JSONResponse:
        """FastAPI's own 422, with echoed inputs cut short and made JSON (no NaN, no surrogate)."""
        errors = list(e.errors())
        detail = [{**jsonable_encoder(_without_input(item)),
                   "msg": _cut(str(item.get("msg", "")), MAX_MESSAGE),
                   **({"input": _echo(item["input"])} if "input" in item else {})}
                  for item in errors[:MAX_PROBLEMS]]
        return JSONResponse(_clean({"detail": detail, **_count(len(errors))}), status_code=422)

    @app.exception_handler(NotFound)
    def not_found(_: Request, e: NotFound) -> JSONResponse:
        return JSONResponse({"detail": f"not found: {_cut(str(e), MAX_MESSAGE)}"},
                            status_code=404)

    @app.exception_handler(InvalidInput)
    def invalid(_: Request, e: InvalidInput) -> JSONResponse:
        """FastAPI's own 422 shape (the one OpenAPI declares), plus the problems as records."""
        problems = [{"table": _cut(x.table, MAX_ECHO), "row": x.row,
                     "field": None if x.field is None else _cut(x.field, MAX_ECHO),
                     "reason": _cut(x.reason, MAX_MESSAGE)} for x in e.problems[:MAX_PROBLEMS]]
        detail = [{"loc": [p[k] for k in ("table", "row", "field") if p[k] is not None],
                   "msg": p["reason"], "type": "invalid_input"} for p in problems]
        return JSONResponse(_clean({"detail": detail, "problems": problems,
                                    **_count(len(e.problems))}), status_code=422)

    @app.exception_handler(TooLarge)
    def too_large(_: Request, e: TooLarge) -> JSONResponse:
        return JSONResponse({"detail": str(e)}, status_code=413)

    @app.exception_handler(Conflict)
    def conflict(_: Request, e: Conflict) -> JSONResponse:
        return JSONResponse({"detail": str(e)}, status_code=409)

    @app.exception_handler(Forbidden)
    def forbidden(_: Request, e: Forbidden) -> JSONResponse:
        return JSONResponse({"detail": str(e) or "your role may not do this"}, status_code=403)

    @app.exception_handler(Unauthorized)
    def unauthorized(_: Request, e: Unauthorized) -> JSONResponse:
        return JSONResponse({"detail": str(e) or "sign in first"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(StoreUnavailable)
    def unavailable(_: Request, e: StoreUnavailable) -> JSONResponse:
        return JSONResponse({"detail": str(e)}, status_code=503)

    def store_failed(request: Request, e: Exception) -> JSONResponse:
        """A driver error no store turned into a graphbrm error: 503 with a plain message; the
        driver's own words go to the log, not to the caller."""
        log.error("store failure on %s %s", request.method, request.url.path, exc_info=e)
        return JSONResponse({"detail": UNAVAILABLE}, status_code=503)

    for failure in driver_errors():
        app.add_exception_handler(failure, store_failed)


def _count(total: int) -> dict[str, int]:
    """`count`, the number of problems in all, when the list was cut."""
    return {"count": total} if total > MAX_PROBLEMS else {}


def _without_input(item: Any) -> dict[str, Any]:
    return {k: v for k, v in dict(item).items() if k not in ("input", "msg")}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _echo(value: Any) -> Any:
    """A value the client sent, as an answer may show it: short, and valid JSON."""
    if value is None or isinstance(value, bool | int) and len(str(value)) <= MAX_ECHO:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return _cut(value, MAX_ECHO)
    text = json.dumps(jsonable_encoder(value), ensure_ascii=False, default=str)
    return jsonable_encoder(value) if len(text) <= MAX_ECHO else _cut(text, MAX_ECHO)


def _clean(value: Any) -> Any:
    """Strings made UTF-8 (a lone surrogate the client sent becomes ?) and numbers JSON."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value
