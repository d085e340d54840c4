"""The audit trail of key persons' scores and ties: who changed what, when, through what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graphbrm import audit
from graphbrm.api.deps import AuditorDep, SettingsDep, StoreDep

router = APIRouter(tags=["audit"])
Id = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("/audit")
def get_audit(store: StoreDep, viewer: AuditorDep, settings: SettingsDep,
              person_id: Id = None, account_id: Id = None,
              limit: Annotated[int, Query(ge=1)] = 100,
              offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> audit.AuditPage:
    """History records of one key person or one account, newest first (admins; managers in scope)."""
    return audit.history(store, viewer=viewer, person_id=person_id, account_id=account_id,
                         limit=min(limit, settings.page_size_max), offset=offset)
