"""Offline analysis of a networkx snapshot of the graph: reachability, what-if (docs/method.md)."""
