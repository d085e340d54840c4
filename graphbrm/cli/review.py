"""M, the monthly review on the command line: the three questions with their evidence, the action
items and the actions agreed last time, in English or Chinese."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from graphbrm import clock
from graphbrm.access import Viewer
from graphbrm.cli.common import AsJson, console, opened_store, print_json
from graphbrm.cli.paths import route
from graphbrm.review import (
    ActionItem,
    AveragesEvidence,
    BlockersEvidence,
    CoverageEvidence,
    MonthlyReview,
    monthly_review,
)
from graphbrm.settings import get_settings
from graphbrm.vocabulary import DIMENSIONS


def register(app: typer.Typer) -> None:
    """Add this module's commands to the `graphbrm` app."""
    for command in (review,):
        app.command()(command)


class Lang(StrEnum):
    en = "en"
    zh = "zh"


AsOf = Annotated[dt.datetime | None, typer.Option(
    "--as-of", formats=["%Y-%m-%d"], help="scores as of the end of this day (default today)")]

# What the manager reads aloud, in both languages (the Chinese terms are the method's).
WORDS = {
    Lang.en: {
        "title": "Monthly review", "as_of": "as of", "band": "band",
        "coverage": "Is the relationship map complete: every key person identified, every score known?",
        "averages": "Are the average closeness, solution acceptance and price acceptance all ≥ {good}?",
        "blockers": "Does no veto holder or final approver oppose us (or remain unclear)?",
        "missing": "{missing} key person(s) still to identify (expected {expected}, identified {identified})",
        "expected_unset": "the expected number of key persons is not set ({identified} identified)",
        "unknown": "unknown scores: {persons}", "short": "below {good}: {dims}",
        "no_average": "no known score yet: {dims}",
        "no_blockers": "no veto holder or final approver opposes us", "none": "none",
        "actions": "Action items", "no_actions": "No action items: well done.",
        "previous": "Actions agreed at the previous review ({date}, reviewer {reviewer})",
        "no_previous": "No earlier review recorded.", "unknown_value": "unknown",
        "name": "name", "role": "role", "status": "status", "path": "best path",
        "no_path": "no path from our employees",
        "closeness": "closeness", "solution_acceptance": "solution", "price_acceptance": "price",
        "veto": "veto holder", "approver": "final approver", "opposes": "opposes",
        "unclear": "unclear", "band_excellent": "excellent", "band_good": "good",
        "band_poor": "poor", "band_unknown": "unknown",
    },
    Lang.zh: {
        "title": "月度 Review", "as_of": "截至", "band": "等级",
        "coverage": "客户关系图谱的关键人都摸清了吗?每个关键人的商业关系都已知吗?",
        "averages": "平均关系紧密度、方案认可度和价格接受度是否都 ≥ {good} 分?",
        "blockers": "一票否决人和一票批准人中,是否没有人在商业关系上反对我们(或态度不明)?",
        "missing": "还有 {missing} 位关键人没摸清(应有 {expected} 位,已识别 {identified} 位)",
        "expected_unset": "尚未设定应有的关键人数量(已识别 {identified} 位)",
        "unknown": "商业关系未知的关键人:{persons}", "short": "低于 {good} 分:{dims}",
        "no_average": "尚无已知得分:{dims}",
        "no_blockers": "没有一票否决人或一票批准人反对我们", "none": "无",
        "actions": "行动项", "no_actions": "没有行动项,保持住。",
        "previous": "上次 Review({date},主管 {reviewer})的行动项",
        "no_previous": "暂无上次 Review。", "unknown_value": "未知",
        "name": "姓名", "role": "角色", "status": "状态", "path": "最佳路径",
        "no_path": "我司员工无人能触达",
        "closeness": "关系紧密度", "solution_acceptance": "方案认可度", "price_acceptance": "价格接受度",
        "veto": "一票否决人", "approver": "一票批准人", "opposes": "反对", "unclear": "态度不明",
        "band_excellent": "优", "band_good": "良", "band_poor": "差", "band_unknown": "未知",
    },
}


def review(account_id: Annotated[str, typer.Argument(help="the account's id")],
           as_of: AsOf = None,
           as_json: AsJson = False,
           lang: Annotated[Lang, typer.Option(help="language of the printed review")] = Lang.en) -> None:
    """The monthly review of an account: three questions, evidence, action items, last actions."""
    settings = get_settings()
    with opened_store(settings) as store:
        result = monthly_review(store, viewer=Viewer.operator(), account_id=account_id,
                                as_of=as_of.date() if as_of else clock.today(settings.zone),
                                thresholds=settings.thresholds)
    if as_json:
        print_json(result)
    else:
        _print_review(result, WORDS[lang], zh=lang is Lang.zh)


def _print_review(r: MonthlyReview, w: dict[str, str], *, zh: bool) -> None:
    f = r.figures
    console.print(f"[bold]{w['title']}[/bold] {f.name} ({f.id}) · {w['as_of']} {r.as_of} · "
                  f"{w['band']} {w['band_' + f.band]}")
    for n, q in enumerate(r.questions, 1):
        mark = "[green]✔[/green]" if q.passed else "[red]✘[/red]"
        good = q.evidence.good if isinstance(q.evidence, AveragesEvidence) else ""
        console.print(f"\n{mark} [bold]{n}. {w[q.key].format(good=good)}[/bold]")
        if isinstance(q.evidence, CoverageEvidence):
            _print_coverage(q.evidence, w, zh=zh)
        elif isinstance(q.evidence, AveragesEvidence):
            _print_averages(q.evidence, w, zh=zh)
        elif isinstance(q.evidence, BlockersEvidence):
            _print_blockers(q.evidence, w)
    console.print(f"\n[bold]{w['actions']}[/bold]")
    _print_actions(r.actions, w["no_actions"], zh=zh)
    if r.previous is None:
        console.print(f"\n{w['no_previous']}")
    else:
        console.print(f"\n[bold]{w['previous'].format(date=r.previous.date, reviewer=r.previous.reviewer_id)}"
                      "[/bold]")
        _print_actions(r.previous.actions, w["none"], zh=zh)


def _print_coverage(e: CoverageEvidence, w: dict[str, str], *, zh: bool) -> None:
    if e.expected_unset:
        console.print("   " + w["expected_unset"].format(identified=e.identified))
    if e.missing:
        console.print("   " + w["missing"].format(missing=e.missing, expected=e.expected,
                                                  identified=e.identified))
    if e.unknown_persons:
        sep = "、" if zh else ", "
        persons = sep.join(f"{p.name or p.id} ({', '.join(w[d] for d in p.unknown_dimensions)})"
                           for p in e.unknown_persons)
        console.print("   " + w["unknown"].format(persons=persons))


def _print_averages(e: AveragesEvidence, w: dict[str, str], *, zh: bool) -> None:
    console.print("   " + " · ".join(f"{w[d]} {_number(e.averages[d], w)}" for d in DIMENSIONS))
    sep = "、" if zh else ", "
    if e.short:
        console.print("   " + w["short"].format(good=e.good, dims=sep.join(w[d] for d in e.short)))
    if e.unknown_dimensions:
        console.print("   " + w["no_average"].format(dims=sep.join(w[d] for d in e.unknown_dimensions)))


def _print_blockers(e: BlockersEvidence, w: dict[str, str]) -> None:
    if not e.persons:
        console.print("   " + w["no_blockers"])
        return
    table = Table(w["name"], w["role"], *(w[d] for d in DIMENSIONS), w["status"], w["path"])
    for p in e.persons:
        best = f"{route(p.paths[0])} ({p.paths[0].strength:.2f})" if p.paths else w["no_path"]
        table.add_row(p.name or p.id, w[p.decision_role],
                      *(_number(getattr(p, d), w) for d in DIMENSIONS), w[p.status], best)
    console.print(table)


def _print_actions(actions: list[ActionItem], empty: str, *, zh: bool) -> None:
    if not actions:
        console.print(f"   {empty}")
    for n, a in enumerate(actions, 1):
        console.print(f"  {n}. {(a.text_zh if zh else None) or a.text}")


def _number(value: float | None, w: dict[str, str]) -> str:
    return w["unknown_value"] if value is None else f"{value:.1f}".removesuffix(".0")
