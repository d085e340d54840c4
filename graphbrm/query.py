"""Read-only Cypher for data teams, with a time limit and a row limit.

The real guard is the store's read-only mode (FalkorDB `GRAPH.RO_QUERY`, Neo4j READ access).
Before that, the text is checked (outside string literals, comments and `quoted` names):
it must start with a reading clause, contain no writing or admin keyword, call no procedure
but db.labels / db.relationshipTypes / db.propertyKeys, and hold one statement. EXPLAIN and
PROFILE are refused because FalkorDB runs a query sent that way for real.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic import BaseModel

from graphbrm.errors import InvalidInput, Problem
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


def run_query(store: Store, *, text: str, params: dict[str, Any], timeout_s: float,
              row_limit: int) -> QueryResult:
    """Run a caller's Cypher read-only within the limits; a write or bad query is InvalidInput."""
    statement = check_read_only(text)
    _check_params(params)
    try:
        columns, rows, truncated = store.run_read_only(statement, params, timeout_s=timeout_s,
                                                       row_limit=row_limit)
    except InvalidInput as e:
        raise _explained(e, timeout_s) from e
    return QueryResult(columns=columns, rows=rows, truncated=truncated)


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
    elif "read-only" in reason.lower() or "access mode" in reason.lower():
        reason = f"the store refused a write: queries here only read ({reason})"
    return InvalidInput([Problem("query", None, "query", reason)])


def _refuse(reason: str) -> NoReturn:
    raise InvalidInput([Problem("query", None, "query", reason)])
