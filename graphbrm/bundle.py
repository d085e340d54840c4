"""The import bundle (docs/import.md): its rows as pydantic models, read from JSON, CSV or XLSX.

Row numbers in errors count data rows from 1 (the header row of CSV/XLSX is not counted).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from graphbrm.errors import InvalidInput, Problem, TooLarge
from graphbrm.values import check_in_range
from graphbrm.vocabulary import DecisionRole, EmployeeRole, Id, Name, Score, Strength, Text


def iso_date_or_time(value: Any) -> str | None:
    """Normalise an ISO date or date-time (string or object) to its ISO string; its day must lie
    in 1900–2200 (graphbrm.values)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):  # a date or a date-time, from an XLSX cell
        check_in_range(value)
        return value.isoformat()
    text = str(value).strip()
    try:
        moment = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 date (YYYY-MM-DD)") from None
    check_in_range(moment)
    return moment.isoformat()


IsoDate = Annotated[str | None, Field(default=None)]


def _cell_items(cell: str, example: str) -> list[str]:
    """The `;`-separated items of a CSV/XLSX list cell; ValueError when it is malformed."""
    text = cell.strip()
    if text.startswith(("[", "{")):
        raise ValueError(f"{cell!r} looks like JSON: a cell lists its items as {example}")
    items = [v.strip() for v in text.split(";")]
    if text and "" in items:
        raise ValueError(f"{cell!r} has an empty item: a cell lists its items as {example}")
    return [v for v in items if v]


def _no_repeats(ids: list[str]) -> None:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(f"{', '.join(map(repr, repeated))} listed more than once")


def split_ids(value: Any) -> Any:
    """CSV/XLSX cells hold lists of ids as `E1;E2`; an id may be listed only once."""
    if value is None:
        return []
    ids = _cell_items(value, "E1;E2") if isinstance(value, str) else value
    if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
        _no_repeats(ids)
    return ids


IdList = Annotated[list[Id], BeforeValidator(split_ids)]


class Row(BaseModel):
    """A bundle row: unknown fields are errors, empty cells are absent values."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_cells_are_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: (None if v == "" else v) for k, v in data.items()}
        return data


class _Dated(Row):
    @field_validator("*", mode="before")
    @classmethod
    def _dates(cls, value: Any, info: Any) -> Any:
        if info.field_name in {"since", "at", "scored_at", "created_at", "closed_at"}:
            return iso_date_or_time(value)
        return value


class AccountRow(Row):
    id: Id
    name: Name
    industry: Text | None = None
    region: Text | None = None
    tier: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[^\x00]*$")] = "key"
    expected_key_persons: Annotated[int, Field(ge=0, le=10_000)] = 0


class DepartmentRow(Row):
    id: Id
    account_id: Id
    name: Name
    parent_id: Id | None = None


class KeyPersonRow(_Dated):
    id: Id
    department_id: Id
    name: Name
    title: Text | None = None
    decision_role: DecisionRole = "other"
    closeness: Score = None
    solution_acceptance: Score = None
    price_acceptance: Score = None
    scored_at: IsoDate = None
    reports_to: Id | None = None


class EmployeeRow(Row):
    id: Id
    name: Name
    title: Text | None = None
    role: EmployeeRole = "rep"
    manager_id: Id | None = None


class AccountTeamRow(Row):
    employee_id: Id
    account_id: Id
    role: Literal["owner", "member"] = "member"


class InfluenceRow(_Dated):
    model_config = ConfigDict(populate_by_name=True)
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    strength: Strength
    since: IsoDate = None


class KnowsRow(_Dated):
    employee_id: Id
    person_id: Id
    strength: Strength
    since: IsoDate = None


class Involvement(Row):
    person_id: Id
    role: Text | None = None


class OpportunityRow(_Dated):
    id: Id
    account_id: Id
    name: Name
    amount: Annotated[float, Field(ge=0)] = 0
    currency: Annotated[str, Field(max_length=10, pattern=r"^[^\x00]*$")] = "CNY"
    stage: Text | None = None
    status: Literal["open", "won", "lost"] = "open"
    qualified: bool = False
    created_at: str
    closed_at: IsoDate = None
    used_influence: IdList = Field(default_factory=list)
    involves: list[Involvement] = Field(default_factory=list)

    @field_validator("involves", mode="before")
    @classmethod
    def _involvement_list(cls, value: Any) -> Any:
        """CSV/XLSX cells hold `P1:decision;P2:user`."""
        if value is None:
            return []
        if isinstance(value, str):
            pairs = [v.partition(":") for v in _cell_items(value, "P1:decision;P2:user")]
            if any(not p.strip() for p, _, _ in pairs):
                raise ValueError(f"{value!r} has a role without a person: "
                                 "a cell lists its items as P1:decision;P2:user")
            if any(":" in r for _, _, r in pairs):  # e.g. `P1:decision,P2:user`
                raise ValueError(f"{value!r} has an item with two roles: "
                                 "a cell lists its items as P1:decision;P2:user")
            value = [{"person_id": p.strip(), "role": r.strip() or None} for p, _, r in pairs]
        if isinstance(value, list):
            _no_repeats([i["person_id"] for i in value if isinstance(i, dict)
                         and isinstance(i.get("person_id"), str)])
        return value

    @model_validator(mode="after")
    def _closed_when_decided(self) -> OpportunityRow:
        if self.status != "open" and self.closed_at is None:
            raise ValueError("closed_at: a won or lost opportunity needs closed_at")
        if self.closed_at is not None and self.closed_at[:10] < self.created_at[:10]:
            raise ValueError("closed_at: is before created_at")
        return self


class ScoreHistoryRow(_Dated):
    person_id: Id
    at: str
    closeness: Score = None
    solution_acceptance: Score = None
    price_acceptance: Score = None


class ActivityRow(_Dated):
    id: Id
    employee_id: Id
    kind: Literal["prescribed", "optional"]
    type: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    at: str
    note: Text | None = None
    person_ids: IdList = Field(default_factory=list)


TABLES: dict[str, type[Row]] = {
    "accounts": AccountRow,
    "departments": DepartmentRow,
    "key_persons": KeyPersonRow,
    "employees": EmployeeRow,
    "account_teams": AccountTeamRow,
    "influences": InfluenceRow,
    "knows": KnowsRow,
    "opportunities": OpportunityRow,
    "score_history": ScoreHistoryRow,
    "activities": ActivityRow,
}


class Bundle(BaseModel):
    """A parsed, row-valid bundle (references are checked by the importer)."""

    accounts: list[AccountRow] = []
    departments: list[DepartmentRow] = []
    key_persons: list[KeyPersonRow] = []
    employees: list[EmployeeRow] = []
    account_teams: list[AccountTeamRow] = []
    influences: list[InfluenceRow] = []
    knows: list[KnowsRow] = []
    opportunities: list[OpportunityRow] = []
    score_history: list[ScoreHistoryRow] = []
    activities: list[ActivityRow] = []

    # Set by `parse_tables(collect=True)`: the problems found while reading, the bundle row
    # number of each kept row (refused rows are left out), and the ids of refused rows, which
    # other rows may still name without a second, misleading "unknown id".
    _problems: list[Problem] = PrivateAttr(default_factory=list)
    _numbers: dict[str, list[int]] = PrivateAttr(default_factory=dict)
    _refused_ids: dict[str, set[str]] = PrivateAttr(default_factory=dict)

    def row_count(self) -> int:
        return sum(len(getattr(self, t)) for t in TABLES)

    @property
    def problems(self) -> list[Problem]:
        """The rows refused while reading (empty unless read with `collect=True`)."""
        return list(self._problems)

    def refused_ids(self, table: str) -> set[str]:
        """The ids of the rows of `table` that were refused while reading."""
        return self._refused_ids.get(table, set())

    def numbered(self, problems: list[Problem]) -> list[Problem]:
        """Problems found on the kept rows, with the rows numbered as in the bundle."""
        return [Problem(p.table, self.row_number(p.table, p.row), p.field, p.reason)
                for p in problems]

    def row_number(self, table: str, index: int | None) -> int | None:
        """The bundle row number of the `index`-th kept row of `table` (from 1)."""
        numbers = self._numbers.get(table)
        if index is None or not numbers or index > len(numbers):
            return index
        return numbers[index - 1]


def parse_tables(raw: dict[str, Any], *, max_rows: int | None = None,
                 collect: bool = False) -> Bundle:
    """Validate every row of raw tables; TooLarge for a table of more than `max_rows` rows.

    Every bad row is found in one pass. Without `collect`, InvalidInput lists them; with it,
    the bundle keeps the good rows and carries the problems (`Bundle.problems`) for the
    importer to report together with the reference problems it finds.
    """
    if not isinstance(raw, dict):
        raise InvalidInput([Problem("bundle", None, None, "expected an object of tables")])
    for table, rows in raw.items():
        if max_rows is not None and isinstance(rows, list) and len(rows) > max_rows:
            raise too_many_rows(table, max_rows)
    problems = [Problem(key, None, None, f"unknown table; expected one of {', '.join(TABLES)}")
                for key in raw if key not in TABLES]
    parsed: dict[str, list[Row]] = {}
    numbers: dict[str, list[int]] = {}
    refused: dict[str, set[str]] = {}
    for table, model in TABLES.items():
        rows = raw.get(table) or []
        if not isinstance(rows, list):
            problems.append(Problem(table, None, None, "expected a list of rows"))
            continue
        parsed[table], numbers[table] = [], []
        for number, row in enumerate(rows, start=1):
            try:
                parsed[table].append(model.model_validate(row))
                numbers[table].append(number)
            except ValidationError as e:
                problems.extend(_problems(table, number, e))
                if isinstance(row, dict) and isinstance(row.get("id"), str):
                    refused.setdefault(table, set()).add(row["id"].strip())
    bundle = Bundle.model_validate(parsed)
    bundle._numbers, bundle._refused_ids = numbers, refused
    problems += bundle.numbered(_between_rows(bundle))
    if problems and not collect:
        raise InvalidInput(problems)
    bundle._problems = problems
    return bundle


def _between_rows(b: Bundle) -> list[Problem]:
    """Rules between the rows of one bundle; references into the store are the importer's."""
    department_account = {d.id: d.account_id for d in b.departments}
    person_account = {k.id: department_account.get(k.department_id) for k in b.key_persons}
    return reports_to_problems(b.key_persons, person_account)


def reports_to_problems(persons: list[KeyPersonRow], account_of: dict[str, str | None],
                        ) -> list[Problem]:
    """The customer's formal line stays inside one customer: `reports_to` in the same account."""
    problems = []
    for n, k in enumerate(persons, 1):
        mine, theirs = account_of.get(k.id), account_of.get(k.reports_to or "")
        if mine is not None and theirs is not None and mine != theirs:
            problems.append(Problem("key_persons", n, "reports_to",
                                    f"{k.reports_to!r} belongs to another account ({theirs!r}, "
                                    f"not {mine!r})"))
    return problems


def _problems(table: str, row: int, error: ValidationError) -> list[Problem]:
    found = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or None
        message = item["msg"].removeprefix("Value error, ")
        if field is None and ":" in message:  # model-level checks name their field first
            field, _, message = message.partition(": ")
        found.append(Problem(table, row, field, message))
    return found


def read_bundle(path: Path, *, max_rows: int | None = None,
                max_uncompressed_bytes: int | None = None, collect: bool = False) -> Bundle:
    """Read a bundle from a .json file, a folder of .csv files, or an .xlsx workbook; TooLarge
    for a table of more than `max_rows` rows or a workbook expanding past
    `max_uncompressed_bytes` (None: no limit), found while reading, not after. `collect`: as
    for `parse_tables`."""
    path = Path(path)
    if path.is_dir():
        return parse_tables(_read_csv_folder(path, max_rows), max_rows=max_rows, collect=collect)
    if path.suffix.lower() == ".json":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise InvalidInput([Problem(path.name, None, None, f"not JSON: {e}")]) from e
        return parse_tables(raw, max_rows=max_rows, collect=collect)
    if path.suffix.lower() == ".xlsx":
        return parse_tables(_read_xlsx(path, max_rows, max_uncompressed_bytes), max_rows=max_rows,
                            collect=collect)
    raise InvalidInput([Problem(path.name, None, None,
                                "expected a .json file, a folder of .csv files or an .xlsx workbook")])


def too_many_rows(table: str, limit: int) -> TooLarge:
    """The answer to a table longer than the import allows."""
    return TooLarge(f"table {table[:200]!r} has more than {limit:,} rows, the most an import "
                    "takes (GRAPHBRM_IMPORT_MAX_ROWS)")


def _at_most(rows: Iterable[Any], table: str, limit: int | None) -> Iterator[Any]:
    """The rows, stopping with TooLarge as soon as there is one more than `limit`."""
    for number, row in enumerate(rows, start=1):
        if limit is not None and number > limit:
            raise too_many_rows(table, limit)
        yield row


def _read_csv_folder(folder: Path, max_rows: int | None) -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for file in sorted(folder.glob("*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as f:
            tables[file.stem] = list(_at_most(csv.DictReader(f), file.stem, max_rows))
    if not tables:
        raise InvalidInput([Problem(folder.name, None, None, "no .csv files in this folder")])
    return tables


def _read_xlsx(path: Path, max_rows: int | None, max_uncompressed_bytes: int | None,
               ) -> dict[str, Any]:
    if max_uncompressed_bytes is not None:
        _check_expansion(path, max_uncompressed_bytes)
    try:
        reader = _streaming_reader()(path, read_only=True, data_only=True)
        reader.read()
        workbook = reader.wb
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput([Problem(path.name, None, None, f"not an XLSX workbook: {e}")]) from e
    tables: dict[str, Any] = {}
    try:
        for sheet in workbook.worksheets:
            # Read-only mode streams the sheet's XML; every row read counts, empty ones too,
            # so the reading stops at the limit however the rows are filled.
            rows = sheet.iter_rows(values_only=True)
            header = [str(h) for h in next(rows, ()) if h is not None]
            tables[sheet.title] = [
                {h: _cell(v) for h, v in zip(header, values, strict=False)}
                for values in _at_most(rows, sheet.title, max_rows)
                if any(v is not None for v in values)]
    except TooLarge:
        raise
    except Exception as e:  # a sheet's XML broken past its first rows, say
        raise InvalidInput([Problem(path.name, None, None, f"not an XLSX workbook: {e}")]) from e
    finally:
        workbook.close()
    return tables


def _streaming_reader() -> Any:
    """openpyxl's read-only reader without its look-ahead: opening a sheet that has no
    <dimension> parses the whole sheet once, before any row is read, which no row limit can
    stop. Here a sheet is only ever read row by row (its size is not needed)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):  # type: ignore[misc]
        def _get_size(self) -> None:
            pass

    class StreamingReader(ExcelReader):  # type: ignore[misc]
        def read_worksheets(self) -> None:  # the read-only branch of openpyxl 3.1's own
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                    continue
                ws = UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                ws.sheet_state = sheet.state
                self.wb._sheets.append(ws)

    return StreamingReader


def _check_expansion(path: Path, limit: int) -> None:
    """TooLarge when the workbook's parts declare more than `limit` bytes uncompressed.

    The declared sizes bind: Python's zipfile stops a part at its declared size and then fails
    its checksum, so a part cannot expand further than it says.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            declared = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile as e:
        raise InvalidInput([Problem(path.name, None, None, f"not an XLSX workbook: {e}")]) from e
    if declared > limit:
        raise TooLarge(f"the workbook expands to {declared:,} bytes, more than the {limit:,} an "
                       "import takes (GRAPHBRM_IMPORT_MAX_UNCOMPRESSED_BYTES)")


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def write_bundle(tables: dict[str, list[dict[str, Any]]], path: Path, fmt: str) -> None:
    """Write bundle tables as one JSON file, a folder of CSV files, or an XLSX workbook."""
    path = Path(path)
    if fmt == "json":
        path.write_text(json.dumps(tables, ensure_ascii=False, indent=1), encoding="utf-8")
    elif fmt == "csv":
        path.mkdir(parents=True, exist_ok=True)
        for table, rows in tables.items():
            with (path / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                fields = _fields(table)
                writer.writerow(fields)
                writer.writerows([_flat(row.get(k)) for k in fields] for row in rows)
    elif fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        for table, rows in tables.items():
            sheet = workbook.create_sheet(table)
            fields = _fields(table)
            sheet.append(fields)
            for row in rows:
                sheet.append([_flat(row.get(k)) for k in fields])
        workbook.save(path)
    else:
        raise ValueError(f"unknown bundle format {fmt!r}")


def _fields(table: str) -> list[str]:
    return [f.alias or name for name, f in TABLES[table].model_fields.items()]


def _flat(value: Any) -> Any:
    """Lists become the `a;b` / `person:role;…` cells that the readers accept."""
    if isinstance(value, list):
        return ";".join(f"{v['person_id']}:{v.get('role') or ''}" if isinstance(v, dict) else str(v)
                        for v in value)
    return "" if value is None else value
