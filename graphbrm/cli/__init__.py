"""The `graphbrm` command line: one module of commands per area."""

from __future__ import annotations

import typer

from graphbrm.cli import analysis, bench, data, habits, mydr, security
from graphbrm.cli.common import err_console
from graphbrm.errors import GraphbrmError, InvalidInput

app = typer.Typer(help="graphbrm: key-account relationship maps and the MYDR habits.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
for area in (data, habits, bench, security, mydr, analysis):
    area.register(app)


def main() -> None:
    """Entry point: graphbrm errors print as one line and exit 1 (2 for bad input)."""
    try:
        app()
    except InvalidInput as e:
        err_console.print("[red]rejected, nothing written:[/red]")
        for problem in e.problems[:50]:
            err_console.print(f"  {problem}")
        if len(e.problems) > 50:
            err_console.print(f"  … and {len(e.problems) - 50} more")
        raise SystemExit(2) from None
    except GraphbrmError as e:
        err_console.print(f"[red]error:[/red] {e}")
        raise SystemExit(1) from None
