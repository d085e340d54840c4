"""Offline (networkx) analysis of the caller's graph: reachability, disjoint paths, what-if."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graphbrm.analysis import service, whatif
from graphbrm.analysis.reachability import DisjointPaths, ReachabilityReport
from graphbrm.analysis.snapshot import parse_graph_part
from graphbrm.api.deps import StoreDep, ThresholdsDep, ViewerDep, ZoneDep

router = APIRouter(prefix="/analysis", tags=["analysis"])
MaxHops = Annotated[int, Query(ge=1, le=6, description="longest path considered, in hops")]


@router.get("/reachability")
def reachability(store: StoreDep, viewer: ViewerDep, thresholds: ThresholdsDep,
                 scope: Annotated[str, Query(max_length=300,
                                             description="company | region:X | account:ID")]
                 = "company",
                 max_hops: MaxHops = 4,
                 top: Annotated[int, Query(ge=1, le=10_000, description="rows per list")] = 50,
                 ) -> ReachabilityReport:
    """Unreachable decision makers, single points of failure and top access holders."""
    return service.reachability_report(store, viewer=viewer, where=parse_graph_part(scope),
                                       thresholds=thresholds, max_hops=max_hops, top=top)


@router.get("/disjoint-paths/{person_id}")
def disjoint_paths(person_id: Annotated[str, Path(min_length=1, max_length=200)],
                   store: StoreDep, viewer: ViewerDep, max_hops: MaxHops = 4) -> DisjointPaths:
    """Node-disjoint alternative paths from our employees to one key person."""
    return service.disjoint_paths(store, viewer=viewer, person_id=person_id, max_hops=max_hops)


@router.post("/what-if")
def what_if(request: whatif.WhatIfRequest, store: StoreDep, viewer: ViewerDep,
            thresholds: ThresholdsDep, zone: ZoneDep,
            max_hops: MaxHops = 4) -> whatif.WhatIfResult:
    """Figures, review answers and reachability before/after changes; nothing is written."""
    return whatif.what_if(store, viewer=viewer, request=request, thresholds=thresholds,
                          max_hops=max_hops, zone=zone)
