"""What every command shares: the console, the configured store, a progress bar."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
