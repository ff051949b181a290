"""The spreadsheet round trip: `python -m timeline import FILE.xlsx|FILE.csv`.

The table is the layout `export --format csv|xlsx` writes (`export.data_rows`), keyed by `id`. A row
with a new id becomes an event; in a row with a known id, only the cells that differ from what the
export would write now are applied, each to its own field, so the other lines of the log, and every
event the table did not change, stay byte-identical. Columns are mapped from the model (a text field
`title` is `title_en`, `title_ja`, ...), so a field added to the model is importable with no change here.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .export import data_rows
from .logedit import insert_event, render_event, render_field, set_field
from .model import FIELDS, TEXT_LANGS, Vocabulary, field_kind

SHEETS = ("Events", "Data")          # the machine-readable sheet of an export workbook
DERIVED = ("precision",)             # computed from the date: read, never imported
_ESCAPED = re.compile(r"^'[=+\-@]")  # export._cell's guard against formulas
_SOURCE = re.compile(r"^(?P<publisher>.*?)\s*(?:<(?P<url>[^>]+)>|\((?P<section>[^)]*)\))$")


class TableError(Exception):
    """The table cannot be read at all (missing file, no id column): one line."""


@dataclass(frozen=True)
class CellProblem:
    """A problem at a cell: where (sheet, row, column) and what."""

    code: str
    message: str
    sheet: str
    row: int
    column: str = ""
    letter: str = ""

    def format(self) -> str:
        where = f"{self.sheet}, row {self.row}" + (f", column {self.letter} ({self.column})" if self.column else "")
        return f"{where}: {self.message} [{self.code}]"


@dataclass
class Table:
    """The rows of the machine sheet: header, then (spreadsheet row number, {column: cell})."""

    sheet: str
    columns: list[str]
    rows: list[tuple[int, dict]]
    sources: dict[tuple[str, str], dict] = field(default_factory=dict)   # (event id, url) -> source details

    def letter(self, column: str) -> str:
        if column not in self.columns:
            return ""
        n, out = self.columns.index(column) + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out


@dataclass
class Plan:
    """What an import would do: new events, changed fields, and the problems that stop it."""

    added: list[dict] = field(default_factory=list)
    changed: dict[str, dict] = field(default_factory=dict)   # id -> {field: new value or None (remove)}
    rows: dict[str, int] = field(default_factory=dict)       # id -> spreadsheet row
    problems: list[CellProblem] = field(default_factory=list)


# -- reading ---------------------------------------------------------------------------------------

def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text[1:] if _ESCAPED.match(text) else text


def read_table(path: str | Path) -> Table:
    """The machine-readable rows of a CSV file or of an export workbook's Events (or Data) sheet."""
    path = Path(path)
    if not path.exists():
        raise TableError(f"no such file: {path}")
    if path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        return _table(path.name, rows)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise TableError(f"{path.name}: import reads .xlsx or .csv files")
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or foreign file: openpyxl raises many kinds
        raise TableError(f"{path.name} is not a readable .xlsx workbook ({exc})") from None
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    named = [n for n in SHEETS if n in sheets] + [n for n in sheets if n not in SHEETS]
    for name in named:
        head = [_cell(v).strip() for v in (sheets[name][0] if sheets[name] else [])]
        if "id" in head and "date" in head:
            table = _table(name, sheets[name])
            table.sources = _source_details(sheets.get("Sources") or [])
            return table
    raise TableError(f"{path.name} has no sheet with `id` and `date` columns (export writes one named Events)")


def _table(sheet: str, rows: list[list]) -> Table:
    if not rows:
        raise TableError(f"{sheet} is empty")
    columns = [_cell(v).strip() for v in rows[0]]
    while columns and not columns[-1]:
        columns.pop()
    if "id" not in columns:
        raise TableError(f"{sheet}: the first row must name the columns, with an `id` column")
    body = [(i, {c: _cell(v) for c, v in zip(columns, r, strict=False)}) for i, r in enumerate(rows[1:], start=2)
            if any(_cell(v).strip() for v in r)]
    return Table(sheet, columns, body)


def _source_details(rows: list[list]) -> dict[tuple[str, str], dict]:
    if not rows:
        return {}
    head = [_cell(v) for v in rows[0]]
    out = {}
    for r in rows[1:]:
        d = {k: _cell(v) for k, v in zip(head, r, strict=False)}
        if d.get("event_id") and d.get("url"):
            out[(d["event_id"], d["url"])] = {k: d[k] for k in ("title", "publisher", "url", "published", "section",
                                                              "note") if d.get(k)}
    return out


# -- columns <-> fields ----------------------------------------------------------------------------

def column_fields(vocab: Vocabulary) -> dict[str, tuple[str, str]]:
    """Every importable column -> (field, language or ""): the model's fields, text fields per language."""
    out: dict[str, tuple[str, str]] = {}
    for name in FIELDS:
        if field_kind(name, vocab) == "text":
            out.update({f"{name}_{lang}": (name, lang) for lang in TEXT_LANGS})
        else:
            out[name] = (name, "")
    return out


def _split(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[,;、]", text) if x.strip()]


def _parse_sources(text: str, eid: str, old: list[dict], details: dict) -> list[dict]:
    """`publisher <url> ; publisher (section)` (export.data_rows) -> sources, keeping what the log knows."""
    by_key = {s.get("url") or ("§", s.get("section")): s for s in old}
    out = []
    for item in filter(None, (x.strip() for x in text.split(" ; "))):
        m = _SOURCE.match(item)
        url, section = (m["url"], m["section"]) if m else (item if item.startswith("http") else None, None)
        key = url or ("§", section)
        known = by_key.get(key) or details.get((eid, url or "")) or next(
            (d for (e, u), d in details.items() if u == url), None)
        if known:
            out.append(dict(known))
        else:
            src = {"publisher": m["publisher"] if m else item}
            src.update({"url": url} if url else {"section": section or ""})
            out.append(src)
    return out


def cell_value(name: str, kind: str, text: str, eid: str, old: dict, details: dict):
    """A cell's text -> the field's value (None: remove the field). Raises ValueError when unreadable."""
    text = text.strip()
    if not text:
        return None
    if kind in ("terms", "strings"):
        return _split(text)
    if kind == "flag":
        if text.lower() in ("true", "yes", "1", "x"):
            return True
        if text.lower() in ("false", "no", "0"):
            return False
        raise ValueError(f'"{text}" is not true or false')
    if kind == "rank":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f'"{text}" is not a whole number (1, 2 or 3)') from None
    if kind == "sources":
        return _parse_sources(text, eid, old.get("sources") or [], details)
    return text


# -- planning --------------------------------------------------------------------------------------

def _baseline(records: list[dict], df: pd.DataFrame, columns: list[str], vocab: Vocabulary) -> dict[str, dict]:
    """id -> {column: the cell text an export would write now} (what a row is compared with)."""
    exported = data_rows(df).set_index("id")
    fields = column_fields(vocab)
    out = {}
    for rec in records:
        eid, cells = rec["id"], {}
        for col in columns:
            if col in exported.columns:
                cells[col] = _cell(exported.at[eid, col])
            elif col in fields:
                name, lang = fields[col]
                value = rec.get(name)
                value = (value or {}).get(lang) if lang else value
                cells[col] = ",".join(map(str, value)) if isinstance(value, list) else _cell(value)
        out[eid] = cells
    return out


def plan_import(table: Table, records: list[dict], df: pd.DataFrame, vocab: Vocabulary) -> Plan:
    """Compare the table with the log: what to add and change, or the problems that stop the import."""
    plan = Plan()
    fields = column_fields(vocab)
    known = set(fields) | set(DERIVED)
    for col in table.columns:
        if col not in known:
            plan.problems.append(CellProblem(
                "unknown-column", f'"{col}" is not a column of an export; remove it or rename it '
                f"(columns: {', '.join(c for c in fields if c in table.columns or c in ('id', 'date'))}, ...)",
                table.sheet, 1, col, table.letter(col)))
    if plan.problems:
        return plan
    base = _baseline(records, df, table.columns, vocab)
    by_id = {r["id"]: r for r in records}
    for row, cells in table.rows:
        eid = cells.get("id", "").strip()
        if not eid:
            plan.problems.append(CellProblem("missing-field", "the row has no id", table.sheet, row, "id",
                                             table.letter("id")))
            continue
        if eid in plan.rows:
            plan.problems.append(CellProblem("duplicate-id", f'id "{eid}" is also in row {plan.rows[eid]}; give '
                                             "one of them another id", table.sheet, row, "id", table.letter("id")))
            continue
        plan.rows[eid] = row
        _plan_row(plan, table, cells, eid, by_id.get(eid), base.get(eid), fields, vocab)
    return plan


def _plan_row(plan, table, cells, eid, old, base, fields, vocab) -> None:
    new: dict = {}
    for col, text in cells.items():
        if col in DERIVED or col == "id" or (base is not None and text.strip() == base.get(col, "").strip()):
            continue
        name, lang = fields[col]
        try:
            value = cell_value(name, field_kind(name, vocab), text, eid, old or {}, table.sources)
        except ValueError as exc:
            plan.problems.append(CellProblem("wrong-type", str(exc), table.sheet, plan.rows[eid], col,
                                             table.letter(col)))
            continue
        if lang:
            texts = dict(new.get(name) or (old or {}).get(name) or {})
            texts.pop(lang, None) if value is None else texts.update({lang: value})
            new[name] = texts or None
        else:
            new[name] = value
    if old is None:
        record = {"id": eid, **{k: v for k, v in new.items() if v is not None}}
        plan.added.append({k: record[k] for k in FIELDS if k in record})
    elif new:
        plan.changed[eid] = new


def apply_plan(text: str, plan: Plan, today: dt.date) -> str:
    """The log's text with the plan applied, field by field; new events get `added: today`.

    `updated` is left to `python -m timeline stamp`, which takes it from the git history.
    """
    order = list(FIELDS)
    for eid, fields_ in plan.changed.items():
        for name, value in fields_.items():
            text = set_field(text, eid, name, None if value is None else render_field(name, value), order)
    for record in plan.added:
        record = {**record, "added": record.get("added") or today.isoformat()}
        text = insert_event(text, render_event(record), str(record.get("date", "")))
    return text


def locate(problem, plan: Plan, table: Table, vocab: Vocabulary) -> CellProblem:
    """A validator problem on the imported log -> the cell it came from."""
    head = str(problem.field).split(".")
    fields = column_fields(vocab)
    column = head[0]
    if len(head) > 1 and f"{head[0]}_{head[1]}" in fields:
        column = f"{head[0]}_{head[1]}"
    if column not in table.columns:
        column = ""
    return CellProblem(problem.code, problem.message, table.sheet, plan.rows.get(problem.event_id, 0), column,
                       table.letter(column))
