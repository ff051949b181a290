"""What changed between two versions of the log, and when each event was added and last changed.

`diff_logs` compares two validated logs by event id. `stamp_events` reads the git history of a log
and writes each event's `added`/`updated` dates into the file, touching only those lines.
"""
from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .load import parse_log, read_log
from .tables import date_label, field_column
from .text import field_text, t

COMPARED = ("date", "end", "approximate", "title_en", "title_ja", "title_ko", "summary_en", "summary_ja",
            "summary_ko", "aliases", "countries", "themes", "type", "importance", "status", "sources", "related",
            "notes", "tags", "short_en", "short_ja", "short_ko", "evidence", "claimed_by")


@dataclass
class LogDiff:
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: dict[str, list[str]] = field(default_factory=dict)   # id -> changed fields (model names)
    new: pd.DataFrame | None = None

    def is_empty(self) -> bool:
        return self.added.empty and self.removed.empty and not self.changed


def diff_logs(old: pd.DataFrame, new: pd.DataFrame) -> LogDiff:
    """Events added, removed and changed (with the fields that changed), matched by id."""
    old_ids, new_ids = set(old["id"]), set(new["id"])
    o, n = old.set_index("id"), new.set_index("id")
    changed: dict[str, list[str]] = {}
    for eid in sorted(old_ids & new_ids):
        fields = []
        for col in COMPARED:
            if o.at[eid, col] != n.at[eid, col]:
                name = col.rsplit("_", 1)[0] if col.startswith(("title_", "summary_", "short_")) else col
                if name not in fields:
                    fields.append(name)
        if fields:
            changed[eid] = fields
    return LogDiff(new[new["id"].isin(new_ids - old_ids)], old[old["id"].isin(old_ids - new_ids)], changed, new)


def format_diff(d: LogDiff, lang: str = "en") -> str:
    """A readable report in the chosen language."""
    if d.is_empty():
        return t("diff.none", lang)
    lines = []
    for key, mark, df in (("diff.added", "+", d.added), ("diff.removed", "-", d.removed)):
        lines.append(t("diff.head", lang, head=t(key, lang), n=len(df)))
        for r in df.to_dict("records"):
            lines.append(f"  {mark} {date_label(r, lang)}  {field_text(r, 'title', lang)}  [{r['id']}]")
    lines.append(t("diff.head", lang, head=t("diff.changed", lang), n=len(d.changed)))
    titles = dict(zip(d.new["id"], field_column(d.new, "title", lang), strict=False)) if d.new is not None else {}
    for eid, fields in d.changed.items():
        names = ", ".join(t(f"field.{f}", lang) for f in fields)
        lines.append(f"  ~ {titles.get(eid, eid)}  [{eid}]: {names}")
    return "\n".join(lines)


def check_revision(rev: str) -> str:
    """`rev` if it can only be read as a revision, never as an option of git (`--output=FILE`)."""
    if not rev or rev.startswith("-") or len(rev) > 256 or any(c in rev for c in "\0\r\n"):
        raise ValueError(f"{rev[:60]!r} is not a git revision; give a commit, branch or tag such as HEAD~5 "
                         f"(a revision never starts with '-')")
    return rev


def log_at_revision(path: str | Path, rev: str) -> bytes:
    """The bytes of `path` at git revision `rev` (raises ValueError with git's message)."""
    path = Path(path).resolve()
    check_revision(rev)
    try:
        top = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        rel = path.relative_to(top).as_posix()
        # --end-of-options: whatever the revision says, git reads it as a revision (git 2.24+)
        return subprocess.run(["git", "-C", top, "show", "--end-of-options", f"{rev}:{rel}"], capture_output=True,
                              check=True).stdout
    except subprocess.CalledProcessError as exc:
        why = exc.stderr.strip() if exc.stderr else exc
        raise ValueError(f"git could not read {path.name} at {rev!r}: {why}") from None
    except (FileNotFoundError, ValueError) as exc:
        raise ValueError(f"cannot read {path} from git: {exc}") from None


# -- added/updated from git history ----------------------------------------------------------------

def history_dates(path: str | Path) -> dict[str, tuple[str, str]]:
    """id -> (added, updated): the dates of the first commit with the event and of its last change."""
    path = Path(path).resolve()
    top = subprocess.run(["git", "-C", str(path.parent), "rev-parse", "--show-toplevel"], capture_output=True,
                         text=True, check=True).stdout.strip()
    rel = path.relative_to(top).as_posix()
    log = subprocess.run(["git", "-C", top, "log", "--reverse", "--format=%H %ad", "--date=short", "--", rel],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    dates: dict[str, tuple[str, str]] = {}
    previous: dict[str, str] = {}
    for line in filter(None, log):
        sha, day = line.split()
        data = subprocess.run(["git", "-C", top, "show", f"{sha}:{rel}"], capture_output=True).stdout
        records, _, _, _ = parse_log(data, rel)
        current = {r["id"]: repr(_without_stamps(r)) for r in records or [] if isinstance(r, dict)
                   and isinstance(r.get("id"), str)}
        for eid, text in current.items():
            if eid not in dates:
                dates[eid] = (day, day)
            elif previous.get(eid) != text:
                dates[eid] = (dates[eid][0], day)
        previous = current
    return dates


def _without_stamps(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("added", "updated")}


def stamp_events(path: str | Path, dates: dict[str, tuple[str, str]], today: dt.date | None = None) -> int:
    """Write `added`/`updated` into the file, editing only those lines; return how many events changed.

    Events that git has not seen yet (uncommitted) get today's date.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    events = root
    if isinstance(root, yaml.MappingNode):
        events = next(v for k, v in root.value if k.value == "events")
    lines = text.split("\n")
    edits: list[tuple[int, int, list[str]]] = []   # (start line, lines to replace, new lines)
    today_s = (today or dt.date.today()).isoformat()
    touched = 0
    for i, node in enumerate(events.value):
        keys = {k.value: (k, v) for k, v in node.value}
        eid = keys["id"][1].value
        added, updated = dates.get(eid, (today_s, today_s))
        indent = " " * keys["id"][0].start_mark.column
        # the event's last line: before the next event (or the end of the list), skipping blanks and comments
        end = events.value[i + 1].start_mark.line if i + 1 < len(events.value) else events.end_mark.line + 1
        last = min(end, len(lines)) - 1
        while last > node.start_mark.line and lines[last].strip() in ("", "-") or lines[last].lstrip().startswith("#"):
            last -= 1
        missing = []
        for name, value in (("added", added), ("updated", updated)):
            if name not in keys:
                missing.append(f'{indent}{name}: "{value}"')
            elif keys[name][1].value != value:
                edits.append((keys[name][0].start_mark.line, 1, [f'{indent}{name}: "{value}"']))
                touched += 1
        if missing:
            edits.append((last + 1, 0, missing))
            touched += 1
    for start, count, new in sorted(edits, key=lambda e: e[0], reverse=True):
        lines[start:start + count] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return touched


def compare_files(old: str | Path | bytes, new: str | Path) -> LogDiff:
    """Diff two log files (old may be bytes, e.g. from git). Raises ValueError if either is invalid."""
    import tempfile

    if isinstance(old, bytes):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "old.yaml"
            path.write_bytes(old)
            return compare_files(path, new)
    reports = [read_log(p, cache=False) for p in (old, new)]
    for report in reports:
        if not report.ok:
            raise ValueError(f"{report.path} has errors; run `python -m timeline validate {report.path}`")
    return diff_logs(reports[0].events, reports[1].events)
