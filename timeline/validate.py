"""Raw records -> a list of problems. Never stops at the first problem.

Every kind of problem has a stable kebab-case code (tests and scripts rely on the codes, not the
wording), a severity and a message that says how to fix it. Locations (file, line, column) come
from a `locate(index, path)` function given by the loader, so this module never reads files.
"""
from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urlparse

from .model import (FIELDS, ID_RE, LANGS, PLANNED_STATUSES, RELATED_FIELDS, SOURCE_FIELDS,
                    TEXT_LANGS, PartialDate, Vocabulary)

ERROR, WARNING = "error", "warning"

# code -> (severity, title). Codes are a contract: add freely, never rename.
CODES: dict[str, tuple[str, str]] = {
    "file-not-found": (ERROR, "The log file does not exist"),
    "file-too-large": (ERROR, "The file is larger than the loader accepts"),
    "not-utf8": (ERROR, "The file is not UTF-8 text"),
    "byte-order-mark": (WARNING, "The file starts with a byte-order mark"),
    "tab-character": (ERROR, "A tab is used where YAML needs spaces"),
    "yaml-syntax": (ERROR, "The file is not valid YAML"),
    "unknown-tag": (ERROR, "A YAML tag that the loader refuses"),
    "too-many-nodes": (ERROR, "Aliases expand to more data than the file holds (alias bomb)"),
    "number-too-large": (ERROR, "A number is longer than the loader converts (or not finite)"),
    "duplicate-key": (ERROR, "A key appears twice in one mapping"),
    "bad-root": (ERROR, "The file's top level is not a list of events"),
    "not-a-mapping": (ERROR, "An event or sub-record is not a mapping"),
    "missing-field": (ERROR, "A required field is missing"),
    "unknown-field": (ERROR, "A field the model does not know"),
    "wrong-type": (ERROR, "A field has the wrong type"),
    "empty-value": (ERROR, "A field is empty"),
    "bad-id": (ERROR, "An id is not a kebab-case slug"),
    "duplicate-id": (ERROR, "Two events share an id"),
    "bad-date": (ERROR, "A date is not YYYY, YYYY-MM or YYYY-MM-DD, or does not exist"),
    "end-before-start": (ERROR, "An event ends before it starts"),
    "missing-language": (ERROR, "A title or summary lacks English or Japanese"),
    "unknown-language": (ERROR, "A text mapping has a language other than en, ja, ko"),
    "unknown-country": (ERROR, "A country code is not in the vocabulary"),
    "unknown-theme": (ERROR, "A theme is not in the vocabulary"),
    "unknown-type": (ERROR, "An event type is not in the vocabulary"),
    "unknown-status": (ERROR, "A status is not one of the known statuses"),
    "bad-importance": (ERROR, "Importance is not 1, 2 or 3"),
    "no-sources": (ERROR, "An event cites no source"),
    "bad-url": (ERROR, "A source URL is not http(s)"),
    "no-url-source": (WARNING, "No source of the event has a URL"),
    "unknown-relation": (ERROR, "A related link has an unknown type"),
    "dangling-related": (ERROR, "A related link points to an id that does not exist"),
    "self-related": (ERROR, "An event is related to itself"),
    "id-date-mismatch": (WARNING, "The id's date prefix disagrees with the date"),
    "stale-scheduled": (WARNING, "A planned event's date has passed but its status was never updated"),
    "updated-before-added": (ERROR, "updated is earlier than added"),
}

_SINGULAR = {"countries": "country", "themes": "theme", "type": "type", "status": "status"}


@dataclass(frozen=True)
class Problem:
    """One problem, located as precisely as the loader could."""

    code: str
    message: str
    file: str = ""
    line: int = 0
    col: int = 0
    event_id: str = ""
    field: str = ""

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def format(self) -> str:
        """`PATH:LINE:COL: EVENT_ID: FIELD: message [code]` (a contract: scripts parse it)."""
        return (f"{self.file}:{self.line}:{self.col}: {self.event_id or '-'}: {self.field or '-'}: "
                f"{self.message} [{self.code}]")

    def to_dict(self) -> dict:
        return {**asdict(self), "severity": self.severity}


def problems_json(problems: Iterable[Problem]) -> str:
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


Locate = Callable[[int, tuple], tuple[int, int]]


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "themes"?)' or ''."""
    match = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{match[0]}"?)' if match else ""


def validate_records(records: list[Any], vocab: Vocabulary, locate: Locate, file: str = "",
                     today: dt.date | None = None) -> list[Problem]:
    """Check every record against the model and the vocabulary; return all problems found."""
    checker = _Checker(vocab, locate, file, today or dt.date.today())
    for index, record in enumerate(records):
        checker.event(index, record)
    checker.links(records)
    return checker.problems


class _Checker:
    def __init__(self, vocab: Vocabulary, locate: Locate, file: str, today: dt.date):
        self.vocab, self.locate, self.file, self.today = vocab, locate, file, today
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}

    def add(self, code: str, message: str, index: int, path: tuple = (), event_id: str = "") -> None:
        line, col = self.locate(index, path)
        field = ".".join(str(p) for p in path)
        self.problems.append(Problem(code, message, self.file, line, col, event_id, field))

    # -- one event -------------------------------------------------------------------
    def event(self, i: int, rec: Any) -> None:
        if not isinstance(rec, dict):
            self.add("not-a-mapping", f"each event must be a mapping of fields (id: ..., date: ...), "
                     f"not a {type(rec).__name__}", i)
            return
        eid = rec.get("id") if isinstance(rec.get("id"), str) else ""
        add = lambda code, msg, *path: self.add(code, msg, i, path, eid)  # noqa: E731

        for key in rec:
            if key not in FIELDS:
                add("unknown-field", f'"{key}" is not a field of an event{suggest(key, FIELDS)}; '
                    f"remove it or rename it", key)
        for key, (required, hint) in FIELDS.items():
            if required and key not in rec:
                add("missing-field", f'add "{key}": {hint}')
            elif key in rec and rec[key] in (None, "", [], {}) and key != "sources":
                add("empty-value", f'"{key}" is empty; give {hint} or remove the line', key)

        self.check_id(rec, i, eid, add)
        start = self.check_date(rec, "date", add)
        end = self.check_date(rec, "end", add)
        if start and end and end.last < start.first:
            add("end-before-start", f'end "{end.text}" is before date "{start.text}"; swap them or fix the typo',
                "end")
        if start and eid and ID_RE.match(eid):
            prefix = "-".join(eid.split("-")[:3]) if start.precision == "day" else "-".join(eid.split("-")[:2])
            if not eid.startswith(start.text) and prefix[:4].isdigit():
                add("id-date-mismatch", f'id starts with "{prefix}" but date is "{start.text}"; '
                    f"ids are stable, so fix the date if it is wrong, else keep the id", "id")
        self.check_flag(rec, "approximate", add)
        for key in ("title", "summary"):
            self.check_text(rec, key, add)
        self.check_str_list(rec, "aliases", add)
        self.check_str_list(rec, "tags", add)
        self.check_terms(rec, "countries", self.vocab.countries, "unknown-country", add, many=True)
        self.check_terms(rec, "themes", self.vocab.themes, "unknown-theme", add, many=True)
        self.check_terms(rec, "type", self.vocab.types, "unknown-type", add, many=False)
        self.check_terms(rec, "status", self.vocab.statuses, "unknown-status", add, many=False)
        imp = rec.get("importance")
        if "importance" in rec and imp is not None and (isinstance(imp, bool) or imp not in (1, 2, 3)):
            add("bad-importance", f"importance is {imp!r}; use 1 (routine), 2 (notable) or 3 (major)", "importance")
        if isinstance(rec.get("notes"), (list, dict)):
            add("wrong-type", "notes must be text", "notes")
        self.check_sources(rec, add)
        if start and rec.get("status") in PLANNED_STATUSES and (end or start).last < self.today:
            add("stale-scheduled", f'status is "{rec["status"]}" but {(end or start).text} has passed; '
                f"set status to occurred, postponed or cancelled", "status")
        added = self.check_date(rec, "added", add)
        updated = self.check_date(rec, "updated", add)
        if added and updated and updated.last < added.first:
            add("updated-before-added", "updated must be on or after added", "updated")

    def check_id(self, rec, i, eid, add) -> None:
        raw = rec.get("id")
        if raw is None or raw == "":
            return
        if not isinstance(raw, str):
            add("wrong-type", f"id must be text, got {raw!r}", "id")
            return
        if not ID_RE.match(raw):
            add("bad-id", f'"{raw}" is not a kebab-case slug; use lowercase letters, digits and hyphens, '
                f"e.g. 2025-06-04-lee-inauguration", "id")
        if raw in self.ids:
            first_line, _ = self.locate(self.ids[raw], ("id",))
            add("duplicate-id", f'id "{raw}" is already used by the event at line {first_line}; '
                f"give this one a different id", "id")
        else:
            self.ids[raw] = i

    def check_date(self, rec, key, add) -> PartialDate | None:
        raw = rec.get(key)
        if raw is None or raw == "":
            return None
        try:
            return PartialDate.parse(raw)
        except ValueError as exc:
            add("bad-date", f"{exc}; write a real date as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"", key)
            return None

    def check_flag(self, rec, key, add) -> None:
        if key in rec and not isinstance(rec[key], bool):
            add("wrong-type", f"{key} must be true or false, got {rec[key]!r}", key)

    def check_text(self, rec, key, add) -> None:
        val = rec.get(key)
        if val in (None, "", {}):
            return
        if not isinstance(val, dict):
            add("wrong-type", f"{key} must be a mapping with en and ja, e.g. {key}: {{en: ..., ja: ...}}", key)
            return
        for lang, text in val.items():
            if lang not in TEXT_LANGS:
                add("unknown-language", f'"{lang}" is not a language of the log; use en, ja or ko'
                    f"{suggest(lang, TEXT_LANGS)}", key, lang)
            elif not isinstance(text, str):
                add("wrong-type", f"{key}.{lang} must be text, got {type(text).__name__}", key, lang)
            elif not text.strip():
                add("empty-value", f"{key}.{lang} is empty; write the text or remove the line", key, lang)
        for lang in LANGS:
            if lang not in val:
                add("missing-language", f'{key} has no "{lang}"; every event needs English and Japanese', key)

    def check_str_list(self, rec, key, add) -> None:
        val = rec.get(key)
        if val is None or val == []:
            return
        if not isinstance(val, list):
            add("wrong-type", f"{key} must be a list, e.g. {key}: [a, b]", key)
            return
        for j, item in enumerate(val):
            if not isinstance(item, str):
                add("wrong-type", f"{key}[{j}] must be text, got {item!r}", key, j)
            elif not item.strip():
                add("empty-value", f"{key}[{j}] is empty; remove it", key, j)

    def check_terms(self, rec, key, terms, code, add, many: bool) -> None:
        val = rec.get(key)
        if val is None or val in ("", []):
            return
        items = val if many else [val]
        if many and not isinstance(val, list):
            add("wrong-type", f"{key} must be a list, e.g. {key}: [{next(iter(terms))}]", key)
            return
        for j, item in enumerate(items):
            path = (key, j) if many else (key,)
            if not isinstance(item, str):
                add("wrong-type", f"{key} value {item!r} must be text", *path)
            elif item not in terms:
                hint = suggest(item, terms) or suggest(item.upper(), terms)
                add(code, f'"{item}" is not a known {_SINGULAR[key]}{hint}; known: {", ".join(terms)} '
                    f"(add new ones to timeline/vocab.yaml)", *path)

    def check_sources(self, rec, add) -> None:
        val = rec.get("sources")
        if val is None or val == []:
            if "sources" in rec:
                add("no-sources", "cite at least one source: {title, publisher, url}", "sources")
            return
        if not isinstance(val, list):
            add("wrong-type", "sources must be a list of {title, publisher, url}", "sources")
            return
        has_url = bad_url = False
        for j, src in enumerate(val):
            if not isinstance(src, dict):
                add("not-a-mapping", f"sources[{j}] must be a mapping {{title, publisher, url}}", "sources", j)
                continue
            for key in src:
                if key not in SOURCE_FIELDS:
                    add("unknown-field", f'"{key}" is not a field of a source{suggest(key, SOURCE_FIELDS)}; '
                        f"known: {', '.join(SOURCE_FIELDS)}", "sources", j, key)
            for key in ("title", "publisher"):
                if key not in src:
                    add("missing-field", f'sources[{j}] needs "{key}"', "sources", j)
                elif not isinstance(src[key], str) or not src[key].strip():
                    add("empty-value" if src[key] in (None, "") else "wrong-type",
                        f"sources[{j}].{key} must be non-empty text", "sources", j, key)
            url = src.get("url")
            if url is None and "section" not in src:
                add("missing-field", f'sources[{j}] needs "url" (or "section" when it cites the report)',
                    "sources", j)
            elif url is not None:
                if not isinstance(url, str) or not _is_http(url):
                    bad_url = True
                    add("bad-url", f"sources[{j}].url {url!r} must start with http:// or https:// "
                        f"(other schemes such as javascript: or file: are refused)", "sources", j, "url")
                else:
                    has_url = True
            if "published" in src and src["published"] not in (None, ""):
                self.check_date(src, "published", lambda code, msg, *p: add(code, msg, "sources", j, *p))
            for key in ("note", "section"):
                if key in src and not isinstance(src[key], (str, int)):
                    add("wrong-type", f"sources[{j}].{key} must be text", "sources", j, key)
        if not has_url and not bad_url:
            add("no-url-source", "no source has a URL; add a web source a reader can open", "sources")

    # -- links between events ------------------------------------------------------------
    def links(self, records: list[Any]) -> None:
        for i, rec in enumerate(records):
            if not isinstance(rec, dict) or "related" not in rec or rec["related"] in (None, []):
                continue
            eid = rec.get("id") if isinstance(rec.get("id"), str) else ""
            val = rec["related"]
            if not isinstance(val, list):
                self.add("wrong-type", "related must be a list of {type, id}", i, ("related",), eid)
                continue
            for j, link in enumerate(val):
                path = ("related", j)
                if not isinstance(link, dict):
                    self.add("not-a-mapping", f"related[{j}] must be {{type: follows, id: ...}}", i, path, eid)
                    continue
                for key in link:
                    if key not in RELATED_FIELDS:
                        self.add("unknown-field", f'"{key}" is not a field of a link{suggest(key, RELATED_FIELDS)}',
                                 i, path + (key,), eid)
                kind, target = link.get("type"), link.get("id")
                if kind not in self.vocab.relations:
                    self.add("unknown-relation", f"related[{j}].type {kind!r} is not one of "
                             f"{', '.join(self.vocab.relations)}{suggest(kind, self.vocab.relations)}",
                             i, path + ("type",), eid)
                if not isinstance(target, str) or not target:
                    self.add("missing-field", f"related[{j}] needs the id of another event", i, path, eid)
                elif target == eid:
                    self.add("self-related", f"related[{j}] points to the event itself; remove it",
                             i, path + ("id",), eid)
                elif target not in self.ids:
                    self.add("dangling-related", f'related[{j}].id "{target}" is not the id of any event'
                             f"{suggest(target, self.ids)}; fix the id or remove the link",
                             i, path + ("id",), eid)


_HTTP = re.compile(r"(?i:https?)://[^/?#\s]+(?:[/?#]\S*)?")


def _is_http(url: str) -> bool:
    """An absolute http(s) URL with a host and no whitespace (a regex: urlparse is 10x slower)."""
    if not _HTTP.fullmatch(url):
        return False
    if "[" in url or "]" in url:  # bracketed IPv6 hosts: let urlparse judge them
        try:
            urlparse(url)
        except ValueError:
            return False
    return True
