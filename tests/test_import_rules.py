"""Import validation, one rule per test: each bad bundle is refused with the table, row and
field of the bad value, and nothing of it is written (on both stores)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graphbrm.bundle import Bundle, parse_tables, read_bundle, write_bundle
from graphbrm.errors import InvalidInput, Problem
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

Raw = dict[str, list[dict[str, Any]]]


def node_count(store: Store) -> int:
    return sum(r["count"] for r in store.read("stats/graph_counts") if r["kind"].startswith("node:"))


def refused(store: Store, load: Callable[[], Bundle]) -> list[tuple[str, int | None, str | None]]:
    """Where the problems of a refused import are; the store must be as it was."""
    return [(p.table, p.row, p.field) for p in problems(store, load)]


def problems(store: Store, load: Callable[[], Bundle]) -> list[Problem]:
    before = node_count(store)
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, load())
    assert node_count(store) == before
    return caught.value.problems


# ---- a duplicate id in one table -------------------------------------------------------------

@pytest.mark.parametrize("table,row", [("accounts", 0), ("departments", 1), ("key_persons", 2),
                                       ("employees", 1), ("opportunities", 0),
                                       ("activities", 0)])
def test_a_duplicate_id_in_one_table(store: Store, table: str, row: int) -> None:
    raw = small_bundle()
    twin = copy.deepcopy(raw[table][row])
    raw[table].append(twin)
    # The second row with the id is the bad one: its number counts the table's rows from 1.
    assert refused(store, lambda: parse_tables(raw)) == [(table, len(raw[table]), "id")]


def test_an_id_with_a_slash_is_refused(store: Store) -> None:
    """An id is a segment of the API's URLs (/key-persons/{id}/history): no '/' in it."""
    raw = small_bundle()
    raw["key_persons"][1]["id"] = "P2/history"
    raw["key_persons"][2]["reports_to"] = "P2/history"
    assert refused(store, lambda: parse_tables(raw))[0] == ("key_persons", 2, "id")


# ---- one id for two kinds of node ------------------------------------------------------------

def test_an_employee_and_a_key_person_with_one_id(store: Store) -> None:
    raw = small_bundle()
    raw["employees"].append({"id": "X1", "name": "同名员工", "role": "rep"})
    raw["key_persons"].append({"id": "X1", "department_id": "D1", "name": "同名客户"})
    assert refused(store, lambda: parse_tables(raw)) == [("employees", 4, "id")]


def test_an_employee_whose_id_is_a_stored_key_persons(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    later = {"employees": [{"id": "P1", "name": "同名员工", "role": "rep"}]}
    assert refused(store, lambda: parse_tables(later)) == [("employees", 1, "id")]


def test_a_key_person_whose_id_is_a_stored_employees(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    later = {"key_persons": [{"id": "E2", "department_id": "D1", "name": "同名客户"}]}
    assert refused(store, lambda: parse_tables(later)) == [("key_persons", 1, "id")]


# ---- reports_to into another account ---------------------------------------------------------

def test_reports_to_a_person_of_another_account(store: Store) -> None:
    raw = small_bundle()
    raw["key_persons"][4]["reports_to"] = "P1"  # P9 (A3's 采购部) → P1 (A1's 总经办)
    with pytest.raises(InvalidInput) as caught:
        parse_tables(raw)
    assert [str(p) for p in caught.value.problems] == [
        "key_persons row 5 field reports_to: 'P1' belongs to another account ('A1', not 'A3')"]
    assert refused(store, lambda: parse_tables(raw)) == [("key_persons", 5, "reports_to")]


def test_reports_to_inside_one_account_across_departments_is_fine(store: Store) -> None:
    raw = small_bundle()
    raw["key_persons"][3]["reports_to"] = "P1"  # P4 (D3, under D2) → P1 (D1): both A1
    import_bundle(store, parse_tables(raw))
    assert node_count(store) > 0


def test_reports_to_a_stored_person_of_another_account(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    later = {"key_persons": [{"id": "P10", "department_id": "D9", "name": "新人",
                              "reports_to": "P1"}]}
    assert refused(store, lambda: parse_tables(later)) == [("key_persons", 1, "reports_to")]


# ---- malformed list cells in CSV and XLSX ----------------------------------------------------

# (table, row, field, cell): each cell is malformed in one way, which the reason names.
REASONS = {"empty item": "has an empty item", "JSON": "looks like JSON",
           "listed twice": "listed more than once", "no person": "a role without a person",
           "comma": ""}
MALFORMED = {
    "empty item": [("opportunities", 1, "used_influence", "E2;;E3"),
                   ("opportunities", 1, "involves", "P1:decision;;P3:evaluation"),
                   ("activities", 1, "person_ids", "P2;P3;")],
    "JSON": [("opportunities", 1, "used_influence", '["E2", "E3"]'),
             ("opportunities", 2, "involves", '[{"person_id": "P1", "role": "decision"}]'),
             ("activities", 1, "person_ids", '["P2"]')],
    "listed twice": [("opportunities", 1, "used_influence", "E2;E2"),
                     ("opportunities", 1, "involves", "P1:decision;P1:evaluation"),
                     ("activities", 1, "person_ids", "P2; P2")],
    "no person": [("opportunities", 2, "involves", ":decision")],
    # A comma is no separator: "E2,E3" is one id, which no employee has.
    "comma": [("opportunities", 1, "used_influence", "E2,E3"),
              ("opportunities", 1, "involves", "P1:decision,P3:evaluation"),
              ("activities", 1, "person_ids", "P2,P3")],
}
CASES = [pytest.param(fmt, kind, *case, id=f"{fmt}-{kind}-{case[2]}")
         for fmt in ("csv", "xlsx") for kind, cases in MALFORMED.items() for case in cases]


@pytest.mark.parametrize("fmt,kind,table,row,field,cell", CASES)
def test_a_malformed_list_cell(store: Store, tmp_path: Path, fmt: str, kind: str, table: str,
                               row: int, field: str, cell: str) -> None:
    raw = small_bundle()
    raw[table][row - 1][field] = cell  # written as it stands, as a person would type it
    path = tmp_path / ("bundle" if fmt == "csv" else "bundle.xlsx")
    write_bundle(raw, path, fmt)
    [problem] = problems(store, lambda: read_bundle(path))
    assert (problem.table, problem.row, problem.field) == (table, row, field)
    reason = REASONS[kind] or ("two roles" if field == "involves" else "unknown id")
    assert reason in problem.reason


def test_well_formed_list_cells_with_spaces_are_read(store: Store, tmp_path: Path) -> None:
    raw: Raw = small_bundle()
    raw["opportunities"][0]["involves"] = " P1 : decision ; P3:evaluation "
    raw["opportunities"][0]["used_influence"] = "E2 ; E3"
    write_bundle(raw, tmp_path / "b.xlsx", "xlsx")
    bundle = read_bundle(tmp_path / "b.xlsx")
    deal = bundle.opportunities[0]
    assert [(i.person_id, i.role) for i in deal.involves] == [("P1", "decision"),
                                                             ("P3", "evaluation")]
    assert deal.used_influence == ["E2", "E3"]
    import_bundle(store, bundle)
