"""Edit a log file as text: replace, insert and delete event blocks, set `meta:`.

Curators review a log's changes as a git diff, so a tool that changes some events must leave every
other event byte-identical (comments, quoting and line wrapping as the curator wrote them). A log is
split into its head (comments, `meta:`, `events:`), one block of text per event (from its `- ` line
to the next event's) and nothing else; a changed event gets a new block dumped in the log's style
(fields in model order, block style, the list indentation the file uses), and new events are
inserted in date order. The result is re-read and checked before it is returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .model import FIELDS, PartialDate

WIDTH = 120   # line width of dumped blocks (the log's folded lines stay within it)


class LogEditError(ValueError):
    """The file cannot be edited as blocks, or an edit names an event that is not there."""


@dataclass
class LogText:
    """A log as text: everything before the first event, then one text block per event."""

    head: str
    blocks: list[tuple[str, str]]   # (event id, the block's text, newline-terminated)
    indent: str                     # the indentation of `- ` before each event

    @classmethod
    def parse(cls, text: str) -> "LogText":
        match = re.search(r"^events:[ \t]*\n(?:[ \t]*(?:#.*)?\n)*?( *)- ", text, re.M)
        if not match:
            raise LogEditError("no `events:` list with `- ` items found")
        indent = match.group(1)
        starts = [m.start() for m in re.finditer(rf"^{indent}- ", text[match.start(1):], re.M)]
        starts = [s + match.start(1) for s in starts]
        records = (yaml.load(text, Loader=yaml.CSafeLoader) or {}).get("events") or []
        if len(records) != len(starts):
            raise LogEditError(f"found {len(starts)} event blocks but the YAML has {len(records)} events")
        bounds = zip(starts, starts[1:] + [len(text)], strict=True)
        blocks = [(str(r.get("id")), text[a:b]) for r, (a, b) in zip(records, bounds, strict=True)]
        return cls(text[:starts[0]], blocks, indent)

    def text(self) -> str:
        return self.head + "".join(block for _, block in self.blocks)


def dump_event(record: dict, indent: str = "") -> str:
    """One event as a block of the log: fields in model order, dates quoted, `indent` before `- `."""
    ordered = {k: record[k] for k in FIELDS if k in record}
    ordered.update((k, v) for k, v in record.items() if k not in ordered)
    text = yaml.dump([ordered], Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=WIDTH,
                     default_flow_style=False)
    if not indent:
        return text
    return "".join(indent + line if line.strip() else line for line in text.splitlines(keepends=True))


def _sort_key(record: dict) -> tuple:
    return PartialDate.parse(str(record["date"])).first, str(record["id"])


def edit_log(text: str, replace: dict[str, dict] | None = None, insert: list[dict] | None = None,
             delete: set[str] | None = None, meta: dict | None = None) -> str:
    """The log `text` with events replaced (id -> new record), inserted (in date order: before the
    first event that sorts after it), deleted, and `meta:` set; every other event's text unchanged."""
    replace, insert, delete = replace or {}, insert or [], set(delete or ())
    log = LogText.parse(text)
    present = {eid for eid, _ in log.blocks}
    missing = sorted((set(replace) | delete) - present)
    if missing:
        raise LogEditError(f"no event with id {', '.join(missing)} in the log")
    taken = sorted(present & {r["id"] for r in insert})
    if taken:
        raise LogEditError(f"cannot insert {', '.join(taken)}: the id is already in the log")
    records = {r["id"]: replace.get(r["id"], r)
               for r in (yaml.load(text, Loader=yaml.CSafeLoader).get("events") or [])}
    kept = [(eid, _sort_key(records[eid]), dump_event(replace[eid], log.indent) if eid in replace else block)
            for eid, block in log.blocks if eid not in delete]
    for record in sorted(insert, key=_sort_key):
        key = _sort_key(record)
        at = next((i for i, (_, other, _) in enumerate(kept) if other > key), len(kept))
        kept.insert(at, (record["id"], key, dump_event(record, log.indent)))
    head = set_meta(log.head, meta) if meta is not None else log.head
    return head + "".join(block for _, _, block in kept)


def set_meta(head: str, meta: dict) -> str:
    """The head of a log with its `meta:` mapping replaced by `meta` (comments above it kept)."""
    dumped = yaml.dump({"meta": meta}, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=WIDTH,
                       default_flow_style=False)
    found = re.search(r"^meta:[ \t]*\n(?:(?:[ \t]+.*|[ \t]*)\n)*", head, re.M)
    if found:
        return head[:found.start()] + dumped + head[found.end():]
    events = re.search(r"^events:", head, re.M)
    if not events:
        raise LogEditError("the log has no top-level `events:` key, so it has no place for `meta:`")
    return head[:events.start()] + dumped + head[events.start():]
