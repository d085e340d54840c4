"""Alerts (issue 13): each rule fired by a hand-built change and not by the change just short
of it, dedup, scoping, acknowledging, a failing rule that never fails the write, and the CLI.

The small company (tests/small.py) as imported: A1 holds P1 veto (80, 60, 59: already opposes
on price), P2 approver (90, 80, 80), P3 evaluator (70, 100, 61), P4 user (40, 60, ?), all
scored 2026-10-01. A1's averages: closeness 70, solution 75, price (59+80+61)/3 = 66.7: good.
The clock is frozen at 2026-11-28 (UTC), so "30 days earlier" is 2026-10-29: the 2026-10-01
values.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.alerts import events
from graphbrm.alerts.model import AlertConfig, list_alerts
from graphbrm.alerts.scheduled import run_scheduled
from graphbrm.bundle import parse_tables
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from graphbrm.review import ReviewCreate, record_review
from graphbrm.store import Store
from graphbrm.ties import TieType, TieUpdate, remove_tie, set_tie
from tests.small import small_bundle

OPERATOR = Viewer.operator()
E1 = Viewer("E1", "manager")  # E2's and E3's manager
E2 = Viewer("E2", "rep")  # owns A1 (P1..P4)
E3 = Viewer("E3", "rep")  # owns A2 and A3, not A1
CONFIG = AlertConfig()


@pytest.fixture
def small(store: Store, frozen_clock: Any) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def edit(store: Store, person_id: str, **changes: Any) -> None:
    update_key_person(store, viewer=OPERATOR, person_id=person_id,
                      changes=KeyPersonUpdate(**changes), thresholds=CONFIG.thresholds,
                      alerts=CONFIG)


def alerts(store: Store, viewer: Viewer = OPERATOR, state: str = "all") -> dict[str, Any]:
    return {a.id: a for a in list_alerts(store, viewer=viewer, state=state).data}


def rules_of(store: Store, subject: str) -> set[str]:
    return {a.rule for a in alerts(store).values() if subject in (a.person_id, a.account_id)}


def test_first_import_raises_nothing(small: Store) -> None:
    # A1 did not exist before its import: no "before", so no alert (P1 opposes from the start).
    assert alerts(small) == {}


def test_blocker_fires_when_an_approver_falls_below_60(small: Store) -> None:
    edit(small, "P2", price_acceptance=59)
    found = alerts(small)["blocker:P2:2026-11-28"]
    assert (found.severity, found.account_id, found.person_name) == ("high", "A1", "李晓梅")
    assert (found.before["price_acceptance"], found.after["price_acceptance"]) == (80, 59)
    # Named with the best reach path: E2 → P3 (80) → P2 (50) = 0.40.
    assert found.path == ["孙丽", "张伟", "李晓梅"]
    assert "一票批准人 李晓梅 (华东精密机械) 开始反对我们" in found.message_zh
    assert "价格接受度 80 → 59" in found.message_zh
    assert "孙丽 → 张伟 → 李晓梅（强度 0.40）" in found.message_zh
    assert found.message_en.startswith("Final approver 李晓梅 (华东精密机械) now opposes us: "
                                       "price acceptance 80 → 59.")


def test_blocker_does_not_fire_at_60(small: Store) -> None:
    edit(small, "P2", price_acceptance=60)
    assert "blocker" not in rules_of(small, "P2")


def test_blocker_fires_when_a_dimension_becomes_unknown(small: Store) -> None:
    edit(small, "P2", closeness=None)
    found = alerts(small)["blocker:P2:2026-11-28"]
    assert "态度不明" in found.message_zh and "closeness 90 → ?" in found.message_en


def test_blocker_not_raised_again_while_already_opposing(small: Store) -> None:
    # P1 already opposes on price (59): lowering it further is not a new blocker.
    edit(small, "P1", price_acceptance=40)
    assert "blocker" not in rules_of(small, "P1")


def test_blocker_fires_when_an_opposing_person_becomes_a_veto_holder(small: Store) -> None:
    # P4 (closeness 40) opposes; as a user that is no blocker, as a veto holder it is.
    edit(small, "P4", decision_role="veto")
    found = alerts(small)["blocker:P4:2026-11-28"]
    assert found.after["decision_role"] == "veto" and found.before["decision_role"] == "user"


def test_band_drop_fires_from_good_to_poor(small: Store) -> None:
    # Price average (59 + 80 + 40) / 3 = 59.7 < 60: A1 drops from good to poor.
    edit(small, "P3", price_acceptance=40)
    found = alerts(small)["band_drop:A1:2026-11-28"]
    assert (found.before["band"], found.after["band"]) == ("good", "poor")
    assert round(found.after["averages"]["price_acceptance"], 2) == 59.67
    assert "从良好降为较差" in found.message_zh and "张伟" in found.message_zh


def test_band_drop_fires_when_the_band_becomes_unknown(small: Store) -> None:
    # P4's price is unknown already; with P1's and P3's unknown too, P2's 80 alone keeps the
    # price average known (80: A1 still good, no drop); P2's unknown as well leaves none: unknown.
    for person in ("P1", "P3", "P2"):
        edit(small, person, price_acceptance=None)
        if person != "P2":
            assert "band_drop" not in rules_of(small, "A1"), person
    found = alerts(small)["band_drop:A1:2026-11-28"]
    assert (found.before["band"], found.after["band"]) == ("good", "unknown")
    assert found.after["averages"]["price_acceptance"] is None


def test_band_drop_does_not_fire_when_the_band_holds(small: Store) -> None:
    # (59 + 80 + 41) / 3 = 60.0: still good.
    edit(small, "P3", price_acceptance=41)
    assert "band_drop" not in rules_of(small, "A1")


def test_fading_fires_at_15_points_not_14(small: Store) -> None:
    edit(small, "P3", price_acceptance=46)  # 61 on 2026-10-29 → 46: fell 15
    edit(small, "P2", price_acceptance=66)  # 80 → 66: fell 14
    found = alerts(small)
    fading = found["fading:P3:2026-11-28"]
    assert (fading.before["price_acceptance"], fading.after["price_acceptance"]) == (61, 46)
    assert fading.before["as_of"] == "2026-10-29"
    assert "fading:P2:2026-11-28" not in found
    assert "与 30 天前相比" in fading.message_zh


def test_fading_compares_with_30_days_earlier_not_with_the_last_edit(small: Store,
                                                                    frozen_clock: Any) -> None:
    # Two small steps the same day (61 → 53 → 46): neither step is 15, the month is.
    edit(small, "P3", price_acceptance=53)
    assert "fading" not in rules_of(small, "P3")
    frozen_clock(dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC))
    edit(small, "P3", price_acceptance=46)
    assert "fading" in rules_of(small, "P3")


def test_one_alert_per_rule_subject_and_day_also_on_reimport(small: Store,
                                                             frozen_clock: Any) -> None:
    row = next(k for k in small_bundle()["key_persons"] if k["id"] == "P2")

    def reimport(price: int, hour: int) -> None:
        frozen_clock(dt.datetime(2026, 11, 28, hour, 0, tzinfo=dt.UTC))
        import_bundle(small, parse_tables({"key_persons": [
            {**row, "price_acceptance": price, "scored_at": None}]}), alerts=CONFIG)

    reimport(50, 11)
    reimport(50, 12)  # the same bundle again
    reimport(80, 13)
    reimport(50, 14)  # P2 turns against us a second time the same day
    blockers = [a for a in alerts(small).values() if a.rule == "blocker"]
    assert [a.id for a in blockers] == ["blocker:P2:2026-11-28"]
    frozen_clock(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC))
    reimport(80, 15)
    frozen_clock(dt.datetime(2026, 11, 29, 16, 0, tzinfo=dt.UTC))
    import_bundle(small, parse_tables({"key_persons": [
        {**row, "price_acceptance": 50, "scored_at": None}]}), alerts=CONFIG)
    assert "blocker:P2:2026-11-29" in alerts(small)  # a new day, a new alert


def test_scoping_per_role_and_acknowledging(small: Store, client_for: Any) -> None:
    edit(small, "P2", price_acceptance=59)
    alert_id = "blocker:P2:2026-11-28"
    seen = {}
    for name, viewer in (("E1", E1), ("E2", E2), ("E3", E3)):
        body = client_for(small, viewer).get("/api/v1/alerts").json()
        seen[name] = [a["id"] for a in body["data"]]
        assert body["count"] == len(body["data"])
    assert alert_id in seen["E2"] and alert_id in seen["E1"]  # the rep on A1, their manager
    assert seen["E3"] == []  # a rep of other accounts never sees A1's alerts
    assert client_for(small, E3).post(f"/api/v1/alerts/{alert_id}/ack").status_code == 404
    acked = client_for(small, E2).post(f"/api/v1/alerts/{alert_id}/ack")
    assert acked.status_code == 200 and acked.json()["acknowledged_by"] == "E2"
    manager = client_for(small, E1)
    assert alert_id not in [a["id"] for a in manager.get("/api/v1/alerts").json()["data"]]
    every = manager.get("/api/v1/alerts", params={"state": "all"}).json()["data"]
    assert [a["acknowledged_by"] for a in every if a["id"] == alert_id] == ["E2"]
    later = manager.get("/api/v1/alerts", params={"state": "all", "since": "2026-11-29"})
    assert later.json() == {"data": [], "count": 0}
    assert manager.get("/api/v1/alerts", params={"state": "some"}).status_code == 422


def test_a_failing_rule_never_fails_the_edit(small: Store, client_for: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("rule engine down")

    monkeypatch.setattr(events, "evaluate", broken)
    response = client_for(small, E2).patch("/api/v1/key-persons/P2",
                                           json={"price_acceptance": 10})
    assert response.status_code == 200 and response.json()["price_acceptance"] == 10
    assert alerts(small) == {}


def cut(store: Store, person_id: str, tie_type: TieType, from_id: str) -> None:
    remove_tie(store, viewer=OPERATOR, person_id=person_id, tie_type=tie_type, from_id=from_id,
               alerts=CONFIG)


def tie(store: Store, person_id: str, tie_type: TieType, from_id: str, strength: int) -> None:
    set_tie(store, viewer=OPERATOR, person_id=person_id, tie_type=tie_type, from_id=from_id,
            changes=TieUpdate(strength=strength))


# Reach in the small company: P1 (veto) by E3 knows P1, and by E2 → P3 → P2 → P1 (3 hops);
# P2 (approver) by E2 → P3 → P2 only.
def test_cut_off_fires_when_the_last_path_goes_not_while_another_remains(small: Store) -> None:
    cut(small, "P1", "knows", "E3")  # P1 is still reached through E2 → P3 → P2 → P1
    assert rules_of(small, "P1") == set()
    cut(small, "P1", "influences", "P2")  # that was the last way to P1
    found = alerts(small)["cut_off:P1:2026-11-28"]
    assert (found.severity, found.account_id, found.person_name) == ("high", "A1", "王建国")
    assert (found.before["reached"], found.after["reached"]) == (True, False)
    assert found.message_zh == ("一票否决人 王建国 (华东精密机械) 已被切断：我方已无人能在 4 步内"
                                "接触到（移除的关系：李晓梅 → 王建国）。")
    assert found.message_en == ("Veto holder 王建国 (华东精密机械) is cut off: none of our "
                                "employees reaches them within 4 hops any more "
                                "(tie removed: 李晓梅 → 王建国).")
    assert "cut_off" not in rules_of(small, "P2")  # P2 is still reached


def test_cut_off_names_only_the_decision_makers_that_lost_their_last_path(small: Store) -> None:
    cut(small, "P3", "influences", "E2")  # P2 loses its only path; P1 keeps E3's
    assert sorted(a for a in alerts(small) if a.startswith("cut_off")) == ["cut_off:P2:2026-11-28"]
    assert "孙丽 → 张伟" in alerts(small)["cut_off:P2:2026-11-28"].message_zh


def test_a_path_of_exactly_4_hops_still_reaches(small: Store) -> None:
    cut(small, "P1", "knows", "E3")
    tie(small, "P4", "influences", "E2", 70)
    tie(small, "P3", "influences", "P4", 70)
    # E2 → P4 → P3 → P2 → P1 is 4 hops: P1 and P2 are still reached without E2 → P3.
    cut(small, "P3", "influences", "E2")
    assert [a for a in alerts(small) if a.startswith("cut_off")] == []
    cut(small, "P4", "influences", "E2")
    assert sorted(a for a in alerts(small) if a.startswith("cut_off")) == [
        "cut_off:P1:2026-11-28", "cut_off:P2:2026-11-28"]


def test_cut_off_once_per_person_and_day(small: Store, frozen_clock: Any) -> None:
    cut(small, "P3", "influences", "E2")
    tie(small, "P3", "influences", "E2", 80)
    cut(small, "P3", "influences", "E2")  # cut off again the same day: no second alert
    assert [a for a in alerts(small) if a.startswith("cut_off")] == ["cut_off:P2:2026-11-28"]
    frozen_clock(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC))
    tie(small, "P3", "influences", "E2", 80)
    cut(small, "P3", "influences", "E2")
    assert "cut_off:P2:2026-11-29" in alerts(small)


def test_a_failing_rule_never_fails_a_tie_removal(small: Store, client_for: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("rule engine down")

    monkeypatch.setattr(events, "reach", broken)
    response = client_for(small, E2).delete("/api/v1/key-persons/P3/ties/influences/E2")
    assert response.status_code == 200 and response.json()["before"] == 80
    assert alerts(small) == {}


def test_review_overdue_from_day_25(small: Store) -> None:
    assert run_scheduled(small, config=CONFIG, as_of=dt.date(2026, 11, 24)).new_alerts == []
    record_review(small, viewer=OPERATOR, account_id="A1", thresholds=CONFIG.thresholds,
                  review=ReviewCreate(date=dt.date(2026, 11, 3), rep_id="E2", actions=[]))
    result = run_scheduled(small, config=CONFIG, as_of=dt.date(2026, 11, 25))
    # A1 was reviewed this month; A2 (key) was not; A3 is not a key account.
    assert result.new_alerts == ["review_overdue:A2:2026-11"]
    found = alerts(small)["review_overdue:A2:2026-11"]
    assert "周强" in found.message_zh and "by day 25" in found.message_en
    again = run_scheduled(small, config=CONFIG, as_of=dt.date(2026, 11, 26))
    assert (again.review_overdue, again.new_alerts) == (1, [])  # once per account and month


def test_stale_scores_after_90_days_not_89(small: Store) -> None:
    # P1 (veto) and P2 (approver) were last scored on 2026-10-01.
    quiet = CONFIG.__class__(rules=frozenset({"stale_scores"}))
    assert run_scheduled(small, config=quiet, as_of=dt.date(2026, 12, 29)).new_alerts == []
    result = run_scheduled(small, config=quiet, as_of=dt.date(2026, 12, 30))
    assert sorted(result.new_alerts) == ["stale_scores:P1:2026-10-01",
                                         "stale_scores:P2:2026-10-01"]
    assert run_scheduled(small, config=quiet, as_of=dt.date(2026, 12, 31)).new_alerts == []
    found = alerts(small)["stale_scores:P1:2026-10-01"]
    assert "最后更新于 2026-10-01" in found.message_zh and found.severity == "medium"


def test_switched_off_rules_stay_quiet(small: Store) -> None:
    update_key_person(small, viewer=OPERATOR, person_id="P2",
                      changes=KeyPersonUpdate(price_acceptance=10),
                      thresholds=CONFIG.thresholds, alerts=AlertConfig(rules=frozenset()))
    assert alerts(small) == {}


def test_cli_run_and_list(small: Store, point_cli_at: Any) -> None:
    from typer.testing import CliRunner

    from graphbrm.cli import app

    point_cli_at(small)
    runner = CliRunner()
    ran = runner.invoke(app, ["alerts", "run", "--as-of", "2026-11-25", "--json"])
    assert ran.exit_code == 0, ran.output
    assert sorted(json.loads(ran.stdout)["new_alerts"]) == ["review_overdue:A1:2026-11",
                                                            "review_overdue:A2:2026-11"]
    listed = runner.invoke(app, ["alerts", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["count"] == 2
    bad = runner.invoke(app, ["alerts", "list", "--state", "closed"])
    assert bad.exit_code == 2 and "state" in bad.output
