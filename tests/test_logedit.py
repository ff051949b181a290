"""Editing the log as text: untouched events stay byte-identical, the result re-reads to the records."""
import pytest
import yaml

from timeline.load import read_log
from timeline.logedit import LogEditError, LogText, dump_event, edit_log

from .conftest import DATA, ROOT, TODAY


def records(text: str) -> list[dict]:
    return yaml.safe_load(text)["events"]


def new_event(event_id: str, date: str) -> dict:
    return {"id": event_id, "date": date, "title": {"en": "Added", "ja": "追加"},
            "summary": {"en": "Added by a test.", "ja": "テストで追加。"}, "countries": ["JP"],
            "themes": ["japan-politics"], "type": "other", "importance": 1, "status": "occurred",
            "sources": [{"title": "Example", "publisher": "NHK", "url": "https://www3.nhk.or.jp/example"}]}


@pytest.mark.parametrize("path", [DATA / "valid.yaml", ROOT / "events.yaml"])
def test_untouched_blocks_stay_byte_identical_and_the_result_reloads(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    before = LogText.parse(text)
    assert before.text() == text
    old = records(text)
    linked = {link["id"] for r in old for link in r.get("related") or []}
    gone = next(r["id"] for r in old if r["id"] not in linked)
    changed = dict(next(r for r in old if r["id"] != gone), notes="Changed by a test.")
    inserted = [new_event("2025-07-01-added", "2025-07-01"), new_event("1999-added-first", "1999")]
    out = edit_log(text, replace={changed["id"]: changed}, insert=inserted, delete={gone})
    after = LogText.parse(out)
    blocks = dict(after.blocks)
    untouched = [(eid, block) for eid, block in before.blocks if eid not in (gone, changed["id"])]
    assert untouched and all(blocks[eid] == block for eid, block in untouched)
    assert after.head == before.head and gone not in blocks
    by_id = {r["id"]: r for r in records(out)}
    assert by_id[changed["id"]] == changed and by_id["2025-07-01-added"] == inserted[0]
    assert [r["id"] for r in records(out)][0] == "1999-added-first"
    target = tmp_path / "log.yaml"
    target.write_text(out, encoding="utf-8")
    report = read_log(target, today=TODAY, cache=False)
    assert report.ok, [p.format() for p in report.problems if p.severity == "error"]


def test_new_events_go_in_date_order():
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    out = edit_log(text, insert=[new_event("2025-06-03-b-same-day", "2025-06-03")])
    ids = [r["id"] for r in records(out)]
    # valid.yaml lists 06-04 before 06-03: the new event goes before the first event that sorts after it
    assert ids.index("2025-06-03-b-same-day") == 0


def test_meta_is_set_and_comments_kept():
    text = "# a comment\nmeta:\n  title: Log\nevents:\n- id: 2025-a\n  date: '2025'\n"
    out = edit_log(text, meta={"title": "Log", "coverage": {"through": "2026-06-12"}})
    assert out.startswith("# a comment\nmeta:\n  title: Log\n  coverage:\n    through: '2026-06-12'\nevents:\n")
    assert out.endswith("- id: 2025-a\n  date: '2025'\n")


def test_edits_naming_unknown_or_taken_ids_are_refused():
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    with pytest.raises(LogEditError, match="no-such"):
        edit_log(text, delete={"no-such"})
    with pytest.raises(LogEditError, match="already"):
        edit_log(text, insert=[new_event("2025-06-03-election", "2025-06-03")])


def test_dumped_blocks_follow_the_model_order_and_the_file_indent():
    block = dump_event({"status": "occurred", "id": "2025-a", "date": "2025-06-03"}, indent="  ")
    assert block == "  - id: 2025-a\n    date: '2025-06-03'\n    status: occurred\n"
