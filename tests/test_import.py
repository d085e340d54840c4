"""Import: validation with row and field, idempotence, formats, history."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from graphbrm.bundle import parse_tables, read_bundle, write_bundle
from graphbrm.bundle_export import export_bundle
from graphbrm.errors import InvalidInput
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle


def graph_counts(store: Store) -> dict[str, int]:
    """Node count per label and relationship count per type."""
    rows = store.read("stats/graph_counts")
    return {r["kind"]: r["count"] for r in rows}


def test_same_bundle_twice_changes_nothing(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    first = graph_counts(store)
    exported = export_bundle(store)
    import_bundle(store, parse_tables(small_bundle()))
    assert graph_counts(store) == first
    assert export_bundle(store) == exported
    assert first["node:KeyPerson"] == 5
    assert first["node:Score"] == 7  # 5 current + 2 history records
    assert first["rel:PART_OF"] == 4


def test_bad_row_in_the_middle_rejects_everything(store: Store) -> None:
    raw = small_bundle()
    raw["key_persons"][2]["closeness"] = 101
    raw["influences"][1]["to"] = "NOPE"
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, parse_tables(raw))
    problems = [(p.table, p.row, p.field) for p in caught.value.problems]
    assert problems == [("key_persons", 3, "closeness")]
    raw["key_persons"][2]["closeness"] = 70
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, parse_tables(raw))
    assert [(p.table, p.row, p.field, p.reason) for p in caught.value.problems] == [
        ("influences", 2, "to", "unknown id 'NOPE'")]
    assert sum(graph_counts(store).values()) == 0


def test_references_may_point_into_the_store(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    more = {"key_persons": [{"id": "P5", "department_id": "D2", "name": "新人",
                             "reports_to": "P2"}],
            "knows": [{"employee_id": "E2", "person_id": "P5", "strength": 40}]}
    import_bundle(store, parse_tables(more))
    assert graph_counts(store)["node:KeyPerson"] == 6
    sub_department_of_other_account = {"departments": [
        {"id": "D10", "account_id": "A3", "name": "x", "parent_id": "D2"}]}
    with pytest.raises(InvalidInput, match="departments row 1 field parent_id"):
        import_bundle(store, parse_tables(sub_department_of_other_account))


def test_row_errors_name_table_row_field() -> None:
    raw = small_bundle()
    raw["opportunities"][1]["closed_at"] = "2026-13-01"
    raw["key_persons"][0]["decision_role"] = "king"
    raw["accounts"].append(copy.deepcopy(raw["accounts"][0]))
    raw["accounts"][-1]["surprise"] = 1
    with pytest.raises(InvalidInput) as caught:
        parse_tables(raw)
    where = {(p.table, p.row, p.field) for p in caught.value.problems}
    assert where == {("opportunities", 2, "closed_at"), ("key_persons", 1, "decision_role"),
                     ("accounts", 4, "surprise")}


@pytest.mark.parametrize("fmt,name", [("json", "b.json"), ("csv", "folder"), ("xlsx", "b.xlsx")])
def test_formats_give_the_same_graph(store: Store, tmp_path: Path, fmt: str, name: str) -> None:
    path = tmp_path / name
    write_bundle(small_bundle(), path, fmt)
    import_bundle(store, read_bundle(path))
    # The small company's values as written in tests/small.py, read straight from the graph:
    # lists in cells, numbers, booleans, dates, nulls and Chinese text all survive each format.
    assert {k: graph_counts(store)[k] for k in ("node:Account", "node:KeyPerson", "node:Score",
                                                "rel:INVOLVES", "rel:WITH", "rel:INFLUENCES")
            } == {"node:Account": 3, "node:KeyPerson": 5, "node:Score": 7, "rel:INVOLVES": 2,
                  "rel:WITH": 2, "rel:INFLUENCES": 3}
    p4 = store.read("history/get_key_person", person_id="P4", all=True, visible=[])[0]
    assert (p4["name"], p4["closeness"], p4["solution_acceptance"], p4["price_acceptance"],
            p4["decision_role"]) == ("Chen Jing", 40, 60, None, "user")
    exported = export_bundle(store)
    [o1] = [o for o in exported["opportunities"] if o["id"] == "O1"]
    assert (o1["amount"], o1["qualified"], o1["created_at"], o1["closed_at"], o1["used_influence"],
            sorted((i["person_id"], i["role"]) for i in o1["involves"])) == (
        1200000, True, "2026-01-05", "2026-06-30", ["E2"],
        [("P1", "decision"), ("P3", "evaluation")])
    [act] = exported["activities"]
    assert (act["type"], act["at"], sorted(act["person_ids"])) == (
        "客户参观成功案例", "2026-11-20", ["P2", "P3"])
    assert sorted((i["from"], i["to"], i["strength"], i["since"]) for i in exported["influences"]
                  ) == [("E2", "P3", 80, "2025-03-01"), ("P2", "P1", 90, None),
                        ("P3", "P2", 50, None)]


def test_export_reimports_to_the_same_graph(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    exported, counts = export_bundle(store), graph_counts(store)
    store.clear()
    import_bundle(store, parse_tables(exported))
    assert export_bundle(store) == exported
    assert graph_counts(store) == counts


def test_undated_scores_are_recorded_only_when_they_change(store: Store,
                                                           frozen_clock: Any) -> None:
    raw = {"accounts": [{"id": "A", "name": "a"}],
           "departments": [{"id": "D", "account_id": "A", "name": "d"}],
           "key_persons": [{"id": "P", "department_id": "D", "name": "p", "closeness": 70}]}
    import_bundle(store, parse_tables(raw))
    import_bundle(store, parse_tables(raw))
    assert graph_counts(store)["node:Score"] == 1
    raw["key_persons"][0]["closeness"] = 75
    frozen_clock(dt.datetime(2026, 11, 28, 10, 0, 1, tzinfo=dt.UTC))  # a second later
    import_bundle(store, parse_tables(raw))
    assert graph_counts(store)["node:Score"] == 2
    person = export_bundle(store)["key_persons"][0]
    assert person["closeness"] == 75
    assert person["scored_at"] == "2026-11-28T10:00:01.000000"  # the frozen clock


def test_changed_strength_is_kept_as_history(store: Store) -> None:
    raw = small_bundle()
    import_bundle(store, parse_tables(raw))
    assert graph_counts(store)["node:TieChange"] == 4
    raw["influences"][0]["strength"] = 60
    import_bundle(store, parse_tables(raw))
    assert graph_counts(store)["node:TieChange"] == 5


def test_moving_a_person_replaces_the_old_department(store: Store) -> None:
    raw = small_bundle()
    import_bundle(store, parse_tables(raw))
    raw["key_persons"][3]["department_id"] = "D1"
    import_bundle(store, parse_tables(raw))
    moved = next(k for k in export_bundle(store)["key_persons"] if k["id"] == "P4")
    assert moved["department_id"] == "D1"
    assert graph_counts(store)["rel:MEMBER_OF"] == 5
