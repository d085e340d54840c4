"""`graphbrm bench`: medians of the hot queries on a generated company in a scratch store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm.cli.common import console, progress_bar


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    app.command()(bench)


def bench(scale: Annotated[float, typer.Option(help="company size; 1 = DESIGN §5's S1")] = 1.0,
          seed: Annotated[int, typer.Option(help="seed of the generated company")] = 7,
          repeat: Annotated[int, typer.Option(help="timed runs per case")] = 20) -> None:
    """Import a generated company into a scratch embedded store and time the hot queries."""
    from graphbrm.bench.suite import run

    with progress_bar() as bar:
        task = bar.add_task(f"importing scale {scale}", total=None)
        imported, timings = run(scale=scale, seed=seed, repeat=repeat,
                                progress=lambda done, total: bar.update(task, completed=done,
                                                                        total=total))
    console.print(f"import: {imported.rows} rows in {imported.seconds:.1f} s "
                  f"= {imported.rows_per_second:,.0f} rows/s")
    table = Table(title=f"scale {scale}, {repeat} runs each")
    for column in ("case", "median ms", "p90 ms"):
        table.add_column(column, justify="left" if column == "case" else "right")
    for t in timings:
        table.add_row(t.name, f"{t.median_ms:.2f}", f"{t.p90_ms:.2f}")
    console.print(table)
