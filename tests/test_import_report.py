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
