"""Deterministic seed data: a realistic key-account sales company as an import bundle."""

from graphbrm.seed.generate import (
    BUNDLE_KEYS,
    Bundle,
    Row,
    generate,
    relationship_count,
    relationship_counts,
    table_sizes,
)

__all__ = ["BUNDLE_KEYS", "Bundle", "Row", "generate", "relationship_count",
           "relationship_counts", "table_sizes"]
