"""The event model: the fields of an event, partial dates and the vocabularies.

This is the only module that defines what an event is. Everything else (loader, validator,
filters, figures, exports, the app) asks this module for field names, labels and colours.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .text import t

VOCAB_PATH = Path(__file__).with_name("vocab.yaml")

LANGS = ("en", "ja")            # languages every title and summary must have
TEXT_LANGS = ("en", "ja", "ko")

# Field name -> (required, short description used in error messages and docs).
FIELDS: dict[str, tuple[bool, str]] = {
    "id": (True, "stable kebab-case slug, e.g. 2025-06-04-lee-inauguration"),
    "date": (True, 'quoted "YYYY", "YYYY-MM" or "YYYY-MM-DD"'),
    "end": (False, 'last day of a span, same format as date'),
    "approximate": (False, "true when the date is only 'around'"),
    "title": (True, "mapping with en and ja (optional ko)"),
    "short": (False, "chart label, mapping with en and ja (optional ko): at most 45 (en) / 30 (ja, ko) characters"),
    "summary": (True, "mapping with en and ja (optional ko)"),
    "aliases": (False, "list of name variants that search also matches"),
    "countries": (True, "list of ISO 3166-1 alpha-2 codes, e.g. [KR, JP]"),
    "themes": (True, "list of theme ids from timeline/vocab.yaml"),
    "type": (True, "one event type id from timeline/vocab.yaml"),
    "importance": (True, "1 (routine), 2 (notable) or 3 (major)"),
    "status": (True, "occurred, scheduled, expected, postponed, cancelled or unconfirmed"),
    "evidence": (False, "how the event is established: confirmed, claimed, reported or disputed"),
    "claimed_by": (False, "whose claim it is (e.g. KCNA); required when evidence is claimed or disputed"),
    "sources": (True, "list of {title, publisher, url, published?, accessed?, archived?, note?} "
                      "(or {title, publisher, section} for the report)"),
    "related": (False, "list of {type, id} links to other events"),
    "notes": (False, "caveats, e.g. where sources disagree"),
    "tags": (False, "list of free keywords"),
    "added": (False, 'date the event entered the log, "YYYY-MM-DD"'),
    "updated": (False, 'date the event was last changed, "YYYY-MM-DD"'),
}
SOURCE_FIELDS = ("title", "publisher", "url", "published", "accessed", "archived", "note", "section")
SOURCE_DATES = ("published", "accessed")   # when the page was published; when a curator last read it
SOURCE_URLS = ("url", "archived")          # the page; an archived copy of it (web.archive.org, archive.today)

# Field name -> the kind of value it holds (what the JSON Schema and the scaffold are generated from).
# A field missing here gets its kind from its vocabulary section or its description: see field_kind().
FIELD_KINDS: dict[str, str] = {
    "id": "slug", "date": "date", "end": "date", "approximate": "flag", "title": "text", "summary": "text",
    "aliases": "strings", "countries": "terms", "themes": "terms", "type": "term", "importance": "rank",
    "status": "term", "sources": "sources", "related": "related", "notes": "note", "tags": "strings",
    "added": "date", "updated": "date",
}


# Context periods (periods.yaml): field name -> (required, description), as FIELDS for events.
PERIOD_FIELDS: dict[str, tuple[bool, str]] = {
    "id": (True, "stable kebab-case slug, e.g. kr-lee-jae-myung"),
    "row": (True, 'the band row: a country code for an administration (KR, JP, US) or "exercise"'),
    "kind": (True, "administration, acting or exercise"),
    "start": (True, 'first day, "YYYY-MM-DD" (or YYYY-MM, YYYY)'),
    "end": (False, "last day, same format; leave out while the period goes on"),
    "label": (True, "mapping with en and ja (optional ko): short, printed inside the band"),
    "sources": (True, "list of {title, publisher, url, published?, note?}"),
    "notes": (False, "caveats, e.g. powers suspended before the formal end"),
}
PERIOD_KINDS = ("administration", "acting", "exercise")
EXERCISE_ROW = "exercise"
RELATED_FIELDS = ("type", "id")
PLANNED_STATUSES = ("scheduled", "expected")
UNCONFIRMED = "unconfirmed"      # a planned event whose date passed and whose outcome was not found
CLAIM_EVIDENCE = ("claimed", "disputed")   # evidence levels that must say whose claim it is
SHORT_LIMITS = {"en": 45, "ja": 30, "ko": 30}   # characters of a chart label



def field_kind(name: str, vocab: "Vocabulary | None" = None) -> str:
    """The kind of value a field holds: slug, date, flag, text, strings, term(s), rank, sources, related, note."""
    if name in FIELD_KINDS:
        return FIELD_KINDS[name]
    hint = FIELDS.get(name, (False, ""))[1].lower()
    if vocab is not None and vocab.section(name):
        return "terms" if hint.startswith("list") else "term"
    if "mapping with en" in hint:
        return "text"
    if hint.startswith("list"):
        return "strings"
    if "yyyy" in hint:
        return "date"
    return "flag" if hint.startswith("true") else "note"


ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class PartialDate:
    """A date as written in the log: year, month or day precision.

    `first` and `last` are the first and last day the written date can mean, so that
    "2025-09" overlaps any window that touches September 2025.
    """

    text: str
    precision: str
    first: dt.date
    last: dt.date

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; raise ValueError saying what is wrong."""
        if isinstance(text, str):
            return _parse_cached(cls, text)
        raise ValueError(f"expected a quoted date string, got {type(text).__name__}")

    @classmethod
    def _parse(cls, text: str) -> "PartialDate":
        m = DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f'"{text}" is not YYYY, YYYY-MM or YYYY-MM-DD')
        year, month, day = (int(g) if g else None for g in m.groups())
        if not 1 <= year <= 9999:
            raise ValueError(f'year {year} is out of range')
        if month is None:
            return cls(text.strip(), "year", dt.date(year, 1, 1), dt.date(year, 12, 31))
        if not 1 <= month <= 12:
            raise ValueError(f'month {month:02d} does not exist')
        days = calendar.monthrange(year, month)[1]
        if day is None:
            return cls(text.strip(), "month", dt.date(year, month, 1), dt.date(year, month, days))
        if not 1 <= day <= days:
            raise ValueError(f"{year}-{month:02d} has {days} days, so day {day:02d} does not exist")
        d = dt.date(year, month, day)
        return cls(text.strip(), "day", d, d)

    def label(self, lang: str = "en", approximate: bool = False) -> str:
        return format_partial(self.first, self.precision, lang, approximate)


@functools.lru_cache(maxsize=65536)
def _parse_cached(cls, text: str) -> PartialDate:
    # big logs repeat the same dates thousands of times; PartialDate is immutable, so share them
    return cls._parse(text)


def format_partial(day: dt.date, precision: str, lang: str = "en", approximate: bool = False) -> str:
    """Human label that never claims more precision than the log has: "Sep 2025", "2025年9月"."""
    text = t(f"date.{precision}", lang, y=day.year, m=day.month, d=day.day, mon=MONTHS_EN[day.month - 1])
    return t("date.approx", lang, text=text) if approximate else text


def format_span(start: PartialDate, end: PartialDate | None, lang: str = "en", approximate: bool = False) -> str:
    """Date label of an event, with its span when it has one: "8–9 Sep 2025", "2025年9月8日～9日"."""
    if end is None or end.text == start.text:
        return start.label(lang, approximate)
    a, b = start.first, end.first
    if start.precision == end.precision == "day" and (a.year, a.month) == (b.year, b.month):
        text = t("date.days", lang, y=a.year, m=a.month, d=a.day, d2=b.day, mon=MONTHS_EN[a.month - 1])
        return t("date.approx", lang, text=text) if approximate else text
    return f"{start.label(lang, approximate)} – {end.label(lang)}"


@dataclass(frozen=True)
class Period:
    """A context period drawn as a band behind the timeline (an administration, an exercise window)."""

    id: str
    row: str                      # a country code, or EXERCISE_ROW
    kind: str
    start: PartialDate
    end: PartialDate | None       # None: still going on
    label: dict[str, str]         # lang -> text
    sources: tuple[dict, ...] = ()

    def text(self, lang: str = "en") -> str:
        return self.label.get(lang) or self.label.get("en", self.id)


@dataclass(frozen=True)
class Term:
    """One entry of a controlled vocabulary."""

    id: str
    en: str
    ja: str
    ko: str = ""
    color: str = "#888888"
    section: str = ""
    definition: str = ""      # one line saying when the term applies (evidence levels)

    def label(self, lang: str = "en") -> str:
        return getattr(self, lang, "") or self.en


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Countries, themes, types, statuses and relation types, with labels and fixed colours."""

    countries: dict[str, Term]
    themes: dict[str, Term]
    types: dict[str, Term]
    statuses: dict[str, Term]
    relations: dict[str, Term]
    evidence: dict[str, Term] = field(default_factory=dict)
    importance: dict[int, dict[str, str]] = field(default_factory=dict)
    names: tuple[tuple[str, ...], ...] = ()
    terms: tuple[tuple[str, ...], ...] = ()    # like names, for key terms: 戒厳 = 계엄 = martial law

    @classmethod
    def from_mapping(cls, data: dict) -> "Vocabulary":
        def terms(key: str) -> dict[str, Term]:
            return {str(k): Term(id=str(k), **{f: str(v) for f, v in (spec or {}).items()})
                    for k, spec in (data.get(key) or {}).items()}

        return cls(
            countries=terms("countries"),
            themes=terms("themes"),
            types=terms("types"),
            statuses=terms("statuses"),
            relations=terms("relations"),
            evidence=terms("evidence"),
            importance={int(k): dict(v) for k, v in (data.get("importance") or {}).items()},
            names=tuple(tuple(str(n) for n in group) for group in (data.get("names") or [])),
            terms=tuple(tuple(str(n) for n in group) for group in (data.get("terms") or [])),
        )

    def kind(self, name: str) -> dict[str, Term]:
        """The vocabulary behind a field or a lane grouping: country(ies), theme(s), type, status, evidence."""
        return {"country": self.countries, "countries": self.countries,
                "theme": self.themes, "themes": self.themes,
                "type": self.types, "status": self.statuses, "evidence": self.evidence}[name]

    def section(self, field_name: str) -> dict[str, Term]:
        """The vocabulary a field takes its values from ("status" -> statuses), or {} for free values."""
        for name in (field_name, field_name + "s", field_name + "es"):
            terms = getattr(self, name, None)
            if isinstance(terms, dict) and name != "importance" and all(isinstance(v, Term) for v in terms.values()):
                return terms
        return {}

    def label(self, kind: str, term_id: str, lang: str = "en") -> str:
        term = self.kind(kind).get(term_id)
        return term.label(lang) if term else term_id

    def color(self, kind: str, term_id: str) -> str:
        term = self.kind(kind).get(term_id)
        return term.color if term else "#888888"

    @functools.cached_property
    def _name_index(self) -> dict[str, tuple[str, ...]]:
        return {name_key(n): group for group in (*self.names, *self.terms) for n in group}

    def name_group(self, text: str) -> tuple[str, ...]:
        """The spellings of the name (or term) `text` spells ("Kim Jong-un", "キム・ジョンウン"), or ()."""
        return self._name_index.get(name_key(text), ())

    def name_variants(self, text: str) -> tuple[str, ...]:
        """Every spelling of a name shared through the vocabulary (金正恩 -> 김정은, Kim Jong Un)."""
        return self.name_group(text)


_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]+")
_HALF_WIDTH = {**{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}


def fold(text: str) -> str:
    """Normalise text for search: NFKC (full-width to half-width) and case-folded.

    Same result as unicodedata.normalize("NFKC", text).casefold(), five times faster on Japanese
    text: the quick check skips text that is already NFKC, and full-width forms (（）～, ideographic
    space), the usual reason Japanese text is not, are mapped first.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = _FULL_WIDTH.sub(lambda m: m.group().translate(_HALF_WIDTH), text)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.casefold()


CJK_RE = re.compile("[\u1100-\u11ff\u2e80-\u9fff\u3130-\u318f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]")
DOTS = str.maketrans({"・": None, "·": None, "‧": None, "’": "'", "‘": "'", "‐": "-", "‑": "-", "–": "-", "—": "-"})
KATAKANA_SPACE = re.compile("(?<=[\u30a1-\u30fa\u30fc]) +(?=[\u30a1-\u30fa\u30fc])")
SEPARATORS = re.compile(r"[\s\-]+")
_PUNCT = re.compile("[・·‧’‘‐‑–—]")
_PUNCT_TO = {chr(k): v or "" for k, v in DOTS.items()}
_KATAKANA_GAP = re.compile("([\u30a1-\u30fa\u30fc]) +(?=[\u30a1-\u30fa\u30fc])")  # KATAKANA_SPACE, faster


def search_fold(text: str) -> str:
    """Text as search sees it: `fold`, then middle dots (・･·) and spaces between katakana dropped,
    so キム・ジョンウン, キム ジョンウン and ｷﾑ･ｼﾞｮﾝｳﾝ all read キムジョンウン; ’ reads ' and every dash -."""
    text = fold(text)
    if not text.isascii():  # a regex finds the few marks faster than str.translate walks the text
        text = _PUNCT.sub(lambda m: _PUNCT_TO[m.group()], text)
        if " " in text:
            text = _KATAKANA_GAP.sub(r"\1", text)
    return text


def name_key(text: str) -> str:
    """A spelling reduced to what tells names apart: "Kim Jong-un", "KIM JONGUN" -> "kimjongun"."""
    return SEPARATORS.sub("", search_fold(text))
