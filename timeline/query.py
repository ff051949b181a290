"""Filters over the event DataFrame, and the URL query string <-> view state.

One registry of filters (`FILTERS`) serves every surface: the URL state of the app, the command
line's options, the problems reported for bad values, the description printed on exports and the
app's controls all loop over it. Adding a filter is one entry here (plus its control in the app).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import pandas as pd

from .load import load_vocab
from .model import ID_RE, PartialDate, Vocabulary
from .search import highlight_spans, matches, parse_query, rank_events  # noqa: F401 (part of the query API)
from .text import UI_LANGS, join, t

GROUPS = ("country", "theme", "type")
COUNTRY_MODES = ("any", "all")
LEE_GOVERNMENT_START = "2025-06-04"
MAX_LABELS = 40          # labels a view may ask for (`labels=N`)
MAX_QUERY = 200          # characters of free text kept from a URL or the command line


@dataclass(frozen=True)
class Filters:
    """What to show. Empty tuples and None mean "no restriction"."""

    date_from: str | None = None   # partial date as written: "2025", "2025-06", "2025-06-04"
    date_to: str | None = None
    countries: tuple[str, ...] = ()
    country_mode: str = "any"      # "any": an event with any of the countries; "all": with every one
    themes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    min_importance: int = 1
    statuses: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()   # how the event is established: confirmed, claimed, reported, disputed
    query: str = ""
    ids: tuple[str, ...] = ()      # restrict to these ids (the library's own use; no URL parameter)
    chain: str | None = None       # restrict to the chain of related events around this id

    def problems(self, vocab: Vocabulary, known_ids: set[str] | None = None) -> list[str]:
        """What is wrong with these filters, each saying what is accepted (for the command line)."""
        out = []
        for spec in FILTERS:
            value = getattr(self, spec.name)
            if value in (None, "", ()) or value == spec.default:
                continue
            _, note = spec.parse(spec.dump(value), vocab, known_ids)
            if note:
                out.append(f"{spec.flag} {spec.dump(value)!r}: {note.text('en')} {spec.accepted(vocab)}")
        return out


@dataclass(frozen=True)
class Note:
    """Why part of a request was not used: a text key of the catalogue and its values."""

    key: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)


# -- the filter registry ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Filter:
    """One filter: its field in `Filters`, URL parameter and CLI option (both a contract: never
    renamed), how a raw value is parsed (with a note when it is not usable), written back, applied
    to the frame and described in a briefing."""

    name: str
    key: str
    flag: str
    help: str
    default: object = None
    vocab_kind: str | None = None
    metavar: str = "VALUE"

    def parse(self, raw: str, vocab: Vocabulary, known_ids: set[str] | None = None) -> tuple[object, Note | None]:
        raise NotImplementedError

    def dump(self, value) -> str:
        return str(value)

    def mask(self, df: pd.DataFrame, value, filters: Filters, vocab: Vocabulary) -> pd.Series | None:
        return None

    def describe(self, value, vocab: Vocabulary, lang: str, filters: Filters) -> str | None:
        return None

    def cli_kwargs(self) -> dict:
        return {"metavar": self.metavar, "help": self.help}

    def accepted(self, vocab: Vocabulary) -> str:
        """What the filter accepts, for an error message."""
        if self.vocab_kind:
            return f"Known: {', '.join(vocab.kind(self.vocab_kind))}."
        return f"See: {self.help}."


class DateFilter(Filter):
    def parse(self, raw, vocab, known_ids=None):
        try:
            PartialDate.parse(raw)
            return raw, None
        except ValueError:
            return None, Note("note.bad_date", {"key": self.key, "raw": raw})

    def mask(self, df, value, filters, vocab):
        if self.name == "date_from":
            return df["stop"] >= pd.Timestamp(PartialDate.parse(value).first)
        return df["start"] <= pd.Timestamp(PartialDate.parse(value).last)


class TermsFilter(Filter):
    """A list of vocabulary ids: "KP,RU"."""

    def parse(self, raw, vocab, known_ids=None):
        terms = vocab.kind(self.vocab_kind)
        items = [v.strip() for v in raw.split(",") if v.strip()]
        good = tuple(dict.fromkeys(v for v in items if v in terms))
        bad = [v for v in items if v not in terms]
        note = Note("note.unknown_values", {"key": self.key, "values": ", ".join(bad)}) if bad else None
        return (good or None), note

    def dump(self, value):
        return ",".join(value)

    def mask(self, df, value, filters, vocab):
        column = {"country": "country_key", "theme": "theme_key"}.get(self.vocab_kind)
        if column is None:
            return df[self.vocab_kind].isin(value)
        if self.name == "countries" and filters.country_mode == "all":
            mask = pd.Series(True, index=df.index)
            for v in value:
                mask &= df[column].str.contains(f"|{v}|", regex=False)
            return mask
        return df[column].str.contains("|".join(re.escape(f"|{v}|") for v in value), regex=True)

    def describe(self, value, vocab, lang, filters):
        label = "export.countries_all" if self.name == "countries" and filters.country_mode == "all" \
            else f"export.{self.name}"
        names = join((vocab.label(self.vocab_kind, v, lang) for v in value), lang, self.vocab_kind)
        return f"{t(label, lang)}{t('sep', lang)}{names}"

    def cli_kwargs(self):
        return {"action": "append", "metavar": self.metavar, "help": self.help}


class ChoiceFilter(Filter):
    choices: tuple[str, ...] = ()

    def __init__(self, *args, choices: tuple[str, ...] = (), **kw):
        super().__init__(*args, **kw)
        object.__setattr__(self, "choices", choices)

    def parse(self, raw, vocab, known_ids=None):
        if raw in self.choices:
            return (int(raw) if isinstance(self.default, int) else raw), None
        return None, Note("note.bad_choice", {"key": self.key, "raw": raw, "choices": ", ".join(self.choices)})

    def mask(self, df, value, filters, vocab):
        if self.name == "min_importance" and value > 1:
            return df["importance"] >= value
        return None

    def describe(self, value, vocab, lang, filters):
        if self.name == "min_importance" and value > 1:
            return t("export.importance", lang, n=value)
        return None

    def cli_kwargs(self):
        kw = {"metavar": self.metavar, "help": self.help, "default": self.default}
        return {**kw, "type": int} if isinstance(self.default, int) else {**kw, "choices": self.choices}


class TextFilter(Filter):
    def parse(self, raw, vocab, known_ids=None):
        return raw.strip()[:MAX_QUERY], None

    def describe(self, value, vocab, lang, filters):
        return f"{t('export.query', lang)}{t('sep', lang)}“{value}”"

    def cli_kwargs(self):
        return {"metavar": self.metavar, "help": self.help, "default": ""}


class EventFilter(Filter):
    """An event id (the chain around it)."""

    def parse(self, raw, vocab, known_ids=None):
        if known_ids is None or raw in known_ids:
            return raw, None
        return None, Note("note.no_event", {"key": self.key, "raw": raw})

    def mask(self, df, value, filters, vocab):
        return df["id"].isin(set(chain(df, value)["id"]))

    def describe(self, value, vocab, lang, filters):
        return f"{t('export.chain', lang)}{t('sep', lang)}{value}"


FILTERS: tuple[Filter, ...] = (
    DateFilter("date_from", "from", "--from", "start of the window: YYYY, YYYY-MM or YYYY-MM-DD", metavar="DATE"),
    DateFilter("date_to", "to", "--to", "end of the window (partial dates cover their period)", metavar="DATE"),
    TermsFilter("countries", "country", "--country", "ISO codes, repeatable or comma-separated: KR,KP",
                default=(), vocab_kind="country", metavar="CODES"),
    ChoiceFilter("country_mode", "country_mode", "--country-mode",
                 "with several countries: 'any' (an event with any of them, the default) or 'all' (with every one)",
                 default="any", choices=COUNTRY_MODES, metavar="MODE"),
    TermsFilter("themes", "theme", "--theme", "theme ids, e.g. japan-rok,dprk-military", default=(),
                vocab_kind="theme", metavar="IDS"),
    TermsFilter("types", "type", "--type", "event types, e.g. summit,missile-launch", default=(),
                vocab_kind="type", metavar="IDS"),
    ChoiceFilter("min_importance", "importance", "--min-importance", "1 (all), 2 or 3 (major only)", default=1,
                 choices=("1", "2", "3"), metavar="N"),
    TermsFilter("statuses", "status", "--status", "occurred, scheduled, expected, postponed, cancelled, unconfirmed",
                default=(), vocab_kind="status", metavar="IDS"),
    TermsFilter("evidence", "evidence", "--evidence", "how events are established: confirmed, claimed, reported, "
                "disputed (events that do not say are left out)", default=(), vocab_kind="evidence", metavar="IDS"),
    TextFilter("query", "q", "--query",
               "free text in en/ja/ko; an event must match every word. Latin words match whole words (un is not "
               "under; words of 4+ letters also match a longer word's start: missile, missiles); \"a quoted phrase\" "
               "matches as written; a name matches as a whole and in every spelling of the vocabulary (Kim Jong Un = "
               "Kim Jong-un = 金正恩 = 김정은 = キム・ジョンウン); Chinese characters, kana and hangul match anywhere, "
               "ignoring width, middle dots and spaces inside katakana", default="", metavar="TEXT"),
    EventFilter("chain", "chain", "--chain", "only the chain of related events around this event id", metavar="ID"),
)
FILTER_BY_KEY = {f.key: f for f in FILTERS}
FILTER_BY_NAME = {f.name: f for f in FILTERS}


def window(filters: Filters) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last day of the date window (partial dates cover their whole period)."""
    lo = pd.Timestamp(PartialDate.parse(filters.date_from).first) if filters.date_from else None
    hi = pd.Timestamp(PartialDate.parse(filters.date_to).last) if filters.date_to else None
    return lo, hi


def filter_events(df: pd.DataFrame, filters: Filters, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """Rows of `df` that match every filter, in the order of `df`.

    Dates overlap by their real span: an event dated "2025-09" is inside a window ending
    2025-09-10, and a window from "2025-06" starts on 1 June. The free text is matched by the
    rules of `timeline.search` (whole Latin words, names as a whole with every spelling of them in
    the vocabulary, `vocab` or the default one; CJK anywhere).
    """
    vocab = vocab or load_vocab()
    mask = pd.Series(True, index=df.index)
    for spec in FILTERS:
        value = getattr(filters, spec.name)
        if value in (None, "", ()) or spec.name == "query":
            continue
        part = spec.mask(df, value, filters, vocab)
        if part is not None:
            mask &= part
    if filters.ids:
        mask &= df["id"].isin(filters.ids)
    parts = parse_query(filters.query, vocab)
    if parts:  # text is the costliest test: run it only on rows the other filters kept
        text = df["search"][mask]
        for part in parts:
            text = text[matches(text, part)]
        return df.loc[text.index]
    return df[mask]


def describe_filters(filters: Filters, vocab: Vocabulary, lang: str, count: int | None = None) -> str:
    """One line listing the active filters and the date window, in `lang`."""
    parts = []
    lo = PartialDate.parse(filters.date_from).label(lang) if filters.date_from else ""
    hi = PartialDate.parse(filters.date_to).label(lang) if filters.date_to else ""
    if lo or hi:
        span = (t("export.between", lang, lo=lo, hi=hi) if lo and hi
                else t("export.from", lang, lo=lo) if lo else t("export.until", lang, hi=hi))
        parts.append(f"{t('export.window', lang)}{t('sep', lang)}{span}")
    for spec in FILTERS:
        value = getattr(filters, spec.name)
        if spec.name in ("date_from", "date_to") or value in (None, "", ()) or value == spec.default:
            continue
        text = spec.describe(value, vocab, lang, filters)
        if text:
            parts.append(text)
    text = " · ".join(parts) if parts else t("export.no_filters", lang)
    if count is not None:
        text += f" · {t('events_n', lang, n=count)}"
    return text


def split_query(query: str, vocab: Vocabulary | None = None) -> list[str]:
    """The parts of a query, normalised: "quoted phrases" and known names (Kim Jong Un) stay
    together, other words stand alone. An event must match every part (the rules: `search`)."""
    return [part.text for part in parse_query(query, vocab or load_vocab())]


# -- the view state in the URL ------------------------------------------------------------------

TABS = ("timeline", "table", "outlook", "briefing", "compare")
OUTLOOK_MONTHS = (3, 6, 12, 24)


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores: the filters and how they are shown."""

    filters: Filters = field(default_factory=Filters)
    lang: str = "en"
    group: str = "country"
    event: str | None = None
    since: str | None = None      # highlight events added since this date
    tab: str = "timeline"
    months: int = 12              # the outlook's horizon
    x0: str | None = None         # the zoomed date range of the timeline, when zoomed
    x1: str | None = None
    labels: int | None = None     # key events labelled on the timeline (None: no labels; 0: only `label`)
    label: tuple[str, ...] = ()   # events always labelled
    bands: bool = False           # context bands (administrations, exercises) behind the timeline


def _date_param(raw: str):
    PartialDate.parse(raw)
    return raw


def _zoom_param(raw: str):
    return dt.date.fromisoformat(raw[:10]).isoformat()


# View parameter -> (parse raw -> value or ValueError, note key on a bad value, accepted values for the note)
VIEW_PARAMS: dict[str, tuple[Callable[[str], object], str, str]] = {
    "lang": (lambda raw: _choice(raw, UI_LANGS), "note.bad_choice", ", ".join(UI_LANGS)),
    "group": (lambda raw: _choice(raw, GROUPS), "note.bad_choice", ", ".join(GROUPS)),
    "since": (_date_param, "note.bad_date", ""),
    "tab": (lambda raw: _choice(raw, TABS), "note.bad_choice", ", ".join(TABS)),
    "months": (lambda raw: int(_choice(raw, tuple(map(str, OUTLOOK_MONTHS)))), "note.bad_choice",
               ", ".join(map(str, OUTLOOK_MONTHS))),
    "x0": (_zoom_param, "note.bad_date", ""),
    "x1": (_zoom_param, "note.bad_date", ""),
    "labels": (lambda raw: _count(raw, MAX_LABELS), "note.bad_choice", f"0..{MAX_LABELS}"),
    "label": (lambda raw: _ids(raw), "note.bad_choice", "event ids, comma-separated"),
    "bands": (lambda raw: _choice(raw, ("0", "1")) == "1", "note.bad_choice", "0, 1"),
}


def _count(raw: str, most: int) -> int:
    if not raw.isdigit() or int(raw) > most:
        raise ValueError(raw)
    return int(raw)


def _ids(raw: str) -> tuple[str, ...]:
    """Comma-separated event ids (unknown ids label nothing: they are simply not in the view)."""
    ids = tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
    if not ids or not all(ID_RE.match(i) for i in ids):
        raise ValueError(raw)
    return ids


def _choice(raw: str, choices: tuple[str, ...]) -> str:
    if raw not in choices:
        raise ValueError(raw)
    return raw


def state_from_query(query: str, vocab: Vocabulary, known_ids: set[str] | None = None
                     ) -> tuple[ViewState, list[str]]:
    """Parse `?from=2025-06&country=KP,RU&lang=ja`. Never raises: bad parts are dropped with a note
    (in the link's own language)."""
    try:
        params = {k: v[-1].strip() for k, v in parse_qs((query or "").lstrip("?"), keep_blank_values=False).items()}
    except ValueError:
        return ViewState(), [Note("note.unreadable").text()]
    notes: list[Note] = []
    f: dict = {}
    view: dict = {}
    for key, raw in params.items():
        if key in FILTER_BY_KEY:
            spec = FILTER_BY_KEY[key]
            value, note = spec.parse(raw, vocab, known_ids)
            if note:
                notes.append(note)
            if value not in (None, "", ()):
                f[spec.name] = value
        elif key == "event":
            if known_ids is None or raw in known_ids:
                view["event"] = raw
            else:
                notes.append(Note("note.no_event", {"key": key, "raw": raw}))
        elif key in VIEW_PARAMS:
            parse, note_key, choices = VIEW_PARAMS[key]
            try:
                view[key] = parse(raw)
            except ValueError:
                notes.append(Note(note_key, {"key": key, "raw": raw, "choices": choices}))
        else:
            notes.append(Note("note.unknown_param", {"key": key}))
    state = ViewState(filters=Filters(**f), **view)
    return state, [n.text(state.lang) for n in notes]


def state_to_query(state: ViewState) -> str:
    """The shortest query string that restores `state` (stable order, defaults left out)."""
    pairs: list[tuple[str, str]] = []
    for spec in FILTERS:
        value = getattr(state.filters, spec.name)
        if value not in (None, "", ()) and value != spec.default:
            pairs.append((spec.key, spec.dump(value)))
    defaults = ViewState()
    for key in ("lang", "group", "event", "since", "tab", "months", "x0", "x1", "labels", "label", "bands"):
        value = getattr(state, key)
        if value == getattr(defaults, key) or value in ("", ()):
            continue
        pairs.append((key, ",".join(value) if isinstance(value, tuple) else str(int(value))
                      if isinstance(value, bool) else str(value)))
    return ("?" + urlencode(pairs, safe=",")) if pairs else ""


def replace(state: ViewState, **changes) -> ViewState:
    """A copy of `state` with some view fields (or, through `filters=`, the filters) changed."""
    return dataclasses.replace(state, **changes)


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
    for eid, related in zip(df["id"], df["related"], strict=False):
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
