"""`graphbrm alerts list|run` and `graphbrm webhooks add|list|remove`, as the local operator."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import console, opened_store
from graphbrm.settings import Settings, get_settings
from graphbrm.store import Store

alerts_app = typer.Typer(help="Alerts: list them, or run the scheduled rules (for cron).",
                         no_args_is_help=True)
webhooks_app = typer.Typer(help="Webhooks that alerts are posted to (JSON, WeCom, DingTalk, "
                                "Feishu).", no_args_is_help=True)
AsJson = Annotated[bool, typer.Option("--json", help="print the API's JSON")]


def register(app: typer.Typer) -> None:
    """Add the `alerts` and `webhooks` command groups to the `graphbrm` app."""
    app.add_typer(alerts_app, name="alerts")
    app.add_typer(webhooks_app, name="webhooks")


@contextmanager
def alert_courier(settings: Settings, store: Store) -> Iterator[None]:
    """Webhook deliveries and the daily scheduled alert rules, run by `graphbrm up` in its own
    process alone: the API workers never deliver, so nothing is posted or run twice however
    many GRAPHBRM_WORKERS there are."""
    from graphbrm.alerts.delivery import Courier

    courier = Courier(store, settings)
    courier.start()
    try:
        yield
    finally:
        courier.stop()


def _print_json(model: BaseModel) -> None:
    typer.echo(json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=1))


@alerts_app.command("list")
def list_alerts(state: Annotated[str, typer.Option(help="open | all")] = "open",
                since: Annotated[dt.datetime | None, typer.Option(
                    formats=["%Y-%m-%d"], help="created on or after this day (UTC)")] = None,
                lang: Annotated[str, typer.Option(help="zh | en")] = "zh",
                as_json: AsJson = False) -> None:
    """Alerts, newest first: the open ones (default) or all."""
    from graphbrm.alerts.model import list_alerts as find

    with opened_store() as store:
        found = find(store, viewer=Viewer.operator(), state=state,
                     since=since.date().isoformat() if since else None)
    if as_json:
        _print_json(found)
        return
    table = Table("created (UTC)", "severity", "rule", "message", "id", title=(
        f"{found.count} {state} alert(s)"))
    for a in found.data:
        table.add_row(a.created_at[:16].replace("T", " "), a.severity, a.rule,
                      a.message_zh if lang == "zh" else a.message_en, a.id)
    console.print(table)


@alerts_app.command("run")
def run(as_of: Annotated[dt.datetime | None, typer.Option(
            "--as-of", formats=["%Y-%m-%d"], help="as of this company day (default today)")]
        = None, as_json: AsJson = False) -> None:
    """Evaluate the scheduled rules (review overdue, stale scores); safe to run again."""
    from graphbrm.alerts.model import AlertConfig
    from graphbrm.alerts.scheduled import run_scheduled

    settings = get_settings()
    day = as_of.date() if as_of else clock.today(settings.zone)
    with opened_store(settings) as store:
        result = run_scheduled(store, config=AlertConfig.from_settings(settings), as_of=day)
    if as_json:
        _print_json(result)
        return
    console.print(f"{result.as_of}: {result.review_overdue} key account(s) without this month's "
                  f"review, {result.stale_scores} veto holder(s)/approver(s) with stale scores; "
                  f"{len(result.new_alerts)} new alert(s)", highlight=False)


@webhooks_app.command("add")
def add(url: Annotated[str, typer.Argument(help="the receiver's http(s) URL")],
        fmt: Annotated[str, typer.Option("--format", help="json | wecom | dingtalk | feishu")]
        = "json",
        rule: Annotated[list[str] | None, typer.Option(
            help="a rule to send (repeat); default all")] = None,
        scope: Annotated[str, typer.Option(help="company | team:EMPLOYEE_ID")] = "company",
        secret: Annotated[str | None, typer.Option(
            help="the robot's sign secret (DingTalk 加签, Feishu 签名校验)")] = None) -> None:
    """Add a webhook; a json webhook's signing secret is printed this once."""
    from graphbrm.alerts.webhooks import WebhookCreate, add_webhook

    settings = get_settings()
    fields: dict[str, object] = {"url": url, "format": fmt, "scope": scope, "secret": secret}
    if rule:
        fields["rules"] = rule
    new = WebhookCreate.model_validate(fields)
    with opened_store(settings) as store:
        made = add_webhook(store, viewer=Viewer.operator(), new=new, settings=settings)
    console.print(f"added {made.webhook.id} ({made.webhook.format}, {made.webhook.scope}): "
                  f"{made.webhook.url_shown}", highlight=False, soft_wrap=True)
    if made.secret:
        console.print(f"signing secret (shown once): {made.secret}", highlight=False,
                      soft_wrap=True)


@webhooks_app.command("list")
def list_hooks(as_json: AsJson = False) -> None:
    """Every webhook with its delivery counts."""
    from graphbrm.alerts.webhooks import list_webhooks

    with opened_store() as store:
        hooks = list_webhooks(store, viewer=Viewer.operator())
    if as_json:
        _print_json(hooks)
        return
    table = Table("id", "format", "scope", "url", "rules", "delivered/pending/failed")
    for w in hooks.data:
        done = w.deliveries - w.pending - w.failed
        table.add_row(w.id, w.format, w.scope, w.url_shown, ",".join(w.rules),
                      f"{done}/{w.pending}/{w.failed}")
    console.print(table)


@webhooks_app.command("remove")
def remove(webhook_id: Annotated[str, typer.Argument(help="the webhook's id (wh_…)")]) -> None:
    """Remove a webhook and its delivery log."""
    from graphbrm.alerts.webhooks import remove_webhook

    with opened_store() as store:
        remove_webhook(store, viewer=Viewer.operator(), webhook_id=webhook_id)
    console.print(f"removed {webhook_id}", highlight=False)
