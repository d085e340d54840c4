"""What routes receive: the process's one store, the settings, and the caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from graphbrm.access import Viewer
from graphbrm.figures import Thresholds
from graphbrm.settings import Settings
from graphbrm.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_thresholds(settings: Annotated[Settings, Depends(get_settings)]) -> Thresholds:
    return Thresholds(good=settings.good, excellent=settings.excellent)


def get_viewer() -> Viewer:
    """The caller (until sign-in exists, the operator, who sees every account)."""
    return Viewer.operator()


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ThresholdsDep = Annotated[Thresholds, Depends(get_thresholds)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
