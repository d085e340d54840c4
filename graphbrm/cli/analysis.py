"""Offline analysis and read-only Cypher on the command line: `analyze`, `query`."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from graphbrm.access import Viewer
from graphbrm.cli.common import console, opened_store, progress_bar
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (analyze, query):
        app.command()(command)


AsJson = Annotated[bool, typer.Option("--json", help="print the API's JSON")]


def analyze(scope: Annotated[str, typer.Option(help="company | region:X | account:ID")] = "company",
            max_hops: Annotated[int, typer.Option(min=1, max=6, help="longest path, in hops")] = 4,
            top: Annotated[int, typer.Option(min=1, help="rows per list")] = 20,
            as_json: AsJson = False) -> None:
    """Decision makers nobody reaches, single points of failure, employees holding access."""
    from graphbrm.analysis.service import reachability_report
    from graphbrm.analysis.snapshot import parse_graph_part

    settings = get_settings()
    where = parse_graph_part(scope)
    with opened_store(settings) as store, progress_bar() as bar:
        tasks: dict[str, Any] = {}

        def phase(name: str, done: int, total: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        report = reachability_report(
            store, viewer=Viewer.operator(), where=where, max_hops=max_hops, top=top,
            thresholds=settings.thresholds, phase=phase)
    if as_json:
        typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    console.print(f"[bold]reachability[/bold] {report.scope}, ≤ {report.max_hops} hops: "
                  f"{report.employees} employees, {report.key_persons} key persons, "
                  f"{report.decision_makers} decision makers ({report.gates} veto/approver)")
    unreachable = Table("person", "name", "role", "account", "status", "nearest",
                        title=f"unreachable decision makers ({report.unreachable_total})")
    for u in report.unreachable:
        unreachable.add_row(u.id, u.name or "", u.decision_role, u.account_id or "", u.status,
                            "none" if u.hops is None else f"{u.hops} hops")
    console.print(unreachable)
    spofs = Table("id", "kind", "name", "account", "veto/approvers depending", "e.g.",
                  title=f"single points of failure ({report.single_points_of_failure_total})")
    for s in report.single_points_of_failure:
        spofs.add_row(s.id, s.kind, s.name or "", s.account_id or "", str(s.dependents),
                      ", ".join(s.targets[:3]) + (" …" if len(s.targets) > 3 else ""))
    console.print(spofs)
    holders = Table("employee", "name", "decision makers reached", "summed best strength",
                    title=f"access holders ({report.access_holders_total})")
    for h in report.access_holders:
        holders.add_row(h.employee_id, h.name or "", str(h.decision_makers), f"{h.strength:.2f}")
    console.print(holders)


def query(text: Annotated[str, typer.Argument(metavar="CYPHER", help="a read-only query")],
          params: Annotated[str, typer.Option(help="parameters as a JSON object")] = "{}",
          as_json: AsJson = False) -> None:
    """Run read-only Cypher with the time and row limits of the settings."""
    from graphbrm.readonly_query import run_query

    try:
        values = json.loads(params)
    except json.JSONDecodeError as e:
        raise typer.BadParameter(f"not JSON: {e}", param_hint="--params") from None
    if not isinstance(values, dict):
        raise typer.BadParameter("expected a JSON object", param_hint="--params")
    settings = get_settings()
    with opened_store(settings) as store:
        result = run_query(store, text=text, params=values, timeout_s=settings.query_timeout_s,
                           row_limit=settings.query_row_limit)
    if as_json:
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    table = Table(*result.columns)
    for row in result.rows:
        table.add_row(*(_cell(v) for v in row))
    console.print(table)
    note = f" (cut at the limit of {settings.query_row_limit})" if result.truncated else ""
    console.print(f"{len(result.rows)} rows{note}")


def _cell(value: Any) -> Text:
    """A value as plain text (never rich markup: values may hold brackets)."""
    if isinstance(value, str):
        return Text(value)
    return Text(json.dumps(value, ensure_ascii=False, default=str))
