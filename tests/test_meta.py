"""GET /api/v1/meta: the thresholds and vocabulary the web UI draws with (issue 15 §1)."""

from __future__ import annotations

from typing import Any, get_args

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.figures import PersonStatus
from graphbrm.importer import import_bundle
from graphbrm.meta import STATUS_ORDER
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.small import small_bundle

REP = Viewer("E2", "rep")


def test_meta_serves_the_default_thresholds_and_the_vocabulary(store: Store,
                                                                client_for: Any) -> None:
    body = client_for(store, REP).get("/api/v1/meta").json()
    assert body == {
        "thresholds": {"good": 60, "excellent": 80},
        "targets": {"share_excellent": 0.5, "share_good_or_better": 0.9},
        "dimensions": ["closeness", "solution_acceptance", "price_acceptance"],
        "decision_roles": ["veto", "approver", "decision_maker", "influencer", "evaluator",
                           "user", "coach", "other"],
        "blocking_roles": ["veto", "approver"],
        "statuses": ["opposes", "unclear", "unknown", "ok"],
        "bands": ["excellent", "good", "poor", "unknown"],
        "timezone": "UTC",
    }


def test_meta_follows_changed_settings_as_the_figures_do(store: Store, client_for: Any) -> None:
    """With good = 70 the UI is told 70, and the API bands by 70: A1's averages 70 / 75 / 66.7
    are good at 60 and poor at 70."""
    import_bundle(store, parse_tables(small_bundle()))
    settings = Settings(good=70, excellent=90, target_share_excellent=0.4,
                        timezone="Asia/Shanghai")
    client = client_for(store, REP, settings)
    body = client.get("/api/v1/meta").json()
    assert (body["thresholds"], body["targets"], body["timezone"]) == (
        {"good": 70, "excellent": 90}, {"share_excellent": 0.4, "share_good_or_better": 0.9},
        "Asia/Shanghai")
    a1 = client.get("/api/v1/accounts/A1", params={"as_of": "2026-11-28"}).json()
    assert a1["band"] == "poor"
    default = client_for(store, REP).get("/api/v1/accounts/A1", params={"as_of": "2026-11-28"})
    assert default.json()["band"] == "good"


def test_every_status_is_listed_once() -> None:
    assert sorted(STATUS_ORDER) == sorted(get_args(PersonStatus))


def test_meta_needs_a_sign_in(store: Store) -> None:
    from fastapi.testclient import TestClient

    from graphbrm.api.app import create_app

    with TestClient(create_app(Settings(), store)) as client:
        assert client.get("/api/v1/meta").status_code == 401
