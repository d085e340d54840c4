"""Import a bundle over HTTP (the same import as `graphbrm import`)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, UploadFile
from fastapi import File as FileParam
from pydantic import BaseModel

from graphbrm.api.deps import AdminDep, SettingsDep, StoreDep
from graphbrm.bundle import read_bundle
from graphbrm.errors import InvalidInput, Problem
from graphbrm.import_counts import TableCounts
from graphbrm.importer import import_bundle
from graphbrm.metrics import IMPORT_ROWS

router = APIRouter(tags=["import"])
SUFFIXES = {".json", ".xlsx"}


class ImportSummary(BaseModel):
    """What the import did: rows created, changed or already stored as they are, in all and
    per table of the bundle (importing the same bundle again creates and changes nothing)."""

    batch_id: str
    rows: int
    score_records: int
    created: int
    changed: int
    unchanged: int
    tables: dict[str, TableCounts]


@router.post("/import", responses={413: {"description": "The file or one of its tables is "
                                                         "larger than the import takes"}})
def import_file(file: Annotated[UploadFile, FileParam(description="bundle as .json or .xlsx")],
                store: StoreDep, viewer: AdminDep, settings: SettingsDep) -> ImportSummary:
    """Import a bundle (.json or .xlsx); a bad row rejects the whole file with its position;
    a table over GRAPHBRM_IMPORT_MAX_ROWS rows, or a workbook expanding past
    GRAPHBRM_IMPORT_MAX_UNCOMPRESSED_BYTES, gets 413."""
    suffix = Path(file.filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput([Problem("file", None, "filename", "expected a .json or .xlsx file")])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"bundle{suffix}"
        with path.open("wb") as copy:
            shutil.copyfileobj(file.file, copy)  # in chunks, not the whole upload in memory
        bundle = read_bundle(path, max_rows=settings.import_max_rows,
                             max_uncompressed_bytes=settings.import_max_uncompressed_bytes,
                             collect=True)  # bad rows and references in one 422
    result = import_bundle(store, bundle, actor=viewer.employee_id or "operator",
                           batch_size=settings.import_batch_size, zone=settings.zone)
    IMPORT_ROWS.inc(result.rows)
    return ImportSummary(batch_id=result.batch_id, rows=result.rows,
                         score_records=result.score_records, **result.total.model_dump(),
                         tables=result.counts)
