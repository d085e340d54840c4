"""Account figures (docs/method.md) on the small company, worked out by hand; the API's three doors."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import account_map, get_account, list_accounts
from graphbrm.bundle import parse_tables
from graphbrm.figures import Averages, Thresholds, band, person_status
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

T = Thresholds()
TODAY = dt.date(2026, 11, 28)


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def figures(store: Store, account_id: str, as_of: dt.date = TODAY) -> dict[str, Any]:
    return get_account(store, viewer=Viewer.operator(), account_id=account_id, thresholds=T,
                       as_of=as_of).model_dump()


@pytest.mark.parametrize("values,expected", [
    ((80, 80, 80), "excellent"), ((80, 80, 79.99), "good"), ((60, 60, 60), "good"),
    ((60, 59.9, 90), "poor"), ((None, 90, 90), "unknown")])
def test_band_boundaries(values: tuple[float | None, ...], expected: str) -> None:
    averages = Averages(closeness=values[0], solution_acceptance=values[1],
                        price_acceptance=values[2])
    assert band(averages, T) == expected


def test_person_status() -> None:
    scores = {"closeness": 60, "solution_acceptance": 59, "price_acceptance": None}
    assert person_status(scores, "user", T) == "opposes"
    scores["solution_acceptance"] = 60
    assert person_status(scores, "veto", T) == "unclear"
    assert person_status(scores, "approver", T) == "unclear"
    assert person_status(scores, "user", T) == "unknown"
    scores["price_acceptance"] = 100
    assert person_status(scores, "veto", T) == "ok"


def test_account_with_sub_departments_and_an_unknown(small: Store) -> None:
    # P1..P4 (P3, P4 in a sub-department): closeness (80+90+70+40)/4 = 70,
    # solution (60+80+100+60)/4 = 75, price (59+80+61)/3 — P4's is unknown.
    a1 = figures(small, "A1")
    assert a1["identified"] == 4 and a1["expected"] == 5 and a1["missing"] == 1
    assert a1["unknown"] == 1
    assert a1["averages"]["closeness"] == 70
    assert a1["averages"]["solution_acceptance"] == 75
    assert a1["averages"]["price_acceptance"] == pytest.approx(200 / 3)
    assert a1["band"] == "good"


def test_account_without_key_persons_is_unknown(small: Store) -> None:
    a2 = figures(small, "A2")
    assert (a2["identified"], a2["missing"], a2["unknown"], a2["band"]) == (0, 3, 0, "unknown")
    assert a2["averages"] == {"closeness": None, "solution_acceptance": None,
                              "price_acceptance": None}


def test_figures_as_of_an_earlier_day_use_the_values_valid_then(small: Store) -> None:
    # On 2026-06-30 only the 2025-11-01 records exist: P1 50/50/50, P2 60/—/70.
    a1 = figures(small, "A1", dt.date(2026, 6, 30))
    assert a1["averages"] == {"closeness": 55, "solution_acceptance": 50, "price_acceptance": 60}
    assert a1["unknown"] == 3 and a1["band"] == "poor"
    # A record dated 2026-10-01 counts on that very day, not the day before.
    assert figures(small, "A1", dt.date(2026, 10, 1))["averages"]["closeness"] == 70
    assert figures(small, "A1", dt.date(2026, 9, 30))["averages"]["closeness"] == 55
    before_any = figures(small, "A1", dt.date(2025, 10, 31))
    assert before_any["unknown"] == 4 and before_any["band"] == "unknown"


def test_visibility_follows_account_teams_and_the_manager_line(small: Store) -> None:
    def visible(viewer: Viewer) -> list[str]:
        page = list_accounts(small, viewer=viewer, thresholds=T, as_of=TODAY)
        return sorted(a.id for a in page.data)

    # A second line beside E1's: manager E7 over rep E8, who owns A7.
    import_bundle(small, parse_tables({
        "accounts": [{"id": "A7", "name": "另一条线的客户", "tier": "key", "expected_key_persons": 1}],
        "employees": [{"id": "E7", "name": "另一位经理", "role": "manager"},
                      {"id": "E8", "name": "另一位销售", "role": "rep", "manager_id": "E7"}],
        "account_teams": [{"employee_id": "E8", "account_id": "A7", "role": "owner"}]}))
    assert visible(Viewer("E2", "rep")) == ["A1"]
    assert visible(Viewer("E3", "rep")) == ["A2", "A3"]
    assert visible(Viewer("E1", "manager")) == ["A1", "A2", "A3"]  # not A7: another line's
    assert visible(Viewer("E7", "manager")) == ["A7"]
    assert visible(Viewer("E9", "rep")) == []
    assert visible(Viewer("E2", "executive")) == ["A1", "A2", "A3", "A7"]


def test_paging_search_and_tier(small: Store) -> None:
    page = list_accounts(small, viewer=Viewer.operator(), thresholds=T, limit=2, offset=0)
    assert page.count == 3 and len(page.data) == 2
    rest = list_accounts(small, viewer=Viewer.operator(), thresholds=T, limit=2, offset=2)
    assert len(rest.data) == 1
    assert {a.id for a in page.data + rest.data} == {"A1", "A2", "A3"}
    found = list_accounts(small, viewer=Viewer.operator(), thresholds=T, q="精密")
    assert [a.id for a in found.data] == ["A1"]
    key = list_accounts(small, viewer=Viewer.operator(), thresholds=T, tier="key")
    assert key.count == 2


def test_map_marks_opposing_and_lists_our_people(small: Store) -> None:
    m = account_map(small, viewer=Viewer.operator(), account_id="A1", thresholds=T, as_of=TODAY)
    status = {n.id: n.status for n in m.nodes if n.kind == "key_person"}
    assert status == {"P1": "opposes", "P2": "ok", "P3": "ok", "P4": "opposes"}
    departments = {n.id: n.parent_id for n in m.nodes if n.kind == "department"}
    assert departments == {"D1": None, "D2": None, "D3": "D2"}
    assert {n.id for n in m.nodes if n.kind == "employee"} == {"E2", "E3"}
    edges = {(e.source, e.target, e.type, e.strength) for e in m.edges}
    assert ("E2", "P3", "INFLUENCES", 80) in edges
    assert ("E3", "P1", "KNOWS", 20) in edges
    assert ("P2", "P1", "REPORTS_TO", None) in edges
    assert ("E2", "A1", "ON_TEAM", None) in edges


def test_the_map_says_who_owns_the_account_and_who_is_a_member(small: Store,
                                                              client_for: Any) -> None:
    """The review form defaults its rep to the owner, whatever order the team comes in."""
    import_bundle(small, parse_tables({"account_teams": [
        {"employee_id": "E3", "account_id": "A1", "role": "member"}]}))
    body = client_for(small, Viewer("E1", "manager")).get("/api/v1/accounts/A1/map").json()
    team = {(e["source"], e["team_role"]) for e in body["edges"] if e["type"] == "ON_TEAM"}
    assert team == {("E2", "owner"), ("E3", "member")}
    assert {e["team_role"] for e in body["edges"] if e["type"] != "ON_TEAM"} == {None}


def test_api_equals_library_and_hides_foreign_accounts(small: Store, client_for: Any) -> None:
    as_rep = client_for(small, Viewer("E3", "rep"))
    response = as_rep.get("/api/v1/accounts", params={"as_of": "2026-11-28"})
    assert response.status_code == 200
    body = response.json()
    library = list_accounts(small, viewer=Viewer("E3", "rep"), thresholds=T, as_of=TODAY)
    assert body == library.model_dump(mode="json")
    for path in ("/api/v1/accounts/A1", "/api/v1/accounts/A1/map"):
        assert as_rep.get(path).status_code == 404
    assert as_rep.get("/api/v1/accounts/A2/map").status_code == 200
    assert as_rep.get("/api/v1/accounts/A2").json()["band"] == "unknown"


def test_healthz(small: Store, client_for: Any) -> None:
    assert client_for(small).get("/healthz").json()["status"] == "ok"
