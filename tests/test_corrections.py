"""Same-day corrections (issue 11 §2): of two Score records of one person with the same day, the
one recorded last stands; both stay in the history. Every figure as of a day follows: the
replayed account figures, the review's persons, the derived series behind the dashboard (with
its MoM and YoY), the averages stored on closed opportunities and the person's current copy.

The company, worked by hand: key account K expects 2 persons, P1 and P2. Both score 80/80/80
on 2025-06-30; on 2026-06-30 P2 scores 90/90/90 and P1 is scored three times, each import
recorded after the one before:
  1. at 2026-06-30 (a date)    70/70/70 → K as of 2026-06-30: (70+90)/2 = 80, excellent
  2. at 2026-06-30T12:00:00    50/50/50 → (50+90)/2 = 70, good
  3. at 2026-06-30 (a date)    60/60/60 → (60+90)/2 = 75, good; it corrects record 1, and
     stands over record 2 although 2's instant is later in the day: it was recorded last.
YoY compares with 2025-06-30 (80) and MoM with 2026-05-31 (80 too): the change is the
average minus 80.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from graphbrm.access import Viewer
from graphbrm.accounts import figures_for
from graphbrm.bundle import parse_tables
from graphbrm.dashboard import dashboard
from graphbrm.errors import InvalidInput
from graphbrm.figures import Thresholds, cut
from graphbrm.history import score_history
from graphbrm.importer import import_bundle
from graphbrm.key_persons import KeyPersonUpdate, get_key_person, update_key_person
from graphbrm.review import monthly_review
from graphbrm.store import Store
from graphbrm.vocabulary import DIMENSIONS

T = Thresholds()
OPERATOR = Viewer.operator()
ALL = {"all": True, "visible": []}
DAY = dt.date(2026, 6, 30)


def flat(value: int | None) -> dict[str, int | None]:
    return dict.fromkeys(DIMENSIONS, value)


def bundle(p1_at: str, p1: int) -> dict[str, list[dict[str, Any]]]:
    return {
        "accounts": [{"id": "K", "name": "K", "tier": "key", "expected_key_persons": 2}],
        "departments": [{"id": "D", "account_id": "K", "name": "Board"}],
        "key_persons": [
            {"id": "P1", "department_id": "D", "name": "P1", "decision_role": "user",
             "scored_at": p1_at, **flat(p1)},
            {"id": "P2", "department_id": "D", "name": "P2", "decision_role": "user",
             "scored_at": "2026-06-30", **flat(90)}],
        "employees": [{"id": "E1", "name": "E1", "role": "rep"}],
        "account_teams": [{"employee_id": "E1", "account_id": "K", "role": "owner"}],
        "opportunities": [{"id": "O1", "account_id": "K", "name": "O1", "status": "won",
                           "created_at": "2026-01-05", "closed_at": "2026-06-30"}],
        "score_history": [{"person_id": "P1", "at": "2025-06-30", **flat(80)},
                          {"person_id": "P2", "at": "2025-06-30", **flat(80)}],
    }


def figures_on(store: Store, day: dt.date) -> tuple[float | None, str]:
    """K's closeness average and band as of `day`, replayed from the records."""
    [k] = figures_for(store, ids=["K"], as_of=day, thresholds=T, params=ALL)
    return k.averages.closeness, k.band


def board(store: Store, day: dt.date) -> dict[str, Any]:
    d = dashboard(store, viewer=OPERATOR, as_of=day, thresholds=T).model_dump()
    return {"closeness": d["overall"]["averages"]["closeness"], "bands": d["overall"]["bands"],
            "mom": d["mom"]["averages"]["closeness"], "yoy": d["yoy"]["averages"]["closeness"]}


def p1_on(store: Store, day: dt.date) -> Any:
    persons = store.read("accounts/account_persons", account_id="K", cut=cut(day), **ALL)
    return {p["id"]: p["closeness"] for p in persons}["P1"]


def closing_closeness(store: Store) -> float:
    [o] = store.read("test/closing_averages", ids=["K"], cut="2027-01-01", **ALL)
    return float(o["closeness"])


def assert_k_on_the_day(store: Store, average: float, band: str, p1: int) -> None:
    closeness, band_ = figures_on(store, DAY)
    assert closeness == pytest.approx(average) and band_ == band
    assert board(store, DAY) == {"closeness": pytest.approx(average),
                                 "bands": {**dict.fromkeys(("excellent", "good", "poor",
                                                            "unknown"), 0), band: 1},
                                 "mom": pytest.approx(average - 80),
                                 "yoy": pytest.approx(average - 80)}
    assert p1_on(store, DAY) == p1
    assert closing_closeness(store) == pytest.approx(average)
    review = monthly_review(store, viewer=OPERATOR, account_id="K", as_of=DAY, thresholds=T)
    assert review.figures.averages.closeness == pytest.approx(average)


def test_the_record_recorded_last_stands_for_its_day(store: Store) -> None:
    first = import_bundle(store, parse_tables(bundle("2026-06-30", 70)))
    assert first.score_records == 4
    assert_k_on_the_day(store, 80, "excellent", 70)

    import_bundle(store, parse_tables(bundle("2026-06-30T12:00:00", 50)))
    assert_k_on_the_day(store, 70, "good", 50)

    third = import_bundle(store, parse_tables(bundle("2026-06-30", 60)))
    assert third.score_records == 1  # only P1's correction: the rest is already recorded
    assert_k_on_the_day(store, 75, "good", 60)
    # The day before is untouched, and the person's current copy is the standing record.
    assert figures_on(store, DAY - dt.timedelta(days=1)) == (80, "excellent")
    assert get_key_person(store, viewer=OPERATOR, person_id="P1",
                          thresholds=T).closeness == 60

    # Every record stays in the history, newest first: by day, then by when it was recorded.
    history = [(r.at, r.closeness) for r in score_history(store, viewer=OPERATOR,
                                                          person_id="P1").data]
    assert history == [("2026-06-30", 60), ("2026-06-30T12:00:00", 50), ("2026-06-30", 70),
                       ("2025-06-30", 80)]

    again = import_bundle(store, parse_tables(bundle("2026-06-30", 60)))
    assert again.score_records == 0
    assert_k_on_the_day(store, 75, "good", 60)


def test_an_edit_corrects_an_import_of_the_same_day_and_a_later_import_corrects_the_edit(
        store: Store, frozen_clock: Any) -> None:
    today = dt.date(2026, 11, 28)
    day_bundle = bundle("2026-06-30", 70)
    day_bundle["key_persons"][0]["scored_at"] = today.isoformat()  # P1: 70 today
    frozen_clock(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC))
    import_bundle(store, parse_tables(day_bundle))
    assert figures_on(store, today)[0] == pytest.approx((70 + 90) / 2)

    frozen_clock(dt.datetime(2026, 11, 28, 10, 0, tzinfo=dt.UTC))
    update_key_person(store, viewer=OPERATOR, person_id="P1",
                      changes=KeyPersonUpdate(closeness=40, solution_acceptance=40,
                                              price_acceptance=40), thresholds=T)
    assert figures_on(store, today)[0] == pytest.approx((40 + 90) / 2)
    assert board(store, today)["closeness"] == pytest.approx((40 + 90) / 2)

    # The same bundle again adds nothing: the edit, recorded after it, still stands.
    frozen_clock(dt.datetime(2026, 11, 28, 11, 0, tzinfo=dt.UTC))
    assert import_bundle(store, parse_tables(day_bundle)).score_records == 0
    assert figures_on(store, today)[0] == pytest.approx((40 + 90) / 2)

    # A bundle with other values for that day corrects the edit.
    day_bundle["key_persons"][0].update(flat(100))
    frozen_clock(dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC))
    assert import_bundle(store, parse_tables(day_bundle)).score_records == 1
    assert figures_on(store, today)[0] == pytest.approx((100 + 90) / 2)
    assert board(store, today)["closeness"] == pytest.approx((100 + 90) / 2)
    assert p1_on(store, today) == 100


def test_two_rows_for_one_person_and_day_with_other_values_name_both_rows(store: Store) -> None:
    raw = bundle("2026-06-30", 70)
    raw["score_history"] += [{"person_id": "P1", "at": "2026-03-01", **flat(10)},
                             {"person_id": "P1", "at": "2026-03-01T08:00:00", **flat(11)},
                             {"person_id": "P2", "at": "2026-06-30", **flat(90)}]  # agrees
    raw["key_persons"][0]["scored_at"] = "2025-06-30T23:00:00"  # P1: 70, vs 80 that day
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, parse_tables(raw))
    assert [str(p) for p in caught.value.problems] == [
        "key_persons row 1 field scored_at: 'P1' is scored on 2025-06-30 with other values by "
        "score_history row 1: one record per person and day",
        "score_history row 4 field at: 'P1' is scored on 2026-03-01 with other values by "
        "score_history row 3: one record per person and day"]
    assert store.read("export/accounts") == []
