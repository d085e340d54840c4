"""CLI errors a person can act on: one line, a non-zero exit code, no traceback (issue 11 §5).

Each command runs through typer's CliRunner against the test's store (`point_cli_at`); the
same failures over HTTP answer 404.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graphbrm.access import Viewer
from graphbrm.bundle import parse_tables
from graphbrm.cli import app
from graphbrm.importer import import_bundle
from graphbrm.store import Store
from tests.small import small_bundle


def run(*args: str) -> tuple[int, str]:
    """Exit code and everything printed (standard output and error)."""
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def one_line(output: str) -> str:
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


@pytest.fixture
def small(store: Store, point_cli_at: Any) -> Store:
    import_bundle(store, parse_tables(small_bundle()))
    point_cli_at(store)
    return store


@pytest.mark.parametrize(("args", "message"), [
    (("review", "A99999"), "not found: account 'A99999'"),
    (("paths", "P404"), "not found: key person 'P404'"),
    (("daily", "E404"), "not found: employee 'E404'"),
    (("token", "revoke", "T404"), "not found: token 'T404'"),
    (("dashboard", "--scope", "region:火星"), "not found: region '火星'"),
    (("dashboard", "--scope", "team:E404"), "not found: employee 'E404'"),
    (("dashboard", "--scope", "rep:P1"), "not found: employee 'P1'"),
])
def test_an_unknown_id_is_not_found_in_one_line(small: Store, args: tuple[str, ...],
                                                message: str) -> None:
    code, output = run(*args)
    assert (code, one_line(output)) == (1, message)


@pytest.mark.parametrize(("args", "message"), [
    (("webhooks", "add", "https://93.184.216.34/hook", "--format", "slack"),
     "invalid input: webhooks field format: Input should be 'json', 'wecom', 'dingtalk' or 'feishu'"),
    (("webhooks", "add", "ftp://example.com/hook"),
     "invalid input: webhook field url: expected an http:// or https:// URL"),
    (("alerts", "list", "--state", "closed"), "invalid input: --state: expected open or all"),
])
def test_a_bad_value_is_one_line_naming_the_field(small: Store, args: tuple[str, ...],
                                                  message: str) -> None:
    code, output = run(*args)
    assert (code, one_line(output)) == (2, message)


def test_a_known_scope_still_answers(small: Store) -> None:
    code, output = run("dashboard", "--scope", "region:华东", "--as-of", "2026-11-28", "--json")
    assert code == 0, output
    assert json.loads(output)["overall"]["accounts"] == 1  # A1; A3 in 华北 is not a key account
    # A region whose only account is not a key account exists: an empty dashboard, not an error.
    code, output = run("dashboard", "--scope", "region:华北", "--json")
    assert code == 0, output
    assert json.loads(output)["overall"]["accounts"] == 0


def test_a_malformed_scope_is_one_line_naming_the_option() -> None:
    code, output = run("dashboard", "--scope", "planet:mars")
    assert (code, one_line(output)) == (
        2, "invalid input: --scope: expected company, region:NAME, team:EMPLOYEE_ID or "
           "rep:EMPLOYEE_ID")


def test_a_missing_import_file_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nonexist.json"
    code, output = run("import", str(missing))
    assert (code, one_line(output)) == (1, f"error: {missing}: no such file or folder")


def test_a_rejected_bundle_with_one_problem_is_one_line(tmp_path: Path) -> None:
    bundle = tmp_path / "bad.json"
    bundle.write_text(json.dumps({"accounts": [{"id": "A1", "name": "x",
                                                "expected_key_persons": -1}]}))
    code, output = run("import", str(bundle))
    assert (code, one_line(output)) == (
        2, "rejected, nothing written: accounts row 1 field expected_key_persons: "
           "Input should be greater than or equal to 0")


def test_a_rejected_bundle_lists_every_problem(tmp_path: Path) -> None:
    bundle = tmp_path / "bad.json"
    bundle.write_text(json.dumps({"accounts": [{"id": "A1"}, {"name": "x"}]}))
    code, output = run("import", str(bundle))
    assert code == 2
    assert output.splitlines() == ["rejected, nothing written: 2 problems",
                                   "  accounts row 1 field name: Field required",
                                   "  accounts row 2 field id: Field required"]


def test_an_unexpected_error_is_one_line_and_debug_shows_it(
        small: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("graphbrm.cli.review.monthly_review", broken)
    code, output = run("review", "A1")
    assert (code, one_line(output)) == (
        1, "unexpected error (RuntimeError: disk on fire); run `graphbrm --debug review …` "
           "to see where it happened")
    result = CliRunner().invoke(app, ["--debug", "review", "A1"])
    assert isinstance(result.exception, RuntimeError)  # the traceback is the caller's to print


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_up_on_a_port_in_use_fails_before_anything(busy_port: int,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def no_store(*_: Any, **__: Any) -> None:
        raise AssertionError("the store was opened before the port was checked")

    monkeypatch.setattr("graphbrm.cli.data.opened_store", no_store)
    code, output = run("up", "--demo", "--port", str(busy_port))
    assert (code, one_line(output)) == (
        1, f"error: cannot listen on 127.0.0.1:{busy_port}: the port is in use; choose another "
           "with --port or stop what uses it")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def no_serving(monkeypatch: pytest.MonkeyPatch) -> None:
    """`up` prints its sign-in advice, then returns instead of serving."""
    monkeypatch.setattr("graphbrm.cli.data.serve", lambda *_, **__: None)
    monkeypatch.setattr("graphbrm.cli.data.signal.signal", lambda *_: None)


def test_up_on_an_empty_store_says_import_first_then_the_first_admin_token(
        store: Store, point_cli_at: Any, no_serving: None) -> None:
    point_cli_at(store)
    code, output = run("up", "--port", str(free_port()))
    assert code == 0, output
    advice = output.splitlines()
    assert advice[0].startswith("the store is empty. First import your data: graphbrm import FILE")
    assert advice[1].endswith("graphbrm token create --employee ID --role admin")
    assert "seed --out template.xlsx --format xlsx" in advice[0]
    # Once there is data, the plain sign-in hint.
    import_bundle(store, parse_tables(small_bundle()))
    code, output = run("up", "--port", str(free_port()))
    assert code == 0, output
    assert "sign in with a token: graphbrm token create --employee ID --role ROLE" in output
    assert "import" not in output


def test_an_unknown_region_is_404_over_http(small: Store, client_for: Any) -> None:
    client = client_for(small)
    answer = client.get("/api/v1/dashboard", params={"scope": "region:火星"})
    assert (answer.status_code, answer.json()["detail"]) == (404, "not found: region '火星'")
    assert client.get("/api/v1/dashboard", params={"scope": "region:华东"}).status_code == 200
    # A region is unknown to a viewer who sees none of its accounts: E2 owns only A1 (华东).
    rep = client_for(small, Viewer("E2", "rep"))
    assert rep.get("/api/v1/dashboard", params={"scope": "region:华南"}).status_code == 404
    assert rep.get("/api/v1/dashboard", params={"scope": "region:华东"}).status_code == 200
