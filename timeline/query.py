"""Filters over the event DataFrame, and the URL query string <-> view state.

One filter implementation serves the command line, the app and the exports.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import pandas as pd

from .load import load_vocab
from .model import LANGS, PartialDate, Vocabulary, fold

GROUPS = ("country", "theme", "type")
PRESETS = ("3m", "6m", "12m", "lee", "all")  # period buttons of the app (see preset_window)
LEE_GOVERNMENT_START = "2025-06-04"


@dataclass(frozen=True)
class Filters:
    """What to show. Empty tuples and None mean "no restriction"."""

    date_from: str | None = None   # partial date as written: "2025", "2025-06", "2025-06-04"
    date_to: str | None = None
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    min_importance: int = 1
    statuses: tuple[str, ...] = ()
    query: str = ""
    ids: tuple[str, ...] = ()      # restrict to these ids
    chain: str | None = None       # restrict to the chain of related events around this id

    def problems(self, vocab: Vocabulary) -> list[str]:
        """What is wrong with these filters, each saying what is accepted."""
        out = []
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value:
                try:
                    PartialDate.parse(value)
                except ValueError as exc:
                    out.append(f"--{name[5:]} {value!r}: {exc}; use YYYY, YYYY-MM or YYYY-MM-DD")
        for name, terms, flag in (("countries", vocab.countries, "country"), ("themes", vocab.themes, "theme"),
                                  ("types", vocab.types, "type"), ("statuses", vocab.statuses, "status")):
            bad = [v for v in getattr(self, name) if v not in terms]
            if bad:
                out.append(f"--{flag} {', '.join(bad)}: unknown; known: {', '.join(terms)}")
        if self.min_importance not in (1, 2, 3):
            out.append(f"--min-importance {self.min_importance}: use 1, 2 or 3")
        return out


def window(filters: Filters) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last day of the date window (partial dates cover their whole period)."""
    lo = pd.Timestamp(PartialDate.parse(filters.date_from).first) if filters.date_from else None
    hi = pd.Timestamp(PartialDate.parse(filters.date_to).last) if filters.date_to else None
    return lo, hi


def filter_events(df: pd.DataFrame, filters: Filters, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """Rows of `df` that match every filter, in the order of `df`.

    Dates overlap by their real span: an event dated "2025-09" is inside a window ending
    2025-09-10, and a window from "2025-06" starts on 1 June. A search word also matches the
    other spellings of a name in the vocabulary (`vocab`, the default one when not given).
    """
    vocab = vocab or load_vocab()
    mask = pd.Series(True, index=df.index)
    lo, hi = window(filters)
    if lo is not None:
        mask &= df["stop"] >= lo
    if hi is not None:
        mask &= df["start"] <= hi
    if filters.countries:
        mask &= _any_of(df["country_key"], filters.countries)
    if filters.themes:
        mask &= _any_of(df["theme_key"], filters.themes)
    if filters.types:
        mask &= df["type"].isin(filters.types)
    if filters.min_importance > 1:
        mask &= df["importance"] >= filters.min_importance
    if filters.statuses:
        mask &= df["status"].isin(filters.statuses)
    if filters.ids:
        mask &= df["id"].isin(filters.ids)
    if filters.chain:
        mask &= df["id"].isin(set(chain(df, filters.chain)["id"]))
    words = split_query(filters.query)
    if words:  # text is the costliest test: run it only on rows the other filters kept
        text = df["search"][mask]
        for word in words:
            text = text[_contains_any(text, vocab.search_variants(word))]
        return df.loc[text.index]
    return df[mask]


def split_query(query: str) -> list[str]:
    """Folded search words; "quoted phrases" stay together. Every word must match."""
    folded = fold(query or "")
    return [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', folded) if (a or b).strip()]


def _contains_any(text: pd.Series, needles: tuple[str, ...]) -> pd.Series:
    """Rows whose text contains any of the needles: one pass of one regex of plain alternatives."""
    if len(needles) == 1:
        return text.str.contains(needles[0], regex=False)
    return text.str.contains("|".join(re.escape(n) for n in needles), regex=True)


def _any_of(keys: pd.Series, values: tuple[str, ...]) -> pd.Series:
    pattern = "|".join(re.escape(f"|{v}|") for v in values)
    return keys.str.contains(pattern, regex=True)


# -- the view state in the URL ------------------------------------------------------------------

@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores: the filters and how they are shown."""

    filters: Filters = field(default_factory=Filters)
    lang: str = "en"
    group: str = "country"
    event: str | None = None
    since: str | None = None      # highlight events added since this date
    tab: str = "timeline"


# URL parameter -> Filters field. Parameter names are a contract: never rename.
_LIST_PARAMS = {"country": "countries", "theme": "themes", "type": "types", "status": "statuses"}
TABS = ("timeline", "outlook", "table")


def state_from_query(query: str, vocab: Vocabulary, known_ids: set[str] | None = None
                     ) -> tuple[ViewState, list[str]]:
    """Parse `?from=2025-06&country=KP,RU&lang=ja`. Never raises: bad parts are dropped with a note."""
    notes: list[str] = []
    try:
        params = parse_qs((query or "").lstrip("?"), keep_blank_values=False)
    except ValueError:
        return ViewState(), ["The link's query string could not be read; showing everything."]
    f: dict = {}
    view: dict = {}
    for key, values in params.items():
        raw = values[-1].strip()
        if key in ("from", "to"):
            try:
                PartialDate.parse(raw)
                f["date_" + key] = raw
            except ValueError:
                notes.append(f"Ignored {key}={raw!r}: not a date (use YYYY, YYYY-MM or YYYY-MM-DD).")
        elif key in _LIST_PARAMS:
            terms = vocab.kind(key)
            items = [v.strip() for v in raw.split(",") if v.strip()]
            good = tuple(dict.fromkeys(v for v in items if v in terms))
            bad = [v for v in items if v not in terms]
            if bad:
                notes.append(f"Ignored unknown {key} value(s): {', '.join(bad)}.")
            if good:
                f[_LIST_PARAMS[key]] = good
        elif key == "importance":
            if raw in ("1", "2", "3"):
                f["min_importance"] = int(raw)
            else:
                notes.append(f"Ignored importance={raw!r}: use 1, 2 or 3.")
        elif key == "chain":
            if known_ids is None or raw in known_ids:
                f["chain"] = raw
            else:
                notes.append(f"Ignored chain={raw!r}: no event has that id.")
        elif key == "q":
            f["query"] = raw[:200]
        elif key == "lang":
            if raw in LANGS:
                view["lang"] = raw
            else:
                notes.append(f"Ignored lang={raw!r}: use en or ja.")
        elif key == "group":
            if raw in GROUPS:
                view["group"] = raw
            else:
                notes.append(f"Ignored group={raw!r}: use {', '.join(GROUPS)}.")
        elif key == "event":
            if known_ids is None or raw in known_ids:
                view["event"] = raw
            else:
                notes.append(f"Ignored event={raw!r}: no event has that id.")
        elif key == "since":
            try:
                PartialDate.parse(raw)
                view["since"] = raw
            except ValueError:
                notes.append(f"Ignored since={raw!r}: not a date.")
        elif key == "tab":
            if raw in TABS:
                view["tab"] = raw
            else:
                notes.append(f"Ignored tab={raw!r}: use {', '.join(TABS)}.")
        else:
            notes.append(f"Ignored unknown parameter {key!r}.")
    return ViewState(filters=Filters(**f), **view), notes


def state_to_query(state: ViewState) -> str:
    """The shortest query string that restores `state` (stable order, defaults left out)."""
    f = state.filters
    pairs: list[tuple[str, str]] = []
    if f.date_from:
        pairs.append(("from", f.date_from))
    if f.date_to:
        pairs.append(("to", f.date_to))
    for key, name in _LIST_PARAMS.items():
        if getattr(f, name):
            pairs.append((key, ",".join(getattr(f, name))))
    if f.min_importance > 1:
        pairs.append(("importance", str(f.min_importance)))
    if f.query:
        pairs.append(("q", f.query))
    if f.chain:
        pairs.append(("chain", f.chain))
    defaults = ViewState()
    for key in ("lang", "group", "event", "since", "tab"):
        value = getattr(state, key)
        if value and value != getattr(defaults, key):
            pairs.append((key, value))
    return ("?" + urlencode(pairs, safe=",")) if pairs else ""


def preset_window(preset: str, today: dt.date) -> tuple[str | None, str | None]:
    """Date window of a preset: last 3/6/12 months, since the Lee government, or all."""
    if preset in ("3m", "6m", "12m"):
        months = int(preset[:-1])
        y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
        day = min(today.day, 28)
        return dt.date(y, m + 1, day).isoformat(), None
    if preset == "lee":
        return LEE_GOVERNMENT_START, None
    return None, None



CHAIN_RELATIONS = ("follows", "response-to", "part-of")


def chain(df: pd.DataFrame, event_id: str, max_size: int = 25, depth: int = 4) -> pd.DataFrame:
    """The event and the events reachable through typed links (follows, response-to, part-of),
    before and after it, up to `depth` steps; `see-also` links are not part of a chain.

    Links are followed both ways (A follows B puts B in A's chain and A in B's); cycles are
    harmless because each event is visited once.
    """
    links: dict[str, set[str]] = {}
    for eid, related in zip(df["id"], df["related"]):
        for link in related:
            if link["type"] not in CHAIN_RELATIONS:
                continue
            links.setdefault(eid, set()).add(link["id"])
            links.setdefault(link["id"], set()).add(eid)
    seen, todo = {event_id}, [(event_id, 0)]
    while todo and len(seen) < max_size:
        current, level = todo.pop(0)
        if level >= depth:
            continue
        for nxt in sorted(links.get(current, ())):
            if nxt not in seen and len(seen) < max_size:
                seen.add(nxt)
                todo.append((nxt, level + 1))
    return df[df["id"].isin(seen)]
