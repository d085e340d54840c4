"""Webhooks that alerts are posted to: admins for every account, managers for their line."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from graphbrm.alerts import webhooks
from graphbrm.api.deps import SettingsDep, StoreDep, WebhookManagerDep

router = APIRouter(tags=["webhooks"])
WebhookId = Annotated[str, Path(min_length=1, max_length=100)]


@router.post("/webhooks", status_code=201)
def add_webhook(new: webhooks.WebhookCreate, store: StoreDep, viewer: WebhookManagerDep,
                settings: SettingsDep) -> webhooks.NewWebhook:
    """Add a webhook (json, wecom, dingtalk or feishu); a json webhook's secret is shown once."""
    return webhooks.add_webhook(store, viewer=viewer, new=new, settings=settings)


@router.get("/webhooks")
def list_webhooks(store: StoreDep, viewer: WebhookManagerDep) -> webhooks.WebhookList:
    """The webhooks the caller manages, with their delivery counts."""
    return webhooks.list_webhooks(store, viewer=viewer)


@router.delete("/webhooks/{webhook_id}", status_code=204)
def remove_webhook(webhook_id: WebhookId, store: StoreDep, viewer: WebhookManagerDep) -> Response:
    """Remove a webhook and its delivery log."""
    webhooks.remove_webhook(store, viewer=viewer, webhook_id=webhook_id)
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries")
def list_deliveries(webhook_id: WebhookId, store: StoreDep,
                    viewer: WebhookManagerDep) -> webhooks.DeliveryLog:
    """A webhook's deliveries, newest first: pending, delivered or failed, with the last error."""
    return webhooks.deliveries(store, viewer=viewer, webhook_id=webhook_id)
