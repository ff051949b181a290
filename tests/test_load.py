"""The loader and validator: every defect in tests/data/ reports its code, line and event id."""
import os

import pytest

from timeline import load
from timeline.load import InvalidLog, load_events, read_log
from timeline.validate import CODES

from .conftest import DATA, TODAY

# fixture file -> (code, line, event id) that must be reported
CATALOGUE = {
    "duplicate-id": ("duplicate-id", 16, "2025-06-04-lee-inauguration"),
    "unknown-theme": ("unknown-theme", 32, "2025-09-kim-beijing"),
    "unknown-country": ("unknown-country", 31, "2025-09-kim-beijing"),
    "unknown-type": ("unknown-type", 22, "2025-06-03-election"),
    "unknown-status": ("unknown-status", 35, "2025-09-kim-beijing"),
    "bad-date": ("bad-date", 28, "2025-09-kim-beijing"),
    "impossible-date": ("bad-date", 17, "2025-06-03-election"),
    "end-before-start": ("end-before-start", 29, "2025-09-kim-beijing"),
    "dangling-related": ("dangling-related", 15, "2025-06-04-lee-inauguration"),
    "self-related": ("self-related", 15, "2025-06-04-lee-inauguration"),
    "unknown-relation": ("unknown-relation", 15, "2025-06-04-lee-inauguration"),
    "unknown-field": ("unknown-field", 32, "2025-09-kim-beijing"),
    "missing-field": ("missing-field", 16, "2025-06-03-election"),
    "missing-language": ("missing-language", 29, "2025-09-kim-beijing"),
    "wrong-type": ("wrong-type", 31, "2025-09-kim-beijing"),
    "empty-value": ("empty-value", 18, "2025-06-03-election"),
    "bad-importance": ("bad-importance", 34, "2025-09-kim-beijing"),
    "bad-url-javascript": ("bad-url", 37, "2025-09-kim-beijing"),
    "bad-url-file": ("bad-url", 26, "2025-06-03-election"),
    "no-sources": ("no-sources", 36, "2025-09-kim-beijing"),
    "bad-id": ("bad-id", 27, "Kim_Beijing"),
    "yaml-syntax": ("yaml-syntax", 33, ""),
    "tab-character": ("tab-character", 33, ""),
    "duplicate-key": ("duplicate-key", 35, ""),
    "not-a-mapping": ("not-a-mapping", 27, ""),
    "python-object-tag": ("unknown-tag", 34, ""),
    "unknown-tag": ("unknown-tag", 34, ""),
    "bad-root": ("bad-root", 1, ""),
    "empty-file": ("bad-root", 1, ""),
    "not-utf8": ("not-utf8", 29, ""),
    "alias-bomb": ("too-many-nodes", 1, ""),
    "unknown-evidence": ("unknown-evidence", 36, "2025-09-kim-beijing"),
    "missing-claimed-by": ("missing-claimed-by", 36, "2025-09-kim-beijing"),
    "unconfirmed-in-future": ("unconfirmed-in-future", 35, "2027-09-kim-beijing"),
    "bad-coverage-date": ("bad-date", 3, ""),
    "number-too-large": ("number-too-large", 34, ""),
}
# defects that are warnings: the log still loads
WARNINGS = {
    "byte-order-mark": ("byte-order-mark", 1, ""),
    "stale-scheduled": ("stale-scheduled", 35, "2025-09-kim-beijing"),
    "id-date-mismatch": ("id-date-mismatch", 16, "2025-06-03-election"),
    "short-too-long": ("short-too-long", 30, "2025-09-kim-beijing"),
}


def found(report):
    return {(p.code, p.line, p.event_id) for p in report.problems}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_defect_is_reported_with_code_line_and_event(name):
    report = read_log(DATA / f"{name}.yaml", today=TODAY, cache=False)
    assert CATALOGUE[name] in found(report), [p.format() for p in report.problems]
    assert report.events is None and not report.ok


@pytest.mark.parametrize("name", sorted(WARNINGS))
def test_warnings_do_not_stop_loading(name):
    report = read_log(DATA / f"{name}.yaml", today=TODAY, cache=False)
    assert WARNINGS[name] in found(report), [p.format() for p in report.problems]
    assert report.ok and len(report.events) == 3


def test_every_fixture_is_in_the_catalogue_and_every_code_documented():
    names = {p.stem for p in DATA.glob("*.yaml")} - {"valid", "oversized", "hostile", "small", "likely-duplicate"}
    assert names == set(CATALOGUE) | set(WARNINGS)
    for code, *_ in list(CATALOGUE.values()) + list(WARNINGS.values()):
        assert code in CODES


def test_message_format_is_pinned():
    report = read_log(DATA / "unknown-theme.yaml", today=TODAY, cache=False)
    (problem,) = report.problems
    assert problem.format() == (
        f"{DATA / 'unknown-theme.yaml'}:32:14: 2025-09-kim-beijing: themes.0: \"china-dprkk\" is not a known theme "
        "(did you mean \"china-dprk\"?); known: japan-rok, economic-security, security-cooperation, "
        "defense-industry, japan-us-rok, us-rok-alliance, china-rok, dprk-politics, dprk-military, russia-dprk, "
        "china-dprk, us-dprk, japan-dprk, inter-korean, rok-politics, japan-politics, china-japan, "
        "us-global-posture (add new ones to timeline/vocab.yaml) [unknown-theme]")


def test_unknown_field_suggests_the_right_name():
    report = read_log(DATA / "unknown-field.yaml", today=TODAY, cache=False)
    messages = [p.message for p in report.problems if p.code == "unknown-field"]
    assert messages and 'did you mean "themes"' in messages[0]


def test_all_problems_are_collected_not_just_the_first(tmp_path):
    text = (DATA / "valid.yaml").read_text()
    text = text.replace("themes: [china-dprk]", "themes: [nope]").replace('date: "2025-06-03"', 'date: "2025-02-30"')
    path = tmp_path / "two.yaml"
    path.write_text(text)
    codes = {p.code for p in read_log(path, today=TODAY, cache=False).problems}
    assert {"unknown-theme", "bad-date"} <= codes


def test_python_tags_are_never_executed():
    marker = "/tmp/timeline-pwned"
    if os.path.exists(marker):
        os.remove(marker)
    read_log(DATA / "python-object-tag.yaml", cache=False)
    assert not os.path.exists(marker)


def test_alias_bomb_is_refused_quickly_and_small():
    import time
    import tracemalloc

    tracemalloc.start()
    start = time.perf_counter()
    report = read_log(DATA / "alias-bomb.yaml", cache=False)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [p.code for p in report.problems] == ["too-many-nodes"]
    # generous bounds: a naive expansion is 9**9 (387 million) strings
    assert elapsed < 5 and peak < 200 * 1024 * 1024


def test_oversized_file_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(load, "MAX_BYTES", 1000)
    report = read_log(DATA / "oversized.yaml", cache=False)
    assert [p.code for p in report.problems] == ["file-too-large"]
    assert "TIMELINE_MAX_BYTES" in report.problems[0].message


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    report = read_log(tmp_path / "nope.yaml", cache=False)
    assert [p.code for p in report.problems] == ["file-not-found"]


def test_load_events_raises_one_exception_with_all_problems():
    with pytest.raises(InvalidLog) as info:
        load_events(DATA / "duplicate-id.yaml")
    assert "duplicate-id" in {p.code for p in info.value.problems}
    assert "duplicate-id" in str(info.value)


def test_dates_are_read_as_written_with_their_precision(valid_df):
    row = valid_df.set_index("id").loc["2025-09-kim-beijing"]
    assert row["date"] == "2025-09" and row["precision"] == "month"
    assert str(row["start"].date()) == "2025-09-01" and str(row["stop"].date()) == "2025-09-30"


def test_unquoted_dates_keep_their_text(tmp_path):
    text = (DATA / "valid.yaml").read_text().replace('date: "2025-06-03"', "date: 2025-06-03")
    path = tmp_path / "unquoted.yaml"
    path.write_text(text)
    df = load_events(path)
    assert "2025-06-03" in set(df["date"])


def test_yes_no_stay_text_so_norway_is_not_false(tmp_path):
    text = (DATA / "valid.yaml").read_text().replace("countries: [KP, CN]", "countries: [KP, NO]")
    path = tmp_path / "no.yaml"
    path.write_text(text)
    problems = read_log(path, cache=False).problems
    assert any(p.code == "unknown-country" and '"NO"' in p.message for p in problems)


def test_frame_has_list_columns_usable_for_filtering(valid_df):
    assert list(valid_df["id"]) == ["2025-06-03-election", "2025-06-04-lee-inauguration", "2025-09-kim-beijing"]
    assert valid_df.set_index("id").loc["2025-09-kim-beijing", "countries"] == ["KP", "CN"]
    assert valid_df["importance"].dtype == "int64"


def test_problem_json_has_every_location_field():
    import json

    from timeline.validate import problems_json

    report = read_log(DATA / "bad-date.yaml", cache=False)
    (item,) = json.loads(problems_json(report.problems))
    assert item == {"code": "bad-date", "message": item["message"], "file": str(DATA / "bad-date.yaml"),
                    "line": 28, "col": 11, "event_id": "2025-09-kim-beijing", "field": "date", "severity": "error"}


@pytest.mark.parametrize("url,ok", [
    ("https://www.yna.co.kr/view/AKR2025", True), ("HTTP://EXAMPLE.ORG", True), ("https://a.b/x?q=1#f", True),
    ("http://[::1]/x", True), ("http://[::1/x", False), ("https:///no-host", False), ("http://", False),
    ("javascript:alert(1)", False), ("file:///etc/passwd", False), ("https://a.b/with space", False),
    (" https://a.b", False), ("https://a.b\n", False), ("ftp://a.b", False), ("//a.b/x", False),
])
def test_only_absolute_http_urls_are_links(url, ok):
    from timeline.validate import _is_http

    assert _is_http(url) is ok


def test_log_source_keeps_the_last_good_events_and_frees_old_ones(tmp_path):
    import gc
    import os
    import weakref

    from timeline.source import LogSource

    from .conftest import event_yaml

    path = tmp_path / "log.yaml"
    good = (DATA / "valid.yaml").read_text(encoding="utf-8")
    path.write_text(good, encoding="utf-8")
    source = LogSource(path, min_interval=0)
    first = source.current()
    assert len(first.events) == 3 and not first.stale
    assert gc.get_freeze_count() > 0  # the served events are out of the collector's way
    old = weakref.ref(first.events)

    path.write_text(good.replace("events:", "events:\n  - id: [broken", 1), encoding="utf-8")
    os.utime(path, ns=(1, 1))
    broken = source.current()
    assert broken.stale and broken.events is first.events  # nothing lost
    assert broken.problems[0].line > 0

    path.write_text(good + event_yaml("2025-10-new", "2025-10", "New", "新規"), encoding="utf-8")
    os.utime(path, ns=(2, 2))
    fixed = source.current()
    assert len(fixed.events) == 4 and not fixed.stale and fixed.version != first.version
    del first, broken
    assert old() is None  # the replaced log is freed, frozen or not


def test_an_event_recorded_twice_is_a_likely_duplicate_warning():
    from timeline.validate import likely_duplicates

    report = read_log(DATA / "likely-duplicate.yaml", today=TODAY, cache=False)
    assert report.ok  # a warning, from `validate`: the log still loads
    problems = likely_duplicates(report.events, "likely-duplicate.yaml")
    assert [(p.code, p.line, p.event_id) for p in problems] == [
        ("likely-duplicate", 14, "2025-11-22-china-declines-trilateral-summit")]
    assert "2025-11-china-rejects-trilateral-summit" in problems[0].message
    assert CODES["likely-duplicate"][0] == "warning"


def _log_with(tmp_path, extra: str, head: str = "", status: str = "occurred"):
    """valid.yaml with the Beijing visit's status changed and `extra` field lines added to it."""
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    old = "    importance: 2\n    status: occurred\n"
    text = text.replace(old, f"    importance: 2\n    status: {status}\n{extra}")
    path = tmp_path / "log.yaml"
    path.write_text(head + text, encoding="utf-8")
    return path


def test_claims_short_labels_and_coverage_reach_the_frame_and_the_report(tmp_path):
    head = 'meta:\n  coverage:\n    through: "2026-06-12"\n    note: {en: Complete to mid-June., ja: 6月中旬まで。}\n'
    extra = ("    evidence: claimed\n    claimed_by: KCNA\n"
             "    short: {en: Kim in Beijing, ja: 金正恩訪中, ko: 김정은 방중}\n")
    report = read_log(_log_with(tmp_path, extra, head), today=TODAY, cache=False)
    assert report.ok and not report.problems, [p.format() for p in report.problems]
    assert report.meta["coverage"]["through"] == "2026-06-12"
    row = report.events.set_index("id").loc["2025-09-kim-beijing"]
    assert (row.evidence, row.claimed_by, row.short_en, row.short_ko) == ("claimed", "KCNA", "Kim in Beijing",
                                                                          "김정은 방중")
    other = report.events.set_index("id").loc["2025-06-03-election"]
    assert (other.evidence, other.claimed_by, other.short_ja) == ("", "", "")  # not stated is not "confirmed"


def test_unconfirmed_outcome_in_the_past_is_valid_and_not_stale(tmp_path):
    report = read_log(_log_with(tmp_path, "", status="unconfirmed"), today=TODAY, cache=False)
    assert report.ok and not report.problems, [p.format() for p in report.problems]
    stale = read_log(_log_with(tmp_path, "", status="scheduled"), today=TODAY, cache=False)
    assert [p.code for p in stale.problems] == ["stale-scheduled"]


def test_disputed_needs_claimed_by_but_confirmed_does_not(tmp_path):
    bad = read_log(_log_with(tmp_path, "    evidence: disputed\n"), today=TODAY, cache=False)
    assert [p.code for p in bad.problems] == ["missing-claimed-by"]
    good = read_log(_log_with(tmp_path, "    evidence: confirmed\n"), today=TODAY, cache=False)
    assert good.ok and not good.problems


def test_sources_may_carry_accessed_and_archived(tmp_path):
    text = (DATA / "valid.yaml").read_text()
    good = text.replace('url: "https://world.kbs.co.kr/example"}',
                        'url: "https://world.kbs.co.kr/example", accessed: "2026-11-28", '
                        'archived: "https://web.archive.org/web/2026/https://world.kbs.co.kr/example"}')
    path = tmp_path / "good.yaml"
    path.write_text(good)
    assert read_log(path, today=TODAY, cache=False).ok
    bad = good.replace('accessed: "2026-11-28"', 'accessed: "2026-11-31"').replace("https://web.archive.org/web",
                                                                                   "ftp://archive.example")
    path.write_text(bad)
    assert {(p.code, p.field) for p in read_log(path, today=TODAY, cache=False).problems} == {
        ("bad-date", "sources.0.accessed"), ("bad-url", "sources.0.archived")}


@pytest.mark.parametrize("text", ["importance: " + "9" * 5000, "importance: !!int " + "1" * 5000,
                                  "importance: 1.0e999", "notes: !!float nan", "importance: " + "1" * 33])
def test_numbers_are_bounded_and_reported_never_a_traceback(tmp_path, text):
    log = tmp_path / "big.yaml"
    log.write_text((DATA / "valid.yaml").read_text().replace("importance: 2", text, 1))
    report = read_log(log, today=TODAY, cache=False)
    assert [p.code for p in report.problems] == ["number-too-large"] and not report.ok
    assert len(report.problems[0].format()) < 300


def test_the_cli_reports_a_huge_number_in_one_line(capsys):
    from timeline.cli import main

    for command in (["validate", str(DATA / "number-too-large.yaml")],
                    ["list", "--events", str(DATA / "number-too-large.yaml")]):
        assert main(command) == 1
        out = capsys.readouterr()
        assert "[number-too-large]" in out.out + out.err and "Traceback" not in out.out + out.err


def test_the_vocabularies_read_as_the_safe_loader_reads_them_and_a_broken_one_says_where(tmp_path):
    import yaml

    from timeline.model import VOCAB_PATH
    from timeline.yamlread import read_trusted

    assert read_trusted(VOCAB_PATH) == yaml.safe_load(VOCAB_PATH.read_text(encoding="utf-8"))
    broken = tmp_path / "vocab.yaml"
    broken.write_text("countries:\n  KR: {en: Korea}\n  KR: {en: again}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"vocab\.yaml:3:3: .*\[duplicate-key\]"):
        read_trusted(broken)
