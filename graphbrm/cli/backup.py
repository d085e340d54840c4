"""`graphbrm backup FILE` and `graphbrm restore FILE [--replace]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphbrm.cli.common import console, opened_store
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add `backup` and `restore` to the `graphbrm` app."""
    app.command(name="backup")(backup)
    app.command(name="restore")(restore)


def backup(file: Annotated[Path, typer.Argument(
        help="the backup file to write (gzip-compressed if it ends in .gz)")]) -> None:
    """Write everything the store keeps to FILE: every record, its history, reviews, derived
    data and sign-in tokens (as hashes), as of one moment, also while the server runs."""
    from graphbrm.backup import backup as write_backup

    with opened_store() as store:
        done = write_backup(store, file)
    console.print(f"backed up {done.nodes} nodes, {done.relationships} relationships and "
                  f"{done.tokens} tokens to {file} (checksum {done.checksum[:16]})")


def restore(file: Annotated[Path, typer.Argument(help="a file written by `graphbrm backup`")],
            replace: Annotated[bool, typer.Option(
                "--replace", help="replace whatever the store holds now")] = False) -> None:
    """Restore FILE into the store, which must be empty unless --replace is given; all or
    nothing: a bad file or a failure leaves the store as it was."""
    from graphbrm.backup import restore as read_backup

    settings = get_settings()
    with opened_store(settings) as store:
        done = read_backup(store, file, replace=replace, zone=settings.zone)
    console.print(f"restored {done.nodes} nodes, {done.relationships} relationships and "
                  f"{done.tokens} tokens from {file} (checksum {done.checksum[:16]})")
