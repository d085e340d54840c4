"""The analyses on the store: load the viewer's snapshot, then run the networkx analysis."""

from __future__ import annotations

from graphbrm.access import Viewer, visibility
from graphbrm.analysis.reachability import (
    REACH_FIELDS,
    REACH_KINDS,
    DisjointPaths,
    Phase,
    ReachabilityReport,
    analyze,
    node_disjoint_paths,
)
from graphbrm.analysis.snapshot import GraphPart, load_graph_part, load_snapshot
from graphbrm.errors import NotFound
from graphbrm.figures import Thresholds
from graphbrm.store import Store

LOADING = "loading the graph"


def reachability_report(store: Store, *, viewer: Viewer, where: GraphPart, thresholds: Thresholds,
                        max_hops: int = 4, top: int | None = None,
                        phase: Phase | None = None) -> ReachabilityReport:
    """Unreachable decision makers, single points of failure, access holders in a scope."""
    def loading(done: int, total: int) -> None:
        if phase:
            phase(LOADING, done, total)

    graph = load_graph_part(store, viewer=viewer, where=where, kinds=REACH_KINDS, fields=REACH_FIELDS,
                       progress=loading)
    return analyze(graph, max_hops=max_hops, thresholds=thresholds, top=top, scope=str(where),
                   phase=phase)


def disjoint_paths(store: Store, *, viewer: Viewer, person_id: str,
                   max_hops: int = 4) -> DisjointPaths:
    """Node-disjoint paths from our staff to one visible key person, within its account's map."""
    found = store.read("snapshot/person_accounts", ids=[person_id], **visibility(store, viewer))
    if not found:
        raise NotFound(f"key person {person_id!r}")
    graph = load_snapshot(store, viewer=viewer, account_id=found[0]["account_id"],
                          kinds=REACH_KINDS, fields=REACH_FIELDS)
    return node_disjoint_paths(graph, person_id, max_hops=max_hops)
