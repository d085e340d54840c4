"""Issue 12, item 9: one recorded review per account, day and reviewer, however it is submitted."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

MANAGER = Viewer("E1", "manager")
SUBMISSIONS = 20
BODY = {"date": "2026-10-31", "rep_id": "E2", "notes": "价格是关键",
        "actions": [{"text": "Call 王建国 about the price", "person_id": "P1"}]}


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def post(client: Any, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/accounts/A1/reviews", json=body)


def test_twenty_concurrent_identical_posts_store_one_review(small: Store, client_for: Any,
                                                            frozen_clock: Any) -> None:
    manager = client_for(small, MANAGER)
    start = threading.Barrier(SUBMISSIONS)

    def submit(_: int) -> Any:
        start.wait()
        return post(manager, BODY)

    with ThreadPoolExecutor(SUBMISSIONS) as pool:
        responses = list(pool.map(submit, range(SUBMISSIONS)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (SUBMISSIONS - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    listed = manager.get("/api/v1/accounts/A1/reviews").json()
    assert listed["count"] == 1
    assert listed["data"][0]["id"] == responses[0].json()["id"]


def test_a_later_post_for_the_same_day_updates_that_review(small: Store, client_for: Any,
                                                           frozen_clock: Any) -> None:
    manager = client_for(small, MANAGER)
    first = post(manager, BODY)
    assert first.status_code == 201
    again = post(manager, {**BODY, "rep_id": "E3", "notes": "corrected", "actions": []})
    assert again.status_code == 200
    updated = again.json()
    assert updated["id"] == first.json()["id"]
    assert updated["created_at"] == first.json()["created_at"]
    assert (updated["notes"], updated["rep_id"], updated["actions"]) == ("corrected", "E3", [])
    listed = manager.get("/api/v1/accounts/A1/reviews").json()
    assert listed["count"] == 1 and listed["data"][0] == updated
    # Another day, or another reviewer on the same day, is another review.
    assert post(manager, {**BODY, "date": "2026-09-30"}).status_code == 201
    assert post(client_for(small, Viewer.operator()), BODY).status_code == 201
    assert manager.get("/api/v1/accounts/A1/reviews").json()["count"] == 3
