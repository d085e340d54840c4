"""Point-in-time edits through PATCH /key-persons/{id}: history is appended, never rewritten."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import get_account
from graphbrm.bundle import parse_tables
from graphbrm.errors import NotFound
from graphbrm.figures import Thresholds
from graphbrm.history import score_history
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, get_key_person, update_key_person
from graphbrm.store import Store
from tests.small import small_bundle

T = Thresholds()
OPERATOR = Viewer.operator()
E2 = Viewer("E2", "rep")  # owns A1 (P1..P4)
E3 = Viewer("E3", "rep")  # owns A2 and A3, not A1


@pytest.fixture
def small(store: Store) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    return store


def utc_today() -> dt.date:
    # The frozen clock's day (conftest.FROZEN) in the default company zone, UTC.
    return dt.date(2026, 11, 28)


def averages(store: Store, as_of: dt.date) -> dict[str, Any]:
    figures = get_account(store, viewer=OPERATOR, account_id="A1", thresholds=T, as_of=as_of)
    return figures.averages.model_dump()


def records(store: Store, person_id: str) -> list[dict[str, Any]]:
    history = score_history(store, viewer=OPERATOR, person_id=person_id)
    assert history.count == len(history.data)
    return [r.model_dump() for r in history.data]


def test_patch_appends_history_and_changes_today_not_yesterday(small: Store, client_for: Any,
                                                              frozen_clock: Any) -> None:
    before = records(small, "P1")
    response = client_for(small, E2).patch("/api/v1/key-persons/P1", json={"price_acceptance": 80})
    assert response.status_code == 200
    body = response.json()
    # Only the price changes; closeness 80 and solution 60 carry over from the latest record.
    assert (body["closeness"], body["solution_acceptance"], body["price_acceptance"]) == (80, 60, 80)
    assert body["status"] == "ok" and body["account_id"] == "A1" and body["department"] == "总经办"
    after = records(small, "P1")
    assert after[1:] == before and len(after) == 3  # the old records are untouched
    new = after[0]
    assert (new["actor"], new["source"], new["price_acceptance"]) == ("E2", "api", 80)
    assert (new["at"], new["day"]) == ("2026-11-28T10:00:00.000000", "2026-11-28")
    assert new["at"] > before[0]["at"]
    assert new["id"] == f"P1@{new['at']}"
    # A1 price average: was (59 + 80 + 61) / 3 = 66.67; now (80 + 80 + 61) / 3 = 73.67.
    assert averages(small, utc_today())["price_acceptance"] == pytest.approx(221 / 3)
    assert averages(small, utc_today() - dt.timedelta(days=1))["price_acceptance"] == (
        pytest.approx(200 / 3))


def test_only_sent_fields_change_and_null_means_unknown(small: Store) -> None:
    # P2 (approver) 90/80/80: sending price null makes it unknown → the approver is unclear.
    person = update_key_person(small, viewer=E2, person_id="P2",
                               changes=KeyPersonUpdate(price_acceptance=None), thresholds=T)
    assert (person.closeness, person.solution_acceptance, person.price_acceptance) == (90, 80, None)
    assert person.status == "unclear"
    assert records(small, "P2")[0]["price_acceptance"] is None
    # A later edit of closeness keeps the price unknown.
    person = update_key_person(small, viewer=E2, person_id="P2",
                               changes=KeyPersonUpdate(closeness=95), thresholds=T)
    assert (person.closeness, person.solution_acceptance, person.price_acceptance) == (95, 80, None)
    assert len(records(small, "P2")) == 4  # 2025-11-01, 2026-10-01 and the two edits


def test_a_role_change_is_recorded_without_a_score_record(small: Store) -> None:
    scores_before = records(small, "P4")
    person = update_key_person(small, viewer=E2, person_id="P4",
                               changes=KeyPersonUpdate(decision_role="veto"), thresholds=T)
    # P4 40/60/— as a veto holder: closeness 40 < 60 → opposes.
    assert person.decision_role == "veto" and person.status == "opposes"
    history = score_history(small, viewer=E2, person_id="P4")
    assert [r.model_dump() for r in history.data] == scores_before
    assert [(c.before, c.after, c.actor) for c in history.role_changes] == [("user", "veto", "E2")]
    # Sending the role it already has records nothing.
    update_key_person(small, viewer=E2, person_id="P4",
                      changes=KeyPersonUpdate(decision_role="veto"), thresholds=T)
    assert len(score_history(small, viewer=E2, person_id="P4").role_changes) == 1


def test_an_empty_patch_changes_nothing(small: Store, client_for: Any) -> None:
    before = records(small, "P3")
    response = client_for(small, E2).patch("/api/v1/key-persons/P3", json={})
    assert response.status_code == 200 and response.json()["closeness"] == 70
    assert records(small, "P3") == before


def test_patch_of_a_foreign_person_is_404_and_writes_nothing(small: Store,
                                                             client_for: Any) -> None:
    before = records(small, "P1")
    as_e3 = client_for(small, E3)
    for path in ("/api/v1/key-persons/P1", "/api/v1/key-persons/nobody"):
        response = as_e3.patch(path, json={"closeness": 10, "decision_role": "user"})
        assert response.status_code == 404
    assert records(small, "P1") == before
    p1 = get_key_person(small, viewer=OPERATOR, person_id="P1", thresholds=T)
    assert (p1.closeness, p1.decision_role) == (80, "veto")
    assert score_history(small, viewer=OPERATOR, person_id="P1").role_changes == []
    with pytest.raises(NotFound):
        update_key_person(small, viewer=E3, person_id="P1",
                          changes=KeyPersonUpdate(closeness=1), thresholds=T)
    # The reads look the same: a foreign person is a missing one.
    assert as_e3.get("/api/v1/key-persons/P1").status_code == 404
    assert as_e3.get("/api/v1/key-persons/P1/history").status_code == 404
    assert as_e3.get("/api/v1/key-persons/P9").status_code == 200


@pytest.mark.parametrize("body,field", [
    ({"closeness": 101}, "closeness"), ({"price_acceptance": -1}, "price_acceptance"),
    ({"solution_acceptance": "80"}, "solution_acceptance"), ({"closeness": 70.5}, "closeness"),
    ({"decision_role": "king"}, "decision_role"), ({"decision_role": None}, "decision_role"),
    ({"actor": "E1"}, "actor"), ({"closeness": 70, "at": "2020-01-01"}, "at")])
def test_bad_patches_are_422_naming_the_field(small: Store, client_for: Any,
                                              body: dict[str, Any], field: str) -> None:
    before = records(small, "P1")
    response = client_for(small, E2).patch("/api/v1/key-persons/P1", json=body)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]
    assert records(small, "P1") == before


def test_the_read_only_data_role_may_not_edit(small: Store, client_for: Any) -> None:
    response = client_for(small, Viewer("D1", "data")).patch("/api/v1/key-persons/P1",
                                                             json={"closeness": 10})
    assert response.status_code == 403
    assert records(small, "P1")[0]["closeness"] == 80


def test_get_person_and_history_over_the_api(small: Store, client_for: Any) -> None:
    client = client_for(small, E2)
    person = client.get("/api/v1/key-persons/P4").json()
    assert person == get_key_person(small, viewer=E2, person_id="P4",
                                    thresholds=T).model_dump(mode="json")
    # P4 40/60/— is a user whose closeness 40 < 60: it opposes us (unknown price or not).
    assert (person["department_id"], person["department"], person["account_id"],
            person["status"]) == ("D3", "基础架构组", "A1", "opposes")
    history = client.get("/api/v1/key-persons/P1/history").json()
    assert [r["at"] for r in history["data"]] == ["2026-10-01", "2025-11-01"]  # newest first
    assert history["count"] == 2 and history["data"][1]["closeness"] == 50
