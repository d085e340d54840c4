"""The vendored front-end libraries are the pinned files, each with its license beside it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "api" / "static" / "vendor"
ROW = re.compile(r"^\| [^|]+ \| [\w.]+ \| `(?P<file>[^`]+)`[^|]*\| [^|]*`(?P<license>[^`]+)` \| "
                 r"`(?P<sha>[0-9a-f]{64})` \|$")


def pinned() -> list[re.Match[str]]:
    rows = [ROW.match(line) for line in (VENDOR / "README.md").read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r]


def test_every_vendored_file_is_pinned_by_hash_with_its_license() -> None:
    rows = pinned()
    assert {r["file"] for r in rows} == {"cytoscape/cytoscape.esm.min.mjs", "elkjs/elk.bundled.js"}
    # Cytoscape names its version in the build (elkjs does not).
    assert b'version="3.35.0"' in (VENDOR / "cytoscape/cytoscape.esm.min.mjs").read_bytes()
    for r in rows:
        data = (VENDOR / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha"], r["file"]
        assert (VENDOR / r["license"]).stat().st_size > 500, r["license"]


def test_nothing_else_is_vendored() -> None:
    listed = {r["file"] for r in pinned()} | {r["license"] for r in pinned()} | {"README.md"}
    present = {str(p.relative_to(VENDOR)) for p in VENDOR.rglob("*") if p.is_file()}
    assert present == listed
