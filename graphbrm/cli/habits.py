"""The company's habits on the command line: the realtime dashboard, the yearly and daily views."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import console, opened_store
from graphbrm.figures import BANDS
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (dashboard, yearly, daily):
        app.command()(command)


AsOf = Annotated[dt.datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                  help="as of the end of this day (default today)")]
AsJson = Annotated[bool, typer.Option("--json", help="print the API's JSON")]


def _print_json(model: BaseModel) -> None:
    typer.echo(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=1))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def dashboard(scope: Annotated[str, typer.Option(help="company | region:X | team:ID | rep:ID")] = "company",
              as_of: AsOf = None, as_json: AsJson = False) -> None:
    """The realtime dashboard: scores with MoM/YoY, influence, win rate by band, incubation."""
    from graphbrm.dashboard import AccountGroup
    from graphbrm.dashboard import dashboard as compute

    AccountGroup.parse(scope)  # a malformed scope fails before the store starts
    settings = get_settings()
    with opened_store(settings) as store:
        day = as_of.date() if as_of else clock.today(settings.zone)
        d = compute(store, viewer=Viewer.operator(), as_of=day, scope=scope, thresholds=settings.thresholds)
    if as_json:
        _print_json(d)
        return
    console.print(f"[bold]dashboard[/bold] {d.scope} as of {d.as_of}: {d.overall.accounts} key "
                  f"accounts, {d.overall.key_persons} key persons")
    averages = Table("dimension", "average", f"MoM (vs {d.mom.compared_with})",
                     f"YoY (vs {d.yoy.compared_with})", title="overall")
    for dim, value in d.overall.averages.model_dump().items():
        averages.add_row(dim, _num(value), _delta(getattr(d.mom.averages, dim)),
                         _delta(getattr(d.yoy.averages, dim)))
    console.print(averages)
    console.print("bands: " + ", ".join(f"{b} {getattr(d.overall.bands, b)}" for b in BANDS))
    c = d.influence.contribution
    console.print(f"influence potential {_pct(d.influence.potential)}; contribution "
                  f"{c.won_with_influence}/{c.won} won ({_pct(c.count_share)}), "
                  f"{c.amount_with_influence:,.0f}/{c.amount:,.0f} ({_pct(c.amount_share)})")
    rates = Table("band", "closed", "won", "rate", "95 % CI", "expected ≥",
                  title="win rate by band at closing")
    for r in d.win_rate:
        rates.add_row(r.band, str(r.closed), str(r.won), _pct(r.rate),
                      f"{_pct(r.ci_low)} – {_pct(r.ci_high)}", _pct(r.expected_min))
    console.print(rates)
    for n in d.not_credible:
        console.print(f"[yellow]scores not credible[/yellow]: {n.name} ({n.account_id}) {n.band}, "
                      f"{n.won}/{n.closed} won, upper bound {_pct(n.ci_high)} < {_pct(n.expected_min)}")
    months = Table("month", "new", "amount", "qualified", title="opportunity incubation")
    for m in d.incubation:
        months.add_row(m.period, str(m.count), f"{m.amount:,.0f}", _pct(m.qualified_share))
    console.print(months)


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def yearly(year: Annotated[int | None, typer.Option(help="default: this year")] = None,
           as_json: AsJson = False) -> None:
    """The yearly assessment: each rep's key accounts by band at year end, against the targets."""
    from graphbrm.yearly import Targets, yearly_assessment

    settings = get_settings()
    targets = Targets(share_excellent=settings.target_share_excellent,
                      share_good_or_better=settings.target_share_good_or_better)
    with opened_store(settings) as store:
        y = yearly_assessment(store, viewer=Viewer.operator(), year=year or clock.today(settings.zone).year,
                              thresholds=settings.thresholds, targets=targets,
                              zone=settings.zone)
    if as_json:
        _print_json(y)
        return
    table = Table("rep", "accounts", *BANDS, "excellent %", "good or better %", "meets target",
                  title=f"yearly assessment {y.year} ({y.start_as_of} → {y.end_as_of}); targets "
                        f"{_pct(targets.share_excellent)} excellent, "
                        f"{_pct(targets.share_good_or_better)} good or better")
    for r in y.reps:
        table.add_row(f"{r.name} ({r.employee_id})", str(r.accounts),
                      *(str(getattr(r, b)) for b in BANDS), _pct(r.share_excellent),
                      _pct(r.share_good_or_better),
                      _verdict(r.meets_target))
    console.print(table)


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
        _print_json(d)
        return
    p = d.potential
    console.print(f"[bold]{d.name}[/bold] ({d.employee_id}) as of {d.as_of}: influences "
                  f"{p.influenced} of {p.team_key_persons} key persons on their teams' accounts "
                  f"({_pct(p.share)})")
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


def _verdict(meets_target: bool | None) -> str:
    """yes / no, or "not assessed" for a rep who owns no key account."""
    if meets_target is None:
        return "[dim]not assessed[/dim]"
    return "[green]yes[/green]" if meets_target else "[red]no[/red]"
