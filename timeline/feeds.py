"""The log where people already look: an iCalendar feed of what is planned, an Atom feed of what was
added or changed, and a TimelineJS3 story document. Plain text and dicts; no Dash, no I/O.

The contract (tests hold it):
- iCalendar (RFC 5545): one all-day VEVENT per event. UID `<event id>@korea-timeline` never changes, so a
  subscribed calendar updates an event in place; LAST-MODIFIED and DTSTAMP are the event's `updated`
  date (else `added`), SEQUENCE the days from `added` to `updated` (it grows with every day the event
  is edited). Dates are never more precise than the log: a day is an all-day event on that day; a
  month (or a year) is an all-day event spanning the whole month (year), marked "(Sep 2026, day not
  fixed)" in its summary; a span runs from its first day to its last. `cancelled` is STATUS:CANCELLED,
  `expected` and `postponed` are TENTATIVE, `scheduled` CONFIRMED; cancelled and postponed also say
  so in the summary (clients show statuses differently). A postponed event keeps the date the log
  gives it: when the curators move it (and stamp `updated`), the same UID with a higher SEQUENCE
  moves it in every subscribed calendar. Events are TRANSPARENT (never block free/busy time).
  By default the feed holds planned events (scheduled, expected, postponed, cancelled) that end today
  or later; `include_past` adds every event of the view. At most CALENDAR_MAX events: the nearest ahead
  (with `include_past`, the latest).
- Atom 1.0 (RFC 4287): the `limit` most recently added or updated events of the view (by the later
  of `added` and `updated`, then id), each with the title, the event's date and status, the summary,
  the sources and a link to the event in the app (`/?event=ID`).
- TimelineJS3 (https://timeline.knightlab.com/docs/json-format.html): a title slide and one slide per
  event; start_date/end_date at the precision of the log (year, year+month or year+month+day), the
  date label as display_date, the summary and linked sources as text, `group` the event's lane.
- The same events, language and `today` give byte-identical output.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import uuid
from urllib.parse import urlencode
from xml.sax.saxutils import escape as xml_escape

import pandas as pd

from .model import PLANNED_STATUSES, PartialDate, Vocabulary
from .query import Filters
from .tables import date_label, source_line
from .text import field_text, join, t

UID_DOMAIN = "korea-timeline"
CALENDAR_STATUSES = (*PLANNED_STATUSES, "postponed", "cancelled")
ICS_STATUS = {"scheduled": "CONFIRMED", "expected": "TENTATIVE", "postponed": "TENTATIVE",
              "cancelled": "CANCELLED", "occurred": "CONFIRMED"}
MARKED_STATUSES = ("postponed", "cancelled")   # said in the summary too
CALENDAR_MAX = 2000                            # events of a calendar: the nearest ahead, or with the past the latest
FEED_ENTRIES = 50                              # entries of an Atom feed (at most FEED_MAX with ?limit=)
FEED_MAX = 200
REFRESH = "PT6H"                               # how often a calendar client should re-read the feed


# -- shared pieces -----------------------------------------------------------------------------------

def event_link(app_url: str, event_id: str, lang: str = "en") -> str:
    """The event in the app: `https://host/?event=ID` (with `&lang=` when not English)."""
    params = [("event", event_id)] + ([("lang", lang)] if lang != "en" else [])
    return f"{app_url.rstrip('/')}/?{urlencode(params)}"


def feed_title(filters: Filters, vocab: Vocabulary, lang: str, kind: str = "calendar") -> str:
    """"Korean Peninsula outlook" or "...: North Korea, Russia" for a filtered feed (`kind`: calendar
    or title, the Atom feed)."""
    parts = [vocab.label("country", c, lang) for c in filters.countries]
    parts += [vocab.label("theme", c, lang) for c in filters.themes]
    return t(f"feed.{kind}_of", lang, parts=join(parts, lang)) if parts else t(f"feed.{kind}", lang)


def _change_date(row) -> str:
    return max(row["updated"] or "", row["added"] or "")


def _headline(row, vocab: Vocabulary, lang: str) -> str:
    """The title, with "[Cancelled] " / "【中止】" in front of cancelled and postponed events."""
    title = field_text(row, "title", lang)
    if row["status"] in MARKED_STATUSES:
        title = t("feed.status", lang, status=vocab.label("status", row["status"], lang)) + title
    return title


# -- iCalendar ---------------------------------------------------------------------------------------

def calendar_events(df: pd.DataFrame, today: dt.date, include_past: bool = False,
                    limit: int = CALENDAR_MAX) -> pd.DataFrame:
    """The events a calendar feed carries, date-sorted: planned (and cancelled or postponed) events that
    end today or later, the `limit` nearest; with `include_past`, every event of `df`, the `limit` latest."""
    if not include_past:
        df = df[df["status"].isin(CALENDAR_STATUSES) & (df["stop"] >= pd.Timestamp(today))]
        return df.sort_values(["start", "id"], kind="stable").head(limit)
    return df.sort_values(["start", "id"], kind="stable").tail(limit)


def ics_text(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", *, today: dt.date,
             include_past: bool = False, app_url: str = "", name: str | None = None) -> str:
    """An iCalendar document (CRLF lines, folded at 75 octets) of `calendar_events(df, ...)`."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{UID_DOMAIN}//event log//EN", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", _prop("X-WR-CALNAME", name or t("feed.calendar", lang)),
             f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}", f"X-PUBLISHED-TTL:{REFRESH}"]
    for row in calendar_events(df, today, include_past).to_dict("records"):
        lines += _vevent(row, vocab, lang, today, app_url)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vevent(row: dict, vocab: Vocabulary, lang: str, today: dt.date, app_url: str) -> list[str]:
    start = PartialDate.parse(row["date"])
    last = PartialDate.parse(row["end"]).last if row["end"] else start.last
    stamp = _ics_stamp(_change_date(row) or today.isoformat())
    summary = _headline(row, vocab, lang)
    if start.precision != "day" or row["approximate"]:
        summary += t("feed.period", lang, date=date_label(row, lang))
    out = ["BEGIN:VEVENT", f"UID:{row['id']}@{UID_DOMAIN}", f"DTSTAMP:{stamp}",
           f"DTSTART;VALUE=DATE:{start.first:%Y%m%d}", f"DTEND;VALUE=DATE:{last + dt.timedelta(days=1):%Y%m%d}",
           _prop("SUMMARY", summary), _prop("DESCRIPTION", _description(row, vocab, lang, app_url)),
           f"STATUS:{ICS_STATUS.get(row['status'], 'TENTATIVE')}", "TRANSP:TRANSPARENT",
           f"SEQUENCE:{_sequence(row)}", _prop("CATEGORIES", vocab.label("type", row["type"], lang))]
    if row["added"]:
        out.append(f"CREATED:{_ics_stamp(row['added'])}")
    if _change_date(row):
        out.append(f"LAST-MODIFIED:{stamp}")
    if app_url:
        out.append(_prop("URL", event_link(app_url, row["id"], lang)))
    return out + ["END:VEVENT"]


def _description(row: dict, vocab: Vocabulary, lang: str, app_url: str) -> str:
    sep = t("sep", lang)
    parts = [f"{t('col.date', lang)}{sep}{date_label(row, lang)} · "
             f"{t('col.status', lang)}{sep}{vocab.label('status', row['status'], lang)}",
             field_text(row, "summary", lang)]
    if row["sources"]:
        lines = "\n".join(f"- {source_line(s)}" for s in row["sources"])
        parts.append(f"{t('col.sources', lang)}{sep.rstrip()}\n{lines}")
    if app_url:
        parts.append(f"{t('feed.view', lang)}{sep}{event_link(app_url, row['id'], lang)}")
    return "\n\n".join(p for p in parts if p)


def _sequence(row: dict) -> int:
    """Days from `added` to `updated`: 0 for an event never changed, larger after every later edit."""
    if not (row["added"] and row["updated"]):
        return 0
    return max(0, (dt.date.fromisoformat(row["updated"]) - dt.date.fromisoformat(row["added"])).days)


def _ics_stamp(day: str) -> str:
    return f"{dt.date.fromisoformat(day[:10]):%Y%m%d}T000000Z"


def _prop(name: str, value: str) -> str:
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return f"{name}:" + text.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    if len(line.encode("utf-8")) <= limit:
        return line
    parts, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            parts.append(current)
            current, size = " ", 1   # a continuation line starts with one space
        current += ch
        size += n
    parts.append(current)
    return "\r\n".join(parts)


# -- Atom --------------------------------------------------------------------------------------------

def latest_changes(df: pd.DataFrame, limit: int = FEED_ENTRIES) -> pd.DataFrame:
    """The `limit` events most recently added or updated (newest first, then by id); events with
    neither date are left out."""
    changed = df.assign(_changed=[max(u or "", a or "") for u, a in zip(df["updated"], df["added"], strict=True)])
    changed = changed[changed["_changed"] != ""]
    return changed.sort_values(["_changed", "id"], ascending=[False, True], kind="stable").head(limit)


def atom_text(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", *, feed_url: str, app_url: str,
              limit: int = FEED_ENTRIES, title: str | None = None, today: dt.date | None = None) -> str:
    """An Atom 1.0 feed of `latest_changes(df, limit)`; `feed_url` is its own address."""
    rows = latest_changes(df, limit).to_dict("records")
    newest = rows[0]["_changed"] if rows else (today or dt.date.today()).isoformat()
    head = [f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
            _el("id", _urn(f"feed:{feed_url}")), _el("title", title or t("feed.title", lang)),
            _el("updated", _atom_time(newest)),
            f'<link rel="self" type="application/atom+xml" href="{_attr(feed_url)}"/>',
            f'<link rel="alternate" type="text/html" href="{_attr(app_url.rstrip("/") + "/")}"/>',
            f"<author>{_el('name', t('feed.author', lang))}</author>",
            f'<generator uri="{_attr(app_url.rstrip("/") + "/")}">{UID_DOMAIN}</generator>']
    entries = [_entry(row, vocab, lang, app_url) for row in rows]
    return "\n".join(head + entries + ["</feed>"]) + "\n"


def _entry(row: dict, vocab: Vocabulary, lang: str, app_url: str) -> str:
    link = event_link(app_url, row["id"], lang)
    changed = row["_changed"]
    day = PartialDate.parse(changed).label(lang)
    what = (t("feed.changed", lang, date=day) if row["updated"] and row["updated"] > (row["added"] or "")
            else t("feed.added", lang, date=day))
    sep = t("sep", lang)
    when = (f"{t('col.date', lang)}{sep}{date_label(row, lang)} · {t('col.status', lang)}{sep}"
            f"{vocab.label('status', row['status'], lang)} · {what}")
    summary = field_text(row, "summary", lang)
    sources = "".join(f'<li><a href="{html.escape(s["url"])}">{html.escape(s.get("publisher", ""))}: '
                      f'{html.escape(s.get("title", ""))}</a></li>' if s.get("url")
                      else f"<li>{html.escape(source_line(s))}</li>" for s in row["sources"])
    content = (f"<p>{html.escape(when)}</p><p>{html.escape(summary)}</p>"
               + (f"<p>{html.escape(t('col.sources', lang))}</p><ul>{sources}</ul>" if sources else "")
               + f'<p><a href="{html.escape(link)}">{html.escape(t("feed.view", lang))}</a></p>')
    categories = [f'<category term="{_attr(c)}" label="{_attr(vocab.label("country", c, lang))}"/>'
                  for c in row["countries"]]
    categories += [f'<category term="{_attr(c)}" label="{_attr(vocab.label("theme", c, lang))}"/>'
                   for c in row["themes"]]
    parts = ["<entry>", _el("id", _urn(f"event:{row['id']}")), _el("title", _headline(row, vocab, lang)),
             _el("updated", _atom_time(changed))]
    if row["added"]:
        parts.append(_el("published", _atom_time(row["added"])))
    parts += [f'<link rel="alternate" type="text/html" href="{_attr(link)}"/>', *categories,
              _el("summary", f"{when}\n{summary}"), f'<content type="html">{xml_escape(content)}</content>',
              "</entry>"]
    return "\n".join(parts)


def _urn(name: str) -> str:
    """A permanent, unique Atom id: a name-based UUID (the same name gives the same id in every run)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{UID_DOMAIN}:{name}").urn


def _atom_time(day: str) -> str:
    return f"{dt.date.fromisoformat(day[:10]).isoformat()}T00:00:00Z"


def _el(tag: str, text: str) -> str:
    return f"<{tag}>{xml_escape(text)}</{tag}>"


def _attr(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


# -- TimelineJS3 -------------------------------------------------------------------------------------

def timelinejs_doc(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", group: str = "country", *,
                   headline: str, text: str = "", focus: tuple[str, ...] = ()) -> dict:
    """A TimelineJS3 JSON document: a title slide (`headline`, `text`) and one slide per event,
    date-sorted. `focus`: countries the view selected (an event's group is the first of them it has)."""
    events = [_tjs_event(row, vocab, lang, group, focus)
              for row in df.sort_values(["start", "id"], kind="stable").to_dict("records")]
    return {"title": {"text": {"headline": html.escape(headline), "text": html.escape(text)}}, "events": events}


def timelinejs_json(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _tjs_date(day: dt.date, precision: str) -> dict:
    out = {"year": day.year}
    if precision in ("month", "day"):
        out["month"] = day.month
    if precision == "day":
        out["day"] = day.day
    return out


def _tjs_event(row: dict, vocab: Vocabulary, lang: str, group: str, focus: tuple[str, ...]) -> dict:
    start = PartialDate.parse(row["date"])
    summary = html.escape(field_text(row, "summary", lang))
    sources = "".join(f'<li><a href="{html.escape(s["url"])}" target="_blank" rel="noopener noreferrer">'
                      f'{html.escape(s.get("publisher", ""))}: {html.escape(s.get("title", ""))}</a></li>'
                      if s.get("url") else f"<li>{html.escape(source_line(s))}</li>" for s in row["sources"])
    text = f"<p>{summary}</p>" + (f"<p>{html.escape(t('col.sources', lang))}</p><ul>{sources}</ul>" if sources else "")
    event = {"unique_id": row["id"], "start_date": _tjs_date(start.first, start.precision),
             "display_date": date_label(row, lang),
             "text": {"headline": html.escape(_headline(row, vocab, lang)), "text": text},
             "group": _lane_label(row, vocab, lang, group, focus)}
    if row["end"]:
        end = PartialDate.parse(row["end"])
        event["end_date"] = _tjs_date(end.first, end.precision)
    return event


def _lane_label(row: dict, vocab: Vocabulary, lang: str, group: str, focus: tuple[str, ...]) -> str:
    if group == "type":
        return vocab.label("type", row["type"], lang)
    kind, values = ("country", row["countries"]) if group == "country" else ("theme", row["themes"])
    preferred = [v for v in values if v in focus] if kind == "country" else []
    first = (preferred or list(values) or [""])[0]
    return vocab.label(kind, first, lang) if first else t("other_lane", lang)
