"""Data in and out: up, seed, import, export."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from graphbrm.bundle import Bundle
from graphbrm.cli.common import console, opened_store, progress_bar
from graphbrm.errors import CannotServe
from graphbrm.metrics import worker_metrics_dir
from graphbrm.settings import Settings, get_settings
from graphbrm.store import Store


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (up, seed, import_command, export, rebuild):
        app.command(name="import" if command is import_command else None)(command)


def rebuild() -> None:
    """Recompute every account's derived figures (series, closing averages) from the records."""
    from graphbrm.derived import rebuild_all

    with opened_store(get_settings()) as store, console.status("rebuilding derived figures"):
        count = rebuild_all(store)
    console.print(f"rebuilt the derived figures of {count} accounts")


def run_import(store: Store, bundle: Bundle, settings: Settings) -> None:
    """Import with a progress bar and print what was created and changed per table."""
    from graphbrm.importer import import_bundle

    with ExitStack() as stack:
        shown: list[Any] = []

        def progress(done: int, total: int) -> None:
            # The bar starts with the first write: a rejected bundle prints its problems alone.
            if not shown:
                bar = stack.enter_context(progress_bar())
                shown.extend((bar, bar.add_task("importing", total=total)))
            shown[0].update(shown[1], completed=done, total=total)

        result = import_bundle(store, bundle, batch_size=settings.import_batch_size,
                               zone=settings.zone, progress=progress)
    for line in result.summary():
        console.print(line, highlight=False)


def import_command(path: Annotated[Path, typer.Argument(help=".json, .xlsx or a CSV folder")]) -> None:
    """Import a bundle (JSON, XLSX, or a folder of CSV files); a bad row rejects all of it."""
    from graphbrm.bundle import read_bundle

    settings = get_settings()
    if not path.exists():  # else a missing `x.json` reads as a bundle with a wrong suffix
        raise FileNotFoundError(errno.ENOENT, "no such file or folder", str(path))
    bundle = read_bundle(path, collect=True)  # checked with the references, in one pass
    with opened_store(settings) as store:
        run_import(store, bundle, settings)


def seed(scale: Annotated[float, typer.Option(
        help="company size: 1 = 1,000 key accounts with about 20,000 key persons")] = 0.1,
         seed: Annotated[int, typer.Option(help="random seed; the same seed, the same company")] = 7,
         out: Annotated[Path | None, typer.Option(help="write the bundle here instead of importing")] = None,
         fmt: Annotated[str, typer.Option("--format", help="json | csv | xlsx (with --out)")] = "json",
         replace: Annotated[bool, typer.Option(help="delete the stored graph first")] = False) -> None:
    """Generate a realistic demo company and import it (or write it as a bundle)."""
    from graphbrm.bundle import parse_tables, write_bundle
    from graphbrm.seed.generate import generate

    with console.status(f"generating a company at scale {scale}"):
        tables = generate(scale=scale, seed=seed)
    if out is not None:
        write_bundle(tables, out, fmt)
        console.print(f"wrote {out}")
        return
    settings = get_settings()
    bundle = parse_tables(tables)
    with opened_store(settings) as store:
        if replace:
            store.clear()
        run_import(store, bundle, settings)


def export(fmt: Annotated[str, typer.Option(
               "--format", help="json (re-importable bundle) | graphml | node-link (networkx JSON)")]
           = "json",
           scope: Annotated[str, typer.Option(help="graphml/node-link: company | region:X | account:ID")]
           = "company",
           out: Annotated[Path | None, typer.Option(help="file (default: standard output)")] = None) -> None:
    """Export the stored graph: an import bundle, or GraphML / node-link JSON for Gephi and networkx."""
    if fmt not in ("json", "graphml", "node-link"):
        raise typer.BadParameter("--format must be json, graphml or node-link", param_hint="--format")
    with opened_store() as store:
        text = _export_text(store, fmt, scope)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(f"wrote {out}")


def _export_text(store: Store, fmt: str, scope: str) -> str:
    """The bundle as JSON, or the operator's graph snapshot as GraphML / node-link JSON."""
    if fmt == "json":
        from graphbrm.bundle_export import export_bundle

        return json.dumps(export_bundle(store), ensure_ascii=False, indent=1)
    from graphbrm.access import Viewer
    from graphbrm.analysis.snapshot import parse_graph_part
    from graphbrm.graph_export import export_graph

    with progress_bar() as bar:
        task = bar.add_task("loading the graph", total=None)
        return export_graph(store, viewer=Viewer.operator(), where=parse_graph_part(scope),
                            fmt="graphml" if fmt == "graphml" else "json",
                            progress=lambda done, total: bar.update(task, completed=done, total=total))


def up(demo: Annotated[bool, typer.Option(
           envvar="GRAPHBRM_DEMO", help="seed a demo company into an empty store")] = False,
       host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
       port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
       workers: Annotated[int | None, typer.Option(
           help="API worker processes (default GRAPHBRM_WORKERS: one per core)")] = None,
       log_format: Annotated[str | None, typer.Option(
           "--log-format", help="text, or json: one JSON object per line for log shippers "
                                "(default GRAPHBRM_LOG_FORMAT: text)")] = None) -> None:
    """Start the store (embedded by default) and serve the API and web UI."""
    check_port_free(host, port)  # before the store starts or the demo is seeded
    settings = get_settings()
    if workers is not None:
        settings.workers = workers
    if log_format is not None:
        settings.log_format = checked_log_format(log_format)
    with opened_store(settings) as store:
        if demo:
            seed_demo_once(store, settings)
            print_sign_in_links(store, settings, base=_base_url(host, port))
        elif store_is_empty(store):
            console.print(FIRST_START, highlight=False, soft_wrap=True)
        else:
            console.print("sign in with a token: graphbrm token create --employee ID --role ROLE",
                          highlight=False)
        console.print(f"graphbrm on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
        # uvicorn re-raises SIGTERM after its graceful shutdown; as an exit it lets the `with`
        # stop the embedded store this process started, instead of leaving it running.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        from graphbrm.cli.alerts import alert_courier

        with alert_courier(settings, store):
            serve(settings, store, host=host, port=port)


FIRST_START = (
    "the store is empty. First import your data: graphbrm import FILE (.json, .xlsx or a folder "
    "of .csv; `graphbrm seed --out template.xlsx --format xlsx` writes an example to start from).\n"
    "Then create the first admin token for one of its employees: "
    "graphbrm token create --employee ID --role admin")


def check_port_free(host: str, port: int) -> None:
    """CannotServe unless `host:port` can be listened on now (the server binds it later)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As uvicorn binds: a port left in TIME_WAIT by a stopped graphbrm is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as e:
        reason = "the port is in use" if e.errno == errno.EADDRINUSE else (e.strerror or str(e))
        raise CannotServe(f"cannot listen on {host}:{port}: {reason}; choose another with --port "
                          "or stop what uses it") from None


def store_is_empty(store: Store) -> bool:
    """No account stored yet (so no employee to sign in as either, before an import)."""
    rows = store.read("accounts/page_account_ids", all=True, visible=[], tier=None, q=None,
                      offset=0, limit=1)
    return not rows[0]["count"]


def serve(settings: Settings, store: Store, *, host: str, port: int) -> None:
    """The API in this process, or in `settings.workers` processes that attach to the store."""
    import uvicorn

    from graphbrm.api.app import create_app
    from graphbrm.api.observability import log_config

    # One line per request comes from the app (with its request id), so uvicorn's is off.
    logs = log_config(settings.log_format)
    if settings.workers == 1:
        uvicorn.run(create_app(settings, store), host=host, port=port, log_level="info",
                    log_config=logs, access_log=False)
        return
    from uvicorn.supervisors import Multiprocess

    # Each worker builds its app from the environment and opens its own connection; an embedded
    # store started here is found through its data directory and stays this process's.
    os.environ.update(GRAPHBRM_STORE=settings.store, GRAPHBRM_DATA_DIR=str(settings.data_dir),
                      GRAPHBRM_GRAPH=settings.graph)
    config = uvicorn.Config("graphbrm.api.app:create_app", factory=True, workers=settings.workers,
                            host=host, port=port, log_level="info", log_config=logs,
                            access_log=False)
    # Every worker counts into one directory, so that /metrics answers for the whole server.
    with worker_metrics_dir():
        Multiprocess(config, sockets=[tcp_listener(host, port)]).run()


def checked_log_format(value: str) -> Literal["text", "json"]:
    """--log-format's value, or a one-line error naming the choices."""
    if value == "text":
        return "text"
    if value == "json":
        return "json"
    raise typer.BadParameter("expected text or json", param_hint="--log-format")


def tcp_listener(host: str, port: int) -> socket.socket:
    """A listening socket for the workers, made explicitly as TCP.

    asyncio turns Nagle off (TCP_NODELAY) only on connections whose socket says IPPROTO_TCP;
    uvicorn's own shared socket says 0, so every keep-alive reply waited ~40 ms for the
    client's delayed ACK.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def seed_demo_once(store: Store, settings: Settings) -> None:
    """Seed the demo company unless the store already holds accounts."""
    from graphbrm.bundle import parse_tables
    from graphbrm.seed.generate import generate

    if not store_is_empty(store):
        return
    with console.status("generating the demo company"):
        bundle = parse_tables(generate(scale=0.1, seed=7))
    run_import(store, bundle, settings)


def print_sign_in_links(store: Store, settings: Settings, *, base: str) -> None:
    """A fresh sign-in link per demo role (the previous demo links stop working)."""
    from graphbrm.tokens import demo_sign_ins

    console.print("sign in as (each link signs in at once; keep them private):")
    for s in demo_sign_ins(store, lifetime_days=settings.token_days):
        console.print(f"  {s.role:<9} {s.employee_id} {s.name or ''}: {base}/#token={s.token}",
                      soft_wrap=True, highlight=False)


def _base_url(host: str, port: int) -> str:
    """The address a browser on this machine uses (a wildcard bind answers on loopback)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


