"""Domain errors to HTTP statuses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from graphbrm.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    StoreUnavailable,
    Unauthorized,
)


def install(app: FastAPI) -> None:
    """Register the handlers that turn graphbrm errors into JSON responses."""

    @app.exception_handler(NotFound)
    def not_found(_: Request, e: NotFound) -> JSONResponse:
        return JSONResponse({"detail": f"not found: {e}"}, status_code=404)

    @app.exception_handler(InvalidInput)
    def invalid(_: Request, e: InvalidInput) -> JSONResponse:
        """FastAPI's own 422 shape (the one OpenAPI declares), plus the problems as records."""
        detail = [{"loc": [p for p in (x.table, x.row, x.field) if p is not None],
                   "msg": x.reason, "type": "invalid_input"} for x in e.problems]
        return JSONResponse({"detail": detail, "problems": e.as_dicts()}, status_code=422)

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
