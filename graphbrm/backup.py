"""Backup and restore of everything graphbrm keeps, between stores of either kind.

The file is JSON Lines (gzip-compressed when its name ends in `.gz`); docs/backup.md describes
it. Line 1 is a header with the counts; then one line per node (its key is its position among
the nodes, from 0), per relationship (its ends by node key) and per sign-in token (as stored:
the hash, never the token); the last line holds the SHA-256 of every line before it, so a cut
or edited file is refused before anything is written.

Nothing here knows graphbrm's labels: every label, relationship type and property is copied,
so records added by later versions travel too. Property values keep their type: text, whole
numbers, floats (written with a decimal point, so 1.0 stays a float), booleans, lists, and
dates (`{"date": "2026-01-31"}`; graphbrm itself keeps days as ISO text).

Derived data (AccountSeries, the data version and its time zone) is restored as it was, since
the backup is one consistent moment; the data version is then raised above both the file's and
the replaced store's, so no report cached from the replaced data is served again, and the
company days are derived again if this installation's GRAPHBRM_TIMEZONE differs.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import math
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, NoReturn
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from graphbrm import tokens
from graphbrm.errors import Conflict, InvalidInput, Problem
from graphbrm.store import LABELS, Store
from graphbrm.store.graph_copy import BOOKKEEPING, NAME, GraphDump

FORMAT = "graphbrm-backup"
VERSION = 1
TOKEN_FIELDS = ("hash", "token_id", "employee_id", "role", "label", "created_at", "expires_at",
                "revoked_at")
MAX_PROBLEMS = 20


class Summary(BaseModel):
    """What a backup holds: nodes per label, relationships per type, tokens, and a checksum of
    every property (the data version's counter left out: a restore raises it)."""

    nodes: int
    relationships: int
    tokens: int
    per_label: dict[str, int]
    per_type: dict[str, int]
    checksum: str


def backup(store: Store, path: Path) -> Summary:
    """Write every node, relationship and token of the store to `path` (replaced whole, never
    left half-written)."""
    dump = store.dump_graph()
    records = tokens.token_records(store)
    lines = [_header(store, dump, records)]
    lines += [_node_line(labels, props) for labels, props in dump.nodes]
    lines += [_relationship_line(rel) for rel in dump.relationships]
    lines += [{"token": record} for record in records]
    _write_lines(path, lines)
    return summary(dump, len(records))


def restore(store: Store, path: Path, *, replace: bool, zone: ZoneInfo) -> Summary:
    """Put the backup at `path` in place of the store's contents. Refused (Conflict) when the
    store holds anything and `replace` is not set; a bad file is refused before any write."""
    dump, records = read_backup(path)
    if not replace and (store.read("backup/record_count")[0]["records"]
                        or tokens.token_records(store)):
        raise Conflict("the store already holds data; restore with --replace to put the "
                       "backup in its place")
    store.load_graph(dump, replace=replace)
    store.write("tokens/replace_tokens", rows=records)
    from graphbrm.derived import ensure_days

    ensure_days(store, zone)
    return summary(dump, len(records))


def summary(dump: GraphDump, token_count: int) -> Summary:
    """The counts and checksum of a dump (the same for the same contents in either store)."""
    per_label: Counter[str] = Counter(label for labels, _ in dump.nodes for label in labels)
    per_type: Counter[str] = Counter(rel[0] for rel in dump.relationships)
    nodes = [_canonical(sorted(labels), _comparable(labels, props)) for labels, props in dump.nodes]
    entries = sorted(nodes) + sorted(
        _canonical(kind, nodes[start], nodes[end], props)
        for kind, start, end, props in dump.relationships)
    digest = hashlib.sha256("\n".join(entries).encode("utf-8")).hexdigest()
    return Summary(nodes=len(dump.nodes), relationships=len(dump.relationships),
                   tokens=token_count, per_label=dict(sorted(per_label.items())),
                   per_type=dict(sorted(per_type.items())), checksum=digest)


def read_backup(path: Path) -> tuple[GraphDump, list[dict[str, Any]]]:
    """The contents of a backup file, every line checked; InvalidInput naming what is wrong."""
    lines = list(_read_lines(path))
    if not lines:
        _refuse(path, "the file is empty")
    header = _parse(path, 1, lines[0])
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        _refuse(path, f"not a {FORMAT} file of version {VERSION}")
    counts = [header.get(k) for k in ("nodes", "relationships", "tokens")]
    if not all(isinstance(c, int) and c >= 0 for c in counts):
        _refuse(path, "the header lacks the counts of nodes, relationships and tokens")
    _check_ending(path, lines, sum(counts))  # type: ignore[arg-type]
    nodes, relationships, _ = counts
    assert isinstance(nodes, int) and isinstance(relationships, int)
    dump, problems = GraphDump(), []
    records: list[dict[str, Any]] = []
    for number, text in enumerate(lines[1:-1], start=2):
        entry = _parse(path, number, text)
        if number - 2 < nodes:
            problems += _add_node(dump, entry, number)
        elif number - 2 < nodes + relationships:
            problems += _add_relationship(dump, entry, number, nodes)
        else:
            problems += _add_token(records, entry, number)
    problems += _duplicate_ids(dump)
    if problems:
        raise InvalidInput([Problem("backup", None, str(path), p) for p in problems[:MAX_PROBLEMS]])
    return dump, records


# ---- writing -----------------------------------------------------------------------------------

def _header(store: Store, dump: GraphDump, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION,
            "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "store": store.dialect, "nodes": len(dump.nodes),
            "relationships": len(dump.relationships), "tokens": len(records)}


def _node_line(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    return {"labels": sorted(labels), "properties": _encoded(props, f":{':'.join(labels)} node")}


def _relationship_line(rel: tuple[str, int, int, dict[str, Any]]) -> dict[str, Any]:
    kind, start, end, props = rel
    return {"type": kind, "from": start, "to": end,
            "properties": _encoded(props, f"{kind} relationship")}


def _encoded(props: dict[str, Any], owner: str) -> dict[str, Any]:
    return {key: _encoded_value(value, f"{owner}'s {key}") for key, value in props.items()}


def _encoded_value(value: Any, where: str) -> Any:
    if isinstance(value, list):
        if any(isinstance(v, list | dt.date) for v in value):
            raise InvalidInput([Problem("backup", None, where, "a list of lists or of dates "
                                        "cannot be backed up (lists of text, numbers or booleans "
                                        "can)")])
        return [_encoded_value(v, where) for v in value]
    if type(value) is dt.date:
        return {"date": value.isoformat()}
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput([Problem("backup", None, where, f"{value} is not a finite number")])
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise InvalidInput([Problem("backup", None, where,
                                f"a {type(value).__name__} value cannot be backed up (text, "
                                "numbers, booleans, dates and lists of them can)")])


def _write_lines(path: Path, lines: list[dict[str, Any]]) -> None:
    """Written beside `path`, then renamed onto it: a failure leaves no half-written backup."""
    partial = path.with_name(path.name + ".partial")
    digest = hashlib.sha256()
    with _open(partial, "w") as out:
        for entry in lines:
            line = (json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n").encode()
            digest.update(line)
            out.write(line)
        out.write((json.dumps({"end": FORMAT, "sha256": digest.hexdigest()}) + "\n").encode())
        out.flush()
        os.fsync(out.fileno())
    partial.replace(path)


def _open(path: Path, mode: str) -> IO[bytes]:
    if path.name.endswith(".gz") or path.name.endswith(".gz.partial"):
        return gzip.open(path, mode + "b")  # type: ignore[return-value]
    return open(path, mode + "b")  # noqa: SIM115 - closed by the caller's with


# ---- reading -----------------------------------------------------------------------------------

def _read_lines(path: Path) -> Iterator[bytes]:
    try:
        with _open(path, "r") as source:
            yield from source
    except (gzip.BadGzipFile, EOFError) as e:
        _refuse(path, f"not a readable gzip file ({e})")


def _check_ending(path: Path, lines: list[bytes], entries: int) -> None:
    ending = _parse(path, len(lines), lines[-1]) if len(lines) > 1 else {}
    if ending.get("end") != FORMAT or len(lines) != entries + 2:
        _refuse(path, f"the file is cut short or has lines added: the header promises {entries} "
                      f"entries, found {len(lines) - 2}{'' if ending.get('end') else ' and no end line'}")
    digest = hashlib.sha256(b"".join(lines[:-1])).hexdigest()
    if ending.get("sha256") != digest:
        _refuse(path, "the file was changed after it was written (its SHA-256 does not match)")


def _parse(path: Path, number: int, text: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(text)
    except (ValueError, UnicodeDecodeError) as e:
        _refuse(path, f"line {number} is not JSON ({e})")
    if not isinstance(entry, dict):
        _refuse(path, f"line {number} is not a JSON object")
    return entry


def _add_node(dump: GraphDump, entry: dict[str, Any], number: int) -> list[str]:
    labels, props = entry.get("labels"), entry.get("properties")
    if not isinstance(labels, list) or not all(isinstance(x, str) and NAME.match(x)
                                               for x in labels):
        return [f"line {number}: labels must be a list of plain names"]
    decoded, problems = _decoded(props, number)
    dump.nodes.append((labels, decoded))
    return problems


def _add_relationship(dump: GraphDump, entry: dict[str, Any], number: int,
                      nodes: int) -> list[str]:
    kind, start, end = entry.get("type"), entry.get("from"), entry.get("to")
    if not isinstance(kind, str) or not NAME.match(kind):
        return [f"line {number}: type must be a plain name"]
    if not all(type(k) is int and 0 <= k < nodes for k in (start, end)):
        return [f"line {number}: from and to must be node numbers from 0 to {nodes - 1}"]
    decoded, problems = _decoded(entry.get("properties"), number)
    dump.relationships.append((kind, start, end, decoded))  # type: ignore[arg-type]
    return problems


def _add_token(records: list[dict[str, Any]], entry: dict[str, Any], number: int) -> list[str]:
    record = entry.get("token")
    if not isinstance(record, dict) or set(record) != set(TOKEN_FIELDS) or not all(
            isinstance(record[k], str) for k in ("hash", "token_id", "employee_id", "role",
                                                 "created_at", "expires_at")):
        return [f"line {number}: a token has exactly {', '.join(TOKEN_FIELDS)}, as text"]
    records.append(record)
    return []


def _decoded(props: Any, number: int) -> tuple[dict[str, Any], list[str]]:
    if not isinstance(props, dict):
        return {}, [f"line {number}: properties must be an object"]
    decoded, problems = {}, []
    for key, value in props.items():
        try:
            if not NAME.match(key):
                raise ValueError("is not a plain name")
            decoded[key] = _decoded_value(value)
        except ValueError as e:
            problems.append(f"line {number}: property {key!r} {e}")
    return decoded, problems


def _decoded_value(value: Any, *, in_list: bool = False) -> Any:
    if isinstance(value, list) and not in_list:
        return [_decoded_value(v, in_list=True) for v in value]
    if isinstance(value, list | dict) and in_list:
        raise ValueError("holds a list of lists or of dates (stores keep lists of text, "
                         "numbers or booleans)")
    if isinstance(value, dict):
        if set(value) != {"date"} or not isinstance(value["date"], str):
            raise ValueError("holds an object other than {\"date\": \"YYYY-MM-DD\"}")
        return dt.date.fromisoformat(value["date"])
    if value is None:
        raise ValueError("is null (a store keeps no null property)")
    return value


def _duplicate_ids(dump: GraphDump) -> list[str]:
    """Two nodes of a label whose ids are unique in every store: refused before any write."""
    seen: Counter[tuple[str, Any]] = Counter(
        (label, props.get("id")) for labels, props in dump.nodes for label in labels
        if label in LABELS and not isinstance(props.get("id"), list))
    return [f"{count} {label} nodes have the id {ident!r}"
            for (label, ident), count in seen.items() if count > 1 and ident is not None]


def _refuse(path: Path, reason: str) -> NoReturn:
    raise InvalidInput([Problem("backup", None, str(path), reason)])


# ---- comparing ---------------------------------------------------------------------------------

def _comparable(labels: list[str], props: dict[str, Any]) -> dict[str, Any]:
    if BOOKKEEPING in labels:
        return {k: v for k, v in props.items() if k != "n"}
    return props


def _canonical(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_tagged)


def _tagged(value: Any) -> Any:
    if type(value) is dt.date:
        return {"date": value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not comparable")
