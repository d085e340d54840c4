"""The queries' contract, checked without a store: names exist, parameters match exactly."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from graphbrm import queries

ROOT = Path(__file__).resolve().parent.parent


def test_a_call_with_a_missing_or_an_unexpected_parameter_names_the_file() -> None:
    # accounts/account_figures takes $ids, $cut, $all and $visible.
    queries.check_call("accounts/account_figures", "falkordb", ["ids", "cut", "all", "visible"])
    with pytest.raises(queries.WrongParameters) as missing:
        queries.check_call("accounts/account_figures", "neo4j", ["ids", "cut", "all"])
    assert str(missing.value) == ("cypher/accounts/account_figures.cypher takes ['all', 'cut', "
                                  "'ids', 'visible']; missing ['visible'], unexpected []")
    with pytest.raises(queries.WrongParameters, match=r"unexpected \['as_of'\]"):
        queries.check_call("accounts/account_figures", "falkordb",
                           ["ids", "cut", "all", "visible", "as_of"])


def test_parameters_named_only_in_comments_do_not_count() -> None:
    # derived/data_version's comment says nothing of parameters; the query takes none.
    assert queries.parameters("derived/data_version", "falkordb") == frozenset()
    assert "ids" in queries.parameters("derived/rebuild_account_series", "neo4j")


def test_every_query_file_loads() -> None:
    assert queries.load_all() == len(queries.all_names()) > 100


def named_calls() -> list[tuple[str, int, str]]:
    """(file, line, query name) of every store.read/write/explain("…") and importer w.run("…")."""
    found = []
    for path in [*(ROOT / "graphbrm").rglob("*.py"), *(ROOT / "api").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            name, method = node.args[0].value, node.func.attr
            if method in ("read", "write", "explain"):
                found.append((str(path.relative_to(ROOT)), node.lineno, name))
            elif method == "run" and path.name == "importer.py":
                found.append((str(path.relative_to(ROOT)), node.lineno, f"import/{name}"))
    return found


def test_every_query_name_the_code_calls_exists() -> None:
    calls = named_calls()
    assert len(calls) > 80  # the scan finds the calls it is meant to check (names built
    # at run time, such as f"import/find_{kind}_ids", are checked by check_call when called)
    known = set(queries.all_names())
    assert [c for c in calls if c[2] not in known] == []
