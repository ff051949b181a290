"""The event model: the fields of an event, partial dates and the vocabularies.

This is the only module that defines what an event is. Everything else (loader, validator,
filters, figures, exports, the app) asks this module for field names, labels and colours.
"""
from __future__ import annotations

import calendar
import functools
import datetime as dt
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
    "summary": (True, "mapping with en and ja (optional ko)"),
    "aliases": (False, "list of name variants that search also matches"),
    "countries": (True, "list of ISO 3166-1 alpha-2 codes, e.g. [KR, JP]"),
    "themes": (True, "list of theme ids from timeline/vocab.yaml"),
    "type": (True, "one event type id from timeline/vocab.yaml"),
    "importance": (True, "1 (routine), 2 (notable) or 3 (major)"),
    "status": (True, "occurred, scheduled, expected, postponed or cancelled"),
    "sources": (True, "list of {title, publisher, url, published?, note?} (or {title, publisher, section} for the report)"),
    "related": (False, "list of {type, id} links to other events"),
    "notes": (False, "caveats, e.g. where sources disagree"),
    "tags": (False, "list of free keywords"),
    "added": (False, 'date the event entered the log, "YYYY-MM-DD"'),
    "updated": (False, 'date the event was last changed, "YYYY-MM-DD"'),
}
SOURCE_FIELDS = ("title", "publisher", "url", "published", "note", "section")

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
    importance: dict[int, dict[str, str]] = field(default_factory=dict)
    names: tuple[tuple[str, ...], ...] = ()

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
            importance={int(k): dict(v) for k, v in (data.get("importance") or {}).items()},
            names=tuple(tuple(str(n) for n in group) for group in (data.get("names") or [])),
        )

    def kind(self, name: str) -> dict[str, Term]:
        """The vocabulary behind a field or a lane grouping: country(ies), theme(s), type, status."""
        return {"country": self.countries, "countries": self.countries,
                "theme": self.themes, "themes": self.themes,
                "type": self.types, "status": self.statuses}[name]

    def label(self, kind: str, term_id: str, lang: str = "en") -> str:
        term = self.kind(kind).get(term_id)
        return term.label(lang) if term else term_id

    def color(self, kind: str, term_id: str) -> str:
        term = self.kind(kind).get(term_id)
        return term.color if term else "#888888"

    @functools.cached_property
    def _name_index(self) -> dict[str, tuple[str, ...]]:
        return {fold(n): group for group in self.names for n in group}

    def search_variants(self, word: str) -> tuple[str, ...]:
        """Folded spellings a search word also stands for: "김정은" also finds "kim jong un" and "金正恩".

        Every name group with a spelling that contains the (folded) word contributes all its
        spellings, so "kim jong" finds texts that only say 김정은. The word itself comes first.
        """
        return self._search_variants(fold(word))

    @functools.lru_cache(maxsize=1024)
    def _search_variants(self, word: str) -> tuple[str, ...]:
        out = dict.fromkeys([word])
        for spelling, group in self._name_index.items():
            if word in spelling:
                out.update((fold(n), None) for n in group)
        return tuple(out)

    def name_variants(self, text: str) -> tuple[str, ...]:
        """Every spelling of a name shared through the vocabulary (金正恩 -> 김정은, Kim Jong Un)."""
        return self._name_index.get(fold(text), ())


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
