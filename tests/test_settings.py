"""Settings are the one documented source: each has a description, and the README's
configuration table lists each one by its environment variable, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphbrm.figures import Thresholds
from graphbrm.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
PREFIX = Settings.model_config["env_prefix"]


def configuration_table() -> str:
    section = README.read_text(encoding="utf-8").split("\n## Configuration\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def documented_variables() -> set[str]:
    first_cells = [row.split("|")[1] for row in configuration_table().splitlines()]
    return {name for cell in first_cells for name in re.findall(rf"`({PREFIX}\w+)`", cell)}


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_a_description(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description and description.strip(), f"Settings.{name} has no description"


def test_the_readme_table_lists_every_setting_and_only_settings() -> None:
    variables = {f"{PREFIX}{name}".upper() for name in Settings.model_fields}
    documented = documented_variables()
    assert sorted(variables - documented) == [], "settings missing from the README table"
    assert sorted(documented - variables) == [], "README rows naming no setting"


def test_a_setting_is_read_from_its_documented_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRAPHBRM_GOOD", "70")
    monkeypatch.setenv("GRAPHBRM_EXCELLENT", "90")
    assert Settings().thresholds == Thresholds(good=70, excellent=90)
