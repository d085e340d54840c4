"""Who can reach a key person, on the command line: the best paths from our employees."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, console, opened_store, print_json
from graphbrm.paths import ReachPath, best_paths


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (paths,):
        app.command()(command)


def paths(person_id: Annotated[str, typer.Argument(help="the key person's id")],
          k: Annotated[int, typer.Option("--k", min=1, max=20, help="how many paths")] = 5,
          max_hops: Annotated[int, typer.Option(min=1, max=6, help="longest path, in hops")] = 4,
          as_json: AsJson = False) -> None:
    """Who can reach a key person: the best paths from our employees, distinct first hops first."""
    with opened_store() as store:
        result = best_paths(store, viewer=Viewer.operator(), target_id=person_id, k=k,
                            max_hops=max_hops)
    if as_json:
        print_json(result)
        return
    if not result.paths:
        console.print(f"no path from our employees to {person_id} within {max_hops} hops")
        return
    table = Table("#", "strength", "hops", "path", title=f"best paths to {person_id}")
    for n, path in enumerate(result.paths, 1):
        table.add_row(str(n), f"{path.strength:.2f}", str(len(path.nodes) - 1), route(path))
    console.print(table)


def route(path: ReachPath) -> str:
    """The path as names (ids where a name is missing) joined by arrows."""
    return " → ".join(name or node for name, node in zip(path.names, path.nodes, strict=True))
