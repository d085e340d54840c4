"""Logging activities with key persons (the Daily habit)."""

from __future__ import annotations

from fastapi import APIRouter

from graphbrm import daily
from graphbrm.api.deps import EditorDep, StoreDep, ZoneDep

router = APIRouter(tags=["daily"])


@router.post("/activities", status_code=201)
def log_activity(body: daily.ActivityCreate, store: StoreDep,
                 viewer: EditorDep, zone: ZoneDep) -> daily.Activity:
    """Record an activity by the caller (or an employee in their line) with key persons."""
    return daily.log_activity(store, viewer=viewer, activity=body, zone=zone)
