"""The monthly review (docs/method.md M) on the small company, worked out by hand; recorded reviews."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from typer.testing import CliRunner

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.errors import InvalidInput, NotFound
from graphbrm.figures import Thresholds
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, update_key_person
from graphbrm.paths import best_paths
from graphbrm.review import ReviewCreate, list_reviews, monthly_review, record_review
from graphbrm.store import Store
from tests.small import small_bundle

T = Thresholds()
OPERATOR = Viewer.operator()
MANAGER = Viewer("E1", "manager")  # E2 and E3 report to E1: sees A1, A2, A3
NOV_28 = dt.date(2026, 11, 28)
JUN_30 = dt.date(2026, 6, 30)
# P1's best path: E2→P3→P2→P1 = 0.8 × 0.5 × 0.9 = 0.36; E3 knows P1 at 20 → 0.20.
P1_PATHS = [{"strength": 0.36, "nodes": ["E2", "P3", "P2", "P1"],
             "names": ["孙丽", "张伟", "李晓梅", "王建国"]},
            {"strength": 0.2, "nodes": ["E3", "P1"], "names": ["周强", "王建国"]}]
P1_ROUTE = "孙丽 → 张伟 → 李晓梅 → 王建国"


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def review_of(store: Store, as_of: dt.date, account_id: str = "A1",
              viewer: Viewer = OPERATOR) -> dict[str, Any]:
    return monthly_review(store, viewer=viewer, account_id=account_id, as_of=as_of,
                          thresholds=T).model_dump(mode="json")


def questions(review: dict[str, Any]) -> dict[str, dict[str, Any]]:
    assert [q["key"] for q in review["questions"]] == ["coverage", "averages", "blockers"]
    return {q["key"]: q for q in review["questions"]}


def actions(review: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(a["text"], a["text_zh"], a["person_id"]) for a in review["actions"]]


def test_a1_at_the_end_of_november(small: Store) -> None:
    review = review_of(small, NOV_28)
    assert review["account_id"] == "A1" and review["as_of"] == "2026-11-28"
    assert review["previous"] is None
    q = questions(review)
    # Coverage: 4 of 5 identified → missing 1; P4's price is unknown → unknown 1.
    assert q["coverage"]["passed"] is False
    assert q["coverage"]["evidence"] == {
        "missing": 1, "expected": 5, "expected_unset": False, "identified": 4, "unknown": 1,
        "unknown_persons": [{"id": "P4", "name": "Chen Jing",
                             "unknown_dimensions": ["price_acceptance"]}]}
    # Averages: closeness (80+90+70+40)/4 = 70, solution (60+80+100+60)/4 = 75,
    # price (59+80+61)/3 = 66.7 → all ≥ 60.
    averages = q["averages"]["evidence"]
    assert q["averages"]["passed"] is True and averages["short"] == [] and averages["good"] == 60
    assert averages["averages"] == {"closeness": 70, "solution_acceptance": 75,
                                    "price_acceptance": pytest.approx(200 / 3)}
    # Blockers: P1 (veto) 80/60/59 opposes with price 59 < 60; P2 (approver) 90/80/80 is ok.
    assert q["blockers"]["passed"] is False
    assert q["blockers"]["evidence"]["persons"] == [{
        "id": "P1", "name": "王建国", "title": "总经理", "decision_role": "veto",
        "closeness": 80, "solution_acceptance": 60, "price_acceptance": 59,
        "status": "opposes", "paths": P1_PATHS}]
    assert actions(review) == [
        ("Identify 1 more key person", "再摸清 1 位关键人", None),
        ("Get the unknown scores of Chen Jing", "摸清 Chen Jing 的商业关系得分", "P4"),
        (f"Turn around veto holder 王建国 (price acceptance 59): best path {P1_ROUTE} (0.36)",
         f"扭转一票否决人 王建国(价格接受度 59):最佳路径 {P1_ROUTE}(0.36)", "P1")]


def test_a1_at_the_end_of_june_answers_differently(small: Store) -> None:
    # Only the 2025-11-01 records exist then: P1 50/50/50, P2 60/—/70, P3 and P4 nothing.
    review = review_of(small, JUN_30)
    q = questions(review)
    assert q["coverage"]["evidence"]["unknown"] == 3
    assert [(p["id"], p["unknown_dimensions"]) for p in q["coverage"]["evidence"]["unknown_persons"]] == [
        ("P2", ["solution_acceptance"]),
        ("P3", ["closeness", "solution_acceptance", "price_acceptance"]),
        ("P4", ["closeness", "solution_acceptance", "price_acceptance"])]
    # closeness (50+60)/2 = 55, solution 50 (P1 only), price (50+70)/2 = 60 (not short).
    assert q["averages"]["passed"] is False
    assert q["averages"]["evidence"]["averages"] == {"closeness": 55, "solution_acceptance": 50,
                                                     "price_acceptance": 60}
    assert q["averages"]["evidence"]["short"] == ["closeness", "solution_acceptance"]
    # P1 (veto) opposes in all three; P2 (approver) has an unknown solution score: unclear.
    blockers = q["blockers"]["evidence"]["persons"]
    assert [(p["id"], p["status"]) for p in blockers] == [("P1", "opposes"), ("P2", "unclear")]
    # P2's only path: E2→P3→P2 = 0.8 × 0.5 = 0.40.
    assert blockers[1]["paths"] == [{"strength": 0.4, "nodes": ["E2", "P3", "P2"],
                                     "names": ["孙丽", "张伟", "李晓梅"]}]
    assert actions(review) == [
        ("Identify 1 more key person", "再摸清 1 位关键人", None),
        # P2 is left out here: the unclear approver gets its own action below.
        ("Get the unknown scores of 张伟, Chen Jing", "摸清 张伟、Chen Jing 的商业关系得分", None),
        ("Raise closeness from 55 to 60", "将关系紧密度从 55 提升到 60", None),
        ("Raise solution acceptance from 50 to 60", "将方案认可度从 50 提升到 60", None),
        ("Turn around veto holder 王建国 (closeness 50, solution acceptance 50, price acceptance 50):"
         f" best path {P1_ROUTE} (0.36)",
         f"扭转一票否决人 王建国(关系紧密度 50,方案认可度 50,价格接受度 50):最佳路径 {P1_ROUTE}(0.36)",
         "P1"),
        ("Find out where final approver 李晓梅 stands (solution acceptance unknown): "
         "best path 孙丽 → 张伟 → 李晓梅 (0.40)",
         "摸清一票批准人 李晓梅 的态度(方案认可度未知):最佳路径 孙丽 → 张伟 → 李晓梅(0.40)", "P2")]


def test_a_veto_holder_with_one_unknown_score_is_unclear(small: Store, frozen_clock: Any) -> None:
    # P1 80/60/59 → 80/60/unknown: nothing below 60 any more, but the price is unknown.
    update_key_person(small, viewer=OPERATOR, person_id="P1",
                      changes=KeyPersonUpdate(price_acceptance=None), thresholds=T)
    today = dt.date(2026, 11, 28)  # the frozen clock's day (conftest.FROZEN, UTC)
    q = questions(review := review_of(small, today))
    assert [(p["id"], p["status"], p["price_acceptance"])
            for p in q["blockers"]["evidence"]["persons"]] == [("P1", "unclear", None)]
    assert q["coverage"]["evidence"]["unknown"] == 2  # P1 and P4
    # Price average now (80 + 61) / 2 = 70.5.
    assert q["averages"]["evidence"]["averages"]["price_acceptance"] == 70.5
    assert actions(review)[-1] == (
        f"Find out where veto holder 王建国 stands (price acceptance unknown): best path {P1_ROUTE} (0.36)",
        f"摸清一票否决人 王建国 的态度(价格接受度未知):最佳路径 {P1_ROUTE}(0.36)", "P1")
    # The day before the edit, P1 still opposed with 59.
    yesterday = questions(review_of(small, today - dt.timedelta(days=1)))
    assert yesterday["blockers"]["evidence"]["persons"][0]["status"] == "opposes"


def test_no_path_and_an_empty_map(store: Store) -> None:
    bundle = {
        "accounts": [{"id": "B1", "name": "B1", "expected_key_persons": 1},
                     {"id": "B2", "name": "B2", "tier": "standard", "expected_key_persons": 0}],
        "departments": [{"id": "D1", "account_id": "B1", "name": "Board"}],
        "key_persons": [{"id": "V", "department_id": "D1", "name": "Vera", "decision_role": "veto",
                         "closeness": 40, "solution_acceptance": 70, "price_acceptance": 70,
                         "scored_at": "2026-01-01"}],
        "employees": [{"id": "E1", "name": "Emma"}],
    }
    import_bundle(store, parse_tables(bundle))
    b1 = review_of(store, NOV_28, "B1")
    assert [q["passed"] for q in b1["questions"]] == [True, False, False]
    assert questions(b1)["blockers"]["evidence"]["persons"][0]["paths"] == []
    assert actions(b1) == [
        ("Raise closeness from 40 to 60", "将关系紧密度从 40 提升到 60", None),
        ("Turn around veto holder Vera (closeness 40): no path from our employees: "
         "find someone who can reach Vera",
         "扭转一票否决人 Vera(关系紧密度 40):我司员工无人能触达,找到能触达 Vera 的人", "V")]
    # B2, a standard account, expects nobody and has nobody: nothing is missing, but there is
    # nothing to average.
    b2 = review_of(store, NOV_28, "B2")
    assert [q["passed"] for q in b2["questions"]] == [True, False, True]
    assert questions(b2)["averages"]["evidence"]["unknown_dimensions"] == [
        "closeness", "solution_acceptance", "price_acceptance"]
    assert actions(b2) == [("Identify the key persons of this account and their scores",
                            "摸清该客户的关键人及其商业关系得分", None)]


def test_a_key_account_without_an_expected_count_is_not_complete(store: Store) -> None:
    """An account row with only an id and a name is a key account (the default tier) whose
    expected number of key persons was never set: its map cannot be complete."""
    import_bundle(store, parse_tables({"accounts": [{"id": "B3", "name": "B3"}]}))
    b3 = review_of(store, NOV_28, "B3")
    assert b3["figures"]["tier"] == "key"
    assert [q["passed"] for q in b3["questions"]] == [False, False, True]
    assert questions(b3)["coverage"]["evidence"]["expected_unset"] is True
    assert actions(b3) == [("Set the expected number of key persons", "设定应有的关键人数量",
                            None)]


def test_the_cli_says_the_expected_count_is_not_set(store: Store, point_cli_at: Any) -> None:
    from graphbrm.cli import app

    import_bundle(store, parse_tables({"accounts": [{"id": "B3", "name": "B3"}]}))
    point_cli_at(store)
    text = CliRunner().invoke(app, ["review", "B3", "--as-of", "2026-11-28"]).output
    assert "the expected number of key persons is not set (0 identified)" in text
    zh = CliRunner().invoke(app, ["review", "B3", "--as-of", "2026-11-28", "--lang", "zh"]).output
    assert "尚未设定应有的关键人数量(已识别 0 位)" in zh


def test_a_foreign_account_is_not_found(small: Store, client_for: Any) -> None:
    with pytest.raises(NotFound):
        monthly_review(small, viewer=Viewer("E3", "rep"), account_id="A1", as_of=NOV_28,
                       thresholds=T)
    assert client_for(small, Viewer("E3", "rep")).get("/api/v1/accounts/A1/review").status_code == 404
    assert client_for(small).get("/api/v1/accounts/nope/review").status_code == 404


def test_api_equals_library(small: Store, client_for: Any, frozen_clock: Any) -> None:
    rep = Viewer("E2", "rep")
    response = client_for(small, rep).get("/api/v1/accounts/A1/review",
                                          params={"as_of": "2026-11-28"})
    assert response.status_code == 200
    assert response.json() == review_of(small, NOV_28, viewer=rep)
    # The blockers' paths are the paths endpoint's first three.
    paths = best_paths(small, viewer=rep, target_id="P1", k=3).model_dump(mode="json")["paths"]
    assert questions(response.json())["blockers"]["evidence"]["persons"][0]["paths"] == paths
    today = client_for(small, rep).get("/api/v1/accounts/A1/review").json()
    assert today["as_of"] == "2026-11-28"  # the frozen clock's day


def post(client: Any, body: dict[str, Any], account_id: str = "A1") -> Any:
    return client.post(f"/api/v1/accounts/{account_id}/reviews", json=body)


def test_recorded_reviews_and_the_previous_actions(small: Store, client_for: Any) -> None:
    manager = client_for(small, MANAGER)
    october = post(manager, {"date": "2026-10-31", "rep_id": "E2", "notes": "价格是关键",
                             "actions": [{"text": "Call 王建国 about the price", "person_id": "P1"}]})
    assert october.status_code == 201
    stored = october.json()
    assert (stored["reviewer_id"], stored["rep_id"], stored["date"]) == ("E1", "E2", "2026-10-31")
    assert (stored["reviewer_name"], stored["rep_name"]) == ("刘总", "孙丽")
    # The figures as they were on 2026-10-31: the 2026-10-01 records, 70 / 75 / 66.7.
    assert stored["figures"]["averages"]["closeness"] == 70
    assert [q["passed"] for q in stored["questions"]] == [False, True, False]
    june = post(manager, {"date": "2026-06-30", "rep_id": "E2", "actions": [{"text": "Meet P3"}]})
    assert june.status_code == 201
    assert june.json()["figures"] == review_of(small, JUN_30)["figures"]  # 55 / 50 / 60
    listed = manager.get("/api/v1/accounts/A1/reviews").json()
    assert listed["count"] == 2 and [r["date"] for r in listed["data"]] == ["2026-10-31", "2026-06-30"]
    assert listed["data"][0] == stored
    # Next month the manager sees October's actions; on October 31 itself, June's.
    previous = review_of(small, NOV_28)["previous"]
    assert (previous["date"], previous["reviewer_id"], previous["notes"]) == (
        "2026-10-31", "E1", "价格是关键")
    assert previous["actions"] == [{"text": "Call 王建国 about the price", "text_zh": None,
                                    "person_id": "P1"}]
    assert review_of(small, dt.date(2026, 10, 31))["previous"]["date"] == "2026-06-30"
    assert review_of(small, JUN_30)["previous"] is None
    assert client_for(small).get("/api/v1/accounts/A2/reviews").json() == {"data": [], "count": 0}


def test_who_may_record_and_see_reviews(small: Store, client_for: Any) -> None:
    body = {"date": "2026-11-28", "rep_id": "E2", "actions": []}
    assert post(client_for(small, Viewer("E2", "rep")), body).status_code == 403
    stranger = client_for(small, Viewer("E9", "manager"))  # a manager with no team sees nothing
    assert post(stranger, body).status_code == 404
    assert stranger.get("/api/v1/accounts/A1/reviews").status_code == 404
    assert list_reviews(small, viewer=OPERATOR, account_id="A1").count == 0
    with pytest.raises(NotFound):
        record_review(small, viewer=Viewer("E9", "manager"), account_id="A1",
                      review=ReviewCreate(date=NOV_28, rep_id="E2", actions=[]), thresholds=T)


@pytest.mark.parametrize("body,field", [
    ({"date": "2026-11-28", "rep_id": "E2", "reviewer_id": "E2"}, "reviewer_id"),
    ({"date": "2026-11-28", "rep_id": "E2", "actions": [{"text": ""}]}, "text"),
    ({"date": "28.11.2026", "rep_id": "E2"}, "date"),
    ({"date": "2026-11-28"}, "rep_id")])
def test_bad_review_bodies_are_422(small: Store, client_for: Any, body: dict[str, Any],
                                   field: str) -> None:
    response = post(client_for(small, MANAGER), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert list_reviews(small, viewer=OPERATOR, account_id="A1").count == 0


def test_reviews_refer_to_real_people_and_days(small: Store, frozen_clock: Any) -> None:
    def problems(**changes: Any) -> list[str | None]:
        body = ReviewCreate(**{"date": NOV_28, "rep_id": "E2", **changes})
        with pytest.raises(InvalidInput) as e:
            record_review(small, viewer=MANAGER, account_id="A1", review=body, thresholds=T)
        return [p.field for p in e.value.problems]

    assert problems(rep_id="E404") == ["rep_id"]
    # P9 is a key person of A3, not of A1.
    assert problems(actions=[{"text": "Meet P9", "person_id": "P9"}]) == ["actions.person_id"]
    assert problems(date=dt.date(2026, 11, 29)) == ["date"]  # the frozen clock's tomorrow
    assert list_reviews(small, viewer=OPERATOR, account_id="A1").count == 0


def test_the_cli_prints_the_review_and_the_paths(small: Store, point_cli_at: Any) -> None:
    from graphbrm.cli import app

    point_cli_at(small)
    runner = CliRunner()
    as_json = runner.invoke(app, ["review", "A1", "--as-of", "2026-11-28", "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == review_of(small, NOV_28)
    text = runner.invoke(app, ["review", "A1", "--as-of", "2026-11-28"]).output
    assert "✘" in text and "✔" in text and "1. Identify 1 more key person" in text
    zh = runner.invoke(app, ["review", "A1", "--as-of", "2026-11-28", "--lang", "zh"]).output
    assert "1. 再摸清 1 位关键人" in zh
    paths = runner.invoke(app, ["paths", "P1", "--k", "1", "--json"])
    assert json.loads(paths.output) == {"target_id": "P1", "paths": P1_PATHS[:1]}
