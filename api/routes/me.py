"""The signed-in caller, and the thresholds and vocabulary in force (the web UI asks these
first)."""

from __future__ import annotations

from fastapi import APIRouter

from graphbrm import tokens
from graphbrm.api.deps import SettingsDep, StoreDep, ThresholdsDep, ViewerDep
from graphbrm.meta import Meta, meta

router = APIRouter(tags=["sign-in"])


@router.get("/me")
def me(store: StoreDep, viewer: ViewerDep) -> tokens.Me:
    """Who the bearer token signs in: employee id, name and role."""
    return tokens.who_am_i(store, viewer=viewer)


@router.get("/meta")
def vocabulary(_: ViewerDep, settings: SettingsDep, thresholds: ThresholdsDep) -> Meta:
    """The score thresholds and yearly targets of the settings, and the words of the model
    (dimensions, decision roles, statuses, bands), so the UI keeps no copies of them."""
    return meta(thresholds=thresholds, targets=settings.targets, timezone=settings.timezone)
