"""Who of our staff can reach the customer's decision makers (docs/method.md, offline, networkx).

The reach graph holds our employees and the key persons, with Employee-INFLUENCES/KNOWS->
KeyPerson and KeyPerson-INFLUENCES->KeyPerson edges; a path's strength is the product of its
edges' strength/100. Employees have no incoming reach edges, so every path starts at one
employee and runs through key persons only.

Single points of failure are exact for the hop bound: a node lies on every path of at most
`max_hops` hops from our staff to a target exactly when removing it leaves no such path. Such a
node also lies on every shortest path, so it is the only node of its layer in the target's
shortest-path DAG; only those few candidates are checked by a bounded search without them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pydantic import BaseModel

from graphbrm.figures import PersonStatus, Thresholds, person_status
from graphbrm.vocabulary import BLOCKING_ROLES, DIMENSIONS

DECISION_MAKER_ROLES = frozenset({"veto", "approver", "decision_maker"})
REACH_TYPES = frozenset({"INFLUENCES", "KNOWS"})
# What a snapshot needs to hold for this analysis (see snapshot.load_snapshot's `kinds`).
REACH_KINDS = frozenset({"Employee", "KeyPerson", *REACH_TYPES})
# The node properties the analysis reads (snapshot.load_snapshot's `fields`): loading only
# these, as plain values, is what keeps loading the company short.
REACH_FIELDS = {"Employee": ("id", "name"),
                "KeyPerson": ("id", "name", "decision_role", *DIMENSIONS)}
ROLE_ORDER = {"veto": 0, "approver": 1, "decision_maker": 2}

Phase = Callable[[str, int, int], None]


class UnreachableDecisionMaker(BaseModel):
    id: str
    name: str | None
    decision_role: str
    account_id: str | None
    status: PersonStatus
    hops: int | None  # the nearest employee over any number of hops; null: none at all


class SinglePointOfFailure(BaseModel):
    id: str
    kind: str  # employee | key_person
    name: str | None
    account_id: str | None
    dependents: int
    targets: list[str]


class AccessHolder(BaseModel):
    employee_id: str
    name: str | None
    decision_makers: int
    strength: float


class ReachabilityReport(BaseModel):
    """Offline reachability of the decision makers in one scope (lists ranked, cut to `top`)."""

    scope: str
    max_hops: int
    employees: int
    key_persons: int
    decision_makers: int
    gates: int  # veto holders and approvers
    unreachable_total: int
    unreachable: list[UnreachableDecisionMaker]
    single_points_of_failure_total: int
    single_points_of_failure: list[SinglePointOfFailure]
    access_holders_total: int
    access_holders: list[AccessHolder]


class DisjointPath(BaseModel):
    nodes: list[str]
    hops: int
    strength: float


class DisjointPaths(BaseModel):
    """Node-disjoint paths from our staff to one key person (alternatives that share no one)."""

    target_id: str
    max_hops: int
    paths: list[DisjointPath]


@dataclass
class ReachGraph:
    """Adjacency of the reach edges, strengths as fractions (the best of parallel ties)."""

    employees: set[str]
    persons: dict[str, dict[str, Any]]
    succ: dict[str, dict[str, float]] = field(default_factory=dict)
    pred: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def of(cls, graph: nx.MultiDiGraph, *, without: Iterable[str] = ()) -> ReachGraph:
        """The reach graph of a snapshot, optionally without some nodes (e.g. leavers)."""
        gone = set(without)
        labels = graph.nodes(data="label")
        reach = cls(employees={n for n, label in labels if label == "Employee" and n not in gone},
                     persons={n: graph.nodes[n] for n, label in labels
                              if label == "KeyPerson" and n not in gone})
        for u, v, data in graph.edges(data=True):
            if data.get("type") in REACH_TYPES and v in reach.persons and (
                    u in reach.persons or u in reach.employees):
                reach.add(u, v, (data.get("strength") or 0) / 100)
        return reach

    def add(self, u: str, v: str, strength: float) -> None:
        """Add (or strengthen) the edge u → v."""
        if strength >= self.succ.get(u, {}).get(v, -1.0):
            self.succ.setdefault(u, {})[v] = strength
            self.pred.setdefault(v, {})[u] = strength

    def decision_makers(self, roles: frozenset[str] = DECISION_MAKER_ROLES) -> list[str]:
        """Key persons with one of these decision roles, sorted by id."""
        return sorted(p for p, attrs in self.persons.items() if attrs.get("decision_role") in roles)


def analyze(graph: nx.MultiDiGraph, *, max_hops: int = 4, thresholds: Thresholds,
            top: int | None = None, scope: str = "company",
            phase: Phase | None = None) -> ReachabilityReport:
    """Unreachable decision makers, single points of failure and access holders of a snapshot."""
    reach = ReachGraph.of(graph)
    decision_makers = reach.decision_makers()
    gates = reach.decision_makers(frozenset(BLOCKING_ROLES))
    hops = hops_from_staff(reach)
    unreachable = unreachable_decision_makers(reach, decision_makers, hops, max_hops=max_hops,
                                              thresholds=thresholds)
    _tick(phase, "unreachable decision makers", 1, 1)
    holders = access_holders(reach, decision_makers, max_hops=max_hops, graph=graph,
                             phase=phase)
    spofs = single_points_of_failure(reach, gates, hops, max_hops=max_hops, graph=graph,
                                     phase=phase)
    return ReachabilityReport(
        scope=scope, max_hops=max_hops, employees=len(reach.employees),
        key_persons=len(reach.persons), decision_makers=len(decision_makers), gates=len(gates),
        unreachable_total=len(unreachable), unreachable=unreachable[:top],
        single_points_of_failure_total=len(spofs), single_points_of_failure=spofs[:top],
        access_holders_total=len(holders), access_holders=holders[:top])


def unreachable_decision_makers(reach: ReachGraph, decision_makers: list[str],
                                hops: dict[str, int], *, max_hops: int,
                                thresholds: Thresholds) -> list[UnreachableDecisionMaker]:
    """Decision makers that no employee reaches within max_hops; veto holders first.

    `hops` is `hops_from_staff(reach)`, unbounded, so each one's nearest distance shows.
    """
    found = []
    for p in decision_makers:
        if hops.get(p, max_hops + 1) > max_hops:
            attrs = reach.persons[p]
            found.append(UnreachableDecisionMaker(
                id=p, name=attrs.get("name"), decision_role=attrs["decision_role"],
                account_id=attrs.get("account_id"), hops=hops.get(p),
                status=person_status(attrs, attrs["decision_role"], thresholds)))
    found.sort(key=lambda u: (ROLE_ORDER[u.decision_role], u.account_id or "", u.id))
    return found


def hops_from_staff(reach: ReachGraph, *, limit: int | None = None) -> dict[str, int]:
    """Fewest hops from any employee to each node (breadth first, optionally bounded)."""
    hops = dict.fromkeys(reach.employees, 0)
    queue = deque(hops)
    while queue:
        u = queue.popleft()
        if limit is not None and hops[u] >= limit:
            continue
        for v in reach.succ.get(u, {}):
            if v not in hops:
                hops[v] = hops[u] + 1
                queue.append(v)
    return hops


def best_strengths(reach: ReachGraph, sources: Iterable[str], *, max_hops: int) -> dict[str, float]:
    """The strongest path of at most max_hops hops from any source to each node it reaches.

    Bellman–Ford bounded by hops, relaxing only what improved in the previous round; strengths
    are at most 1, so a walk never beats the simple path inside it.
    """
    best = dict.fromkeys(sources, 1.0)
    changed = dict(best)
    for _ in range(max_hops):
        improved: dict[str, float] = {}
        for u, s_u in changed.items():
            for v, s in reach.succ.get(u, {}).items():
                candidate = s_u * s
                if candidate > best.get(v, -1.0) and candidate > improved.get(v, -1.0):
                    improved[v] = candidate
        best.update(improved)
        changed = improved
        if not changed:
            break
    return best


def access_holders(reach: ReachGraph, decision_makers: list[str], *, max_hops: int,
                   graph: nx.MultiDiGraph, phase: Phase | None = None) -> list[AccessHolder]:
    """Employees by decision makers reached within max_hops, then by summed best strength."""
    wanted = set(decision_makers)
    holders = []
    employees = sorted(reach.employees)
    for n, e in enumerate(employees, 1):
        best = best_strengths(reach, {e}, max_hops=max_hops)
        reached = [s for p, s in best.items() if p in wanted]
        if reached:
            holders.append(AccessHolder(employee_id=e, name=graph.nodes[e].get("name"),
                                        decision_makers=len(reached),
                                        strength=round(sum(reached), 6)))
        if n % 100 == 0 or n == len(employees):
            _tick(phase, "access holders", n, len(employees))
    holders.sort(key=lambda h: (-h.decision_makers, -h.strength, h.employee_id))
    return holders


def single_points_of_failure(reach: ReachGraph, targets: list[str], hops: dict[str, int], *,
                             max_hops: int, graph: nx.MultiDiGraph,
                             phase: Phase | None = None) -> list[SinglePointOfFailure]:
    """Employees and contacts on every ≤ max_hops path to a veto holder or approver, ranked.

    `hops` is `hops_from_staff(reach)` (bounded or not: only distances ≤ max_hops are used).
    """
    dependents: dict[str, list[str]] = {}
    for n, t in enumerate(targets, 1):
        if hops.get(t, max_hops + 1) <= max_hops:
            for x in cut_nodes(reach, t, hops, max_hops=max_hops):
                dependents.setdefault(x, []).append(t)
        if n % 100 == 0 or n == len(targets):
            _tick(phase, "single points of failure", n, len(targets))
    found = [SinglePointOfFailure(
        id=x, kind="employee" if x in reach.employees else "key_person",
        name=graph.nodes[x].get("name"), account_id=graph.nodes[x].get("account_id"),
        dependents=len(ts), targets=ts) for x, ts in dependents.items()]
    found.sort(key=lambda f: (-f.dependents, f.id))
    return found


def cut_nodes(reach: ReachGraph, target: str, hops: dict[str, int], *, max_hops: int) -> list[str]:
    """The nodes on every path of at most max_hops hops from our staff to `target`."""
    to_target = _hops_to(reach, target, limit=hops[target])
    layers: dict[int, list[str]] = {}
    for v, d in to_target.items():
        if v != target and hops.get(v, max_hops + 1) + d == hops[target]:
            layers.setdefault(hops[v], []).append(v)
    candidates = [nodes[0] for nodes in layers.values() if len(nodes) == 1]
    return sorted(x for x in candidates
                  if not _staff_within(reach, target, limit=max_hops, avoid=x))


def _hops_to(reach: ReachGraph, target: str, *, limit: int, avoid: str | None = None) -> dict[str, int]:
    """Fewest hops from each node to `target` (backwards breadth first, bounded)."""
    hops = {target: 0}
    queue = deque([target])
    while queue:
        v = queue.popleft()
        if hops[v] >= limit:
            continue
        for u in reach.pred.get(v, {}):
            if u not in hops and u != avoid:
                hops[u] = hops[v] + 1
                queue.append(u)
    return hops


def _staff_within(reach: ReachGraph, target: str, *, limit: int, avoid: str) -> bool:
    return any(u in reach.employees for u in _hops_to(reach, target, limit=limit, avoid=avoid))


def node_disjoint_paths(graph: nx.MultiDiGraph, person_id: str, *,
                        max_hops: int = 4) -> DisjointPaths:
    """Node-disjoint paths from our employees to a key person (Menger, via a super-source).

    The search runs on the nodes that lie on some path of at most max_hops hops to the person;
    a path found there may itself be longer, so each path reports its hops.
    """
    reach = ReachGraph.of(graph)
    if person_id not in reach.persons:
        return DisjointPaths(target_id=person_id, max_hops=max_hops, paths=[])
    near = _near_nodes(reach, person_id, max_hops=max_hops)
    source = ("our staff",)  # a tuple never collides with a string node id
    flow = nx.DiGraph()
    flow.add_edges_from((u, v) for u in near for v in reach.succ.get(u, {}) if v in near)
    flow.add_edges_from((source, e) for e in near & reach.employees)
    if not flow.has_node(person_id) or not flow.has_node(source):
        return DisjointPaths(target_id=person_id, max_hops=max_hops, paths=[])
    try:
        found = [p[1:] for p in nx.node_disjoint_paths(flow, source, person_id)]
    except nx.NetworkXNoPath:
        found = []
    paths = [DisjointPath(nodes=p, hops=len(p) - 1, strength=round(_strength(reach, p), 6))
             for p in found]
    paths.sort(key=lambda p: (-p.strength, p.hops, p.nodes))
    return DisjointPaths(target_id=person_id, max_hops=max_hops, paths=paths)


def _near_nodes(reach: ReachGraph, target: str, *, max_hops: int) -> set[str]:
    from_staff = hops_from_staff(reach, limit=max_hops)
    to_target = _hops_to(reach, target, limit=max_hops)
    return {v for v, d in to_target.items() if v in from_staff and from_staff[v] + d <= max_hops}


def _strength(reach: ReachGraph, nodes: list[str]) -> float:
    strength = 1.0
    for u, v in zip(nodes, nodes[1:], strict=False):
        strength *= reach.succ[u][v]
    return strength


def _tick(phase: Phase | None, name: str, done: int, total: int) -> None:
    if phase:
        phase(name, done, total)
