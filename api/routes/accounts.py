"""Accounts, their figures and their relationship maps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graphbrm import accounts
from graphbrm.api.deps import SettingsDep, StoreDep, ThresholdsDep, ViewerDep, ZoneDep
from graphbrm.figures import AccountFigures
from graphbrm.values import Day

router = APIRouter(tags=["accounts"])
AccountId = Annotated[str, Path(min_length=1, max_length=200)]
AsOf = Annotated[Day | None, Query(description="figures as of the end of this day")]


@router.get("/accounts")
def list_accounts(store: StoreDep, viewer: ViewerDep, thresholds: ThresholdsDep, zone: ZoneDep,
                  settings: SettingsDep,
                  limit: Annotated[int, Query(ge=1)] = 50,
                  offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                  q: Annotated[str | None, Query(max_length=200)] = None,
                  tier: Annotated[str | None, Query(max_length=50)] = None,
                  as_of: AsOf = None) -> accounts.AccountPage:
    """The caller's visible accounts with their figures, a page at a time."""
    return accounts.list_accounts(store, viewer=viewer, thresholds=thresholds,
                                  limit=min(limit, settings.page_size_max), offset=offset, q=q,
                                  tier=tier, as_of=as_of, zone=zone)


@router.get("/accounts/{account_id}")
def get_account(account_id: AccountId, store: StoreDep, viewer: ViewerDep,
                thresholds: ThresholdsDep, zone: ZoneDep, as_of: AsOf = None) -> AccountFigures:
    """One account and its figures."""
    return accounts.get_account(store, viewer=viewer, account_id=account_id,
                                thresholds=thresholds, as_of=as_of, zone=zone)


@router.get("/accounts/{account_id}/map")
def get_account_map(account_id: AccountId, store: StoreDep, viewer: ViewerDep,
                    thresholds: ThresholdsDep, zone: ZoneDep,
                    as_of: AsOf = None) -> accounts.AccountMap:
    """The relationship map: departments, key persons with scores, our employees, edges."""
    return accounts.account_map(store, viewer=viewer, account_id=account_id,
                                thresholds=thresholds, as_of=as_of, zone=zone)
