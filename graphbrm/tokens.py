"""Sign-in tokens: random bearer tokens that belong to an employee and carry a role.

A token is `gbrm_<token_id>_<secret>`. Only its SHA-256 hash is stored (the `id` of a
`(:Token)` node, looked up through the unique index); the token itself is shown once, at
creation. There is no signing key, so there is no secret to configure or to leave at a default.

Tokens are kept out of reach of the data role's read-only Cypher (POST /query), which runs on
the data graph: the `tokens/` queries run on a separate token graph that no Cypher can name
(FalkorDB: the graph `<graph>_tokens` beside the data graph; Neo4j: a graph of the embedded
FalkorDB server in the data directory, since Neo4j Community has one user database and cannot
hide a label from a reader). A token names its employee by id only, for the same reason.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any, get_args

from pydantic import BaseModel

from graphbrm.access import Role, Viewer
from graphbrm.errors import InvalidInput, NotFound, Problem, Unauthorized
from graphbrm.store import Store

PREFIX = "gbrm"
MAX_TOKEN_CHARS = 200
ROLES: tuple[str, ...] = get_args(Role)
DEMO_LABEL = "demo"
DEMO_ROLES: tuple[Role, ...] = ("rep", "manager", "executive", "data", "admin")


class TokenInfo(BaseModel):
    """A token as listed: everything but the token itself."""

    token_id: str
    employee_id: str
    role: Role
    label: str | None = None
    created_at: str
    expires_at: str
    revoked_at: str | None = None


class NewToken(BaseModel):
    """A token just created; `token` is shown this once and never stored."""

    token: str
    info: TokenInfo


class Me(BaseModel):
    """The signed-in caller."""

    employee_id: str | None
    name: str | None
    role: Role


class DemoSignIn(BaseModel):
    """A ready sign-in for one demo role."""

    role: Role
    employee_id: str
    name: str | None
    token: str


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def now_iso(now: dt.datetime | None = None) -> str:
    """A UTC time as the ISO string that tokens store (so that strings compare as times)."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return moment.replace(microsecond=0).isoformat()


def create_token(store: Store, *, employee_id: str, role: str, lifetime_days: int,
                 label: str | None = None, now: dt.datetime | None = None) -> NewToken:
    """A new token for an existing employee with `role`, valid for `lifetime_days` days."""
    _check_new_token(role, lifetime_days, label)
    if not store.read("signin/find_employee", employee_id=employee_id):
        raise NotFound(f"employee {employee_id!r}")
    token_id = secrets.token_hex(6)
    token = f"{PREFIX}_{token_id}_{secrets.token_urlsafe(32)}"
    start = now or dt.datetime.now(dt.UTC)
    rows = store.write("tokens/create_token", hash=hash_token(token), token_id=token_id,
                       employee_id=employee_id, role=role, label=label, now=now_iso(start),
                       expires_at=now_iso(start + dt.timedelta(days=lifetime_days)))
    return NewToken(token=token, info=TokenInfo(**rows[0]))


def _check_new_token(role: str, lifetime_days: int, label: str | None) -> None:
    problems = []
    if role not in ROLES:
        problems.append(Problem("token", None, "role", f"expected one of {', '.join(ROLES)}"))
    if not 1 <= lifetime_days <= 3650:
        problems.append(Problem("token", None, "expires", "expected 1 to 3650 days"))
    if label is not None and not 1 <= len(label) <= 200:
        problems.append(Problem("token", None, "label", "expected 1 to 200 characters"))
    if problems:
        raise InvalidInput(problems)


def viewer_for_token(store: Store, *, token: str, now: dt.datetime | None = None) -> Viewer:
    """The caller a bearer token signs in, or Unauthorized (unknown, expired or revoked)."""
    if not token.startswith(f"{PREFIX}_") or len(token) > MAX_TOKEN_CHARS:
        raise Unauthorized("unknown token")
    rows = store.read("tokens/find_token", hash=hash_token(token))
    if not rows:
        raise Unauthorized("unknown token")
    found = rows[0]
    if found["revoked_at"] is not None:
        raise Unauthorized("this token was revoked")
    if found["expires_at"] <= now_iso(now):
        raise Unauthorized("this token has expired")
    return Viewer(employee_id=found["employee_id"], role=found["role"])


def revoke_token(store: Store, *, token_id: str, now: dt.datetime | None = None) -> TokenInfo:
    """Revoke a token by its public id; it stops working at once."""
    rows = store.write("tokens/revoke_token", token_id=token_id, now=now_iso(now))
    if not rows:
        raise NotFound(f"token {token_id!r}")
    return TokenInfo(**rows[0])


def list_tokens(store: Store) -> list[TokenInfo]:
    """Every token ever created, oldest first (without the tokens themselves)."""
    return [TokenInfo(**row) for row in store.read("tokens/list_tokens")]


def token_records(store: Store) -> list[dict[str, Any]]:
    """Every token as stored, hash included (for a backup), oldest first."""
    return store.read("tokens/list_tokens")


def put_token_records(store: Store, records: list[dict[str, Any]]) -> int:
    """Keep these stored tokens (from a backup or an older data graph), one per hash."""
    if not records:
        return 0
    restored: int = store.write("tokens/restore_tokens", rows=records)[0]["restored"]
    return restored


def move_tokens_out_of_data_graph(store: Store) -> int:
    """Move the tokens an older graphbrm kept in the data graph to the token graph; how many.

    Copied first, deleted after: stopped between the two, the next start copies them again
    (by hash, so once) and deletes them then.
    """
    records = store.read("signin/tokens_in_data_graph")
    if not records:
        return 0
    put_token_records(store, records)
    store.write("signin/delete_tokens_in_data_graph", hashes=[r["hash"] for r in records])
    return len(records)


def who_am_i(store: Store, *, viewer: Viewer) -> Me:
    """The caller's employee id, name and role (the local operator has no employee)."""
    if viewer.employee_id is None:
        return Me(employee_id=None, name=None, role=viewer.role)
    rows = store.read("signin/find_employee", employee_id=viewer.employee_id)
    return Me(employee_id=viewer.employee_id, name=rows[0]["name"] if rows else None,
              role=viewer.role)


def demo_sign_ins(store: Store, *, lifetime_days: int) -> list[DemoSignIn]:
    """One fresh token per demo role for real employees of the demo company.

    The rep owns key accounts and the manager is that rep's manager, so the two views differ
    the way they would in the field. Earlier demo tokens are revoked.
    """
    holders = _demo_holders(store)
    store.write("tokens/revoke_labelled_tokens", label=DEMO_LABEL, now=now_iso())
    sign_ins = []
    for role in DEMO_ROLES:
        employee_id = holders.get(role)
        if employee_id is None:
            continue
        new = create_token(store, employee_id=employee_id, role=role,
                           lifetime_days=lifetime_days, label=DEMO_LABEL)
        name = who_am_i(store, viewer=Viewer(employee_id=employee_id, role=role)).name
        sign_ins.append(DemoSignIn(role=role, employee_id=employee_id, name=name,
                                   token=new.token))
    return sign_ins


def _demo_holders(store: Store) -> dict[str, Any]:
    holders: dict[str, Any] = {}
    pair = store.read("signin/demo_rep")
    if pair:
        holders["rep"], holders["manager"] = pair[0]["rep_id"], pair[0]["manager_id"]
    for role in ("executive", "data", "admin"):
        found = store.read("signin/first_employee_with_role", role=role)
        if found:
            holders[role] = found[0]["id"]
    return holders
