"""docker-compose.yml: no Docker engine here to run it, so its promises are read from the file."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
NEO4J_LAUNCHER_POM = Path(__file__).resolve().parent / "neo4j" / "pom.xml"


def services() -> dict[str, dict[str, object]]:
    parsed: dict[str, dict[str, dict[str, object]]] = yaml.safe_load(COMPOSE.read_text())
    return parsed["services"]


def test_no_password_has_a_default() -> None:
    for name, service in services().items():
        environment: dict[str, object] = service.get("environment") or {}  # type: ignore[assignment]
        for key, value in environment.items():
            if "PASSWORD" in key or "AUTH" in key:
                assert "${NEO4J_PASSWORD:?" in str(value), (name, key, value)


def test_the_tests_run_the_neo4j_version_that_compose_runs() -> None:
    image = str(services()["neo4j"]["image"])  # neo4j:5.26-community
    launcher = re.search(r"<neo4j.version>([\d.]+)</neo4j.version>", NEO4J_LAUNCHER_POM.read_text())
    assert launcher is not None
    assert launcher.group(1).startswith(image.split(":")[1].split("-")[0] + ".")
