"""An import reports every problem at once (issue 11 §2): bad values and dangling references
in one answer, on the CLI and over HTTP, for JSON, CSV folders and XLSX, capped at 1,000 with
a count of the rest; and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphbrm.bundle import parse_tables, write_bundle
from graphbrm.bundle_export import export_bundle
from graphbrm.cli import app
from graphbrm.errors import InvalidInput
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle

# A score of 140 (score_history row 2) and a reference to a person nobody has (knows row 1).
BAD_VALUE = ("score_history", 2, "closeness")
DANGLING = ("knows", 1, "person_id")


def two_problems() -> dict[str, list[dict[str, Any]]]:
    raw = small_bundle()
    raw["score_history"][1]["closeness"] = 140
    raw["knows"][0]["person_id"] = "P404"
    return raw


def printed(output: str) -> list[str]:
    """The lines of a command's output, without its progress bar."""
    return [line for line in output.splitlines() if not line.startswith("importing")]


def nothing_written(store: Store) -> bool:
    return all(store.read(f"export/{table}") == [] for table in ("accounts", "key_persons",
                                                                   "employees", "score_history"))


def test_a_bad_value_and_a_dangling_reference_are_reported_together(store: Store) -> None:
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, parse_tables(two_problems(), collect=True))
    assert [(p.table, p.row, p.field) for p in caught.value.problems] == [DANGLING, BAD_VALUE]
    assert nothing_written(store)


def test_a_row_refused_for_its_value_is_not_also_an_unknown_id(store: Store) -> None:
    """P4's row is refused (a score of 140); the rows that name P4 are not reported again,
    and the rows after it keep their numbers."""
    raw = small_bundle()
    raw["key_persons"][3]["closeness"] = 140
    raw["key_persons"][4]["department_id"] = "D404"
    with pytest.raises(InvalidInput) as caught:
        import_bundle(store, parse_tables(raw, collect=True))
    assert [(p.table, p.row, p.field) for p in caught.value.problems] == [
        ("key_persons", 4, "closeness"), ("key_persons", 5, "department_id")]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_the_cli_lists_both_problems(store: Store, point_cli_at: Any, tmp_path: Path,
                                     fmt: str) -> None:
    point_cli_at(store)
    path = tmp_path / ("bundle" if fmt == "csv" else f"bundle.{fmt}")
    write_bundle(two_problems(), path, fmt)
    result = CliRunner().invoke(app, ["import", str(path)])
    assert result.exit_code == 2
    assert printed(result.output) == [
        "rejected, nothing written: 2 problems",
        "  knows row 1 field person_id: unknown id 'P404'",
        "  score_history row 2 field closeness: Input should be less than or equal to 100"]
    assert nothing_written(store)


def test_the_api_answers_both_problems_in_one_422(store: Store, client_for: Any) -> None:
    body = json.dumps(two_problems()).encode()
    answer = client_for(store).post("/api/v1/import", files={"file": ("b.json", body)})
    assert answer.status_code == 422
    assert [(p["table"], p["row"], p["field"]) for p in answer.json()["problems"]] == [
        DANGLING, BAD_VALUE]
    assert nothing_written(store)


def many_bad_rows(count: int) -> dict[str, list[dict[str, Any]]]:
    """`count` activities naming an unknown employee, and one account without a name."""
    raw = small_bundle()
    raw["accounts"][0]["name"] = ""
    raw["activities"] = [{"id": f"ACT{n}", "employee_id": "E404", "kind": "optional",
                          "type": "call", "at": "2026-11-20"} for n in range(count)]
    return raw


def test_the_api_lists_the_first_1000_problems_and_counts_all(store: Store,
                                                               client_for: Any) -> None:
    body = json.dumps(many_bad_rows(1200)).encode()
    answer = client_for(store).post("/api/v1/import", files={"file": ("b.json", body)})
    assert answer.status_code == 422
    assert len(answer.json()["problems"]) == 1000
    assert answer.json()["count"] == 1201
    assert answer.json()["problems"][0] == {"table": "accounts", "row": 1, "field": "name",
                                            "reason": "Input should be a valid string"}


def test_the_cli_lists_the_first_1000_problems_and_counts_the_rest(
        store: Store, point_cli_at: Any, tmp_path: Path) -> None:
    point_cli_at(store)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(many_bad_rows(1200)), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(path)])
    lines = printed(result.output)
    assert result.exit_code == 2
    assert lines[0] == "rejected, nothing written: 1201 problems"
    assert len(lines) == 1 + 1000 + 1
    assert lines[-1] == "  … and 201 more"


# ---- what an import changes, per table ---------------------------------------------------------

def counts(result: Any) -> dict[str, tuple[int, int, int]]:
    return {t: (c.created, c.changed, c.unchanged) for t, c in result.counts.items()}


SMALL_TABLES = {"accounts": 3, "departments": 4, "key_persons": 5, "employees": 3,
                "account_teams": 3, "influences": 3, "knows": 1, "opportunities": 2,
                "score_history": 2, "activities": 1}


def test_the_same_bundle_again_creates_and_changes_nothing(store: Store) -> None:
    first = import_bundle(store, parse_tables(small_bundle()))
    assert counts(first) == {t: (n, 0, 0) for t, n in SMALL_TABLES.items()}
    again = import_bundle(store, parse_tables(small_bundle()))
    assert counts(again) == {t: (0, 0, n) for t, n in SMALL_TABLES.items()}
    assert (again.total.created, again.total.changed, again.total.unchanged) == (0, 0, 27)
    assert again.score_records == 0


def test_an_exported_store_imports_as_unchanged(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    result = import_bundle(store, parse_tables(export_bundle(store)))
    assert (result.total.created, result.total.changed) == (0, 0)


def test_each_changed_row_is_counted_once_in_its_table(store: Store) -> None:
    import_bundle(store, parse_tables(small_bundle()))
    raw = small_bundle()
    raw["accounts"][0]["name"] = "华东精密机械集团"                   # changed
    raw["key_persons"][3]["price_acceptance"] = 55                  # changed: a new score
    raw["key_persons"][4]["title"] = "采购经理"                        # changed
    raw["knows"][0]["strength"] = 40                                # changed
    raw["opportunities"][0]["involves"].reverse()                   # the same links: unchanged
    raw["score_history"][1]["solution_acceptance"] = 65             # a correction: changed
    raw["score_history"].append({"person_id": "P3", "at": "2026-03-01", "closeness": 50})
    raw["activities"].append({"id": "ACT2", "employee_id": "E3", "kind": "optional",
                              "type": "call", "at": "2026-11-21"})
    result = import_bundle(store, parse_tables(raw))
    assert counts(result) == {**{t: (0, 0, n) for t, n in SMALL_TABLES.items()},
                              "accounts": (0, 1, 2), "key_persons": (0, 2, 3),
                              "knows": (0, 1, 0), "score_history": (1, 1, 1),
                              "activities": (1, 0, 1)}
    assert result.score_records == 3  # P4's new scores, P2's correction, P3's new record


def test_the_cli_and_the_api_say_what_was_created_and_changed(
        store: Store, point_cli_at: Any, client_for: Any, tmp_path: Path) -> None:
    point_cli_at(store)
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(small_bundle()), encoding="utf-8")
    assert CliRunner().invoke(app, ["import", str(path)]).exit_code == 0
    again = printed(CliRunner().invoke(app, ["import", str(path)]).output)
    assert again[0].startswith("imported: 0 created, 0 changed, 27 unchanged; "
                               "0 score records added (batch ")
    assert "  accounts: 0 created, 0 changed, 3 unchanged" in again
    answer = client_for(store).post("/api/v1/import",
                                    files={"file": ("b.json", path.read_bytes())})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["created"], body["changed"], body["unchanged"], body["rows"]) == (0, 0, 27, 27)
    assert body["tables"]["key_persons"] == {"created": 0, "changed": 0, "unchanged": 5}
