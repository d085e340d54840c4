"""What an operator watches: Prometheus metrics of the API processes (served on GET /metrics).

With several API workers (`graphbrm up --workers N`), each is its own process with its own
counters. `worker_metrics_dir` gives them one PROMETHEUS_MULTIPROC_DIR, where the client library
keeps every process's values in files; a scrape answered by any worker adds all of them up, so
the numbers are the server's, not one worker's.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Concatenate, ParamSpec, TypeVar

from prometheus_client import Counter, Histogram

S = TypeVar("S")
P = ParamSpec("P")
R = TypeVar("R")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# From a ping (~0.2 ms on the embedded store) to a company-wide report or an import (seconds).
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                   5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "graphbrm_http_requests", "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"])
HTTP_SECONDS = Histogram(
    "graphbrm_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method, route template and status.",
    ["method", "route", "status"], buckets=LATENCY_BUCKETS)
STORE_QUERY_SECONDS = Histogram(
    "graphbrm_store_query_seconds",
    "Time a named store query took (cypher/<query>.cypher), from sending it to its rows.",
    ["query"], buckets=LATENCY_BUCKETS)
IMPORT_ROWS = Counter("graphbrm_import_rows", "Bundle rows imported through the API.")
REPORT_CACHE = Counter(
    "graphbrm_report_cache_lookups",
    "Lookups in the per-process report cache, by result: hit or miss (then computed).",
    ["result"])


@contextmanager
def worker_metrics_dir() -> Iterator[str]:
    """A fresh directory for the workers' metric files, named in PROMETHEUS_MULTIPROC_DIR for
    the processes started inside the block, and removed after it (the counts start at zero
    with every start, as a single process's do)."""
    path = tempfile.mkdtemp(prefix="graphbrm-metrics-")
    previous = os.environ.get(MULTIPROC_ENV)
    os.environ[MULTIPROC_ENV] = path
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop(MULTIPROC_ENV, None)
        else:
            os.environ[MULTIPROC_ENV] = previous
        shutil.rmtree(path, ignore_errors=True)


def timed_query(run: Callable[Concatenate[S, str, P], R]) -> Callable[Concatenate[S, str, P], R]:
    """A store's query runner, timed per named query in STORE_QUERY_SECONDS."""

    @functools.wraps(run)
    def timed(store: S, query: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with STORE_QUERY_SECONDS.labels(query).time():
            return run(store, query, *args, **kwargs)

    return timed
