"""The layers keep their rules (docs/architecture.md), and the map names only what exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = ROOT / "graphbrm"
# Where the web and the terminal live; the store adapters may hold schema and backup Cypher.
NOT_DOMAIN = ("api", "cli", "seed", "bench", "cypher")
HTTP_OR_TERMINAL = ("fastapi", "starlette", "uvicorn", "typer", "rich", "graphbrm.api",
                    "graphbrm.cli")
CYPHER = re.compile(r"\b(MATCH|MERGE|CREATE)\s*\(")


def domain_modules() -> list[Path]:
    return sorted(p for p in DOMAIN.rglob("*.py")
                  if p.relative_to(DOMAIN).parts[0] not in NOT_DOMAIN)


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_knows_nothing_of_http_or_the_terminal() -> None:
    found = {f"{p.relative_to(ROOT)}: {name}" for p in domain_modules() for name in imported(p)
             if name.startswith(HTTP_OR_TERMINAL)}
    assert sorted(found) == []


def test_cypher_lives_in_cypher_files_only() -> None:
    texts = {f"{p.relative_to(ROOT)}:{node.lineno}"
             for p in domain_modules() + sorted((ROOT / "api").rglob("*.py"))
             if p.relative_to(ROOT).parts[:2] != ("graphbrm", "store")
             for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(node, ast.Constant) and isinstance(node.value, str)
             and CYPHER.search(node.value)}
    assert sorted(texts) == []


@pytest.mark.parametrize("path", sorted(set(re.findall(
    r"`((?:api|graphbrm|cypher|tests|docs)/[\w./-]*)`",
    (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")))))
def test_every_path_the_architecture_map_names_exists(path: str) -> None:
    assert (ROOT / path.split(" ")[0]).exists(), path
