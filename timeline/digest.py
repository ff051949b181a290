"""The key-developments digest (主な動き) of a view: what happened, what is new, what is coming.

Deterministic: built from the log with the templates of text.yaml (no language model, no network),
so the same log, filters and `today` give the same text. The contract (tests hold it):
- the period is the view's date window; without a start it begins at the view's first development,
  without an end it stops at `today`. Developments are the view's events in the period that are not
  pending (status scheduled, expected or unconfirmed);
- the headline numbers (events, major events = importance 3, by theme) are compared with the
  previous period of the same length, when the window has a start;
- the top developments are sorted by importance (highest first), then date (newest first);
- "new since" lists the view's events whose `added` date is on or after `since` (as the app's
  highlight does);
- "ahead" lists scheduled and expected events of the view's filters (dates aside) that end today or
  later and start within three months of the window's end (or of today, when that is later);
  "past due" lists planned or unconfirmed events whose whole period has passed;
- every point carries one footnote number; the note lists that event's sources (at most
  `NOTE_SOURCES`), numbered in order of first citation (an event listed twice keeps its number).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from .model import PLANNED_STATUSES, PartialDate, Vocabulary, format_partial
from .query import Filters, filter_events, window
from .tables import date_label, field_column
from .text import join, t

PENDING_STATUSES = (*PLANNED_STATUSES, "unconfirmed")   # outcome not (yet) known: not a development
AHEAD_MONTHS = 3
TOP = 8
NEW_SHOWN = 10
THEMES_SHOWN = 4
NOTE_SOURCES = 3


@dataclass(frozen=True)
class Point:
    """One dated line: an event, what happened, and its footnote numbers."""

    id: str
    date: str
    text: str
    note: int                     # footnote number: Digest.notes[note - 1] lists this event's sources


@dataclass(frozen=True)
class Count:
    label: str
    now: int
    before: int | None = None     # the previous period of the same length (None: no comparison)


@dataclass
class Digest:
    lang: str
    title: str
    period: tuple[dt.date, dt.date] | None
    previous: tuple[dt.date, dt.date] | None
    today: dt.date
    events: Count
    major: Count
    themes: list[Count]
    top: list[Point]
    since: str | None = None
    new: list[Point] = field(default_factory=list)
    new_total: int = 0
    ahead_until: dt.date | None = None
    ahead: list[Point] = field(default_factory=list)
    past_due: list[Point] = field(default_factory=list)
    through: str | None = None    # the log is complete through this date (a label): an empty "ahead" says so
    through_last: dt.date | None = None  # ... its last day: a period running past it says so
    notes: list[tuple[str, list[dict]]] = field(default_factory=list)   # footnote n: (event id, its sources)


def developments(df: pd.DataFrame, lo: pd.Timestamp | None, hi: pd.Timestamp | None) -> pd.DataFrame:
    """Events with a known outcome that overlap [lo, hi]."""
    mask = ~df["status"].isin(PENDING_STATUSES)
    if lo is not None:
        mask &= df["stop"] >= lo
    if hi is not None:
        mask &= df["start"] <= hi
    return df[mask]


def top_developments(done: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    """Importance first (highest), then date (newest), then id: a stable order."""
    return done.sort_values(["importance", "start", "id"], ascending=[False, False, True], kind="stable").head(n)


def period_of(view: pd.DataFrame, filters: Filters, today: dt.date) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    lo, hi = window(filters)
    hi = hi if hi is not None else pd.Timestamp(today)
    if lo is None:
        done = developments(view, None, hi)
        if done.empty:
            return None
        lo = done["start"].min()
    return lo, hi


def previous_period(lo: pd.Timestamp, hi: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period of the same number of days that ends the day before `lo`."""
    days = (hi - lo).days
    prev_hi = lo - pd.Timedelta(days=1)
    return prev_hi - pd.Timedelta(days=days), prev_hi


def ahead_events(base: pd.DataFrame, filters: Filters, today: dt.date) -> tuple[pd.DataFrame, dt.date]:
    """Planned events that end today or later and start within three months of the window's end (or of
    today, when that is later); with the last day of that horizon."""
    _, hi = window(filters)
    anchor = max(today, hi.date()) if hi is not None else today
    until = (pd.Timestamp(anchor) + pd.DateOffset(months=AHEAD_MONTHS)).date()
    mask = (base["status"].isin(PLANNED_STATUSES) & (base["stop"] >= pd.Timestamp(today))
            & (base["start"] <= pd.Timestamp(until)))
    return base[mask].sort_values(["start", "id"], kind="stable"), until


def past_due_events(base: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Planned or unconfirmed events whose whole period has passed: outcome not confirmed."""
    return base[base["status"].isin(PENDING_STATUSES) & (base["stop"] < pd.Timestamp(today))]


def added_since(view: pd.DataFrame, since: str) -> pd.DataFrame:
    """Events whose `added` date is `since` or later (ISO dates compare as text)."""
    return view[(view["added"] != "") & (view["added"] >= since)]


def build_digest(log: pd.DataFrame, filters: Filters, vocab: Vocabulary, lang: str = "en",
                 today: dt.date | None = None, since: str | None = None, title: str | None = None,
                 top: int = TOP, numbered: tuple[str, ...] = (), note_sources: int | None = NOTE_SOURCES,
                 compare: bool = True, through: str | None = None, through_last: dt.date | None = None) -> Digest:
    """The digest of the view `filters` over the whole `log` (the log gives the previous period).

    `numbered`: event ids that take the first note numbers, in order (a document numbers its
    chronology first, so the digest's points refer to the same notes); `note_sources`: sources per
    note (None: all); `compare`: False when `log` holds only the view (nothing to compare with);
    `through`: the log's coverage date as a label (an empty "ahead" then says how far the log reaches);
    `through_last`: its last day (a period that runs past it says that later events are not in the log).
    """
    today = today or dt.date.today()
    view = filter_events(log, filters, vocab)
    period = period_of(view, filters, today)
    lo, hi = period if period else (None, pd.Timestamp(today))
    done = developments(view, lo, hi)
    before, prev = None, None
    # a period that runs past the log's coverage would count fewer events for want of entries, not of
    # events: it is not compared (period_lines says why)
    beyond = bool(period and through_last and hi.date() > through_last)
    if compare and filters.date_from and period and not beyond:
        prev = previous_period(lo, hi)
        undated = dataclasses.replace(filters, date_from=prev[0].date().isoformat(),
                                      date_to=prev[1].date().isoformat())
        before = developments(filter_events(log, undated, vocab), *prev)
    base = filter_events(log, dataclasses.replace(filters, date_from=None, date_to=None), vocab)
    ahead, until = ahead_events(base, filters, today)
    notes = _Footnotes(note_sources)
    _seed(notes, log, numbered)
    d = Digest(lang=lang, title=title or "", today=today, through=through, through_last=through_last,
               period=(lo.date(), hi.date()) if period else None,
               previous=(prev[0].date(), prev[1].date()) if prev else None,
               events=Count("", len(done), None if before is None else len(before)),
               major=Count("", int((done["importance"] >= 3).sum()),
                           None if before is None else int((before["importance"] >= 3).sum())),
               themes=theme_counts(done, before, vocab, lang),
               top=points(top_developments(done, top), vocab, lang, notes),
               ahead_until=until, ahead=points(ahead, vocab, lang, notes, status="ahead"))
    if since:
        new = added_since(view, since).sort_values(["start", "id"], kind="stable")
        d.since, d.new_total = since, len(new)
        d.new = points(new.head(NEW_SHOWN), vocab, lang, notes)
    d.past_due = points(past_due_events(base, today).sort_values(["start", "id"], kind="stable"), vocab, lang,
                        notes, status="past")
    d.notes = notes.notes
    return d


def theme_counts(done: pd.DataFrame, before: pd.DataFrame | None, vocab: Vocabulary, lang: str) -> list[Count]:
    """The most frequent themes of the period (an event counts once per theme), with the previous period."""
    now = done["themes"].explode().dropna().value_counts()
    then = before["themes"].explode().dropna().value_counts() if before is not None else None
    order = {k: i for i, k in enumerate(vocab.themes)}
    keys = sorted(now.index, key=lambda k: (-now[k], order.get(k, len(order)), k))[:THEMES_SHOWN]
    return [Count(vocab.label("theme", k, lang), int(now[k]), None if then is None else int(then.get(k, 0)))
            for k in keys]


class _Footnotes:
    """One note per event, numbered in order of first citation."""

    def __init__(self, limit: int | None = NOTE_SOURCES):
        self.notes: list[tuple[str, list[dict]]] = []
        self.numbers: dict[str, int] = {}
        self.limit = limit

    def number(self, event_id: str, sources: list[dict]) -> int:
        if event_id not in self.numbers:
            self.notes.append((event_id, list(sources)[:self.limit]))
            self.numbers[event_id] = len(self.notes)
        return self.numbers[event_id]


def _seed(notes: _Footnotes, log: pd.DataFrame, ids: tuple[str, ...]) -> None:
    if ids:
        sources = dict(zip(log["id"], log["sources"], strict=False))
        for event_id in ids:
            notes.number(event_id, sources[event_id])


def event_text(df: pd.DataFrame, lang: str) -> list[str]:
    """What happened, one line per event: the short title, else the title, else the summary's first sentence.

    (Titles are written as headlines, 体言止め in Japanese, so they read as briefing bullets.)
    """
    short = field_column(df, "short", lang)
    title = field_column(df, "title", lang)
    summary = field_column(df, "summary", lang)
    return [(s or ti or first_sentence(su)).strip().rstrip("。")
            for s, ti, su in zip(short, title, summary, strict=True)]


_SENTENCE_END = re.compile(r"。|(?<=[a-z0-9)\]”\"][.!?])\s+(?=[A-Z“\"])")


def first_sentence(text: str) -> str:
    m = _SENTENCE_END.search(text or "")
    return text[:m.start() + (1 if m.group() == "。" else 0)].strip() if m else (text or "").strip()


def points(df: pd.DataFrame, vocab: Vocabulary, lang: str, notes: _Footnotes, status: str = "") -> list[Point]:
    """Dated lines with footnote numbers; `status` "ahead" adds the status, "past" adds "outcome not confirmed"."""
    out = []
    for row, text in zip(df.to_dict("records"), event_text(df, lang), strict=False):
        if status:
            label = vocab.label("status", row["status"], lang)
            if status == "past" and row["status"] != "unconfirmed":   # "unconfirmed" says it already
                label = t("digest.unconfirmed", lang, status=label)
            text = t("digest.status", lang, text=text, status=label)
        out.append(Point(row["id"], date_label(row, lang), text, notes.number(row["id"], row["sources"])))
    return out


# -- rendering ----------------------------------------------------------------------------------------

def headline_lines(d: Digest) -> list[str]:
    """The headline numbers, one line each (no bullet)."""
    lang = d.lang
    lines = [t("digest.events", lang, n=d.events.now) + _change(d.events, lang),
             t("digest.major", lang, n=d.major.now) + _change(d.major, lang)]
    if d.themes:
        items = [t("digest.theme_n", lang, label=c.label, n=c.now) if c.before is None
                 else t("digest.theme_vs", lang, label=c.label, n=c.now, prev=c.before) for c in d.themes]
        lines.append(t("digest.by_theme", lang, items=join(items, lang, "theme")))
    return lines


def _change(c: Count, lang: str) -> str:
    if c.before is None:
        return ""
    delta = c.now - c.before
    change = (t("digest.up", lang, n=delta) if delta > 0 else t("digest.down", lang, n=-delta) if delta < 0
              else t("digest.same", lang))
    return t("digest.vs", lang, n=c.before, change=change)


def period_lines(d: Digest) -> list[str]:
    """The period (or the date, for a view without developments) and the period it is compared with."""
    lang = d.lang
    if not d.period:
        return [t("digest.as_of", lang, date=_day(d.today, lang))]
    lines = [f"{t('export.window', lang)}{t('sep', lang)}"
             + t("export.between", lang, lo=_day(d.period[0], lang), hi=_day(d.period[1], lang))]
    if d.through and d.through_last and d.period[1] > d.through_last:
        lines.append(t("digest.beyond_coverage", lang, date=d.through))
    if d.previous:
        lines.append(t("digest.previous", lang, lo=_day(d.previous[0], lang), hi=_day(d.previous[1], lang)))
    return lines


def _day(day: dt.date, lang: str) -> str:
    return format_partial(day, "day", lang)


def sections(d: Digest) -> list[tuple[str, list[Point], str]]:
    """(heading, points, what to say when empty) for each list of the digest, in reading order."""
    lang = d.lang
    out = [(t("digest.top", lang), d.top, t("digest.none", lang))]
    if d.since:
        since = _since_label(d.since, lang)
        out.append((t("digest.new", lang, date=since), d.new, t("digest.new_none", lang, date=since)))
    none = (t("digest.ahead_none_through", lang, date=d.through) if d.through else t("digest.ahead_none", lang))
    out.append((t("digest.ahead", lang, date=_day(d.ahead_until, lang)), d.ahead, none))
    if d.past_due:
        out.append((t("digest.past_due", lang), d.past_due, ""))
    return out


def _since_label(since: str, lang: str) -> str:
    try:
        return PartialDate.parse(since).label(lang)
    except ValueError:
        return since


def point_line(p: Point, lang: str, mark: str = " [{n}]") -> str:
    """"25 Feb 2026 — what happened [3]" / "2026年2月25日　出来事 [3]"."""
    return t("digest.line", lang, date=p.date, text=p.text) + mark.format(n=p.note)


def source_note(source: dict, lang: str) -> str:
    """"Publisher, “Title”, published 30 Jan 2019 <url>" / "出版社「題名」（2019年1月30日公開）"."""
    text = t("digest.source", lang, publisher=source.get("publisher", ""), title=source.get("title", ""))
    if source.get("published"):
        text += t("digest.published", lang, date=_since_label(str(source["published"]), lang))
    if source.get("section"):
        text += t("digest.section", lang, section=source["section"])
    return text


def note_text(sources: list[dict], lang: str, urls: bool = True, url_format: str = " <{url}>") -> str:
    """One footnote: the event's sources, each as `source_note` (with its URL), joined."""
    return t("digest.note_sep", lang).join(source_note(x, lang) + (url_format.format(url=x["url"])
                                                                   if urls and x.get("url") else "")
                                           for x in sources)


def markdown(d: Digest) -> str:
    """The digest as Markdown: heading, period, headline numbers, dated points with [n] notes, sources."""
    lang = d.lang
    lines = [f"## {_md(heading(d))}", ""]
    lines += [f"{_md(x)}  " for x in period_lines(d)] + [""]
    lines += [f"- {_md(x)}" for x in headline_lines(d)]
    for title, pts, empty in sections(d):
        lines += ["", f"### {_md(title)}", ""]
        lines += [f"- {_md(point_line(p, lang))}" for p in pts] or [_md(empty)]
        if pts is d.new and d.new_total > len(d.new):
            lines.append(f"- {_md(t('digest.more', lang, n=d.new_total - len(d.new)))}")
    if d.notes:
        lines += ["", f"### {t('export.sources', lang)}", ""]
        lines += [f"{n}. {_md(note_text(sources, lang, url_format=' {url}'))}"
                  for n, (_, sources) in enumerate(d.notes, start=1)]
    return "\n".join(lines) + "\n"


def plain_text(d: Digest) -> str:
    """The digest as plain text to paste into an e-mail or a document (bullets as the language writes them)."""
    lang = d.lang
    bullet = t("digest.bullet", lang)
    lines = [heading(d), *period_lines(d), ""]
    lines += [bullet + x for x in headline_lines(d)]
    for title, pts, empty in sections(d):
        lines += ["", f"■ {title}"]
        lines += [bullet + point_line(p, lang) for p in pts] or [empty]
        if pts is d.new and d.new_total > len(d.new):
            lines.append(bullet + t("digest.more", lang, n=d.new_total - len(d.new)))
    if d.notes:
        lines += ["", f"■ {t('export.sources', lang)}"]
        lines += [f"[{n}] {note_text(sources, lang, url_format=' {url}')}" for n, (_, sources) in
                  enumerate(d.notes, start=1)]
    return "\n".join(lines) + "\n"


def heading(d: Digest) -> str:
    return t("digest.heading", d.lang, title=d.title) if d.title else t("digest.title", d.lang)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace("*", "\\*")
