"""Edit the text of a log one event at a time, leaving every other byte as it was.

A curated log is reviewed as a diff, so tools that add or change events must not re-dump the file
(re-dumping reorders keys, re-quotes dates and re-wraps text in every event). These functions take
an event *block* (YAML text of one list item, written with its `- ` at column 0) and splice it into
the file's text at the file's own indentation.
"""
from __future__ import annotations

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
