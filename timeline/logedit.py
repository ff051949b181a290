"""Edit the text of a log one event at a time, leaving every other byte as it was.

A curated log is reviewed as a diff, so tools that add or change events must not re-dump the file
(re-dumping reorders keys, re-quotes dates and re-wraps text in every event). These functions take
an event *block* (YAML text of one list item, written with its `- ` at column 0) and splice it into
the file's text at the file's own indentation.
"""
from __future__ import annotations

from collections.abc import Sequence

import yaml

from .load import EventSpan, event_spans
from .model import PartialDate


def _indent(block: str, dash: int) -> list[str]:
    lines = block.rstrip("\n").split("\n")
    return [(" " * dash + line) if line.strip() else "" for line in lines]


def _sort_key(date: str):
    try:
        parsed = PartialDate.parse(date)
        return (parsed.first, parsed.last)
    except ValueError:
        return None


def insert_event(text: str, block: str, date: str) -> str:
    """`text` with `block` inserted at its chronological place: after every event dated on or before
    `date` (an event of the same date goes after those already there), before the first later one."""
    spans = event_spans(text)
    lines = text.split("\n")
    key = _sort_key(date)
    dash = spans[0].dash if spans else 0
    at = None
    for span in spans:
        other = _sort_key(span.date)
        if key is not None and other is not None and other > key:
            at = span.start
            # a comment or blank line above the later event stays with it
            while at > 0 and lines[at - 1].lstrip().startswith("#"):
                at -= 1
            break
    if at is None:
        if not spans:
            raise ValueError("the log has no event to place the new one next to; add the first event by hand")
        at = spans[-1].stop
    lines[at:at] = _indent(block, dash)
    return "\n".join(lines)


def find_event(text: str, event_id: str) -> EventSpan:
    for span in event_spans(text):
        if span.id == event_id:
            return span
    raise KeyError(f'no event with id "{event_id}"')


def replace_event(text: str, event_id: str, block: str) -> str:
    """`text` with the event `event_id` replaced by `block` (its comments above it are kept)."""
    span = find_event(text, event_id)
    lines = text.split("\n")
    lines[span.start:span.stop] = _indent(block, span.dash)
    return "\n".join(lines)


def render_field(name: str, value) -> str:
    """`name: value` as YAML in the log's block style (dates and other look-alike text stay quoted)."""
    return yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def render_event(record: dict) -> str:
    """A whole event as a block (its `- ` at column 0), fields in the order given."""
    return yaml.safe_dump([record], allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def set_field(text: str, event_id: str, name: str, block: str | None, order: Sequence[str] = ()) -> str:
    """`text` with one field of one event replaced by `block` (YAML of `name: ...` at column 0), removed
    when `block` is None, or added after the fields that come before it in `order`. Other lines stay."""
    span = find_event(text, event_id)
    if span.flow:
        raise ValueError(f'event "{event_id}" is written on one line ({{...}}); edit it by hand')
    lines = text.split("\n")
    keys = {key: (first, end) for key, first, end in span.keys}
    indent = span.dash + 2
    if name == "id" or (name in keys and keys[name][0] == span.start):
        raise ValueError(f'the first field of "{event_id}" cannot be edited apart from the event')
    new = [(" " * indent + line) if line.strip() else "" for line in (block or "").rstrip("\n").split("\n")]
    new = [line for line in new if line] if block else []
    if name in keys:
        first, end = keys[name]
        lines[first:end] = new
    elif new:
        before = [k for k in order[:list(order).index(name)] if k in keys] if name in order else list(keys)
        at = max((keys[k][1] for k in before), default=span.stop)
        lines[at:at] = new
    return "\n".join(lines)
