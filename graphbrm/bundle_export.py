"""Export the stored graph as an import bundle (docs/import.md), so it can be imported again."""

from __future__ import annotations

from typing import Any

from graphbrm.bundle import TABLES
from graphbrm.store import Store


def export_bundle(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every table of the bundle, read back from the store, sorted for stable diffs."""
    tables = {table: store.read(f"export/{table}") for table in TABLES}
    for row in tables["opportunities"]:
        row["involves"] = sorted(row["involves"], key=lambda i: i["person_id"])
        row["used_influence"] = sorted(row["used_influence"])
    for row in tables["activities"]:
        row["person_ids"] = sorted(row["person_ids"])
    return tables
