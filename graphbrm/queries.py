"""Load Cypher queries from `cypher/<area>/<verb>_<noun>.cypher`, one query per file.

A query that must differ between the stores keeps its variant beside the common file as
`<name>.neo4j.cypher` or `<name>.falkordb.cypher`, with the reason in its first comment line.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphbrm.errors import GraphbrmError

CYPHER_DIR = Path(__file__).resolve().parent.parent / "cypher"
DIALECTS = ("neo4j", "falkordb")


class UnknownQuery(GraphbrmError):
    """No cypher file has that name."""


@cache
def load(name: str, dialect: str) -> str:
    """The text of query `name` (e.g. "accounts/account_figures") for a store's dialect."""
    for candidate in (f"{name}.{dialect}.cypher", f"{name}.cypher"):
        path = CYPHER_DIR / candidate
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise UnknownQuery(name)


def all_names() -> list[str]:
    """Every query name under cypher/, variants folded into their common name."""
    names = set()
    for path in CYPHER_DIR.rglob("*.cypher"):
        rel = path.relative_to(CYPHER_DIR).as_posix().removesuffix(".cypher")
        for dialect in DIALECTS:
            rel = rel.removesuffix(f".{dialect}")
        names.add(rel)
    return sorted(names)
