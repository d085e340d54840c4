"""What each role sees of a company whose ties cross account boundaries (tests/leaky.py).

The reps' and managers' answers must not reveal the hidden account HIDDEN-A or its people, by
id or by name, on any route — also through ties that start or end in accounts they may see,
and through reviews that someone who sees everything recorded. The roles that see everything
get the hidden data on the same routes, so that each check can fail.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphbrm import clock, tokens
from graphbrm.access import Viewer
from graphbrm.alerts.model import NewAlert, record
from graphbrm.api.app import create_app
from graphbrm.bundle import parse_tables
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from graphbrm.review import ReviewCreate, list_reviews, record_review, snapshots_for_reader
from graphbrm.settings import Settings
from graphbrm.store import Store
from tests.leaky import (
    ALL_PATHS_TO_VP1,
    HIDDEN_MARKERS,
    HOLDERS,
    ROLES,
    SCOPED,
    SEES,
    SEES_ALL,
    VISIBLE_PATHS_TO_VP1,
    leaky_bundle,
)

REVIEW = {"date": "2026-11-27", "rep_id": "R1", "notes": "复盘",
          "actions": [{"text": "转化钱进", "person_id": "VP1"}]}


@dataclass
class Company:
    store: Store
    client: TestClient
    headers: dict[str, dict[str, str]]

    def get(self, role: str, path: str) -> Any:
        response = self.client.get(path, headers=self.headers[role])
        assert response.status_code == 200, (role, path, response.text[:300])
        return response

    def post(self, role: str, path: str, body: Any, status: int = 200) -> Any:
        response = self.client.post(path, json=body, headers=self.headers[role])
        assert response.status_code == status, (role, path, response.text[:300])
        return response.json()


@pytest.fixture
def company(store: Store) -> Iterator[Company]:
    import_bundle(store, parse_tables(leaky_bundle()))
    headers = {role: {"Authorization": "Bearer " + tokens.create_token(
        store, employee_id=employee, role=role, lifetime_days=1).token}
        for role, employee in HOLDERS.items()}
    with TestClient(create_app(Settings(), store)) as client:
        yield Company(store, client, headers)


def hidden_in(text: str) -> list[str]:
    return [m for m in HIDDEN_MARKERS if m in text]


def blocker_paths(questions: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    blockers = next(q for q in questions if q["key"] == "blockers")
    return {p["id"]: p["paths"] for p in blockers["evidence"]["persons"]}


# ---- recorded reviews ------------------------------------------------------------------------

@pytest.mark.parametrize("recorder", ["admin", "executive"])
def test_a_recorded_review_shows_each_reader_only_the_paths_they_may_see(
        company: Company, recorder: str) -> None:
    recorded = company.post(recorder, "/api/v1/accounts/V1/reviews", REVIEW, status=201)
    # The recorder sees everything: the top three paths, two of them through HIDDEN-P1.
    assert blocker_paths(recorded["questions"]) == {"VP1": ALL_PATHS_TO_VP1[:3]}
    for role in ROLES:
        response = company.get(role, "/api/v1/accounts/V1/reviews")
        page = response.json()
        assert page["count"] == 1
        paths = blocker_paths(page["data"][0]["questions"])
        if role in SCOPED:
            # The reader's own best three, as their live review would have shown them.
            assert paths == {"VP1": VISIBLE_PATHS_TO_VP1}, role
            assert hidden_in(response.text) == [], role
        else:
            assert paths == {"VP1": ALL_PATHS_TO_VP1[:3]}, role


def test_a_review_recorded_by_a_manager_keeps_the_managers_paths_for_everyone(
        company: Company) -> None:
    recorded = company.post("manager", "/api/v1/accounts/V1/reviews", REVIEW, status=201)
    assert blocker_paths(recorded["questions"]) == {"VP1": VISIBLE_PATHS_TO_VP1}
    for role in ROLES:
        page = company.get(role, "/api/v1/accounts/V1/reviews").json()
        assert blocker_paths(page["data"][0]["questions"]) == {"VP1": VISIBLE_PATHS_TO_VP1}


def test_the_live_review_and_the_previous_review_stay_in_scope(company: Company) -> None:
    company.post("admin", "/api/v1/accounts/V1/reviews", REVIEW, status=201)
    for role in ROLES:
        response = company.get(role, "/api/v1/accounts/V1/review?as_of=2026-11-28")
        review = response.json()
        assert [(a["text"], a["person_id"]) for a in review["previous"]["actions"]] == [
            ("转化钱进", "VP1")]
        expected = VISIBLE_PATHS_TO_VP1 if role in SCOPED else ALL_PATHS_TO_VP1[:3]
        assert blocker_paths(review["questions"]) == {"VP1": expected}, role
        if role in SCOPED:
            assert hidden_in(response.text) == [], role


# ---- the graph export ------------------------------------------------------------------------

EMPLOYEES = {"X0", "M1", "R1", "R2", "M2", "R3", "S1", "D0", "AD"}
V1_NODES = {"V1", "VD1", "VP1", "VP2", "OV1", "ACT-V"}
V2_NODES = {"V2", "VD2", "VP3"}
HIDDEN_NODES = {"HIDDEN-A", "HIDDEN-D", "HIDDEN-P1", "HIDDEN-P2", "HIDDEN-P3", "HIDDEN-O",
                "HIDDEN-ACT"}
EXPORTED = {"rep": EMPLOYEES | V1_NODES, "manager": EMPLOYEES | V1_NODES | V2_NODES,
            **dict.fromkeys(SEES_ALL, EMPLOYEES | V1_NODES | V2_NODES | HIDDEN_NODES)}


@pytest.mark.parametrize("role", ROLES)
def test_the_graph_export_holds_what_the_role_may_see(company: Company, role: str) -> None:
    company.post("admin", "/api/v1/accounts/V1/reviews", REVIEW, status=201)
    response = company.get(role, "/api/v1/export/graph?format=json")
    graph = response.json()
    nodes = {n["id"]: n for n in graph["nodes"]}
    reviews = [n for n in nodes.values() if n["label"] == "Review"]
    assert set(nodes) - {r["id"] for r in reviews} == EXPORTED[role]
    assert len(reviews) == 1
    stored = json.loads(reviews[0]["figures_json"])
    if role in SCOPED:
        assert hidden_in(response.text) == []
        assert blocker_paths(stored["questions"]) == {"VP1": VISIBLE_PATHS_TO_VP1}
        graphml = company.get(role, "/api/v1/export/graph?format=graphml").text
        assert hidden_in(graphml) == []
    else:
        assert blocker_paths(stored["questions"]) == {"VP1": ALL_PATHS_TO_VP1[:3]}
    # The customer's ties that cross into HIDDEN-A are edges only for those who see both ends.
    crossing = {(e["source"], e["target"], e["key"]) for e in graph["edges"]
                if len({e["source"], e["target"]} & HIDDEN_NODES) == 1
                and not {e["source"], e["target"]} & EMPLOYEES}
    assert crossing == (set() if role in SCOPED else {
        ("HIDDEN-P1", "VP1", "INFLUENCES"), ("VP2", "HIDDEN-P2", "INFLUENCES"),
        ("OV1", "HIDDEN-P1", "INVOLVES"), ("ACT-V", "HIDDEN-P1", "WITH")})


# ---- lists, counts and searches --------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_account_lists_count_only_visible_accounts(company: Company, role: str) -> None:
    page = company.get(role, "/api/v1/accounts").json()
    assert sorted(a["id"] for a in page["data"]) == SEES[role]
    assert page["count"] == len(SEES[role])
    key = company.get(role, "/api/v1/accounts?tier=key&limit=1").json()
    assert key["count"] == len(SEES[role])
    for q in ("暗河", "暗河集团", "HIDDEN-A"):
        found = company.get(role, f"/api/v1/accounts?q={q}").json()
        if role in SCOPED:
            # Not even the count may say that a hidden account matches.
            assert found == {"data": [], "count": 0}, (role, q)
        else:
            assert [a["id"] for a in found["data"]] == ["HIDDEN-A"] and found["count"] == 1


def test_a_search_that_matches_visible_and_hidden_accounts_counts_the_visible_ones(
        company: Company) -> None:
    # "V1" matches V1 by id; "集团" only the hidden 暗河集团; "" (absent) matches all.
    for role, q, expected in [("rep", "集团", 0), ("manager", "集团", 0), ("admin", "集团", 1),
                              ("rep", "V1", 1), ("manager", "V", 0)]:
        found = company.get(role, f"/api/v1/accounts?q={q}").json()
        assert found["count"] == expected == len(found["data"]), (role, q)


# ---- paths, people and daily views -----------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_paths_to_a_visible_veto_holder_pass_only_through_visible_people(
        company: Company, role: str) -> None:
    response = company.get(role, "/api/v1/key-persons/VP1/paths?k=5")
    expected = VISIBLE_PATHS_TO_VP1 if role in SCOPED else ALL_PATHS_TO_VP1
    assert response.json() == {"target_id": "VP1", "paths": expected}


@pytest.mark.parametrize("path", [
    "/api/v1/accounts/HIDDEN-A", "/api/v1/accounts/HIDDEN-A/map",
    "/api/v1/accounts/HIDDEN-A/review?as_of=2026-11-28", "/api/v1/accounts/HIDDEN-A/reviews",
    "/api/v1/key-persons/HIDDEN-P1", "/api/v1/key-persons/HIDDEN-P2/paths",
    "/api/v1/key-persons/HIDDEN-P1/history", "/api/v1/employees/R3/daily",
    "/api/v1/employees/S1/daily", "/api/v1/analysis/disjoint-paths/HIDDEN-P2",
    "/api/v1/export/graph?format=json&scope=account:HIDDEN-A"])
def test_hidden_objects_look_missing_to_scoped_roles(company: Company, path: str) -> None:
    for role in SCOPED:
        response = company.client.get(path, headers=company.headers[role])
        assert response.status_code == 404, (role, path, response.text[:200])
        # The error may repeat the id that was asked for, and nothing else.
        asked = [part for part in re.split(r"[/?=&:]", path) if part.startswith("HIDDEN")]
        assert hidden_in(functools.reduce(lambda t, a: t.replace(a, ""), asked,
                                          response.text)) == []
    for role in SEES_ALL:
        assert company.client.get(path, headers=company.headers[role]).status_code == 200


def test_the_map_shows_only_the_accounts_own_people_and_our_employees(company: Company) -> None:
    for role in ROLES:
        response = company.get(role, "/api/v1/accounts/V1/map")
        edges = {(e["source"], e["target"], e["type"]) for e in response.json()["edges"]}
        assert edges == {("R1", "VP2", "INFLUENCES"), ("VP2", "VP1", "INFLUENCES"),
                         ("S1", "VP1", "KNOWS"), ("R3", "VP2", "KNOWS"),
                         ("R1", "V1", "ON_TEAM"), ("S1", "V1", "ON_TEAM")}, role
        assert hidden_in(response.text) == [], role


def test_a_reps_daily_view_leaves_out_their_tie_into_a_hidden_account(company: Company) -> None:
    for role in ("rep", "manager", "admin"):
        response = company.get(role, "/api/v1/employees/R1/daily?as_of=2026-11-28")
        daily = response.json()
        ties = [(t["person_id"], t["type"], t["strength"]) for t in daily["influences"]]
        steps = [(s["person_id"], s["path"]["nodes"]) for s in daily["next_steps"]]
        if role in SCOPED:
            assert ties == [("VP2", "INFLUENCES", 60)], role
            assert hidden_in(response.text) == [], role
        else:
            assert ties == [("VP2", "INFLUENCES", 60), ("HIDDEN-P2", "KNOWS", 20)]
        # VP1 opposes (price 40) and R1 reaches it through VP2: 0.6 × 0.5.
        assert steps[0] == ("VP1", ["R1", "VP2", "VP1"]), role


# ---- the dashboard ---------------------------------------------------------------------------

# Key persons per role: V1 has VP1, VP2; V2 has VP3; HIDDEN-A has three. Influenced by an
# employee: VP2 (R1), VP3 (R2), HIDDEN-P1 (R3, S1).
DASHBOARD = {"rep": (1, 2, 1 / 2), "manager": (2, 3, 2 / 3),
             **dict.fromkeys(SEES_ALL, (3, 6, 3 / 6))}


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_counts_only_what_the_role_may_see(company: Company, role: str) -> None:
    response = company.get(role, "/api/v1/dashboard?as_of=2026-11-28")
    board = response.json()
    accounts, persons, potential = DASHBOARD[role]
    assert (board["overall"]["accounts"], board["overall"]["key_persons"]) == (accounts, persons)
    assert board["influence"]["potential"] == pytest.approx(potential)
    # Opportunities created in 2026: OV1 (V1, January) and HIDDEN-O (HIDDEN-A, March).
    months = {i["period"]: i["count"] for i in board["incubation"] if i["count"]}
    assert months == ({"2026-01": 1} if role in SCOPED else {"2026-01": 1, "2026-03": 1})
    if role in SCOPED:
        assert hidden_in(response.text) == []
    # 西南's only account is hidden from the scoped roles: to them the region does not exist.
    region = company.client.get("/api/v1/dashboard?as_of=2026-11-28&scope=region:西南",
                                headers=company.headers[role])
    if role in SCOPED:
        assert region.status_code == 404, role
    else:
        assert region.json()["overall"]["accounts"] == 1
    # Employees outside the caller's line look missing, as on every other route.
    # S1's team is on V1 and HIDDEN-A.
    for scope, accounts in (("team:M2", 1), ("rep:R3", 1), ("team:S1", 2)):
        other = company.client.get(f"/api/v1/dashboard?as_of=2026-11-28&scope={scope}",
                                   headers=company.headers[role])
        if role in SCOPED:
            assert other.status_code == 404, (role, scope)
        else:
            assert other.json()["overall"]["accounts"] == accounts, (role, scope)


# ---- the audit trail and the offline analysis ------------------------------------------------

def test_the_audit_of_a_visible_account_names_no_hidden_person(company: Company) -> None:
    for role in ("manager", "admin"):
        response = company.get(role, "/api/v1/audit?account_id=V1")
        ties = {(r["tie_type"], r["from_id"], r["person_id"]) for r in response.json()["data"]
                if r["kind"] == "tie"}
        visible = {("INFLUENCES", "R1", "VP2"), ("INFLUENCES", "VP2", "VP1"),
                   ("KNOWS", "S1", "VP1"), ("KNOWS", "R3", "VP2")}
        if role == "manager":
            assert ties == visible
            assert hidden_in(response.text) == []
        else:
            assert ties == visible | {("INFLUENCES", "HIDDEN-P1", "VP1"),
                                      ("INFLUENCES", "VP2", "HIDDEN-P2")}


@pytest.mark.parametrize("request_", [
    ("GET", "/api/v1/analysis/reachability", None),
    ("GET", "/api/v1/analysis/disjoint-paths/VP1", None),
    ("POST", "/api/v1/analysis/what-if",
     {"person_changes": [{"person_id": "VP1", "price_acceptance": 70}]}),
    ("GET", "/api/v1/assessments/yearly?year=2026", None),
    ("GET", "/api/v1/key-persons/VP1/history", None),
    ("GET", "/api/v1/key-persons/VP2", None),
], ids=lambda r: f"{r[0]} {r[1]}")
def test_other_routes_reveal_nothing_hidden_to_scoped_roles(
        company: Company, request_: tuple[str, str, Any]) -> None:
    method, path, body = request_
    for role in SCOPED:
        response = company.client.request(method, path, json=body, headers=company.headers[role])
        assert response.status_code == 200, (role, response.text[:200])
        assert hidden_in(response.text) == [], (role, path)


# ---- stored paths, re-ranked for a reader ----------------------------------------------------

class _SeesAllBut:
    """A stand-in store whose scoped reader may see every key person except `hidden`."""

    def __init__(self, hidden: str) -> None:
        self.hidden = hidden

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        assert query == "daily/visible_person_ids" and params["all"] is False
        return [{"id": i} for i in params["ids"] if i != self.hidden]


def _path(strength: float, *nodes: str) -> dict[str, Any]:
    return {"strength": strength, "nodes": list(nodes), "names": list(nodes)}


def test_a_stored_path_through_a_hidden_person_makes_way_for_the_next_of_its_first_hop() -> None:
    # As recorded by someone who sees all: the best path of each first hop (E2>W, E1>Y) first,
    # then the rest. Hiding Z removes E1>Y's best path, so E1 → Y → T (0.5) becomes the best
    # of its first hop and goes before E2 → W → V → T (0.58), which stays second of E2>W.
    stored = [_path(0.6, "E2", "W", "T"), _path(0.55, "E1", "Y", "Z", "T"),
              _path(0.58, "E2", "W", "V", "T"), _path(0.5, "E1", "Y", "T")]
    snapshot = {"questions": [{"key": "blockers", "passed": False, "evidence": {
        "persons": [{"id": "T", "paths": stored}]}}]}
    [seen] = snapshots_for_reader(_SeesAllBut("Z"), params={"all": False, "visible": ["A"]},  # type: ignore[arg-type]
                                  texts=[json.dumps(snapshot)])
    assert blocker_paths(seen["questions"]) == {"T": [
        _path(0.6, "E2", "W", "T"), _path(0.5, "E1", "Y", "T"), _path(0.58, "E2", "W", "V", "T")]}
    # Nothing hidden: the stored order stands, cut to the three a review shows.
    [whole] = snapshots_for_reader(_SeesAllBut("nobody"), params={"all": False, "visible": []},  # type: ignore[arg-type]
                                   texts=[json.dumps(snapshot)])
    assert blocker_paths(whole["questions"]) == {"T": stored[:3]}


# ---- every scoped query on its own -----------------------------------------------------------

# Most scoped queries run only after an earlier scoped check (the account or person was found
# visible), so a route never shows what one of them would leak without its own filter. Each
# is checked here on its own: given the rep R1's scope and ids that include hidden ones, it
# returns nothing hidden; given `$all`, it does return something hidden (else the check could
# not fail). dashboard/ and yearly/ are left to their own tests; test/ holds test helpers.
QUERY_DIR = Path(__file__).resolve().parent.parent / "cypher"
SCOPED_QUERIES = sorted(
    str(f.relative_to(QUERY_DIR).with_suffix("")) for f in QUERY_DIR.rglob("*.cypher")
    if "$visible" in f.read_text(encoding="utf-8") and f.parent.name not in (
        "dashboard", "yearly", "test") and f.name.count(".") == 1)
WRITES = {"history/update_key_person", "review/create_review", "alerts/ack_alert",
          "ties/set_employee_tie", "ties/remove_employee_tie", "ties/set_person_tie",
          "ties/remove_person_tie"}
PARAMS: dict[str, Any] = {
    "account_id": "HIDDEN-A", "ids": ["HIDDEN-A", "V1"], "person_id": "HIDDEN-P1",
    "person_ids": ["HIDDEN-P1", "HIDDEN-P2", "HIDDEN-P3", "VP1", "VP2"], "employee_id": "S1",
    "target_id": "VP1", "k": 20, "max_hops": 4, "sources": None, "cut": "2026-12-01",
    "since": "2026-01-01", "before": "2026-12-31", "q": None, "tier": None, "offset": 0,
    "limit": 50, "region": None, "names": None, "id": "blocker:HIDDEN-P1:2026-11-28",
    "open_only": False}
# Where `$ids` holds person or employee ids rather than account ids.
IDS = {"daily/visible_person_ids": ["HIDDEN-P1", "VP1"], "daily/person_labels": ["HIDDEN-P1", "VP1"],
       "snapshot/person_accounts": ["HIDDEN-P1", "VP1"], "whatif/employee_accounts": ["S1"]}


def _params(name: str, **scope: Any) -> dict[str, Any]:
    text = (QUERY_DIR / f"{name}.cypher").read_text(encoding="utf-8")
    wanted = set(re.findall(r"\$(\w+)", text)) - {"all", "visible"}
    return {**{p: IDS.get(name, PARAMS["ids"]) if p == "ids" else PARAMS[p] for p in wanted},
            **scope}


def test_the_scoped_queries_are_found() -> None:
    assert len(SCOPED_QUERIES) >= 40 and "accounts/page_account_ids" in SCOPED_QUERIES


def test_each_scoped_read_leaves_out_hidden_data_on_its_own(store: Store) -> None:
    import_bundle(store, parse_tables(leaky_bundle()))
    operator = Viewer.operator()
    record_review(store, viewer=operator, account_id="HIDDEN-A", thresholds=Thresholds(),
                  review=ReviewCreate(date=dt.date(2026, 11, 27), rep_id="R3", actions=[]))
    update_key_person(store, viewer=operator, person_id="HIDDEN-P1", thresholds=Thresholds(),
                      changes=KeyPersonUpdate(decision_role="coach"))
    record(store, NewAlert(rule="blocker", subject="HIDDEN-P1", period="2026-11-28",
                           account_id="HIDDEN-A", account_name="HIDDEN-A", before={}, after={},
                           message_zh="HIDDEN-P1", message_en="HIDDEN-P1"), zone=clock.UTC)
    rep = {"all": False, "visible": ["V1"]}
    leaks, vacuous = [], []
    for name in sorted(set(SCOPED_QUERIES) - WRITES):
        if hidden_in(json.dumps(store.read(name, **_params(name, **rep)), ensure_ascii=False)):
            leaks.append(name)
        everything = store.read(name, **_params(name, all=True, visible=[]))
        if not hidden_in(json.dumps(everything, ensure_ascii=False)):
            vacuous.append(name)
    assert leaks == []
    assert vacuous == []


def test_each_scoped_write_leaves_hidden_data_alone(store: Store) -> None:
    import_bundle(store, parse_tables(leaky_bundle()))
    rep = {"all": False, "visible": ["V1"]}
    review = {"id": "r1", "date": "2026-11-27", "reviewer_id": "R1", "rep_id": "R1",
              "notes": "", "actions_json": "[]", "figures_json": "{}",
              "created_at": "2026-11-27T00:00:00"}
    edit = {"fields": ["closeness"], "scores": {"closeness": 99}, "role": "coach",
            "actor": "R1", "source": "api", "at": "2026-11-27T00:00:00", "day": "2026-11-27"}
    assert store.write("review/create_review", account_id="HIDDEN-A", **review, **rep) == []
    assert store.write("history/update_key_person", person_id="HIDDEN-P1", **edit, **rep) == []
    operator = Viewer.operator()
    assert list_reviews(store, viewer=operator, account_id="HIDDEN-A").count == 0
    person = store.read("history/get_key_person", person_id="HIDDEN-P1", all=True, visible=[])
    assert (person[0]["closeness"], person[0]["decision_role"]) == (50, "influencer")
    # The same writes with `$all` do write: the checks above can fail.
    assert len(store.write("review/create_review", account_id="HIDDEN-A", **review,
                           all=True, visible=[])) == 1
    assert len(store.write("history/update_key_person", person_id="HIDDEN-P1", **edit,
                           all=True, visible=[])) == 1
    _tie_writes_leave_hidden_ties_alone(store, rep)


def _tie_writes_leave_hidden_ties_alone(store: Store, rep: dict[str, Any]) -> None:
    tie = {"change_id": "c1", "actor": "R1", "source": "api", "at": "2026-11-27T00:00:00"}
    new = {**tie, "strength": 5, "since": None, "since_day": None, "today": "2026-11-27"}
    employee = {"person_id": "HIDDEN-P1", "from_id": "R3", "type": "INFLUENCES"}
    # HIDDEN-P1 → VP1 crosses into a visible account: its source is still hidden.
    for query, params in (("set_employee_tie", {**employee, **new}),
                          ("remove_employee_tie", {**employee, **tie}),
                          ("set_person_tie", {"person_id": "HIDDEN-P2", "from_id": "HIDDEN-P1",
                                              **new}),
                          ("set_person_tie", {"person_id": "VP1", "from_id": "HIDDEN-P1", **new}),
                          ("remove_person_tie", {"person_id": "VP1", "from_id": "HIDDEN-P1",
                                                 **tie})):
        assert store.write(f"ties/{query}", **params, **rep) == [], query
    assert {(t["from"], t["to"]): t["strength"] for t in store.read("export/influences")}[
        ("R3", "HIDDEN-P1")] == 80
    # With `$all` they do write: the checks above can fail.
    for query, params in (("set_employee_tie", {**employee, **new}),
                          ("remove_employee_tie", {**employee, **tie, "change_id": "c2"}),
                          ("set_person_tie", {"person_id": "HIDDEN-P2", "from_id": "HIDDEN-P1",
                                              **new, "change_id": "c3"}),
                          ("remove_person_tie", {"person_id": "HIDDEN-P2", "from_id": "HIDDEN-P1",
                                                 **tie, "change_id": "c4"})):
        assert len(store.write(f"ties/{query}", **params, all=True, visible=[])) == 1, query
