"""The daily view and activity logging (docs/method.md D) on a hand-made company."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.daily import ActivityCreate, daily_view, log_activity
from graphbrm.errors import InvalidInput, NotFound
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.store import Store

T = Thresholds()
TODAY = dt.date(2026, 11, 28)
R1, R2, M1 = Viewer("R1", "rep"), Viewer("R2", "rep"), Viewer("M1", "manager")


def _person(pid: str, account: str, role: str, c: int | None, s: int | None,
            p: int | None) -> dict[str, Any]:
    return {"id": pid, "department_id": f"D-{account}", "name": f"名{pid}", "decision_role": role,
            "closeness": c, "solution_acceptance": s, "price_acceptance": p,
            "scored_at": "2026-01-01"}


def _activity(aid: str, employee: str, at: str, persons: list[str]) -> dict[str, Any]:
    return {"id": aid, "employee_id": employee, "kind": "prescribed", "type": "拜访", "at": at,
            "person_ids": persons}


def company() -> dict[str, list[dict[str, Any]]]:
    """R1 owns A and is a member of B's team; R2 owns B and C (C is foreign to R1)."""
    return {
        "accounts": [{"id": a, "name": f"客户{a}", "tier": "key"} for a in ("A", "B", "C")],
        "departments": [{"id": f"D-{a}", "account_id": a, "name": "部"} for a in ("A", "B", "C")],
        "key_persons": [
            _person("A_V", "A", "veto", 50, 70, 70),  # opposes (closeness < 60)
            _person("A_AP", "A", "approver", None, 70, 70),  # unclear
            _person("A_U", "A", "user", 30, 80, 80),  # opposes, but blocks nothing
            _person("A_E", "A", "evaluator", 70, 70, 70),
            _person("A_C", "A", "coach", 80, 80, 80),
            _person("B_V", "B", "veto", 40, 40, 40),  # opposes; R1 cannot reach them
            _person("C_P", "C", "user", 70, 70, 70),
        ],
        "employees": [
            {"id": "M1", "name": "经理", "role": "manager"},
            {"id": "R1", "name": "甲", "role": "rep", "manager_id": "M1"},
            {"id": "R2", "name": "乙", "role": "rep", "manager_id": "M1"},
        ],
        "account_teams": [
            {"employee_id": "R1", "account_id": "A", "role": "owner"},
            {"employee_id": "R1", "account_id": "B", "role": "member"},
            {"employee_id": "R2", "account_id": "B", "role": "owner"},
            {"employee_id": "R2", "account_id": "C", "role": "owner"},
        ],
        "influences": [
            {"from": "R1", "to": "A_U", "strength": 80, "since": "2025-01-01"},
            {"from": "A_U", "to": "A_V", "strength": 90},
            {"from": "R1", "to": "A_E", "strength": 50, "since": "2025-01-01"},
            {"from": "A_E", "to": "A_AP", "strength": 60},
            {"from": "R2", "to": "A_AP", "strength": 100},
            {"from": "R2", "to": "B_V", "strength": 90},
            {"from": "R1", "to": "A_C", "strength": 70, "since": "2026-12-10"},
            {"from": "R1", "to": "C_P", "strength": 75, "since": "2025-01-01"},
        ],
        "knows": [{"employee_id": "R1", "person_id": "A_V", "strength": 40, "since": "2025-01-01"}],
        "score_history": [{"person_id": "A_V", "at": "2025-06-01", "closeness": 90,
                           "solution_acceptance": 90, "price_acceptance": 90}],
        "activities": [
            _activity("ACT1", "R1", "2026-11-20", ["A_U"]),
            _activity("ACT2", "R1", "2026-08-30", ["A_U"]),  # 91 days back: too old
            _activity("ACT3", "R1", "2026-11-25T09:30:00", ["C_P"]),  # on a foreign account
            _activity("ACT4", "R1", "2026-11-29", ["A_U"]),  # after the day asked for
            _activity("ACT5", "R1", "2026-10-01", ["A_U", "C_P"]),
            _activity("ACT6", "R2", "2026-11-21", ["A_U"]),  # someone else's
            _activity("ACT7", "R1", "2026-08-31", ["A_E"]),  # 90th day back, counting today
        ],
    }


@pytest.fixture
def graph(store: Store) -> Store:
    import_bundle(store, parse_tables(company()))
    return store


def view(store: Store, viewer: Viewer, employee_id: str = "R1",
         as_of: dt.date = TODAY) -> dict[str, Any]:
    return daily_view(store, viewer=viewer, employee_id=employee_id, thresholds=T,
                      as_of=as_of).model_dump()


def test_influences_follow_the_viewers_sight_and_the_day(graph: Store) -> None:
    # R1's ties: INFLUENCES A_U 80, A_E 50, A_C (from 2026-12-10: not yet), C_P (account C is
    # foreign to R1); KNOWS A_V 40.
    mine = view(graph, R1)
    assert [(t["type"], t["person_id"], t["strength"]) for t in mine["influences"]] == [
        ("INFLUENCES", "A_U", 80), ("INFLUENCES", "A_E", 50), ("KNOWS", "A_V", 40)]
    a_u = mine["influences"][0]
    assert (a_u["account_id"], a_u["decision_role"], a_u["closeness"]) == ("A", "user", 30)
    assert [t["person_id"] for t in view(graph, M1)["influences"]] == ["A_U", "C_P", "A_E", "A_V"]
    later = view(graph, R1, as_of=dt.date(2026, 12, 15))
    assert "A_C" in [t["person_id"] for t in later["influences"]]


def test_influence_potential_on_the_team_accounts(graph: Store) -> None:
    # Team accounts A (5 persons) and B (1): 6; R1 influences A_U and A_E → 2/6.
    assert view(graph, R1)["potential"] == {"team_key_persons": 6, "influenced": 2,
                                            "share": 1 / 3}
    # From 2026-12-10 the tie to A_C counts too → 3/6.
    assert view(graph, R1, as_of=dt.date(2026, 12, 15))["potential"]["share"] == 0.5
    # R2's team accounts B and C: B_V (influenced) and C_P → 1/2.
    assert view(graph, M1, "R2")["potential"] == {"team_key_persons": 2, "influenced": 1,
                                                  "share": 0.5}


def test_next_steps_are_reachable_blockers_strongest_first(graph: Store) -> None:
    steps = view(graph, R1)["next_steps"]
    # A_V: R1→A_U→A_V = 0.8 × 0.9 = 0.72 beats R1 -KNOWS→ A_V = 0.40.
    # A_AP: only paths starting at R1 count: R1→A_E→A_AP = 0.5 × 0.6 = 0.30 (not R2's 1.0).
    # B_V opposes but R1 cannot reach them; A_U opposes but is a user.
    assert [(s["person_id"], s["status"], s["path"]["nodes"]) for s in steps] == [
        ("A_V", "opposes", ["R1", "A_U", "A_V"]), ("A_AP", "unclear", ["R1", "A_E", "A_AP"])]
    assert [s["path"]["strength"] for s in steps] == pytest.approx([0.72, 0.30])
    assert steps[0]["path"]["names"] == ["甲", "名A_U", "名A_V"]
    # On 2025-12-01 A_V's record of 2025-06-01 (90/90/90) was valid: not a blocker then.
    # A_AP had no record yet: an approver with unknown scores is unclear.
    earlier = view(graph, R1, as_of=dt.date(2025, 12, 1))["next_steps"]
    assert [(s["person_id"], s["status"]) for s in earlier] == [("A_AP", "unclear")]


def test_activities_of_the_last_90_days_newest_first(graph: Store) -> None:
    # Window 2026-08-31..2026-11-28. R1 cannot see ACT3 (only C_P) nor C_P in ACT5.
    mine = view(graph, R1)["activities"]
    assert [(a["id"], a["person_ids"]) for a in mine] == [
        ("ACT1", ["A_U"]), ("ACT5", ["A_U"]), ("ACT7", ["A_E"])]
    theirs = view(graph, M1)["activities"]
    assert [(a["id"], sorted(a["person_ids"])) for a in theirs] == [
        ("ACT3", ["C_P"]), ("ACT1", ["A_U"]), ("ACT5", ["A_U", "C_P"]), ("ACT7", ["A_E"])]


def test_who_may_see_a_daily_view(graph: Store, client_for: Any) -> None:
    assert view(graph, R1)["name"] == "甲"
    assert view(graph, M1)["employee_id"] == "R1"
    for viewer in (Viewer("X", "executive"), Viewer("X", "data"), Viewer.operator()):
        assert view(graph, viewer)["employee_id"] == "R1"
    for viewer, employee in ((R2, "R1"), (R1, "M1"), (Viewer.operator(), "NOBODY")):
        with pytest.raises(NotFound):
            view(graph, viewer, employee)
    assert client_for(graph, R2).get("/api/v1/employees/R1/daily").status_code == 404


def test_api_equals_library(graph: Store, client_for: Any) -> None:
    response = client_for(graph, M1).get("/api/v1/employees/R1/daily",
                                         params={"as_of": "2026-11-28"})
    assert response.status_code == 200
    library = daily_view(graph, viewer=M1, employee_id="R1", thresholds=T, as_of=TODAY)
    assert response.json() == library.model_dump(mode="json")


def _activities(store: Store) -> int:
    counts = {r["kind"]: r["count"] for r in store.read("stats/graph_counts")}
    return int(counts.get("node:Activity", 0))


def test_logging_an_activity(graph: Store, client_for: Any, frozen_clock: Any) -> None:
    body = {"kind": "prescribed", "type": "高层拜访", "at": "2026-11-28T02:00:00.000Z",
            "note": "带客户参观", "person_ids": ["A_V", "A_U", "A_V"]}
    response = client_for(graph, R1).post("/api/v1/activities", json=body)
    assert response.status_code == 201
    logged = response.json()
    assert logged["id"].startswith("ACT-") and logged["employee_id"] == "R1"
    assert (logged["at"], logged["person_ids"], logged["actor"]) == (
        "2026-11-28T02:00:00", ["A_U", "A_V"], "R1")
    assert view(graph, R1)["activities"][0] == logged
    # A manager may log for someone in their line; the actor stays the manager.
    on_behalf = log_activity(graph, viewer=M1, activity=ActivityCreate(
        kind="optional", type="饭局", at="2026-11-27T09:00:00+08:00", person_ids=["C_P"],
        employee_id="R2"))
    assert (on_behalf.employee_id, on_behalf.actor, on_behalf.at) == (
        "R2", "M1", "2026-11-27T01:00:00")
    assert [a["id"] for a in view(graph, M1, "R2")["activities"]] == [on_behalf.id, "ACT6"]
    now = log_activity(graph, viewer=R1, activity=ActivityCreate(
        kind="optional", type="电话", person_ids=["A_E"]))
    assert (now.at, now.day) == ("2026-11-28T10:00:00", "2026-11-28")  # the frozen clock


def test_an_activity_with_a_foreign_or_unknown_person_writes_nothing(graph: Store,
                                                                     client_for: Any) -> None:
    before = _activities(graph)
    as_r1 = client_for(graph, R1)
    body = {"kind": "optional", "type": "拜访", "at": "2026-11-28"}
    for persons in (["A_U", "C_P"], ["NOPE"]):
        response = as_r1.post("/api/v1/activities", json={**body, "person_ids": persons})
        assert response.status_code == 404 and "C_P" not in response.text
    peer = as_r1.post("/api/v1/activities", json={**body, "person_ids": ["A_U"],
                                                  "employee_id": "R2"})
    assert peer.status_code == 404
    for bad in ({"person_ids": []}, {"person_ids": ["A_U"], "colour": "red"},
                {"person_ids": ["A_U"], "kind": "mandatory"}, {"person_ids": ["A_U"], "at": "昨天"}):
        assert as_r1.post("/api/v1/activities", json={**body, **bad}).status_code == 422
    data = client_for(graph, Viewer("X", "data"))
    assert data.post("/api/v1/activities", json={**body, "person_ids": ["A_U"]}).status_code == 403
    with pytest.raises(InvalidInput):
        log_activity(graph, viewer=Viewer.operator(), activity=ActivityCreate(
            kind="optional", type="拜访", person_ids=["A_U"]))
    assert _activities(graph) == before


def _label(pid: str, account: str) -> dict[str, Any]:
    return {"id": pid, "name": f"名{pid}", "account_id": account, "account_name": f"客户{account}",
            "department": "部"}


def test_persons_are_named_with_account_and_department(graph: Store, client_for: Any) -> None:
    """The UI shows names, not ids: ties, the team's persons and each activity's persons carry
    the person's name, account and department, and only those the viewer may see."""
    as_r1 = client_for(graph, R1).get("/api/v1/employees/R1/daily",
                                      params={"as_of": "2026-11-28"}).json()
    assert [(t["person_id"], t["account_name"], t["department"]) for t in as_r1["influences"]] == [
        ("A_U", "客户A", "部"), ("A_E", "客户A", "部"), ("A_V", "客户A", "部")]
    # R1's team accounts A (5 persons) and B (1): the six that `potential` counts.
    assert [(p["person_id"], p["influenced"]) for p in as_r1["team"]] == [
        ("A_AP", False), ("A_C", False), ("A_E", True), ("A_U", True), ("A_V", False),
        ("B_V", False)]
    assert sum(p["influenced"] for p in as_r1["team"]) == as_r1["potential"]["influenced"]
    by_id = {a["id"]: a["persons"] for a in as_r1["activities"]}
    assert by_id == {"ACT1": [_label("A_U", "A")], "ACT5": [_label("A_U", "A")],
                     "ACT7": [_label("A_E", "A")]}
    # The manager sees account C too, so ACT5 names both its persons.
    as_m1 = client_for(graph, M1).get("/api/v1/employees/R1/daily",
                                      params={"as_of": "2026-11-28"}).json()
    assert {a["id"]: a["persons"] for a in as_m1["activities"]}["ACT5"] == [
        _label("A_U", "A"), _label("C_P", "C")]


def test_a_logged_activity_answers_with_its_persons_named(graph: Store, client_for: Any) -> None:
    body = {"kind": "optional", "type": "拜访", "at": "2026-11-27", "person_ids": ["A_V", "A_E"]}
    logged = client_for(graph, R1).post("/api/v1/activities", json=body).json()
    assert logged["persons"] == [_label("A_E", "A"), _label("A_V", "A")]
    assert view(graph, R1)["activities"][0] == logged
