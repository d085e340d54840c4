"""The yearly assessment of reps by the relationship quality of their key accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graphbrm import clock, yearly
from graphbrm.api.deps import CacheDep, SettingsDep, StoreDep, ThresholdsDep, ViewerDep, ZoneDep

router = APIRouter(tags=["assessments"])


@router.get("/assessments/yearly")
def yearly_assessment(store: StoreDep, viewer: ViewerDep, thresholds: ThresholdsDep,
                      settings: SettingsDep, cache: CacheDep, zone: ZoneDep,
                      year: Annotated[int | None, Query(ge=1970, le=9999,
                                                        description="default: this year")] = None,
                      ) -> yearly.YearlyAssessment:
    """Per rep: band counts and shares of their key accounts at year end, against the targets."""
    targets = settings.targets
    today = clock.today(zone)
    key = ("yearly", viewer, year or today.year, today, thresholds, targets.model_dump_json())
    return cache.get(store, key, lambda: yearly.yearly_assessment(
        store, viewer=viewer, year=year or today.year, thresholds=thresholds, targets=targets,
        today=today))
