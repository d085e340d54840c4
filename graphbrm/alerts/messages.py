"""The words of an alert, in zh-CN and English: who, what changed, and the best way in."""

from __future__ import annotations

from typing import Any

from graphbrm.paths import ReachPath
from graphbrm.vocabulary import DIMENSIONS

ROLE = {"veto": ("一票否决人", "veto holder"), "approver": ("一票批准人", "final approver"),
        "decision_maker": ("决策人", "decision maker")}
DIMENSION = {"closeness": ("关系紧密度", "closeness"),
             "solution_acceptance": ("方案认可度", "solution acceptance"),
             "price_acceptance": ("价格接受度", "price acceptance")}
BAND = {"excellent": ("优秀", "excellent"), "good": ("良好", "good"), "poor": ("较差", "poor"),
        "unknown": ("未知", "unknown")}
Pair = tuple[str, str]


def role(value: str | None) -> Pair:
    return ROLE.get(value or "", ("关键人", "key person"))


def person(name: str | None, person_id: str, account: str | None) -> str:
    """`王建国 (华东精密机械)`: the name, or the id when the person has none."""
    return f"{name or person_id} ({account})" if account else (name or person_id)


def score(value: Any) -> str:
    return "?" if value is None else str(value)


def changes(before: dict[str, Any], after: dict[str, Any], dimensions: list[str]) -> Pair:
    """`价格接受度 59 → 40`, one per dimension, in both languages."""
    zh = "，".join(f"{DIMENSION[d][0]} {score(before.get(d))} → {score(after.get(d))}"
                  for d in dimensions)
    en = ", ".join(f"{DIMENSION[d][1]} {score(before.get(d))} → {score(after.get(d))}"
                   for d in dimensions)
    return zh, en


def reach(path: ReachPath | None) -> Pair:
    """The best reach path as names, or that there is none within 4 hops."""
    if path is None:
        return "我方无人能在 4 步内接触到", "none of our employees reaches them within 4 hops"
    names = " → ".join(n or i for n, i in zip(path.names, path.nodes, strict=True))
    return (f"最佳接触路径：{names}（强度 {path.strength:.2f}）",
            f"best reach path: {names} (strength {path.strength:.2f})")


def blocker(who: str, role_value: str | None, opposes: bool, moved: Pair,
            path: ReachPath | None) -> Pair:
    r, way = role(role_value), reach(path)
    zh_state, en_state = ("开始反对我们", "now opposes us") if opposes else ("态度不明", "is now unclear")
    return (f"{r[0]} {who} {zh_state}：{moved[0]}。{way[0]}。",
            f"{r[1].capitalize()} {who} {en_state}: {moved[1]}. {way[1].capitalize()}.")


def band_drop(account: str, before: str, after: str, averages: dict[str, Any],
              people: list[str]) -> Pair:
    zh_avg = "，".join(f"{DIMENSION[d][0]} {_avg(averages.get(d))}" for d in DIMENSIONS)
    en_avg = ", ".join(f"{DIMENSION[d][1]} {_avg(averages.get(d))}" for d in DIMENSIONS)
    zh_who = "、".join(people) or "无"
    en_who = ", ".join(people) or "none"
    return (f"客户 {account} 的关系等级从{BAND[before][0]}降为{BAND[after][0]}（{zh_avg}）。"
            f"本次变化的关键人：{zh_who}。",
            f"Account {account} dropped from {BAND[before][1]} to {BAND[after][1]} ({en_avg}). "
            f"Key persons changed: {en_who}.")


def fading(who: str, days: int, moved: Pair, path: ReachPath | None) -> Pair:
    way = reach(path)
    return (f"{who} 的关系在减弱（与 {days} 天前相比）：{moved[0]}。{way[0]}。",
            f"Relationship with {who} is fading (vs {days} days ago): {moved[1]}. "
            f"{way[1].capitalize()}.")


def cut_off(who: str, role_value: str | None, removed: tuple[str, str] | None) -> Pair:
    r = role(role_value)
    zh_why = f"（移除的关系：{removed[0]} → {removed[1]}）" if removed else ""
    en_why = f" (tie removed: {removed[0]} → {removed[1]})" if removed else ""
    return (f"{r[0]} {who} 已被切断：我方已无人能在 4 步内接触到{zh_why}。",
            f"{r[1].capitalize()} {who} is cut off: none of our employees reaches them within "
            f"4 hops any more{en_why}.")


def review_overdue(account: str, owner: str | None, month: str, due_day: int) -> Pair:
    return (f"重点客户 {account} 本月（{month}）尚未记录月度 Review，已过 {due_day} 日"
            f"（负责人：{owner or '无'}）。",
            f"Key account {account} has no monthly review recorded for {month} by day {due_day} "
            f"(owner: {owner or 'none'}).")


def stale(who: str, role_value: str | None, last_day: str | None, days: int,
          path: ReachPath | None) -> Pair:
    r, way = role(role_value), reach(path)
    zh_since = f"最后更新于 {last_day}" if last_day else "从未评分"
    en_since = f"last updated {last_day}" if last_day else "never scored"
    return (f"{r[0]} {who} 的评分已超过 {days} 天未更新（{zh_since}）。{way[0]}。",
            f"{r[1].capitalize()} {who}: scores not updated for over {days} days ({en_since}). "
            f"{way[1].capitalize()}.")


def _avg(value: Any) -> str:
    return "?" if value is None else f"{value:.1f}"
