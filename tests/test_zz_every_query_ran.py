"""Every file under cypher/ is run by some test (checked only when the whole suite runs)."""

from __future__ import annotations

import pytest

from graphbrm import queries
from tests.recording import EXECUTED_QUERIES


@pytest.mark.last
def test_every_cypher_file_ran(request: pytest.FixtureRequest) -> None:
    config = request.config
    if config.args != [str(config.rootpath / "tests")] and config.args != ["tests"] or (
            config.option.keyword or config.option.markexpr):
        pytest.skip("only meaningful when the whole suite runs")
    assert sorted(set(queries.all_names()) - EXECUTED_QUERIES) == []
