"""A new event, scaffolded: `python -m timeline new`.

The scaffold is a valid event with TODO text for the curator to fill in, and the vocabulary's
choices written as comments above the fields that take them. It is spliced into the log's text at
its chronological place (timeline.logedit), so the rest of the file is untouched.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field

from .model import ID_RE, PartialDate, Vocabulary

TODO = "TODO"


@dataclass
class Draft:
    """What the curator said about the new event (everything else is a TODO)."""

    date: str
    slug: str = ""
    title_en: str = ""
    title_ja: str = ""
    countries: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    type: str = "other"
    importance: int = 1
    status: str = ""
    source: dict = field(default_factory=dict)


def slugify(text: str, words: int = 6) -> str:
    """"Lee Jae-myung meets Takaichi in Nara" -> "lee-jae-myung-meets-takaichi-in" (ASCII words only)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", ascii_text)
    return "-".join(parts[:words])


def event_id(draft: Draft) -> str:
    slug = slugify(draft.slug or draft.title_en or draft.source.get("title", ""))
    if not slug:
        raise ValueError("cannot make an id: give --slug (a few English words) or an English --title")
    eid = f"{draft.date}-{slug}"
    if not ID_RE.match(eid):
        raise ValueError(f'"{eid}" is not a kebab-case id; use letters, digits and hyphens in --slug')
    return eid


_PLAIN = re.compile(r"[^\W\d_][^:#'\"{}\[\],&*!|>%@`\n]*[^\s:]")
_SPECIAL = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _q(text: str, quote: str = '"') -> str:
    """A YAML scalar that reads back as exactly `text`: plain when that is safe, else quoted."""
    if quote == "'" and "\n" not in text:
        return "'" + text.replace("'", "''") + "'"
    if _PLAIN.fullmatch(text) and text.lower() not in _SPECIAL and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _choices(name: str, ids) -> list[str]:
    wrapped = textwrap.wrap(f"{name}: {' · '.join(map(str, ids))}", 108, break_on_hyphens=False,
                            break_long_words=False)
    return [f"  # {line}" for line in wrapped]


def scaffold_block(draft: Draft, vocab: Vocabulary, today: dt.date, quote: str = '"') -> str:
    """The YAML block of the new event (its `- ` at column 0), with choices as comments."""
    PartialDate.parse(draft.date)  # raises ValueError with the reason
    eid = event_id(draft)
    status = draft.status or ("scheduled" if PartialDate.parse(draft.date).first > today else "occurred")
    src = draft.source
    lines = [
        f"- id: {eid}",
        f"  date: {_q(draft.date, quote)}",
        "  title:",
        f"    en: {_q(draft.title_en or TODO + ' headline in English')}",
        f"    ja: {_q(draft.title_ja or TODO + ' 日本語の見出し')}",
        "  summary:",
        f"    en: {_q(TODO + ' two or three sentences: what happened, who, why it matters.')}",
        f"    ja: {_q(TODO + ' 2～3文の概要。')}",
        *_choices("countries", vocab.countries),
        f"  countries: [{', '.join(draft.countries or (next(iter(vocab.countries)),))}]",
        *_choices("themes (the primary first)", vocab.themes),
        f"  themes: [{', '.join(draft.themes or (next(iter(vocab.themes)),))}]",
        *_choices("type", vocab.types),
        f"  type: {draft.type}",
        *_choices("importance", [f"{n} {r.get('en', '').split(':')[0].lower()}"
                                 for n, r in sorted(vocab.importance.items())]),
        f"  importance: {draft.importance}",
        *_choices("status", vocab.statuses),
        f"  status: {status}",
        "  sources:",
        f"  - title: {_q(src.get('title') or TODO + ' headline as published')}",
        f"    publisher: {_q(src.get('publisher') or TODO)}",
        f"    url: {src.get('url') or 'https://example.org/TODO'}",
    ]
    if src.get("published"):
        lines.append(f"    published: {_q(src['published'], quote)}")
    if src.get("url"):
        lines.append(f"    accessed: {_q(today.isoformat(), quote)}")
    lines.append(f"  added: {_q(today.isoformat(), quote)}")
    return "\n".join(lines) + "\n"


def date_quote(text: str) -> str:
    """The quote the log uses for dates (' or "), so a new event looks like its neighbours."""
    single, double = len(re.findall(r"^\s*date: '", text, re.M)), len(re.findall(r'^\s*date: "', text, re.M))
    return "'" if single > double else '"'
