"""`graphbrm ties set|remove`: record a tie into a key person, or a lost one, as the operator."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, console, opened_store, print_json
from graphbrm.settings import get_settings
from graphbrm.ties import TiePublic, TieType, TieUpdate, remove_tie, set_tie

ties_app = typer.Typer(help="Ties into key persons: add or change one, remove a lost one.",
                       no_args_is_help=True)
PersonId = Annotated[str, typer.Argument(help="the key person the tie goes to")]
FromId = Annotated[str, typer.Argument(help="our employee's id, or a key person's (influences)")]
Type = Annotated[TieType, typer.Option("--type", help="knows or influences")]


def register(app: typer.Typer) -> None:
    """Add the `ties` command group to the `graphbrm` app."""
    app.add_typer(ties_app, name="ties")


@ties_app.command("set")
def set_command(person_id: PersonId, from_id: FromId,
                strength: Annotated[int, typer.Option(min=0, max=100, help="0–100")],
                tie_type: Type = "knows",
                since: Annotated[dt.datetime | None, typer.Option(
                    formats=["%Y-%m-%d"], help="the day it began (default: kept, or today)")]
                = None,
                as_json: AsJson = False) -> None:
    """Add the tie from FROM_ID to PERSON_ID, or change its strength; kept in history."""
    settings = get_settings()
    with opened_store(settings) as store:
        tie = set_tie(store, viewer=Viewer.operator(), person_id=person_id, tie_type=tie_type,
                      from_id=from_id, zone=settings.zone,
                      changes=TieUpdate(strength=strength, since=since.date() if since else None))
    _show(tie, as_json)


@ties_app.command("remove")
def remove_command(person_id: PersonId, from_id: FromId, tie_type: Type = "knows",
                   as_json: AsJson = False) -> None:
    """Remove the tie from FROM_ID to PERSON_ID (the contact is lost); kept in history."""
    with opened_store() as store:
        tie = remove_tie(store, viewer=Viewer.operator(), person_id=person_id,
                         tie_type=tie_type, from_id=from_id)
    _show(tie, as_json)


def _show(tie: TiePublic, as_json: bool) -> None:
    if as_json:
        print_json(tie)
        return
    before = "none" if tie.before is None else tie.before
    after = "removed" if tie.strength is None else tie.strength
    console.print(f"{tie.type} {tie.from_id} → {tie.person_id} ({tie.account_id}): "
                  f"{before} → {after}")
