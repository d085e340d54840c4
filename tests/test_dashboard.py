"""The realtime dashboard (docs/method.md, R) on a hand-made company whose figures are worked out below."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import figures_for
from graphbrm.bundle import parse_tables
from graphbrm.dashboard import (
    AccountGroup,
    dashboard,
    incubation_periods,
    month_end_before,
    year_before,
)
from graphbrm.errors import InvalidInput, NotFound
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.stats import wilson
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS

T = Thresholds()
AS_OF = dt.date(2026, 3, 15)
OPERATOR = Viewer.operator()


def _person(pid: str, account: str) -> dict[str, Any]:
    return {"id": pid, "department_id": f"D-{account}", "name": f"客户{pid}",
            "decision_role": "decision_maker"}


def _history(pid: str, at: str, c: int | None, s: int | None, p: int | None) -> dict[str, Any]:
    return {"person_id": pid, "at": at, "closeness": c, "solution_acceptance": s,
            "price_acceptance": p}


def _opp(oid: str, account: str, status: str, created: str, closed: str | None, amount: float,
         qualified: bool, used: list[str] | None = None) -> dict[str, Any]:
    return {"id": oid, "account_id": account, "name": f"商机{oid}", "amount": amount,
            "status": status, "qualified": qualified, "created_at": created, "closed_at": closed,
            "used_influence": used or []}


def company() -> dict[str, list[dict[str, Any]]]:
    """K1, K2 (East) and K3 (West) are key accounts; S1 is a standard account.

    Account bands over time (one person's three scores, or the mean of two):
    K1 (P11, P12): unknown until 2025-01-01; poor 2025-01-01..05-31 (c 60, s 60, p 50 — P12's
       price unknown); good 2025-06-01..2026-02-09 (70/70/70); excellent from 2026-02-10
       (c (90+70)/2 = 80, s 80, p 90) and 90/90/90 from 2026-03-01.
    K2 (P21): unknown until 2025-03-01; excellent 80/80/80 until the record of
       2026-03-12T17:00 (60/60/60, good), which counts for the whole of 2026-03-12.
    K3 (P31): unknown until 2026-01-05; poor (40/40/40) after.
    """
    return {
        "accounts": [
            {"id": "K1", "name": "华东一号", "region": "East", "tier": "key"},
            {"id": "K2", "name": "华东二号", "region": "East", "tier": "key"},
            {"id": "K3", "name": "西部三号", "region": "West", "tier": "key"},
            {"id": "S1", "name": "标准客户", "region": "East", "tier": "standard"},
        ],
        "departments": [{"id": f"D-{a}", "account_id": a, "name": "采购部"}
                        for a in ("K1", "K2", "K3", "S1")],
        "key_persons": [_person("P11", "K1"), _person("P12", "K1"), _person("P21", "K2"),
                        _person("P31", "K3"), _person("PS", "S1")],
        "employees": [
            {"id": "M1", "name": "经理甲", "role": "manager"},
            {"id": "R1", "name": "销售一", "role": "rep", "manager_id": "M1"},
            {"id": "R2", "name": "销售二", "role": "rep", "manager_id": "M1"},
            {"id": "M2", "name": "经理乙", "role": "manager"},
            {"id": "R3", "name": "销售三", "role": "rep", "manager_id": "M2"},
        ],
        "account_teams": [
            {"employee_id": "R1", "account_id": "K1", "role": "owner"},
            {"employee_id": "R1", "account_id": "S1", "role": "owner"},
            {"employee_id": "R2", "account_id": "K2", "role": "owner"},
            {"employee_id": "R3", "account_id": "K2", "role": "member"},
            {"employee_id": "R3", "account_id": "K3", "role": "owner"},
        ],
        "influences": [
            {"from": "R1", "to": "P11", "strength": 80, "since": "2025-01-01"},
            {"from": "R2", "to": "P11", "strength": 60, "since": "2025-01-01"},
            {"from": "R3", "to": "P31", "strength": 70, "since": "2026-06-01"},  # not yet on AS_OF
            {"from": "P11", "to": "P12", "strength": 90},  # a customer's tie does not count
            {"from": "R1", "to": "PS", "strength": 90},  # a standard account's person
        ],
        "knows": [{"employee_id": "R1", "person_id": "P21", "strength": 30}],
        "score_history": [
            _history("P11", "2025-01-01", 50, 50, 50),
            _history("P11", "2025-06-01", 70, 70, 70),
            _history("P11", "2026-02-10", 90, 90, 90),
            _history("P12", "2025-01-01", 70, 70, None),
            _history("P12", "2026-03-01", 90, 90, 90),
            _history("P21", "2025-03-01", 80, 80, 80),
            _history("P21", "2026-03-12T17:00:00", 60, 60, 60),
            _history("P31", "2026-01-05", 40, 40, 40),
            _history("PS", "2024-01-01", 90, 90, 90),
        ],
        "opportunities": [
            # K1: closed while unknown, poor, good ×4, excellent.
            _opp("O1", "K1", "won", "2024-03-31", "2024-12-20", 10000, True),
            _opp("O2", "K1", "lost", "2025-02-01", "2025-05-31", 20000, False),
            _opp("O3", "K1", "won", "2025-02-10", "2025-06-01", 30000, True),
            _opp("O4", "K1", "lost", "2025-02-20", "2025-09-01", 40000, False),
            _opp("O5", "K1", "lost", "2025-06-01", "2025-12-01", 5000, True),
            _opp("O6", "K1", "lost", "2025-06-15", "2026-01-15", 5000, False),
            _opp("O7", "K1", "won", "2026-01-10", "2026-03-05", 100000, True, ["R1"]),
            # K2: five closed while excellent (one won), one lost while good, one after AS_OF.
            _opp("O8", "K2", "lost", "2025-04-01", "2025-06-15", 1000, False),
            _opp("O9", "K2", "lost", "2025-04-01", "2025-09-15", 1000, False),
            _opp("O10", "K2", "won", "2025-04-01", "2025-10-15", 80000, True, ["R2"]),
            _opp("O11", "K2", "lost", "2025-04-01", "2025-11-15", 1000, False),
            _opp("O17", "K2", "lost", "2025-04-01", "2025-12-15T18:30:00", 1000, False),
            _opp("O12", "K2", "lost", "2026-01-20", "2026-03-12", 2000, True),
            _opp("O13", "K2", "won", "2026-03-16", "2026-03-20", 9000, True),
            # K3: won while poor; one still open.
            _opp("O14", "K3", "won", "2026-01-05", "2026-02-01", 50000, False),
            _opp("O15", "K3", "open", "2026-03-02", None, 7000, True),
            # A standard account's deal never counts.
            _opp("O16", "S1", "won", "2026-01-05", "2026-02-01", 99999, True, ["R1"]),
        ],
    }


@pytest.fixture
def graph(store: Store) -> Store:
    import_bundle(store, parse_tables(company()))
    return store


def board(store: Store, viewer: Viewer = OPERATOR, as_of: dt.date = AS_OF,
          scope: str = "company") -> dict[str, Any]:
    return dashboard(store, viewer=viewer, as_of=as_of, scope=scope, thresholds=T).model_dump()


def test_wilson_interval_by_hand() -> None:
    # 3 of 10, z = 1.959964: p = 0.3, z²/n = 0.38415, centre (0.3 + 0.19207)/1.38415 = 0.35550,
    # half 1.959964 × √(0.021 + 0.0096037)/1.38415 = 0.24772 → [0.1078, 0.6032].
    low, high = wilson(3, 10)
    assert low == pytest.approx(0.1078, abs=1e-4) and high == pytest.approx(0.6032, abs=1e-4)
    assert wilson(0, 0) == (None, None)
    # 0 of 5: the lower bound is 0 and the upper z²/n ÷ (1 + z²/n) = 0.76829/1.76829 = 0.43448.
    assert wilson(0, 5) == pytest.approx((0.0, 0.43448), abs=1e-5)
    assert wilson(5, 5)[1] == 1.0


def test_comparison_days() -> None:
    assert month_end_before(dt.date(2026, 3, 15)) == dt.date(2026, 2, 28)
    assert month_end_before(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    assert year_before(dt.date(2024, 2, 29)) == dt.date(2023, 2, 28)
    assert year_before(AS_OF) == dt.date(2025, 3, 15)
    periods = incubation_periods(AS_OF)
    assert (len(periods), periods[0], periods[-1]) == (24, "2024-04", "2026-03")


@pytest.mark.parametrize("text", ["bogus", "rep:", "region", "company:x", "team: ", ""])
def test_scope_syntax_is_checked(text: str) -> None:
    with pytest.raises(InvalidInput):
        AccountGroup.parse(text)


def test_overall_mom_and_yoy_differ_by_history(graph: Store) -> None:
    d = board(graph)
    # Now: K1 90/90/90, K2 60/60/60, K3 40/40/40 → each mean (90 + 60 + 40)/3 = 63.33.
    assert d["overall"]["averages"] == pytest.approx(
        {"closeness": 190 / 3, "solution_acceptance": 190 / 3, "price_acceptance": 190 / 3})
    assert d["overall"]["bands"] == {"excellent": 1, "good": 1, "poor": 1, "unknown": 0}
    assert (d["overall"]["accounts"], d["overall"]["key_persons"]) == (3, 4)
    # 2026-02-28: K1 c (90+70)/2 = 80, s 80, p 90 (P12's unknown); K2 80; K3 40.
    # MoM: c 63.33 − (80+80+40)/3 = −3.33; p 63.33 − (90+80+40)/3 = −6.67.
    assert d["mom"]["compared_with"] == dt.date(2026, 2, 28)
    assert d["mom"]["averages"] == pytest.approx(
        {"closeness": -10 / 3, "solution_acceptance": -10 / 3, "price_acceptance": -20 / 3})
    # 2025-03-15: K1 c (50+70)/2 = 60, p 50; K2 80; K3 unknown (left out of the means).
    # YoY: c 63.33 − (60+80)/2 = −6.67; p 63.33 − (50+80)/2 = −1.67.
    assert d["yoy"]["compared_with"] == dt.date(2025, 3, 15)
    assert d["yoy"]["averages"] == pytest.approx(
        {"closeness": -20 / 3, "solution_acceptance": -20 / 3, "price_acceptance": -5 / 3})


def test_overall_agrees_with_the_account_figures(graph: Store) -> None:
    # The dashboard reads all its days in one query; each must equal figures_for on that day.
    params = {"all": True, "visible": []}
    for day in (AS_OF, dt.date(2026, 2, 28), dt.date(2025, 3, 15), dt.date(2024, 6, 30)):
        figures = figures_for(graph, ids=["K1", "K2", "K3"], as_of=day, thresholds=T, params=params)
        overall = board(graph, as_of=day)["overall"]
        for d in DIMENSIONS:  # the mean of the accounts' averages, those without one left out
            known = [v for f in figures if (v := getattr(f.averages, d)) is not None]
            assert overall["averages"][d] == (pytest.approx(sum(known) / len(known)) if known
                                              else None), (day, d)
        assert overall["key_persons"] == sum(f.identified for f in figures)
        assert overall["bands"] == {b: sum(f.band == b for f in figures)
                                    for b in ("excellent", "good", "poor", "unknown")}


def test_influence_potential_and_contribution(graph: Store) -> None:
    d = board(graph)
    # P11 is influenced by R1 and R2; R3's tie to P31 forms after AS_OF; P11→P12 is a customer's
    # own tie and R1 only knows P21: 1 of the 4 key persons.
    assert d["influence"]["potential"] == 0.25
    # Won in 2026 up to AS_OF: O7 (100,000, with R1's influence) and O14 (50,000). O10 was won
    # in 2025, O13 after AS_OF, O16 on a standard account.
    assert d["influence"]["contribution"] == pytest.approx({
        "won": 2, "won_with_influence": 1, "count_share": 0.5, "amount": 150000,
        "amount_with_influence": 100000, "amount_share": 2 / 3})


def test_win_rate_groups_by_the_band_at_closing(graph: Store) -> None:
    rows = {r["band"]: r for r in board(graph)["win_rate"]}
    assert list(rows) == ["excellent", "good", "poor", "unknown"]
    # excellent: O7 won, O8 O9 lost, O10 won, O11 O17 lost → 2 of 6;
    # good: O3 won, O4 O5 O6 lost (K1) and O12 lost (K2, after the record of that day) → 1 of 5;
    # poor: O2 lost (the day before K1 turned good), O14 won → 1 of 2; unknown: O1 won.
    assert [(r["closed"], r["won"]) for r in rows.values()] == [(6, 2), (5, 1), (2, 1), (1, 1)]
    # 1 of 5: centre (0.2 + 0.38415)/1.76829 = 0.33035, half 1.959964 × √0.070415/1.76829
    # = 0.29412 → [0.0362, 0.6245].
    good = rows["good"]
    assert good["rate"] == 0.2 and good["expected_min"] == 0.5
    assert good["ci_low"] == pytest.approx(0.0362, abs=1e-4)
    assert good["ci_high"] == pytest.approx(0.6245, abs=1e-4)
    assert rows["excellent"]["expected_min"] == 0.7 and rows["excellent"]["rate"] == 1 / 3
    assert rows["poor"]["expected_min"] is None and rows["unknown"]["rate"] == 1.0


def test_not_credible_needs_three_closed_and_a_low_upper_bound(graph: Store) -> None:
    # 2025-09-30: K2 lost both deals closed while excellent, but 2 < 3 → not listed.
    assert board(graph, as_of=dt.date(2025, 9, 30))["not_credible"] == []
    # 2026-03-11: K2 won 1 of 5 closed while excellent: upper 0.6245 < 0.7 → listed.
    # K1 won 2 of 5 while good or excellent: upper 0.7693 ≥ 0.5 → not listed.
    flagged = board(graph, as_of=dt.date(2026, 3, 11))["not_credible"]
    assert [(n["account_id"], n["band"], n["closed"], n["won"], n["expected_min"])
            for n in flagged] == [("K2", "excellent", 5, 1, 0.7)]
    assert flagged[0]["ci_high"] == pytest.approx(0.6245, abs=1e-4)
    assert flagged[0]["rate"] == 0.2
    # 2026-03-15: O12 was lost while K2 was good, so K2 is held to good's 50 %: 1 of 6 has the
    # upper bound 0.5635 ≥ 0.5 → no longer listed.
    assert board(graph)["not_credible"] == []


def test_incubation_lists_24_months_with_zeros(graph: Store) -> None:
    months = {m["period"]: m for m in board(graph)["incubation"]}
    assert len(months) == 24 and list(months)[0] == "2024-04" and list(months)[-1] == "2026-03"
    busy = {p: (m["count"], m["amount"], m["qualified_share"]) for p, m in months.items()
            if m["count"]}
    # O1 was created 2024-03-31 (before the window), O13 on 2026-03-16 (after AS_OF), O16 on a
    # standard account. 2025-02: O2 O3 O4; 2025-04: O8 O9 O10 O11 O17; 2025-06: O5 O6;
    # 2026-01: O7 O12 O14; 2026-03: O15.
    assert busy == {
        "2025-02": (3, 90000, 1 / 3), "2025-04": (5, 84000, 1 / 5), "2025-06": (2, 10000, 0.5),
        "2026-01": (3, 152000, 2 / 3), "2026-03": (1, 7000, 1.0)}
    assert months["2024-10"] == {"period": "2024-10", "count": 0, "amount": 0,
                                 "qualified_share": None}


def _accounts_and_closed(d: dict[str, Any]) -> tuple[int, int, int]:
    return (d["overall"]["accounts"], d["overall"]["key_persons"],
            sum(r["closed"] for r in d["win_rate"]))


def test_scopes_select_regions_teams_and_reps(graph: Store) -> None:
    # East: K1 (2 persons, 7 closed) + K2 (1 person, 6 closed by AS_OF); West: K3.
    assert _accounts_and_closed(board(graph, scope="region:East")) == (2, 3, 13)
    assert _accounts_and_closed(board(graph, scope="region:West")) == (1, 1, 1)
    # team:M1 = R1 and R2's accounts (S1 is not key); team:M2 = R3's: K3, and K2 as a member.
    assert _accounts_and_closed(board(graph, scope="team:M1")) == (2, 3, 13)
    team_m2 = board(graph, scope="team:M2")
    assert _accounts_and_closed(team_m2) == (2, 2, 7)
    assert team_m2["overall"]["averages"]["closeness"] == 50  # (60 + 40)/2
    # rep:R3 = only what R3 owns.
    assert _accounts_and_closed(board(graph, scope="rep:R3")) == (1, 1, 1)
    assert board(graph, scope="rep:R3")["scope"] == "rep:R3"
    # A region without an account is an error, not an empty dashboard; a scope that selects
    # no key account (M1 owns none) is the empty one.
    with pytest.raises(NotFound):
        board(graph, scope="region:Atlantis")
    nowhere = board(graph, scope="rep:M1")
    assert nowhere["overall"]["accounts"] == 0 and nowhere["influence"]["potential"] is None
    assert nowhere["overall"]["averages"]["closeness"] is None
    assert nowhere["mom"]["averages"]["closeness"] is None
    assert nowhere["influence"]["contribution"]["count_share"] is None
    assert [r["rate"] for r in nowhere["win_rate"]] == [None] * 4
    assert sum(m["count"] for m in nowhere["incubation"]) == 0


def test_a_reps_dashboard_never_counts_a_foreign_account(graph: Store) -> None:
    rep = Viewer("R1", "rep")
    mine = board(graph, viewer=rep)
    # R1 sees K1 (and the standard S1): K1 alone, 90/90/90, 2 persons, 7 closed.
    assert _accounts_and_closed(mine) == (1, 2, 7)
    assert mine["overall"]["averages"]["closeness"] == 90
    assert mine["influence"]["potential"] == 0.5  # P11 of P11, P12
    assert mine["influence"]["contribution"]["won"] == 1  # O7 only
    assert sum(m["count"] for m in mine["incubation"]) == 6  # O2 O3 O4 O5 O6 O7
    # A region holding a foreign account still shows only R1's.
    assert _accounts_and_closed(board(graph, viewer=rep, scope="region:East")) == (1, 2, 7)
    # A region whose accounts R1 cannot see looks missing, as an unseen employee does.
    with pytest.raises(NotFound):
        board(graph, viewer=rep, scope="region:West")
    assert {**mine, "scope": "rep:R1"} == board(graph, scope="rep:R1")


def test_a_scope_naming_an_unseen_employee_is_not_found(graph: Store) -> None:
    rep, manager = Viewer("R1", "rep"), Viewer("M1", "manager")
    for viewer, text in ((rep, "rep:R2"), (rep, "team:M1"), (manager, "team:M2"),
                         (manager, "rep:R3"), (OPERATOR, "rep:NOBODY")):
        with pytest.raises(NotFound):
            board(graph, viewer=viewer, scope=text)
    assert _accounts_and_closed(board(graph, viewer=manager, scope="rep:R1")) == (1, 2, 7)
    assert _accounts_and_closed(board(graph, viewer=rep, scope="team:R1")) == (1, 2, 7)


def test_api_equals_library(graph: Store, client_for: Any, frozen_clock: Any) -> None:
    rep = Viewer("R1", "rep")
    client = client_for(graph, rep)
    response = client.get("/api/v1/dashboard", params={"as_of": "2026-03-15", "scope": "company"})
    assert response.status_code == 200
    library = dashboard(graph, viewer=rep, as_of=AS_OF, scope="company", thresholds=T)
    assert response.json() == library.model_dump(mode="json")
    assert client.get("/api/v1/dashboard", params={"scope": "rep:R2"}).status_code == 404
    assert client.get("/api/v1/dashboard", params={"scope": "planet:Mars"}).status_code == 422
    assert client.get("/api/v1/dashboard").json()["as_of"] == "2026-11-28"  # frozen clock


BOUNDARY_SCORES = {  # account: its one person's scores; the band at 60/80 and at 70/90
    "B1": ((80, 80, 80), "excellent", "good"),
    "B2": ((80, 80, 79), "good", "good"),
    "B3": ((60, 60, 60), "good", "poor"),
    "B4": ((60, 60, 59), "poor", "poor"),
    "B5": ((90, 90, None), "unknown", "unknown"),
}


def boundary_company() -> dict[str, list[dict[str, Any]]]:
    bundle: dict[str, list[dict[str, Any]]] = {"accounts": [], "departments": [],
                                               "key_persons": [], "opportunities": []}
    for account, (scores, _, _) in BOUNDARY_SCORES.items():
        bundle["accounts"].append({"id": account, "name": account, "tier": "key",
                                   "expected_key_persons": 1})
        bundle["departments"].append({"id": f"D{account}", "account_id": account, "name": "d"})
        bundle["key_persons"].append({"id": f"P{account}", "department_id": f"D{account}",
                                      "name": "p", "decision_role": "user", "scored_at": "2026-01-01",
                                      **dict(zip(DIMENSIONS, scores, strict=True))})
        bundle["opportunities"].append({"id": f"O{account}", "account_id": account, "name": "o",
                                        "status": "won", "created_at": "2026-01-02",
                                        "closed_at": "2026-02-01"})
    return bundle


@pytest.mark.parametrize("thresholds,column", [(Thresholds(60, 80), 1), (Thresholds(70, 90), 2)])
def test_bands_at_their_boundaries_follow_the_thresholds(store: Store, thresholds: Thresholds,
                                                        column: int) -> None:
    """The store counts the bands (now and at closing) by the rule of figures.band, with the
    thresholds the settings give."""
    import_bundle(store, parse_tables(boundary_company()))
    d = dashboard(store, viewer=Viewer.operator(), as_of=dt.date(2026, 3, 1),
                  thresholds=thresholds).model_dump()
    expected = {b: 0 for b in ("excellent", "good", "poor", "unknown")}
    for case in BOUNDARY_SCORES.values():
        expected[case[column]] += 1  # type: ignore[index]
    assert d["overall"]["bands"] == expected
    assert {w["band"]: w["won"] for w in d["win_rate"]} == expected
