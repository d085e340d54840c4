"""Write the CSV folder and the XLSX workbook of this folder's bundle.json (the same rows).

Run from the repository: `.venv/bin/python docs/examples/make_examples.py`.
"""

import json
from pathlib import Path

from graphbrm.bundle import write_bundle

HERE = Path(__file__).parent

tables = json.loads((HERE / "bundle.json").read_text(encoding="utf-8"))
write_bundle(tables, HERE / "csv", "csv")
write_bundle(tables, HERE / "bundle.xlsx", "xlsx")
