"""D, the daily view on the command line: whom an employee influences, their potential, next
steps and recent activities."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, AsOf, console, opened_store, pct, print_json
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (daily,):
        app.command()(command)


def daily(employee_id: Annotated[str, typer.Argument(help="the employee's id")],
          as_of: AsOf = None, as_json: AsJson = False) -> None:
    """An employee's daily view: whom they influence, potential, next steps, recent activities."""
    from graphbrm.daily import daily_view

    settings = get_settings()
    with opened_store(settings) as store:
        d = daily_view(store, viewer=Viewer.operator(), employee_id=employee_id,
                       thresholds=settings.thresholds,
                       as_of=as_of.date() if as_of else clock.today(settings.zone))
    if as_json:
        print_json(d)
        return
    p = d.potential
    console.print(f"[bold]{d.name}[/bold] ({d.employee_id}) as of {d.as_of}: influences "
                  f"{p.influenced} of {p.team_key_persons} key persons on their teams' accounts "
                  f"({pct(p.share)})")
    steps = Table("person", "role", "status", "path", "strength", title="next steps")
    for s in d.next_steps:
        steps.add_row(f"{s.name} ({s.account_name})", s.decision_role or "", s.status,
                      " → ".join(n or "?" for n in (s.path.names or s.path.nodes)),
                      f"{s.path.strength:.2f}")
    console.print(steps)
    ties = Table("person", "account", "role", "tie", "strength", "closeness", "solution", "price",
                 title="influences and knows")
    for t in d.influences:
        ties.add_row(t.name or t.person_id, t.account_name or t.account_id, t.decision_role or "",
                     t.type, *(_score(v) for v in (t.strength, t.closeness, t.solution_acceptance,
                                                   t.price_acceptance)))
    console.print(ties)
    acts = Table("at", "kind", "type", "note", "persons", title="activities (last 90 days)")
    for a in d.activities:
        acts.add_row(a.at, a.kind, a.type, a.note or "", ", ".join(a.person_ids))
    console.print(acts)


def _score(value: int | None) -> str:
    return "—" if value is None else str(value)
