"""Sign-in tokens: `graphbrm token create | revoke | list`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from graphbrm.cli.common import console, err_console, opened_store
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add the `token` command group to the `graphbrm` app."""
    token_app = typer.Typer(help="Sign-in tokens (stored only as hashes; shown once).",
                            no_args_is_help=True)
    token_app.command(name="create")(create)
    token_app.command(name="revoke")(revoke)
    token_app.command(name="list")(list_command)
    app.add_typer(token_app, name="token")


def create(employee: Annotated[str, typer.Option(help="the employee id the token belongs to")],
           role: Annotated[str, typer.Option(help="rep | manager | executive | data | admin")],
           expires: Annotated[int | None, typer.Option(
               help="lifetime in days (default: GRAPHBRM_TOKEN_DAYS, 90)")] = None,
           label: Annotated[str | None, typer.Option(help="a note to recognise it by")] = None,
           as_json: Annotated[bool, typer.Option("--json", help="print token and details as JSON")]
           = False) -> None:
    """Create a token; it is printed once, on standard output, and never shown again."""
    from graphbrm.tokens import create_token

    settings = get_settings()
    with opened_store(settings) as store:
        new = create_token(store, employee_id=employee, role=role, label=label,
                           lifetime_days=expires or settings.token_days)
    if as_json:
        typer.echo(json.dumps(new.model_dump()))
        return
    info = new.info
    err_console.print(f"token {info.token_id} for {info.employee_id} as {info.role}, "
                      f"expires {info.expires_at}; copy it now, it is not shown again:")
    typer.echo(new.token)


def revoke(token_id: Annotated[str, typer.Argument(help="the token's id (see `token list`)")]) -> None:
    """Revoke a token by its id; it stops working at once."""
    from graphbrm.tokens import revoke_token

    with opened_store() as store:
        info = revoke_token(store, token_id=token_id)
    console.print(f"revoked {info.token_id} ({info.employee_id}, {info.role}) at {info.revoked_at}")


def list_command(as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
                 ) -> None:
    """List tokens (never the tokens themselves): id, employee, role, dates, state."""
    from graphbrm.tokens import list_tokens, now_iso

    with opened_store() as store:
        found = list_tokens(store)
    if as_json:
        typer.echo(json.dumps([t.model_dump() for t in found], ensure_ascii=False))
        return
    now = now_iso()
    table = Table()
    for column in ("token id", "employee", "role", "label", "created (UTC)", "expires (UTC)",
                   "state"):
        table.add_column(column, overflow="fold")
    for t in found:
        state = ("revoked" if t.revoked_at else "expired" if t.expires_at <= now else "active")
        table.add_row(t.token_id, t.employee_id, t.role, t.label or "", _minute(t.created_at),
                      _minute(t.expires_at), state)
    console.print(table)


def _minute(iso: str) -> str:
    return iso[:16].replace("T", " ")
