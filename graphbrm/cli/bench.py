"""`graphbrm bench`: medians of the hot queries on a generated company in a scratch store."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm.cli.common import console, progress_bar


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    app.command()(bench)
    app.command(name="load-test")(load_test)


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


def load_test(url: Annotated[str, typer.Option(help="a running graphbrm")] = "http://127.0.0.1:8000",
              token: Annotated[list[str], typer.Option(help="a sign-in token; repeat for several")] = [],  # noqa: B006
              clients: Annotated[int, typer.Option(help="concurrent clients")] = 32,
              seconds: Annotated[float, typer.Option(help="how long to send requests")] = 60,
              server_pid: Annotated[list[int], typer.Option(help="pids whose memory to report")] = [],  # noqa: B006
              ) -> None:
    """Mixed reads from many clients against a running server on this machine; p50/p99 per route."""
    from graphbrm.bench.load import process_rss_mb, run_load

    if not token:
        raise typer.BadParameter("give at least one --token", param_hint="--token")
    before = {pid: process_rss_mb(pid) for pid in server_pid}
    with console.status(f"{clients} clients for {seconds:.0f} s"):
        report = run_load(url, token, clients=clients, seconds=seconds)
    table = Table(title=f"{report.requests} requests, {report.errors} errors, "
                        f"{report.requests_per_s:.1f} req/s")
    for column in ("route", "requests", "errors", "p50 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "route" else "right")
    for r in [*report.routes]:
        table.add_row(r.route, str(r.requests), str(r.errors), f"{r.p50_ms:.0f}", f"{r.p99_ms:.0f}")
    table.add_row("all", str(report.requests), str(report.errors), f"{report.p50_ms:.0f}",
                  f"{report.p99_ms:.0f}")
    console.print(table)
    for pid, rss in before.items():
        console.print(f"pid {pid}: {rss:.0f} MiB before, {process_rss_mb(pid):.0f} MiB after")
    for sample in report.error_samples:
        console.print(f"[red]error[/red] {sample}")
