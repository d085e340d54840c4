"""The FastAPI application: one store per process, created in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel

from graphbrm.api import errors, observability
from graphbrm.api.deps import StoreDep
from graphbrm.api.limits import BodyLimit, refuse_nul
from graphbrm.api.routes import (
    accounts,
    activities,
    alerts,
    analysis,
    assessments,
    audit,
    dashboard,
    employees,
    export,
    imports,
    key_persons,
    me,
    query,
    reviews,
    ties,
    webhooks,
)
from graphbrm.api.security import NoEncodedSlash, SecurityHeaders, SignInLimiter
from graphbrm.cache import ReportCache
from graphbrm.settings import Settings, get_settings
from graphbrm.store import Store, open_store

STATIC = Path(__file__).resolve().parent / "static"
# Every route of the API lives under this one prefix, given here and nowhere else.
API_PREFIX = "/api/v1"


class Health(BaseModel):
    status: str
    store: str


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app; it opens (and later closes) its own store unless one is handed in."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = store or open_store(settings)
        app.state.cache = ReportCache()
        yield
        if store is None:
            app.state.store.close()

    app = FastAPI(title="graphbrm", version="0.1.0", lifespan=lifespan,
                  description="Key-account relationship maps and the MYDR habits.",
                  dependencies=[Depends(refuse_nul)])
    errors.install(app)
    for module in (accounts, imports, assessments, employees, dashboard, activities, me, audit,
                   key_persons, ties, reviews, analysis, export, query, alerts, webhooks):
        app.include_router(module.router, prefix=API_PREFIX)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes,
                       import_max_bytes=settings.import_max_bytes,
                       import_path=app.url_path_for(imports.import_file.__name__))
    app.add_middleware(NoEncodedSlash)
    # Gives every answer, refusals included, its request id, its log line and its metrics.
    app.add_middleware(observability.RequestObservation)
    # Outermost, so that every response carries the headers, errors and refusals included.
    app.add_middleware(SecurityHeaders, docs_paths=[
        p for p in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if p])
    app.state.sign_ins = SignInLimiter()

    @app.get("/healthz", tags=["health"])
    def healthz(store: StoreDep) -> Health:
        """Liveness and the store in use; needs no sign-in."""
        store.read("health/ping")
        return Health(status="ok", store=store.dialect)

    app.include_router(observability.router)  # GET /metrics

    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")

        @app.get("/", include_in_schema=False)
        def index() -> FileResponse:
            return FileResponse(STATIC / "index.html")

    return app
