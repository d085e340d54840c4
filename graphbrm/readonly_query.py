"""Read-only Cypher for data teams, with a time limit, a row limit and a concurrency limit.

The real guard is the store's read-only mode (FalkorDB `GRAPH.RO_QUERY`, Neo4j READ access).
Before that, the text is checked (outside string literals, comments and `quoted` names):
it must start with a reading clause, contain no writing or admin keyword, call no procedure
but db.labels / db.relationshipTypes / db.propertyKeys, and hold one statement. EXPLAIN and
PROFILE are refused because FalkorDB runs a query sent that way for real.

Queries run on the data graph only: sign-in tokens are in a separate token graph that no Cypher
can name (graphbrm/tokens.py). The data graph's change history, actors included, is readable
here by design: the data role reads the whole company, like an admin's audit trail.

The store cuts the rows and stops a query that needs too much memory; at most
`query_concurrency` of these queries run at once in a process, so the store keeps workers for
the product's own reads.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic import BaseModel

from graphbrm.errors import InvalidInput, Problem, StoreUnavailable
from graphbrm.store import Store

FIRST_WORDS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL"})
FORBIDDEN_WORDS = frozenset({"CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP",
                             "FOREACH", "LOAD", "TRANSACTIONS", "INSERT", "USE", "EXPLAIN", "PROFILE",
                             "GRANT", "DENY", "REVOKE", "ALTER"})
ALLOWED_PROCEDURES = frozenset({"db.labels", "db.relationshiptypes", "db.propertykeys"})
PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\S")
# A word right after these is a property, parameter or label name, not a keyword.
NAME_PREFIXES = frozenset({".", "$", ":"})


class QueryResult(BaseModel):
    """Columns, rows of JSON values (nodes and relationships as maps), and whether cut."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool


@dataclass(frozen=True)
class Token:
    text: str
    at: int  # offset in the query text


class _Slots:
    """At most `size` queries at a time per process; the others wait a little, then are refused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sizes: dict[int, threading.BoundedSemaphore] = {}

    def take(self, size: int, wait_s: float) -> threading.BoundedSemaphore:
        with self._lock:
            slots = self._sizes.setdefault(size, threading.BoundedSemaphore(size))
        if not slots.acquire(timeout=wait_s):
            raise StoreUnavailable(
                f"busy: {size} data {'query is' if size == 1 else 'queries are'} already running "
                "(GRAPHBRM_QUERY_CONCURRENCY); try again when it has finished")
        return slots


_slots = _Slots()


def run_query(store: Store, *, text: str, params: dict[str, Any], timeout_s: float,
              row_limit: int, concurrency: int = 1, queue_wait_s: float = 0.0) -> QueryResult:
    """Run a caller's Cypher read-only within the limits; a write or bad query is InvalidInput,
    StoreUnavailable when `concurrency` such queries already run."""
    statement = check_read_only(text)
    _check_params(params)
    slots = _slots.take(concurrency, queue_wait_s)
    try:
        columns, rows, truncated = store.run_read_only(statement, params, timeout_s=timeout_s,
                                                       row_limit=row_limit)
    except InvalidInput as e:
        raise _explained(e, timeout_s) from e
    finally:
        slots.release()
    columns, rows = _as_written(statement, columns, rows)
    return QueryResult(columns=columns, rows=rows, truncated=truncated)


def returned_columns(text: str) -> list[str]:
    """The column names of the query's last RETURN as written (`*` if it returns all)."""
    tokens = tokenize(text)
    start = _last_return(tokens)
    if start is None:
        return []
    columns, item_start, depth = [], start + 1, 0
    if item_start < len(tokens) and tokens[item_start].text.upper() == "DISTINCT":
        item_start += 1
    for n in range(item_start, len(tokens) + 1):
        token = tokens[n].text if n < len(tokens) else ","
        depth += (token in "([{") - (token in ")]}") if len(token) == 1 else 0
        ends = n == len(tokens) or (depth == 0 and token.upper() in {"ORDER", "SKIP", "LIMIT"})
        if depth == 0 and (token == "," or ends):
            columns.append(_column_name(text, tokens, item_start, n))
            item_start = n + 1
        if ends:
            break
    return columns


def _last_return(tokens: list[Token]) -> int | None:
    depth, found = 0, None
    for n, token in enumerate(tokens):
        if len(token.text) == 1:
            depth += (token.text in "([{") - (token.text in ")]}")
        elif depth == 0 and token.text.upper() == "RETURN" and _is_keyword(tokens, n):
            found = n
    return found


def _column_name(text: str, tokens: list[Token], first: int, end: int) -> str:
    """An item's alias, or its expression as written (the stores name the column so)."""
    if end - first >= 3 and tokens[end - 2].text.upper() == "AS":
        alias = tokens[end - 1]
        stop = tokens[end].at if end < len(tokens) else len(text)
        return text[alias.at:stop].strip().strip("`").replace("``", "`")
    stop = tokens[end].at if end < len(tokens) else len(text)
    return text[tokens[first].at:stop].strip() if first < end else ""


def _as_written(text: str, columns: list[str], rows: list[list[Any]]
                ) -> tuple[list[str], list[list[Any]]]:
    """Columns (and rows) in the order the query names them: FalkorDB's cut orders by name."""
    wanted = returned_columns(text)
    if wanted == columns or sorted(wanted) != sorted(columns):
        return columns, rows
    at = [columns.index(name) for name in wanted]
    return wanted, [[row[i] for i in at] for row in rows]


def check_read_only(text: str) -> str:
    """The statement to run (a trailing `;` dropped), or InvalidInput saying what is refused."""
    tokens = tokenize(text)
    if not tokens:
        _refuse("the query is empty")
    if tokens[-1].text == ";":
        text, tokens = text[:tokens[-1].at], tokens[:-1]
    if any(t.text == ";" for t in tokens):
        _refuse("send one statement at a time (no ';' between statements)")
    if tokens[0].text.upper() not in FIRST_WORDS:
        _refuse(f"a read-only query starts with one of {', '.join(sorted(FIRST_WORDS))}")
    if _last_return(tokens) is None:
        _refuse("a query here ends with RETURN (a procedure: CALL db.labels() YIELD label "
                "RETURN label)")
    for n, token in enumerate(tokens):
        word = token.text.upper()
        if not _is_keyword(tokens, n):
            continue
        if word in FORBIDDEN_WORDS:
            _refuse(f"{token.text} is not allowed: queries here only read")
        if word == "CALL":
            _check_call(tokens, n)
    return text


def tokenize(text: str) -> list[Token]:
    """Words and symbols of the text; string literals become one `''` token, comments vanish."""
    tokens: list[Token] = []
    at = 0
    while at < len(text):
        ch = text[at]
        if text.startswith("//", at):
            at = _end_of(text, "\n", at + 2, closed=False)
        elif text.startswith("/*", at):
            at = _end_of(text, "*/", at + 2)
        elif ch in "'\"":
            tokens.append(Token("''", at))
            at = _end_of_string(text, at)
        elif ch == "`":
            tokens.append(Token("`name`", at))
            at = _end_of(text, "`", at + 1)
        elif ch.isspace():
            at += 1
        else:
            match = WORD.match(text, at)
            assert match is not None  # \S matches any non-space character
            tokens.append(Token(match.group(), at))
            at = match.end()
    return tokens


def _end_of(text: str, closing: str, start: int, *, closed: bool = True) -> int:
    end = text.find(closing, start)
    if end < 0:
        if closed:
            _refuse(f"unterminated {'comment' if closing == '*/' else 'quoted name'}")
        return len(text)
    return end + len(closing)


def _end_of_string(text: str, start: int) -> int:
    quote, at = text[start], start + 1
    while at < len(text):
        if text[at] == "\\":
            at += 2
        elif text[at] == quote:
            return at + 1
        else:
            at += 1
    _refuse("unterminated string literal")


def _is_keyword(tokens: list[Token], n: int) -> bool:
    if not tokens[n].text[0].isalpha():
        return False
    before = tokens[n - 1].text if n > 0 else ""
    after = tokens[n + 1].text if n + 1 < len(tokens) else ""
    return before not in NAME_PREFIXES and after != ":"


def _check_call(tokens: list[Token], n: int) -> None:
    if n + 1 < len(tokens) and tokens[n + 1].text == "{":
        return  # a subquery: its clauses are checked like the rest
    name, at = [], n + 1
    while at < len(tokens) and (tokens[at].text[0].isalpha() or tokens[at].text == "."):
        name.append(tokens[at].text)
        at += 1
    procedure = "".join(name)
    if procedure.lower() not in ALLOWED_PROCEDURES:
        _refuse(f"CALL {procedure or '…'} is not allowed: only CALL {{ … }} subqueries and "
                "db.labels(), db.relationshipTypes(), db.propertyKeys()")


def _check_params(params: dict[str, Any]) -> None:
    problems = [Problem("query", None, "params", f"{name!r} is not a parameter name")
                for name in params if not PARAM_NAME.match(name)]
    problems += [Problem("query", None, f"params.{name}", reason)
                 for name, value in params.items() for reason in _value_problems(value)]
    if problems:
        raise InvalidInput(problems)


def _value_problems(value: Any) -> list[str]:
    """What the stores cannot take in a parameter: the FalkorDB client sends parameters as
    text, so a map key may not be empty or hold a backtick, and no text may hold a NUL."""
    if isinstance(value, str):
        return ["text may not contain NUL characters"] if "\x00" in value else []
    if isinstance(value, list):
        return [p for v in value for p in _value_problems(v)]
    if isinstance(value, dict):
        bad_keys = [f"map key {k!r} is empty or holds a backtick or NUL"
                    for k in value if not k or "`" in k or "\x00" in k]
        return bad_keys + [p for v in value.values() for p in _value_problems(v)]
    return []


def _explained(error: InvalidInput, timeout_s: float) -> InvalidInput:
    reason = str(error)
    if "timed out" in reason.lower() or "timeout" in reason.lower():
        reason = (f"the query ran longer than the limit of {timeout_s:g} s and was stopped; "
                  "start from an indexed id or add a LIMIT")
    elif "mem consumption" in reason.lower() or "memory" in reason.lower():
        reason = ("the query needed more memory than one query may use and was stopped; "
                  "aggregate in the query, start from an indexed id or add a LIMIT")
    elif "read-only" in reason.lower() or "access mode" in reason.lower():
        reason = f"the store refused a write: queries here only read ({reason})"
    return InvalidInput([Problem("query", None, "query", reason)])


def _refuse(reason: str) -> NoReturn:
    raise InvalidInput([Problem("query", None, "query", reason)])
