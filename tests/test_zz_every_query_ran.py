"""Every file under cypher/ is run to completion by some test (checked whenever every test file
was collected and nothing deselected, however pytest was called: `pytest`, `pytest tests/`,
`pytest ./tests`, or the files one by one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphbrm import queries
from tests.recording import DESELECTED, EXECUTED_QUERIES

TESTS = Path(__file__).resolve().parent


def whole_suite(session: pytest.Session) -> bool:
    collected = {Path(str(item.path)).resolve() for item in session.items}
    return collected == set(TESTS.glob("test_*.py")) and not DESELECTED


@pytest.mark.last
def test_every_cypher_file_ran(request: pytest.FixtureRequest) -> None:
    if not whole_suite(request.session):
        pytest.skip("only meaningful when every test file runs with nothing deselected")
    assert sorted(set(queries.all_names()) - EXECUTED_QUERIES) == []
