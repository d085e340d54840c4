"""The realtime dashboard of relationship figures, company-wide or for a region, team or rep."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graphbrm import clock
from graphbrm import dashboard as realtime
from graphbrm.api.deps import CacheDep, StoreDep, ThresholdsDep, ViewerDep, ZoneDep
from graphbrm.values import Day

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard")
def get_dashboard(store: StoreDep, viewer: ViewerDep, thresholds: ThresholdsDep, cache: CacheDep,
                  zone: ZoneDep,
                  as_of: Annotated[Day | None, Query(description="default: today")] = None,
                  scope: Annotated[str, Query(max_length=300,
                                              description="company | region:X | team:ID | rep:ID")]
                  = "company") -> realtime.Dashboard:
    """Overall scores with MoM/YoY, influence, win rate vs band, and opportunity incubation."""
    day = as_of or clock.today(zone)
    return cache.get(store, ("dashboard", viewer, day, scope, thresholds), lambda: realtime.dashboard(
        store, viewer=viewer, as_of=day, scope=scope, thresholds=thresholds))
