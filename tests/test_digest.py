"""The key-developments digest equals what pandas gives for the same view, on the real log."""
import dataclasses
import datetime as dt
import re
from collections import Counter

import pandas as pd
import pytest

from timeline import digest
from timeline.load import load_events
from timeline.model import PartialDate
from timeline.query import Filters, filter_events

from .conftest import ROOT

TODAY = dt.date(2026, 11, 28)
PENDING = {"scheduled", "expected", "unconfirmed"}
VIEWS = [
    Filters(date_from="2025-06", countries=("KP", "RU")),
    Filters(date_from="2024", date_to="2025-06", themes=("japan-rok", "japan-us-rok")),
    Filters(countries=("JP",)),
    Filters(date_from="2026-01", min_importance=2),
    Filters(date_from="2025-10", date_to="2027-03"),
]
VIEW_IDS = ["kp-ru-from-2025-06", "japan-rok-2024-to-2025-06", "jp-all-time", "major-from-2026", "to-2027-03"]


@pytest.fixture(scope="module")
def log(vocab):
    df = load_events(ROOT / "events.yaml", vocab)
    # every event of the real log was added on one day: spread `added` over a year, newest events last
    days = pd.date_range("2025-12-01", periods=len(df), freq="D").strftime("%Y-%m-%d")
    return df.assign(added=list(days))


def expected_period(view, f: Filters, today=TODAY):
    lo = pd.Timestamp(PartialDate.parse(f.date_from).first) if f.date_from else None
    hi = pd.Timestamp(PartialDate.parse(f.date_to).last) if f.date_to else pd.Timestamp(today)
    if lo is None:
        lo = min(r.start for r in view.itertuples() if r.status not in PENDING and r.start <= hi)
    return lo, hi


def known_outcomes(df, lo, hi):
    return [r for r in df.itertuples() if r.status not in PENDING and r.start <= hi and r.stop >= lo]


@pytest.mark.parametrize("f", VIEWS, ids=VIEW_IDS)
def test_headline_numbers_equal_pandas(log, vocab, f):
    view = filter_events(log, f, vocab)
    d = digest.build_digest(log, f, vocab, "en", TODAY)
    lo, hi = expected_period(view, f)
    done = known_outcomes(view, lo, hi)
    assert d.period == (lo.date(), hi.date())
    assert d.events.now == len(done) > 0
    assert d.major.now == sum(r.importance == 3 for r in done)
    themes = Counter(t for r in done for t in r.themes)
    assert [c.now for c in d.themes] == sorted(themes.values(), reverse=True)[:len(d.themes)]
    labels = {vocab.label("theme", k, "en"): n for k, n in themes.items()}
    assert all(labels[c.label] == c.now for c in d.themes)
    if f.date_from:
        days = (hi - lo).days
        prev_hi = lo - pd.Timedelta(days=1)
        prev_lo = prev_hi - pd.Timedelta(days=days)
        assert d.previous == (prev_lo.date(), prev_hi.date())
        undated = dataclasses.replace(f, date_from=None, date_to=None)
        before = known_outcomes(filter_events(log, undated, vocab), prev_lo, prev_hi)
        assert d.events.before == len(before)
        assert d.major.before == sum(r.importance == 3 for r in before)
    else:
        assert d.previous is None and d.events.before is None


@pytest.mark.parametrize("f", VIEWS, ids=VIEW_IDS)
def test_top_developments_are_the_most_important_then_newest(log, vocab, f):
    view = filter_events(log, f, vocab)
    d = digest.build_digest(log, f, vocab, "en", TODAY)
    done = known_outcomes(view, *expected_period(view, f))
    ranked = sorted(done, key=lambda r: (-r.importance, -r.start.value, r.id))
    assert [p.id for p in d.top] == [r.id for r in ranked[:digest.TOP]]
    assert 5 <= len(d.top) <= 10


@pytest.mark.parametrize("f", VIEWS, ids=VIEW_IDS)
def test_new_since_lists_exactly_the_events_added_on_or_after_the_date(log, vocab, f):
    view = filter_events(log, f, vocab)
    since = sorted(view["added"])[-4]            # the view's four newest additions (ties included)
    d = digest.build_digest(log, f, vocab, "en", TODAY, since=since)
    expected = [r.id for r in view.sort_values(["start", "id"]).itertuples() if r.added >= since]
    assert [p.id for p in d.new] == expected and d.new_total == len(expected) >= 4
    assert not digest.build_digest(log, f, vocab, "en", TODAY, since="2099-01-01").new


@pytest.mark.parametrize("today", [TODAY, dt.date(2026, 6, 1), dt.date(2025, 12, 20)], ids=str)
@pytest.mark.parametrize("f", VIEWS, ids=VIEW_IDS)
def test_ahead_lists_exactly_the_planned_events_in_range(log, vocab, f, today):
    d = digest.build_digest(log, f, vocab, "en", today)
    base = filter_events(log, dataclasses.replace(f, date_from=None, date_to=None), vocab)
    end = PartialDate.parse(f.date_to).last if f.date_to else today
    until = pd.Timestamp(max(today, end)) + pd.DateOffset(months=3)
    expected = sorted((r.start, r.id) for r in base.itertuples()
                      if r.status in ("scheduled", "expected") and r.stop >= pd.Timestamp(today) and r.start <= until)
    assert [p.id for p in d.ahead] == [i for _, i in expected]
    assert d.ahead_until == until.date()
    past = sorted((r.start, r.id) for r in base.itertuples() if r.status in PENDING and r.stop < pd.Timestamp(today))
    assert [p.id for p in d.past_due] == [i for _, i in past]


def test_ahead_names_the_status_and_past_due_says_outcome_not_confirmed(log, vocab):
    planned = log[log["status"].isin(["scheduled", "expected"])]
    assert not planned.empty, "the log has no scheduled or expected event to look ahead to"
    today = (planned["start"].min() - pd.Timedelta(days=1)).date()   # the day before the first planned event
    d = digest.build_digest(log, Filters(), vocab, "en", today)
    assert d.ahead and all(p.text.endswith(("(Scheduled)", "(Expected)")) for p in d.ahead)
    past = log[log["status"].isin(PENDING) & (log["stop"] < pd.Timestamp(TODAY))]
    d = digest.build_digest(log, Filters(), vocab, "ja", TODAY)
    assert [p.id for p in d.past_due] == list(past.sort_values(["start", "id"])["id"]) and d.past_due
    assert all(p.text.count("結果未確認") == 1 for p in d.past_due)        # "unconfirmed" is not said twice


def test_an_empty_ahead_says_so_and_how_far_the_log_reaches(log, vocab):
    after = (log["stop"].max() + pd.Timedelta(days=1)).date()      # every event of the log is over
    d = digest.build_digest(log, Filters(), vocab, "en", after, through="12 Jun 2026")
    assert not d.ahead
    assert "Nothing scheduled or expected in the log, which is complete through 12 Jun 2026." in digest.markdown(d)
    d = digest.build_digest(log, Filters(), vocab, "ja", after)
    assert "予定・見込みの出来事なし" in digest.plain_text(d)


def test_a_period_running_past_the_logs_coverage_says_later_events_are_not_in_it(log, vocab):
    covered = dt.date(2026, 6, 12)
    past = digest.build_digest(log, Filters(date_from="2026-01"), vocab, "ja", dt.date(2026, 11, 29),
                               through="2026年6月12日", through_last=covered)
    # fewer entries after the coverage date are not fewer events: no comparison with the previous period
    assert "収録は2026年6月12日まで（それ以後の出来事は未収録のため、前の期間との比較はしない）" \
        in digest.markdown(past)
    assert past.previous is None and past.events.before is None
    inside = digest.build_digest(log, Filters(date_from="2026-01", date_to="2026-03"), vocab, "ja",
                                 dt.date(2026, 11, 29), through="2026年6月12日", through_last=covered)
    assert "未収録" not in digest.markdown(inside) and inside.previous is not None


def test_unconfirmed_events_are_past_due_not_developments(log, vocab):
    df = log.copy()
    target = df.index[df["status"] == "occurred"][-1]
    df.loc[target, "status"] = "unconfirmed"
    d = digest.build_digest(df, Filters(), vocab, "en", TODAY)
    assert df.at[target, "id"] in [p.id for p in d.past_due]
    assert df.at[target, "id"] not in [p.id for p in d.top]


@pytest.mark.parametrize("f", VIEWS, ids=VIEW_IDS)
def test_every_footnote_resolves_to_sources_of_that_event(log, vocab, f):
    d = digest.build_digest(log, f, vocab, "en", TODAY, since="2026-06-01")
    sources = dict(zip(log["id"], log["sources"], strict=False))
    points = d.top + d.new + d.ahead + d.past_due
    assert points
    for p in points:
        event_id, cited = d.notes[p.note - 1]
        assert event_id == p.id and cited and all(s in sources[p.id] for s in cited)
    md = digest.markdown(d)
    numbers = {int(n) for n in re.findall(r" \[(\d+)\]$", md, re.M)}
    assert numbers == {p.note for p in points} and max(numbers) == len(d.notes)
    listed = re.findall(r"^(\d+)\. ", md, re.M)
    assert [int(n) for n in listed] == list(range(1, len(d.notes) + 1))


def test_japanese_reads_as_a_briefing(log, vocab):
    f = Filters(date_from="2025-06", countries=("KP", "RU"))
    d = digest.build_digest(log, f, vocab, "ja", TODAY, title="朝鮮半島情勢：北朝鮮・ロシア")
    md = digest.markdown(d)
    assert md.startswith("## 朝鮮半島情勢：北朝鮮・ロシア　主な動き")
    assert "期間：2025年6月1日 – 2026年11月28日" in md and "件増）" in md
    assert re.search(r"^- 20\d\d年\d+月\d+日(～\d+日)?　\S+", md, re.M)      # 年月日, then the event
    assert not re.search(r"。 \[\d+\]$", md, re.M)                               # 体言止め: no sentence full stop
    assert "Events" not in md and "、" in md.split("テーマ別：")[1].splitlines()[0]
    text = digest.plain_text(d)
    assert re.search(r"^・出来事：\d+件", text, re.M) and "■ 主な出来事" in text


def test_the_same_log_and_date_give_the_same_text(log, vocab):
    f = VIEWS[0]
    for lang in ("en", "ja", "ko"):
        a = digest.markdown(digest.build_digest(log, f, vocab, lang, TODAY, since="2026-06-01"))
        assert a == digest.markdown(digest.build_digest(log, f, vocab, lang, TODAY, since="2026-06-01"))


def test_the_short_title_comes_first_then_the_title_then_the_first_sentence(valid_df):
    df = valid_df.head(3).copy()
    df["short_ja"] = ["短い見出し", "", ""]
    df.loc[df.index[2], ["title_ja", "title_en"]] = ""
    df.loc[df.index[2], "summary_ja"] = "最初の文。二つ目の文。"
    assert digest.event_text(df, "ja") == ["短い見出し", df.iloc[1]["title_ja"], "最初の文"]
    assert digest.first_sentence("Kim visits the U.S. embassy. Then more.") == "Kim visits the U.S. embassy."


def test_an_empty_view_says_so(log, vocab):
    d = digest.build_digest(log, Filters(query="no-such-word-anywhere"), vocab, "en", TODAY)
    assert d.period is None and d.events.now == 0 and not d.top
    assert "No events in this period." in digest.markdown(d)
