"""`python -m graphbrm.seed --scale S --seed N [--end DATE] [--out FILE]`: generate and report the sizes."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from graphbrm.seed.generate import generate, relationship_counts, table_sizes


def main(argv: list[str] | None = None) -> int:
    """Generate a bundle, print its sizes and the time taken, and write it when asked."""
    parser = argparse.ArgumentParser(prog="python -m graphbrm.seed", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--end", type=date.fromisoformat, default=None,
                        help="last day of history, YYYY-MM-DD (default: today)")
    parser.add_argument("--out", type=Path, default=None, help="write the bundle as JSON here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = generate(scale=args.scale, seed=args.seed, end=args.end)
    elapsed = time.perf_counter() - started
    relationships = relationship_counts(bundle)
    for name, count in {**table_sizes(bundle), **relationships}.items():
        print(f"{name:16} {count:>10,}")
    print(f"{'relationships':16} {sum(relationships.values()):>10,}")
    print(f"generated in {elapsed:.1f} s")
    if args.out is not None:
        args.out.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
