"""The `graphbrm` command line: one module of commands per area."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError
from typer.core import TyperGroup
from typer.exceptions import TyperException

from graphbrm.cli import (
    alerts,
    analysis,
    backup,
    bench,
    daily,
    dashboard,
    data,
    paths,
    review,
    security,
    ties,
    yearly,
)
from graphbrm.errors import (
    Conflict,
    Forbidden,
    GraphbrmError,
    InvalidInput,
    NotFound,
    Problem,
    StoreUnavailable,
    Unauthorized,
)

if TYPE_CHECKING:
    from typer._click.core import Context  # typer ships its own click; its Context is this

MAX_PROBLEMS_SHOWN = 1000
# Commands whose rejected input means "nothing was written"; for the others it is a bad option.
WRITING_COMMANDS = ("import", "seed", "restore")
_DEBUG = "graphbrm.debug"


class Commands(TyperGroup):
    """The top-level group: every failure of a command ends as a short message and an exit code.

    Handled here rather than around `app()` so that it holds wherever the commands run (the
    console script, `python -m`, typer's test runner).
    """

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (TyperException, typer.Exit, typer.Abort):
            raise  # usage errors, --help, Ctrl-C: typer reports them itself
        except Exception as e:
            if ctx.meta.get(_DEBUG):
                raise
            lines, code = describe(e, command=ctx.invoked_subcommand)
            for line in lines:
                typer.echo(line, err=True)
            raise typer.Exit(code) from None


def describe(error: Exception, *, command: str | None) -> tuple[list[str], int]:
    """What to print for a failed command, and its exit code (2: bad input, 1: anything else).

    Expected failures are one line (a rejected import lists each problem on its own line);
    anything else is one line that says how to see the traceback.
    """
    if isinstance(error, ValidationError):  # a command's values, checked by the API's own model
        error = InvalidInput([Problem(command or error.title, None, ".".join(map(str, e["loc"])) or None,
                                      e["msg"].removeprefix("Value error, "))
                              for e in error.errors()])
    if isinstance(error, InvalidInput):
        return _invalid(error, command=command), 2
    if isinstance(error, NotFound):
        return [f"not found: {error}"], 1
    known: list[tuple[type[Exception], str]] = [
        (Conflict, "conflict"), (Forbidden, "forbidden"), (Unauthorized, "not signed in"),
        (StoreUnavailable, "store unavailable"), (GraphbrmError, "error")]
    for kind, prefix in known:
        if isinstance(error, kind):
            return [f"{prefix}: {error}"], 1
    if isinstance(error, OSError) and error.filename is not None:
        return [f"error: {error.filename}: {error.strerror or error}"], 1
    name = type(error).__name__
    return [f"unexpected error ({name}: {error}); run `graphbrm --debug {command or '…'} …` "
            "to see where it happened"], 1


def _invalid(error: InvalidInput, *, command: str | None) -> list[str]:
    """A rejected bundle lists every problem; a bad option of a report is one line."""
    shown = [_problem(p, command=command) for p in error.problems[:MAX_PROBLEMS_SHOWN]]
    more = len(error.problems) - len(shown)
    head = "rejected, nothing written" if command in WRITING_COMMANDS else "invalid input"
    if len(shown) == 1:
        return [f"{head}: {shown[0]}"]
    return ([f"{head}: {len(error.problems)} problems"] + [f"  {s}" for s in shown]
            + ([f"  … and {more} more"] if more > 0 else []))


def _problem(problem: Any, *, command: str | None) -> str:
    # A report's parameters are the command's options: name the option the user typed.
    if (command not in WRITING_COMMANDS and problem.table == "query" and problem.row is None
            and problem.field):
        return f"--{problem.field.replace('_', '-')}: {problem.reason}"
    return str(problem)


app = typer.Typer(cls=Commands, help="graphbrm: key-account relationship maps and the MYDR habits.",
                  no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def options(ctx: typer.Context,
            debug: Annotated[bool, typer.Option(
                "--debug", help="show the full traceback when a command fails unexpectedly")]
            = False) -> None:
    """graphbrm: key-account relationship maps and the MYDR habits."""
    ctx.meta[_DEBUG] = debug


for area in (data, dashboard, yearly, daily, bench, security, review, paths, ties, analysis,
             alerts, backup):
    area.register(app)


def main() -> None:
    """Entry point of the `graphbrm` console script."""
    app()
