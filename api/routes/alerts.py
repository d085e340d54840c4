"""Alerts: the open (or all) alerts on the caller's accounts, and acknowledging one."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from graphbrm.alerts import model
from graphbrm.api.deps import EditorDep, StoreDep, ViewerDep
from graphbrm.values import Day

router = APIRouter(tags=["alerts"])
AlertId = Annotated[str, Path(min_length=1, max_length=500)]


@router.get("/alerts")
def list_alerts(store: StoreDep, viewer: ViewerDep,
                state: Annotated[Literal["open", "all"], Query()] = "open",
                since: Annotated[Day | None, Query(
                    description="only alerts created on or after this day (UTC)")] = None,
                ) -> model.AlertList:
    """Alerts on the accounts the caller sees, newest first: open ones, or all."""
    return model.list_alerts(store, viewer=viewer, state=state,
                             since=since.isoformat() if since else None)


@router.post("/alerts/{alert_id}/ack")
def acknowledge_alert(alert_id: AlertId, store: StoreDep, viewer: EditorDep) -> model.AlertPublic:
    """Acknowledge an alert: it leaves the open list; the first acknowledgement is kept."""
    return model.acknowledge(store, viewer=viewer, alert_id=alert_id)
