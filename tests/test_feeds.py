"""Calendar, Atom and TimelineJS outputs (timeline/feeds.py) and the export formats over them."""
import datetime as dt
import json
import subprocess
import sys

import feedparser
import icalendar
import pytest

from timeline import feeds
from timeline.load import load_events
from timeline.query import Filters

from .conftest import ROOT

TODAY = dt.date(2026, 11, 29)

FEED_LOG = """events:
  - id: 2026-12-10-summit
    date: "2026-12-10"
    title: {en: "Japan–ROK summit, Seoul", ja: 日韓首脳会談（ソウル）, ko: 한일 정상회담(서울)}
    summary: {en: "Leaders meet; agenda: shuttle diplomacy.", ja: 首脳が会談。}
    countries: [KR, JP]
    themes: [japan-rok]
    type: summit
    importance: 3
    status: scheduled
    sources:
      - {title: Summit set, publisher: Yonhap, url: "https://en.yna.co.kr/view/summit"}
    added: "2026-11-01"
    updated: "2026-11-20"
  - id: 2027-01-expected-visit
    date: "2027-01"
    approximate: true
    title: {en: Expected visit to Tokyo, ja: 東京訪問の見込み}
    summary: {en: A visit is expected in January., ja: 1月の訪問が見込まれる。}
    countries: [KR]
    themes: [japan-rok]
    type: visit
    importance: 2
    status: expected
    sources:
      - {title: Visit expected, publisher: Kyodo, url: "https://english.kyodonews.net/visit"}
    added: "2026-10-01"
  - id: 2026-12-15-drill-cancelled
    date: "2026-12-15"
    title: {en: Joint drill called off, ja: 合同訓練を中止}
    summary: {en: The drill was cancelled., ja: 訓練は中止された。}
    countries: [KR, US]
    themes: [us-rok-alliance]
    type: exercise
    importance: 2
    status: cancelled
    sources:
      - {title: Drill off, publisher: Reuters, url: "https://www.reuters.com/drill"}
    added: "2026-09-01"
    updated: "2026-11-25"
  - id: 2026-12-20-talks-postponed
    date: "2026-12-20"
    end: "2026-12-22"
    title: {en: Trilateral talks postponed, ja: 3か国協議を延期}
    summary: {en: The talks were pushed back., ja: 協議は先送りされた。}
    countries: [KR, JP, CN]
    themes: [japan-rok]
    type: ministerial-meeting
    importance: 2
    status: postponed
    sources:
      - {title: Talks delayed, publisher: NHK, url: "https://www3.nhk.or.jp/talks"}
    added: "2026-08-01"
    updated: "2026-11-10"
  - id: 2025-06-04-lee-inauguration
    date: "2025-06-04"
    title: {en: Lee Jae-myung inaugurated, ja: 李在明大統領が就任, ko: 이재명 대통령 취임}
    summary: {en: Lee takes office., ja: 就任した。}
    countries: [KR]
    themes: [rok-politics]
    type: inauguration
    importance: 3
    status: occurred
    sources:
      - {title: Lee sworn in, publisher: Yonhap, url: "https://en.yna.co.kr/view/lee"}
    added: "2026-11-28"
"""
PLANNED = {"2026-12-10-summit", "2027-01-expected-visit", "2026-12-15-drill-cancelled", "2026-12-20-talks-postponed"}


@pytest.fixture
def feed_log(tmp_path):
    path = tmp_path / "feeds.yaml"
    path.write_text(FEED_LOG, encoding="utf-8")
    return path


@pytest.fixture
def feed_df(feed_log, vocab):
    return load_events(feed_log, vocab)


def _calendar(df, vocab, **kw):
    text = feeds.ics_text(df, vocab, today=TODAY, app_url="https://tracker.example/", **kw)
    return text, {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}


# -- iCalendar ---------------------------------------------------------------------------------------

def test_ics_holds_the_planned_events_ahead_with_ids_as_uids(feed_df, vocab):
    _, events = _calendar(feed_df, vocab)
    assert set(events) == {f"{i}@korea-timeline" for i in PLANNED}
    summit = events["2026-12-10-summit@korea-timeline"]
    assert summit.decoded("DTSTART") == dt.date(2026, 12, 10) and summit.decoded("DTEND") == dt.date(2026, 12, 11)
    assert str(summit["SUMMARY"]) == "Japan–ROK summit, Seoul" and str(summit["STATUS"]) == "CONFIRMED"
    assert int(summit["SEQUENCE"]) == 19  # updated 19 days after it was added
    assert summit.decoded("LAST-MODIFIED").date() == dt.date(2026, 11, 20)
    assert "https://en.yna.co.kr/view/summit" in str(summit["DESCRIPTION"])
    assert str(summit["URL"]) == "https://tracker.example/?event=2026-12-10-summit"


def test_ics_month_precision_spans_the_month_and_says_so(feed_df, vocab):
    _, events = _calendar(feed_df, vocab)
    visit = events["2027-01-expected-visit@korea-timeline"]
    assert visit.decoded("DTSTART") == dt.date(2027, 1, 1) and visit.decoded("DTEND") == dt.date(2027, 2, 1)
    assert str(visit["SUMMARY"]) == "Expected visit to Tokyo (c. Jan 2027, day not fixed)"
    assert str(visit["STATUS"]) == "TENTATIVE" and int(visit["SEQUENCE"]) == 0


def test_ics_cancelled_and_postponed(feed_df, vocab):
    _, events = _calendar(feed_df, vocab, lang="ja")
    cancelled = events["2026-12-15-drill-cancelled@korea-timeline"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and str(cancelled["SUMMARY"]) == "【中止】合同訓練を中止"
    postponed = events["2026-12-20-talks-postponed@korea-timeline"]
    assert str(postponed["STATUS"]) == "TENTATIVE" and str(postponed["SUMMARY"]).startswith("【延期】")
    # a span: all-day from its first to its last day (DTEND is exclusive)
    assert postponed.decoded("DTSTART") == dt.date(2026, 12, 20) and postponed.decoded("DTEND") == dt.date(2026, 12, 23)


def test_ics_a_postponed_event_moved_by_the_curators_moves_in_place(feed_df, vocab):
    """Same UID, later date, higher SEQUENCE: a subscribed calendar moves the event instead of adding one."""
    _, before = _calendar(feed_df, vocab)
    moved = feed_df.copy()
    row = moved["id"] == "2026-12-20-talks-postponed"
    moved.loc[row, "date"], moved.loc[row, "end"], moved.loc[row, "updated"] = "2027-02-03", "", "2026-11-29"
    _, after = _calendar(moved, vocab)
    uid = "2026-12-20-talks-postponed@korea-timeline"
    assert after[uid].decoded("DTSTART") == dt.date(2027, 2, 3)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


def test_ics_past_events_on_request_and_lines_are_folded(feed_df, vocab):
    text, events = _calendar(feed_df, vocab, include_past=True)
    assert "2025-06-04-lee-inauguration@korea-timeline" in events
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    assert text.endswith("END:VCALENDAR\r\n")


def test_ics_uids_and_bytes_are_stable_across_runs(feed_log, tmp_path):
    outs = []
    for n in range(2):  # two separate processes
        out = tmp_path / f"run{n}.ics"
        subprocess.run([sys.executable, "-m", "timeline", "export", "--events", str(feed_log), "--format", "ics",
                        "--out", str(out), "--date", "2026-11-29", "--lang", "ko"], cwd=ROOT, check=True,
                       capture_output=True, timeout=120)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    events = icalendar.Calendar.from_ical(outs[0]).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(f"{i}@korea-timeline" for i in PLANNED)
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "[취소] Joint drill called off" in summaries and "한일 정상회담(서울)" in summaries


# -- Atom --------------------------------------------------------------------------------------------

def test_atom_lists_the_latest_changes_first_with_links_and_sources(feed_df, vocab):
    text = feeds.atom_text(feed_df, vocab, "en", feed_url="https://tracker.example/feed.atom",
                           app_url="https://tracker.example/", limit=3)
    feed = feedparser.parse(text)
    assert not feed.bozo and feed.version == "atom10"
    assert [e.link for e in feed.entries] == [f"https://tracker.example/?event={i}" for i in
                                              ("2025-06-04-lee-inauguration", "2026-12-15-drill-cancelled",
                                               "2026-12-10-summit")]
    drill = feed.entries[1]
    assert drill.title == "[Cancelled] Joint drill called off"
    assert drill.updated.startswith("2026-11-25") and drill.published.startswith("2026-09-01")
    assert "Date: 15 Dec 2026" in drill.summary and "Updated 25 Nov 2026" in drill.summary
    assert 'href="https://www.reuters.com/drill"' in drill.content[0].value
    assert {t.term for t in drill.tags} == {"KR", "US", "us-rok-alliance"}
    assert len({e.id for e in feed.entries}) == 3 and all(e.id.startswith("urn:uuid:") for e in feed.entries)


def test_atom_in_japanese_and_valid_xml(feed_df, vocab):
    from xml.etree import ElementTree

    text = feeds.atom_text(feed_df, vocab, "ja", feed_url="https://x.example/feed.atom?lang=ja&country=KR",
                           app_url="https://x.example/")
    root = ElementTree.fromstring(text.encode("utf-8"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "李在明大統領が就任" in titles and "【延期】3か国協議を延期" in titles
    summaries = [e.findtext("a:summary", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert "日付：2026年12月20日～22日 · 状況：延期 · 2026年11月10日更新\n協議は先送りされた。" in summaries
    assert root.find("a:link[@rel='self']", ns).get("href") == "https://x.example/feed.atom?lang=ja&country=KR"


# -- TimelineJS3 -------------------------------------------------------------------------------------

# The documented format (timeline.knightlab.com/docs/json-format.html): the keys a slide, a date and a
# text object may have, and the rules TimelineJS enforces when it loads a document.
TJS_SLIDE_KEYS = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "autolink",
                  "unique_id"}
TJS_DATE_KEYS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}


def check_timelinejs(doc: dict) -> list[str]:
    """Problems of a TimelineJS3 document against its documented JSON format (empty when valid)."""
    problems = []
    if set(doc) - {"title", "events", "eras", "scale"}:
        problems.append(f"unknown top-level keys {set(doc) - {'title', 'events', 'eras', 'scale'}}")
    if not isinstance(doc.get("events"), list):
        return problems + ["events must be a list"]
    ids = [e.get("unique_id") for e in doc["events"]]
    if len(set(ids)) != len(ids):
        problems.append("unique_id values repeat")
    for i, slide in enumerate(doc["events"] + ([doc["title"]] if "title" in doc else [])):
        where = f"slide {i}"
        if set(slide) - TJS_SLIDE_KEYS:
            problems.append(f"{where}: unknown keys {set(slide) - TJS_SLIDE_KEYS}")
        for key in ("start_date", "end_date"):
            if key in slide:
                problems += [f"{where}.{key}: {p}" for p in _check_date(slide[key])]
        if i < len(doc["events"]) and "start_date" not in slide:
            problems.append(f"{where}: an event needs a start_date")
        if "text" in slide and (set(slide["text"]) - {"headline", "text"}
                                or not all(isinstance(v, str) for v in slide["text"].values())):
            problems.append(f"{where}.text: only headline and text, as strings")
        if "group" in slide and not isinstance(slide["group"], str):
            problems.append(f"{where}.group must be a string")
    return problems


def _check_date(date: dict) -> list[str]:
    out = [f"unknown keys {set(date) - TJS_DATE_KEYS}"] if set(date) - TJS_DATE_KEYS else []
    if not isinstance(date.get("year"), int):
        out.append("year is required and numeric")
    if "day" in date and "month" not in date:
        out.append("a day needs a month")
    if not 1 <= date.get("month", 1) <= 12 or not 1 <= date.get("day", 1) <= 31:
        out.append("month 1-12, day 1-31")
    return out


def test_timelinejs_follows_the_documented_format_at_the_log_precision(feed_df, vocab):
    doc = feeds.timelinejs_doc(feed_df, vocab, "en", "country", headline="Briefing", text="All events",
                               focus=("JP",))
    assert check_timelinejs(doc) == []
    slides = {e["unique_id"]: e for e in doc["events"]}
    assert list(slides) == ["2025-06-04-lee-inauguration", "2026-12-10-summit", "2026-12-15-drill-cancelled",
                            "2026-12-20-talks-postponed", "2027-01-expected-visit"]
    assert slides["2027-01-expected-visit"]["start_date"] == {"year": 2027, "month": 1}
    assert slides["2027-01-expected-visit"]["display_date"] == "c. Jan 2027"
    assert slides["2026-12-20-talks-postponed"]["end_date"] == {"year": 2026, "month": 12, "day": 22}
    assert "end_date" not in slides["2026-12-10-summit"]
    assert slides["2026-12-10-summit"]["group"] == "Japan"  # the focus country first
    assert slides["2026-12-15-drill-cancelled"]["group"] == "South Korea (ROK)"
    assert 'href="https://en.yna.co.kr/view/summit"' in slides["2026-12-10-summit"]["text"]["text"]
    assert slides["2026-12-10-summit"]["text"]["headline"] == "Japan–ROK summit, Seoul"


def test_the_validator_catches_what_timelinejs_rejects():
    bad = {"events": [{"start_date": {"month": 3}, "text": {"headline": 1}},
                      {"unique_id": "x", "start_date": {"year": 2025, "day": 4}, "colour": "red"}]}
    problems = check_timelinejs(bad)
    assert any("year is required" in p for p in problems) and any("a day needs a month" in p for p in problems)
    assert any("unknown keys" in p for p in problems) and any(".text" in p for p in problems)


def test_export_formats_ics_and_timelinejs(feed_log, tmp_path, capsys):
    from timeline.cli import main

    out = tmp_path / "story.json"
    assert main(["export", "--events", str(feed_log), "--format", "timelinejs", "--out", str(out), "--lang", "ja",
                 "--group", "theme", "--theme", "japan-rok", "--date", "2026-11-29"]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert check_timelinejs(doc) == [] and len(doc["events"]) == 3
    assert {e["group"] for e in doc["events"]} == {vocab_label("theme", "japan-rok", "ja")}
    ics = tmp_path / "all.ics"
    assert main(["export", "--events", str(feed_log), "--format", "ics", "--out", str(ics), "--past",
                 "--date", "2026-11-29"]) == 0
    assert len(icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 5


def vocab_label(kind, term, lang):
    from timeline.load import load_vocab

    return load_vocab().label(kind, term, lang)


def test_feed_title_names_the_filters(vocab):
    assert feeds.feed_title(Filters(countries=("KP",)), vocab, "ja") == "朝鮮半島情勢の予定：北朝鮮"
    assert feeds.feed_title(Filters(), vocab, "en", "title").startswith("Korean Peninsula event log")


def test_a_calendar_is_bounded_to_the_nearest_events(feed_df):
    ahead = feeds.calendar_events(feed_df, TODAY, limit=2)
    assert list(ahead["id"]) == ["2026-12-10-summit", "2026-12-15-drill-cancelled"]
    latest = feeds.calendar_events(feed_df, TODAY, include_past=True, limit=2)
    assert list(latest["id"]) == ["2026-12-20-talks-postponed", "2027-01-expected-visit"]
