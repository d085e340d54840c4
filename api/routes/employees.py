"""An employee's daily view: influence, potential, next steps and recent activities."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graphbrm import daily
from graphbrm.api.deps import StoreDep, ThresholdsDep, ViewerDep, ZoneDep
from graphbrm.values import Day

router = APIRouter(tags=["daily"])
EmployeeId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/employees/{employee_id}/daily")
def daily_view(employee_id: EmployeeId, store: StoreDep, viewer: ViewerDep,
               thresholds: ThresholdsDep, zone: ZoneDep,
               as_of: Annotated[Day | None, Query(description="as of the end of this day")] = None,
               ) -> daily.DailyView:
    """Whom the employee influences or knows, their influence potential, next steps, activities."""
    return daily.daily_view(store, viewer=viewer, employee_id=employee_id,
                            thresholds=thresholds, as_of=as_of, zone=zone)
