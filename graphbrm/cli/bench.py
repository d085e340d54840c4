"""`graphbrm bench` (W1–W7 against their targets) and `graphbrm load-test`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import platformdirs
import typer
from rich.table import Table

from graphbrm.bench.report import WORKLOADS
from graphbrm.cli.common import console, err_console, progress_bar


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    app.command()(bench)
    app.command(name="load-test")(load_test)


def bench(scale: Annotated[float, typer.Option(
        help="company size: 1 = S1 (1,000 accounts), 10 = S10; see docs/benchmarks.md")] = 1.0,
          store: Annotated[list[str], typer.Option(
              help="embedded or a bolt://… / neo4j://… URI (an empty database); twice: both, "
                   "with embedded ÷ Neo4j ratios")] = [],  # noqa: B006
          workloads: Annotated[str, typer.Option(help="some of W1,…,W7")] = ",".join(WORKLOADS),
          runs: Annotated[int, typer.Option(min=1, help="timed runs of W1–W3 (W3 cold, W4: a tenth)")] = 200,
          seed: Annotated[int, typer.Option(help="seed of the generated company")] = 7,
          clients: Annotated[int, typer.Option(min=1, help="W7: concurrent HTTP clients")] = 16,
          seconds: Annotated[float, typer.Option(min=0.5, help="W7: how long the load runs")] = 20,
          cache_dir: Annotated[Path | None, typer.Option(
              help="where embedded companies are kept (default: the user cache dir)")] = None,
          json_out: Annotated[Path | None, typer.Option("--json", help="write the result here")] = None,
          compare: Annotated[tuple[Path, Path] | None, typer.Option(
              help="two --json files (e.g. scale 1 and 10): print W1, W2 larger ÷ smaller; "
                   "nothing is measured")] = None) -> None:
    """Seed (or reuse) a generated company and measure the workloads W1–W7 against their targets."""
    from graphbrm.bench.suite import Plan, parse_workloads, run_bench

    if compare is not None:
        _compare(*compare)
        return
    if len(store) > 2:
        raise typer.BadParameter("give at most two stores", param_hint="--store")
    plan = Plan(scale=scale, seed=seed, workloads=parse_workloads(workloads), runs=runs,
                clients=clients, seconds=seconds)
    folder = cache_dir or platformdirs.user_cache_path("graphbrm") / "bench"
    with progress_bar() as bar:
        task = bar.add_task("importing", total=None)
        result = run_bench(plan, store or ["embedded"], cache_dir=folder,
                           say=lambda text: err_console.print(text, highlight=False),
                           progress=lambda done, total: bar.update(task, completed=done,
                                                                   total=total))
    for each in (result, result.get("compared")):
        if each is not None:
            _print_result(each)
            _print_ratios(each["ratios"], title=f"ratios, {each['store']} (same run)")
    if json_out is not None:
        json_out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        console.print(f"wrote {json_out}")


def _print_result(result: dict[str, Any]) -> None:
    from graphbrm.bench.report import TITLES, rows

    table = Table(title=f"{result['store']}, scale {result['scale']:g}: "
                        f"{result['machine']['cpus']} cores, targets at scale 10")
    for column in ("workload", "measure", "value", "target", ""):
        table.add_column(column, justify="right" if column in ("value", "target") else "left")
    for workload, measure, value, target, verdict in rows(result):
        mark = "[green]met[/green]" if verdict == "met" else "[red]MISSED[/red]" if verdict else ""
        table.add_row(f"{workload} {TITLES[workload]}" if measure == _first_measure(result, workload)
                      else "", measure, value, target, mark)
    console.print(table)


def _first_measure(result: dict[str, Any], workload: str) -> str:
    from graphbrm.bench.report import rows

    return next(m for w, m, *_ in rows(result) if w == workload)


def _print_ratios(ratios: dict[str, Any], *, title: str) -> None:
    from graphbrm.bench.report import ratio_rows

    found = ratio_rows(ratios)
    if found:
        table = Table("ratio", "value", "target", title=title)
        for row in found:
            table.add_row(*row)
        console.print(table)


def _compare(small_path: Path, large_path: Path) -> None:
    from graphbrm.bench.report import scale_ratios

    small, large = (json.loads(p.read_text()) for p in (small_path, large_path))
    _print_ratios(scale_ratios(small, large), title=f"{small_path.name} → {large_path.name}")


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
