"""Editing the log's text one event at a time: every other byte stays as it was."""
import pytest

from timeline.load import event_spans, parse_log
from timeline.logedit import insert_event, replace_event

from .conftest import DATA, ROOT, event_yaml


def block(event_id, date):
    # conftest's event is written as an item of an indented list; logedit takes it at column 0
    return "\n".join(line[2:] for line in event_yaml(event_id, date, "Test", "テスト").splitlines()) + "\n"


def ids(text):
    records, *_ = parse_log(text.encode())
    return [r["id"] for r in records]


def test_insert_goes_to_its_date_and_keeps_every_other_line():
    text = (ROOT / "events.yaml").read_text(encoding="utf-8")
    new = insert_event(text, block("2025-06-04-test", "2025-06-04"), "2025-06-04")
    order = ids(new)
    at = order.index("2025-06-04-test")
    dates = [s.date for s in event_spans(new)]
    assert dates[at - 1] <= "2025-06-04" < dates[at + 1]
    added = new.split("\n")
    start = event_spans(new)[at].start
    assert added[:start] + added[start + len(block("x", "2025-06-04").splitlines()):] == text.split("\n")


def test_insert_follows_the_file_indentation_and_goes_last_when_latest():
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    new = insert_event(text, block("2030-01-01-later", "2030-01-01"), "2030-01-01")
    assert "\n  - id: 2030-01-01-later\n    date:" in new
    assert ids(new)[-1] == "2030-01-01-later" and new.startswith(text.rstrip("\n"))


def test_replace_changes_one_event_only():
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    new = replace_event(text, "2025-06-03-election", block("2025-06-03-election", "2025-06-03"))
    old_lines, new_lines = text.split("\n"), new.split("\n")
    span = [s for s in event_spans(text) if s.id == "2025-06-03-election"][0]
    assert old_lines[:span.start] == new_lines[:span.start]
    assert old_lines[span.stop:] == new_lines[len(new_lines) - (len(old_lines) - span.stop):]
    assert ids(new) == ids(text)
    with pytest.raises(KeyError):
        replace_event(text, "nope", block("nope", "2025"))


def test_set_field_replaces_adds_and_removes_one_field():
    from timeline.logedit import render_field, set_field
    from timeline.model import FIELDS

    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    eid = "2025-06-03-election"
    new = set_field(text, eid, "countries", render_field("countries", ["KR", "US"]), list(FIELDS))
    assert "    countries:\n    - KR\n    - US\n" in new
    assert new.count("countries: [KR]") == text.count("countries: [KR]") - 1
    new = set_field(new, eid, "end", render_field("end", "2025-06-04"), list(FIELDS))
    assert "    date: \"2025-06-03\"\n    end: '2025-06-04'\n    title:" in new
    new = set_field(new, eid, "end", None, list(FIELDS))
    new = set_field(new, eid, "countries", render_field("countries", ["KR"]), list(FIELDS))
    records, *_ = parse_log(new.encode())
    assert records == parse_log(text.encode())[0]
    with pytest.raises(ValueError):
        set_field(text, eid, "id", render_field("id", "x"), list(FIELDS))
