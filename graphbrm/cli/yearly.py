"""Y, the yearly assessment on the command line: each rep's key accounts by band at year end,
against the targets."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, console, opened_store, pct, print_json
from graphbrm.figures import BANDS
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (yearly,):
        app.command()(command)


def yearly(year: Annotated[int | None, typer.Option(help="default: this year")] = None,
           as_json: AsJson = False) -> None:
    """The yearly assessment: each rep's key accounts by band at year end, against the targets."""
    from graphbrm.yearly import yearly_assessment

    settings = get_settings()
    with opened_store(settings) as store:
        y = yearly_assessment(store, viewer=Viewer.operator(), year=year or clock.today(settings.zone).year,
                              thresholds=settings.thresholds, targets=settings.targets,
                              zone=settings.zone)
    if as_json:
        print_json(y)
        return
    table = Table("rep", "accounts", *BANDS, "excellent %", "good or better %", "meets target",
                  title=f"yearly assessment {y.year} ({y.start_as_of} → {y.end_as_of}); targets "
                        f"{pct(settings.targets.share_excellent)} excellent, "
                        f"{pct(settings.targets.share_good_or_better)} good or better")
    for r in y.reps:
        table.add_row(f"{r.name} ({r.employee_id})", str(r.accounts),
                      *(str(getattr(r, b)) for b in BANDS), pct(r.share_excellent),
                      pct(r.share_good_or_better),
                      _verdict(r.meets_target))
    console.print(table)


def _verdict(meets_target: bool | None) -> str:
    """yes / no, or "not assessed" for a rep who owns no key account."""
    if meets_target is None:
        return "[dim]not assessed[/dim]"
    return "[green]yes[/green]" if meets_target else "[red]no[/red]"
