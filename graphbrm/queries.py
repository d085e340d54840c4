"""Load Cypher queries from `cypher/<area>/<verb>_<noun>.cypher`, one query per file.

A query that must differ between the stores keeps its variant beside the common file as
`<name>.neo4j.cypher` or `<name>.falkordb.cypher`, with the reason in its first comment line.

Each query's `$parameters` are its contract: a call must pass exactly those (`check_call`), so a
renamed or forgotten parameter fails at once, naming the file, instead of reaching the store as
a null. Scoped queries take `$all` and `$visible` from `graphbrm.access.visibility()`: every account
the viewer sees, or all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from graphbrm.errors import GraphbrmError

# Read as package data, so an installed wheel finds them as the source checkout does.
CYPHER = resources.files("graphbrm") / "cypher"
DIALECTS = ("neo4j", "falkordb")


class UnknownQuery(GraphbrmError):
    """No cypher file has that name."""


class WrongParameters(GraphbrmError):
    """A named query was called with other parameters than it uses (a programming error)."""


_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"//[^\n]*")


@cache
def load(name: str, dialect: str) -> str:
    """The text of query `name` (e.g. "accounts/account_figures") for a store's dialect."""
    for candidate in (f"{name}.{dialect}.cypher", f"{name}.cypher"):
        path = _child(CYPHER, candidate)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise UnknownQuery(name)


def _child(folder: Traversable, relative: str) -> Traversable:
    for part in relative.split("/"):
        folder = folder / part
    return folder


def _query_files(folder: Traversable, prefix: str = "") -> Iterator[str]:
    """Paths like "accounts/account_figures.cypher" of every query file under `folder`."""
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _query_files(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".cypher"):
            yield prefix + entry.name


def all_names() -> list[str]:
    """Every query name under cypher/, variants folded into their common name."""
    names = set()
    for path in _query_files(CYPHER):
        rel = path.removesuffix(".cypher")
        for dialect in DIALECTS:
            rel = rel.removesuffix(f".{dialect}")
        names.add(rel)
    return sorted(names)


@cache
def parameters(name: str, dialect: str) -> frozenset[str]:
    """The `$parameters` that query `name` uses (in its text, comments left out)."""
    return frozenset(_PARAMETER.findall(_COMMENT.sub("", load(name, dialect))))


def check_call(name: str, dialect: str, given: Iterable[str]) -> None:
    """WrongParameters unless `given` are exactly the parameters query `name` uses."""
    expected, passed = parameters(name, dialect), set(given)
    if passed != expected:
        raise WrongParameters(f"cypher/{name}.cypher takes {sorted(expected)}; missing "
                              f"{sorted(expected - passed)}, unexpected {sorted(passed - expected)}")


def load_all() -> int:
    """Read and check every query file now (at start-up) rather than at its first call."""
    for name in all_names():
        for dialect in DIALECTS:
            parameters(name, dialect)
    return len(all_names())
