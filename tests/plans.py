"""What a hot query's plan must look like on each store."""

from __future__ import annotations


def assert_starts_from_an_index(plan: str, dialect: str, anchor: str | None = None) -> None:
    """`anchor` ("a:Account"; any node if None) is found through an index, and no node by a scan."""
    if dialect == "falkordb":
        wanted = f"Node By Index Scan | ({anchor})" if anchor else "Node By Index Scan"
        assert wanted in plan, plan
        assert "All Node Scan" not in plan and "Label Scan" not in plan, plan
        return
    seeks = [line.split("|")[1].strip().split(", ") for line in plan.splitlines()
             if "IndexSeek" in line]
    assert any(anchor is None or anchor.split(":")[0] in names for names in seeks), plan
    assert "AllNodesScan" not in plan and "NodeByLabelScan" not in plan, plan
