"""Cached dashboards and yearly assessments are never stale: every kind of write invalidates them,
in every process that reads the same store."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

ADMIN = Viewer.operator()
DASHBOARD = "/api/v1/dashboard?as_of=2026-11-28"
YEARLY = "/api/v1/assessments/yearly?year=2026"


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def closeness(client: Any) -> float:
    return float(client.get(DASHBOARD).json()["overall"]["averages"]["closeness"])


def misses(client: Any) -> int:
    return int(client.app.state.cache.misses)


def patch(client: Any) -> None:
    assert client.patch("/api/v1/key-persons/P4", json={"closeness": 60}).status_code == 200


def log_activity(client: Any) -> None:
    response = client.post("/api/v1/activities", json={
        "kind": "optional", "type": "lunch", "person_ids": ["P1"], "employee_id": "E2"})
    assert response.status_code == 201, response.text


def record_review(client: Any) -> None:
    response = client.post("/api/v1/accounts/A1/reviews", json={
        "date": "2026-11-28", "rep_id": "E2", "notes": "ok"})
    assert response.status_code == 201, response.text


def import_more(client: Any) -> None:
    bundle = {"score_history": [{"person_id": "P4", "at": "2026-11-27", "closeness": 60,
                                 "solution_acceptance": 60, "price_acceptance": 60}]}
    response = client.post("/api/v1/import", files={
        "file": ("more.json", json.dumps(bundle).encode(), "application/json")})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("write", [patch, log_activity, record_review, import_more],
                         ids=lambda w: w.__name__)
def test_every_write_route_invalidates_the_cached_reports(small: Store, client_for: Any,
                                                         write: Callable[[Any], None]) -> None:
    client = client_for(small, ADMIN)
    for path in (DASHBOARD, YEARLY):
        first = client.get(path).json()
        computed = misses(client)
        assert client.get(path).json() == first and misses(client) == computed  # a hit
    write(client)
    for path in (DASHBOARD, YEARLY):
        computed = misses(client)
        client.get(path)
        assert misses(client) == computed + 1, path


def test_a_score_edit_shows_at_once_on_the_cached_dashboard(small: Store, client_for: Any) -> None:
    client = client_for(small, ADMIN)
    # A1 on 2026-11-28: closeness (80 + 90 + 70 + 40) / 4 = 70 (A2 has no persons).
    assert closeness(client) == 70
    patch(client)  # P4: 40 → 60 today; as of 2026-11-28 nothing changes
    assert closeness(client) == 70
    today = client.get("/api/v1/dashboard").json()["overall"]["averages"]["closeness"]
    assert today == (80 + 90 + 70 + 60) / 4


def test_a_write_through_another_process_invalidates_this_ones_cache(small: Store,
                                                                   client_for: Any) -> None:
    """Two API processes on one store: each has its own cache; the version lives in the store."""
    here, there = client_for(small, ADMIN), client_for(small, ADMIN)
    before = here.get("/api/v1/dashboard").json()["overall"]["averages"]["closeness"]
    patch(there)
    after = here.get("/api/v1/dashboard").json()["overall"]["averages"]["closeness"]
    assert (before, after) == (70, 75)


def test_viewers_never_share_an_entry(small: Store, client_for: Any) -> None:
    """One process, two viewers: the admin's cached company figures must not reach a rep."""
    from graphbrm.api.deps import get_viewer

    client = client_for(small, ADMIN)
    assert client.get(DASHBOARD).json()["overall"]["accounts"] == 2
    client.app.dependency_overrides[get_viewer] = lambda: Viewer("E3", "rep")  # owns A2 only
    assert client.get(DASHBOARD).json()["overall"]["accounts"] == 1


def test_the_data_version_counts_every_write(store: Store) -> None:
    """Each write bumps the version once, after itself (a bump written by hand counts twice)."""
    from graphbrm.cache import data_version

    assert data_version(store) == 0
    store.write("derived/bump_data_version")
    assert data_version(store) == 2
    import_bundle(store, parse_tables({"accounts": [{"id": "A1", "name": "a", "tier": "key"}]}))
    after_import = data_version(store)
    assert after_import > 2
    assert data_version(store) == after_import  # reads leave it alone
