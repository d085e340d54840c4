"""R, the realtime dashboard on the command line: scores with MoM/YoY, influence, win rate by
band and incubation, for the company, a region, a team or a rep."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, AsOf, console, opened_store, pct, print_json
from graphbrm.figures import BANDS
from graphbrm.settings import get_settings


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (dashboard,):
        app.command()(command)


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
        print_json(d)
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
    console.print(f"influence potential {pct(d.influence.potential)}; contribution "
                  f"{c.won_with_influence}/{c.won} won ({pct(c.count_share)}), "
                  f"{c.amount_with_influence:,.0f}/{c.amount:,.0f} ({pct(c.amount_share)})")
    rates = Table("band", "closed", "won", "rate", "95 % CI", "expected ≥",
                  title="win rate by band at closing")
    for r in d.win_rate:
        rates.add_row(r.band, str(r.closed), str(r.won), pct(r.rate),
                      f"{pct(r.ci_low)} – {pct(r.ci_high)}", pct(r.expected_min))
    console.print(rates)
    for n in d.not_credible:
        console.print(f"[yellow]scores not credible[/yellow]: {n.name} ({n.account_id}) {n.band}, "
                      f"{n.won}/{n.closed} won, upper bound {pct(n.ci_high)} < {pct(n.expected_min)}")
    months = Table("month", "new", "amount", "qualified", title="opportunity incubation")
    for m in d.incubation:
        months.add_row(m.period, str(m.count), f"{m.amount:,.0f}", pct(m.qualified_share))
    console.print(months)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"
