"""The monthly review of an account, and the reviews managers recorded."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from graphbrm import clock, review
from graphbrm.api.deps import ReviewerDep, StoreDep, ThresholdsDep, ViewerDep, ZoneDep
from graphbrm.values import Day

router = APIRouter(tags=["reviews"])
AccountId = Annotated[str, Path(min_length=1, max_length=200)]


@router.get("/accounts/{account_id}/review")
def get_review(account_id: AccountId, store: StoreDep, viewer: ViewerDep,
               thresholds: ThresholdsDep, zone: ZoneDep,
               as_of: Annotated[Day | None, Query(description="default: today")] = None,
               ) -> review.MonthlyReview:
    """The monthly review: three questions with evidence, action items, last review's actions."""
    return review.monthly_review(store, viewer=viewer, account_id=account_id,
                                 as_of=as_of or clock.today(zone), thresholds=thresholds)


@router.post("/accounts/{account_id}/reviews", status_code=201, responses={
    200: {"model": review.ReviewPublic,
          "description": "The caller's review of this account on that day, updated"}})
def record_review(account_id: AccountId, body: review.ReviewCreate, store: StoreDep,
                  viewer: ReviewerDep, thresholds: ThresholdsDep, zone: ZoneDep,
                  response: Response) -> review.ReviewPublic:
    """Record a review (the caller is the reviewer) with the figures as of its date.

    One review per account, day and reviewer: 201 when it is new; posting it again (a double
    submit or a correction) updates that review (same id) and answers 200.
    """
    recorded = review.record_review(store, viewer=viewer, account_id=account_id, review=body,
                                    thresholds=thresholds, zone=zone)
    if not recorded.created:
        response.status_code = 200
    return recorded.review


@router.get("/accounts/{account_id}/reviews")
def list_reviews(account_id: AccountId, store: StoreDep, viewer: ViewerDep) -> review.ReviewPage:
    """The account's recorded reviews, newest first."""
    return review.list_reviews(store, viewer=viewer, account_id=account_id)
