"""Realtime alerts (issue 13): rules that watch writes and the calendar, the alert records,
and the webhooks that post them to a JSON receiver or a WeCom, DingTalk or Feishu robot.

- `model`: the record, its id (rule × subject × period), listing and acknowledging;
- `events`: rules 1–4, compared before and after a write (`Watch`);
- `scheduled`: rules 5–6, for `graphbrm alerts run` and the daily run of `graphbrm up`;
- `webhooks`, `delivery`, `seal`: where alerts go, how they are posted, how secrets are kept.
"""
