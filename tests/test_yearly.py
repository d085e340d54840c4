"""The yearly assessment (docs/method.md, Y) on a hand-made company; bands worked out below."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput
from graphbrm.figures import Targets, Thresholds
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from graphbrm.yearly import yearly_assessment

T = Thresholds()
TODAY = dt.date(2026, 11, 28)


def _account(aid: str, owner: str, *, tier: str = "key", role: str = "owner",
             scores: list[tuple[str, int, int, int]] | None = None) -> dict[str, Any]:
    """One account with one department and (when scored) one key person P-<id>."""
    return {"id": aid, "owner": owner, "tier": tier, "role": role, "scores": scores or []}


# Each account has at most one key person, so its averages are that person's scores.
ACCOUNTS = [
    # R1 — K1: poor 59/59/59 at the end of 2024, excellent 80/80/80 from 2025-06-01.
    _account("K1", "R1", scores=[("2024-06-01", 59, 59, 59), ("2025-06-01", 80, 80, 80)]),
    # K2: good 60/60/60, excellent by a record dated 2025-12-31 itself (it counts that day);
    # the record of 2026-01-01 belongs to the next year.
    _account("K2", "R1", scores=[("2024-03-01", 60, 60, 60), ("2025-12-31", 80, 80, 80),
                                 ("2026-01-01", 10, 10, 10)]),
    # K3: 79 in one dimension keeps it good (not excellent) all along; a future record is ignored.
    _account("K3", "R1", scores=[("2024-05-01", 79, 80, 80), ("2026-11-29", 100, 100, 100)]),
    # Not counted for R1: a standard account, and a key account R1 is only a member of.
    _account("K4", "R1", tier="standard", scores=[("2024-01-01", 90, 90, 90)]),
    _account("K5", "R1", role="member", scores=[("2024-01-01", 90, 90, 90)]),
    # R2 — K6: unknown at the end of 2024 (no record yet), good from 2025-02-01.
    _account("K6", "R2", scores=[("2025-02-01", 60, 60, 60)]),
    # K7: excellent, then poor (solution 59) from 2025-09-01.
    _account("K7", "R2", scores=[("2024-01-01", 80, 80, 80), ("2025-09-01", 80, 59, 80)]),
    # K8: no key persons → unknown.
    _account("K8", "R2"),
    _account("K9", "R2", scores=[("2024-01-01", 80, 80, 80)]),
    # X1 is outside M1's line.
    _account("K10", "X1", scores=[("2024-01-01", 90, 90, 90)]),
]


def company() -> dict[str, list[dict[str, Any]]]:
    bundle: dict[str, list[dict[str, Any]]] = {
        "accounts": [], "departments": [], "key_persons": [], "account_teams": [],
        "score_history": [],
        "employees": [
            {"id": "M1", "name": "经理", "role": "manager"},
            {"id": "R1", "name": "甲", "role": "rep", "manager_id": "M1"},
            {"id": "R2", "name": "乙", "role": "rep", "manager_id": "M1"},
            {"id": "R3", "name": "丙", "role": "rep", "manager_id": "M1"},  # owns no key account
            {"id": "X1", "name": "丁", "role": "rep"},
        ]}
    for a in ACCOUNTS:
        bundle["accounts"].append({"id": a["id"], "name": f"客户{a['id']}", "tier": a["tier"]})
        bundle["departments"].append({"id": f"D-{a['id']}", "account_id": a["id"], "name": "部"})
        bundle["account_teams"].append({"employee_id": a["owner"], "account_id": a["id"],
                                        "role": a["role"]})
        if a["scores"]:
            bundle["key_persons"].append({"id": f"P-{a['id']}", "department_id": f"D-{a['id']}",
                                          "name": f"人{a['id']}"})
        bundle["score_history"] += [{"person_id": f"P-{a['id']}", "at": at, "closeness": c,
                                     "solution_acceptance": s, "price_acceptance": p}
                                    for at, c, s, p in a["scores"]]
    return bundle


@pytest.fixture
def graph(store: Store) -> Store:
    import_bundle(store, parse_tables(company()))
    return store


def assess(store: Store, viewer: Viewer, year: int = 2025,
           targets: Targets | None = None) -> dict[str, dict[str, Any]]:
    result = yearly_assessment(store, viewer=viewer, year=year, thresholds=T,
                               targets=targets or Targets(), today=TODAY)
    return {r.employee_id: r.model_dump() for r in result.reps}


def bands(rep: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {a["account_id"]: (a["start"], a["end"]) for a in rep["account_bands"]}


def test_a_rep_who_meets_the_target(graph: Store) -> None:
    r1 = assess(graph, Viewer("M1", "manager"))["R1"]
    assert bands(r1) == {"K1": ("poor", "excellent"), "K2": ("good", "excellent"),
                         "K3": ("good", "good")}
    # 2 excellent of 3 = 0.667 ≥ 0.5; 3 good or better of 3 = 1.0 ≥ 0.9.
    assert (r1["accounts"], r1["excellent"], r1["good"], r1["poor"], r1["unknown"]) == (3, 2, 1, 0, 0)
    assert r1["share_excellent"] == 2 / 3 and r1["share_good_or_better"] == 1.0
    assert r1["meets_target"] is True


def test_a_rep_who_does_not(graph: Store) -> None:
    r2 = assess(graph, Viewer("M1", "manager"))["R2"]
    assert bands(r2) == {"K6": ("unknown", "good"), "K7": ("excellent", "poor"),
                         "K8": ("unknown", "unknown"), "K9": ("excellent", "excellent")}
    # 1 excellent of 4 = 0.25 < 0.5; (1 + 1) of 4 = 0.5 < 0.9.
    assert (r2["accounts"], r2["excellent"], r2["good"], r2["poor"], r2["unknown"]) == (4, 1, 1, 1, 1)
    assert (r2["share_excellent"], r2["share_good_or_better"]) == (0.25, 0.5)
    assert r2["meets_target"] is False


def test_a_rep_without_key_accounts_is_not_assessed(graph: Store) -> None:
    r3 = assess(graph, Viewer("M1", "manager"))["R3"]
    assert (r3["accounts"], r3["share_excellent"], r3["share_good_or_better"]) == (0, None, None)
    assert r3["meets_target"] is None and r3["account_bands"] == []
    assert r3["reason"] == "not assessed: owns no key account"


def test_targets_are_inclusive_settings(graph: Store) -> None:
    # R1: exactly 1.0 good or better meets a 100 % target; 2/3 excellent misses 0.67.
    assert assess(graph, Viewer.operator(),
                  targets=Targets(share_excellent=0.5, share_good_or_better=1.0))["R1"]["meets_target"]
    assert not assess(graph, Viewer.operator(),
                      targets=Targets(share_excellent=0.67))["R1"]["meets_target"]


def test_the_current_year_ends_today(graph: Store) -> None:
    result = yearly_assessment(graph, viewer=Viewer.operator(), year=2026, thresholds=T,
                               targets=Targets(), today=TODAY)
    assert (result.start_as_of, result.end_as_of) == (dt.date(2025, 12, 31), TODAY)
    r1 = {r.employee_id: r for r in result.reps}["R1"]
    # K2 fell to 10/10/10 on 2026-01-01; K3's record of 2026-11-29 is after today.
    assert {a.account_id: (a.start, a.end) for a in r1.account_bands} == {
        "K1": ("excellent", "excellent"), "K2": ("excellent", "poor"), "K3": ("good", "good")}
    with pytest.raises(InvalidInput):
        yearly_assessment(graph, viewer=Viewer.operator(), year=2027, thresholds=T,
                          targets=Targets(), today=TODAY)


def test_who_is_listed_depends_on_the_viewer(graph: Store) -> None:
    assert sorted(assess(graph, Viewer.operator())) == ["R1", "R2", "R3", "X1"]
    assert sorted(assess(graph, Viewer("M1", "manager"))) == ["R1", "R2", "R3"]
    assert sorted(assess(graph, Viewer("R1", "rep"))) == ["R1"]
    assert sorted(assess(graph, Viewer("X1", "rep"))) == ["X1"]
    assert sorted(assess(graph, Viewer("NOBODY", "rep"))) == []


def test_api_equals_library(graph: Store, client_for: Any, frozen_clock: Any) -> None:
    manager = Viewer("M1", "manager")
    client = client_for(graph, manager)
    response = client.get("/api/v1/assessments/yearly", params={"year": 2025})
    assert response.status_code == 200
    library = yearly_assessment(graph, viewer=manager, year=2025, thresholds=T, targets=Targets())
    assert response.json() == library.model_dump(mode="json")
    assert response.json()["targets"] == {"share_excellent": 0.5, "share_good_or_better": 0.9}
    assert client.get("/api/v1/assessments/yearly").json()["year"] == 2026  # frozen clock
    assert client.get("/api/v1/assessments/yearly", params={"year": 2027}).status_code == 422
