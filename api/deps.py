"""What routes receive: the process's one store, the settings, and the signed-in caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from graphbrm import tokens
from graphbrm.access import Role, Viewer
from graphbrm.api.security import count_failed_sign_in
from graphbrm.cache import ReportCache
from graphbrm.errors import Forbidden, Unauthorized
from graphbrm.figures import Thresholds
from graphbrm.settings import Settings
from graphbrm.store import Store

# auto_error off: a missing or non-Bearer header becomes our 401 (with WWW-Authenticate),
# not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, description="a token from `graphbrm token create`")


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_cache(request: Request) -> ReportCache:
    cache: ReportCache = request.app.state.cache
    return cache


def get_thresholds(settings: Annotated[Settings, Depends(get_settings)]) -> Thresholds:
    return settings.thresholds


def get_zone(settings: Annotated[Settings, Depends(get_settings)]) -> ZoneInfo:
    """The company's time zone: the one in which "today" and every record's day are taken."""
    return settings.zone


def get_viewer(request: Request, store: Annotated[Store, Depends(get_store)],
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
               ) -> Viewer:
    """The caller signed in by `Authorization: Bearer <token>`; 401 without a valid token,
    429 after too many failed tokens from the caller's address (api/security.py)."""
    if credentials is None:
        raise Unauthorized("sign in first: send Authorization: Bearer <token>")
    try:
        return tokens.viewer_for_token(store, token=credentials.credentials)
    except Unauthorized:
        count_failed_sign_in(request)
        raise


def allow(*roles: Role) -> Callable[[Viewer], Viewer]:
    """A dependency that lets only these roles through (403 for the others)."""

    def check(viewer: Annotated[Viewer, Depends(get_viewer)]) -> Viewer:
        if viewer.role not in roles:
            raise Forbidden(f"the {viewer.role} role may not do this")
        return viewer

    return check


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# Company-wide reports, cached under the store's data version (graphbrm/cache.py).
CacheDep = Annotated[ReportCache, Depends(get_cache)]
ThresholdsDep = Annotated[Thresholds, Depends(get_thresholds)]
ZoneDep = Annotated[ZoneInfo, Depends(get_zone)]
# Reads of account data: every role, always scoped to the viewer's accounts.
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
# Changes to scores, roles and activities: everyone but the read-only data role.
EditorDep = Annotated[Viewer, Depends(allow("rep", "manager", "executive", "admin"))]
# Recording a monthly review: the rep's manager (or above).
ReviewerDep = Annotated[Viewer, Depends(allow("manager", "executive", "admin"))]
# The audit trail: admins, managers for the accounts of their line, and the data role, which
# reads the same change records (with their actors) through raw Cypher anyway.
AuditorDep = Annotated[Viewer, Depends(allow("manager", "admin", "data"))]
# Webhooks: admins for every account, managers for their line.
WebhookManagerDep = Annotated[Viewer, Depends(allow("manager", "admin"))]
# Raw read-only Cypher bypasses account scoping, so only roles that see everything.
QueryDep = Annotated[Viewer, Depends(allow("data", "admin"))]
# Imports and token management.
AdminDep = Annotated[Viewer, Depends(allow("admin"))]
