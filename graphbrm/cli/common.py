"""What every command shares: the console, the configured store, a progress bar."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphbrm.settings import Settings, get_settings
from graphbrm.store import Store, open_store

console = Console()
err_console = Console(stderr=True)


@contextmanager
def opened_store(settings: Settings | None = None) -> Iterator[Store]:
    """The configured store for one command, closed afterwards."""
    store = open_store(settings or get_settings())
    try:
        yield store
    finally:
        store.close()


@contextmanager
def progress_bar() -> Iterator[Progress]:
    """A progress bar on standard error (standard output stays clean for --json)."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console) as bar:
        yield bar


AsJson = Annotated[bool, typer.Option("--json", help="print the API's JSON")]
AsOf = Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                  help="as of the end of this day (default today)")]


def print_json(model: BaseModel) -> None:
    """The model as the API sends it, indented, on standard output."""
    typer.echo(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=1))


def pct(value: float | None) -> str:
    """A share as a whole percentage, or — when unknown."""
    return "—" if value is None else f"{value:.0%}"
