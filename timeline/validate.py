"""Raw records -> a list of problems. Never stops at the first problem.

Every kind of problem has a stable kebab-case code (tests and scripts rely on the codes, not the
wording), a severity and a message that says how to fix it. Locations (file, line, column) come
from a `locate(index, path)` function given by the loader, so this module never reads files.
"""
from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urlparse

from .model import (
    CLAIM_EVIDENCE,
    EXERCISE_ROW,
    FIELDS,
    ID_RE,
    LANGS,
    PERIOD_FIELDS,
    PERIOD_KINDS,
    PLANNED_STATUSES,
    RELATED_FIELDS,
    SHORT_LIMITS,
    SOURCE_DATES,
    SOURCE_FIELDS,
    TEXT_LANGS,
    UNCONFIRMED,
    PartialDate,
    Vocabulary,
)

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
    "likely-duplicate": (WARNING, "Two events look like the same event recorded twice"),
    "unknown-evidence": (ERROR, "evidence is not one of the known evidence levels"),
    "missing-claimed-by": (ERROR, "A claimed or disputed event does not say whose claim it is"),
    "short-too-long": (WARNING, "A short chart label is too long to fit a chart"),
    "unconfirmed-in-future": (ERROR, "An event marked unconfirmed has not reached its date yet"),
    # periods.yaml
    "unknown-period-kind": (ERROR, "A period's kind is not administration, acting or exercise"),
    "unknown-row": (ERROR, "A period's row is neither a country code nor \"exercise\""),
    "overlapping-periods": (ERROR, "Two periods of the same row overlap (two leaders at once)"),
}

_SINGULAR = {"countries": "country", "themes": "theme", "type": "type", "status": "status",
             "evidence": "evidence level"}


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


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def github_annotation(p: Problem) -> str:
    """`::error file=…,line=…,col=…,title=…::message`: GitHub Actions shows it on the pull request's diff."""
    props = [f"{k}={v}" for k, v in (("file", _gh_escape(p.file, True)), ("line", p.line), ("col", p.col)) if v]
    props.append(f"title={p.code}")
    where = ": ".join(x for x in (p.event_id, p.field) if x)
    return f"::{p.severity} {','.join(props)}::{_gh_escape((where + ': ' if where else '') + p.message)}"


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


Locate = Callable[[int, tuple], tuple[int, int]]
_REQUIRED = frozenset(key for key, (required, _) in FIELDS.items() if required)


def _is_empty(value: Any) -> bool:
    """Whether `value in (None, "", [], {})`, for the values the loader makes (no subclasses), faster."""
    return value is None or (not value and value.__class__ in (str, list, dict))


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
        if not _REQUIRED.issubset(rec.keys()) or any(map(_is_empty, rec.values())):  # else nothing to find
            self.check_fields(rec, add)
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
        for key in ("title", "summary", "short"):
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
        self.check_claim(rec, add)
        self.check_short(rec, add)
        if start:
            self.check_outcome(rec, end or start, add)
        added = self.check_date(rec, "added", add)
        updated = self.check_date(rec, "updated", add)
        if added and updated and updated.last < added.first:
            add("updated-before-added", "updated must be on or after added", "updated")

    def check_fields(self, rec, add) -> None:
        for key, (required, hint) in FIELDS.items():
            if required and key not in rec:
                add("missing-field", f'add "{key}": {hint}')
            elif key in rec and rec[key] in (None, "", [], {}) and key != "sources":
                add("empty-value", f'"{key}" is empty; give {hint} or remove the line', key)

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

    def check_outcome(self, rec, last: PartialDate, add) -> None:
        """A planned event whose date has passed needs its outcome; `unconfirmed` only once it has passed."""
        status = rec.get("status")
        if status in PLANNED_STATUSES and last.last < self.today:
            add("stale-scheduled", f'status is "{status}" but {last.text} has passed; set status to occurred, '
                f"postponed or cancelled, or to {UNCONFIRMED} when no source reports the outcome", "status")
        elif status == UNCONFIRMED and last.last >= self.today:
            add("unconfirmed-in-future", f'status is "{UNCONFIRMED}" but {last.text} has not passed; keep it '
                f"scheduled or expected until its date is over", "status")

    def check_claim(self, rec, add) -> None:
        self.check_terms(rec, "evidence", self.vocab.evidence, "unknown-evidence", add, many=False)
        by = rec.get("claimed_by")
        if "claimed_by" in rec and by is not None and not isinstance(by, str):
            add("wrong-type", f"claimed_by must be text, got {by!r}", "claimed_by")
        if rec.get("evidence") in CLAIM_EVIDENCE and not (isinstance(by, str) and by.strip()):
            add("missing-claimed-by", f'evidence is "{rec["evidence"]}": add claimed_by saying whose claim it is, '
                f"e.g. claimed_by: KCNA", "evidence")

    def check_short(self, rec, add) -> None:
        short = rec.get("short")
        if not isinstance(short, dict):
            return
        for lang, limit in SHORT_LIMITS.items():
            text = short.get(lang)
            if isinstance(text, str) and len(text) > limit:
                add("short-too-long", f"short.{lang} has {len(text)} characters, over {limit}; shorten it so "
                    f"it fits a chart label", "short", lang)

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
        urls = [self.check_source(j, src, add) for j, src in enumerate(val)]
        has_url, bad_url = any(u is True for u in urls), any(u is False for u in urls)
        if not has_url and not bad_url:
            add("no-url-source", "no source has a URL; add a web source a reader can open", "sources")

    def check_source(self, j: int, src, add) -> bool | None:
        """Check sources[j]; True when it has a good URL, False for a bad one, None for none."""
        if not isinstance(src, dict):
            add("not-a-mapping", f"sources[{j}] must be a mapping {{title, publisher, url}}", "sources", j)
            return None
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
        for key in SOURCE_DATES:
            if key in src and src[key] not in (None, ""):
                self.check_date(src, key, lambda code, msg, *p: add(code, msg, "sources", j, *p))
        archived = src.get("archived")
        if archived is not None and (not isinstance(archived, str) or not _is_http(archived)):
            add("bad-url", f"sources[{j}].archived {archived!r} must be the http(s) address of an archived copy",
                "sources", j, "archived")
        for key in ("note", "section"):
            if key in src and not isinstance(src[key], (str, int)):
                add("wrong-type", f"sources[{j}].{key} must be text", "sources", j, key)
        url = src.get("url")
        if url is None:
            if "section" not in src:
                add("missing-field", f'sources[{j}] needs "url" (or "section" when it cites the report)',
                    "sources", j)
            return None
        if not isinstance(url, str) or not _is_http(url):
            add("bad-url", f"sources[{j}].url {url!r} must start with http:// or https:// "
                f"(other schemes such as javascript: or file: are refused)", "sources", j, "url")
            return False
        return True

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


# -- events recorded twice ---------------------------------------------------------------------------

_WORD = re.compile(r"[\w'’–-]+")
_STOP = frozenset("a an the of to in on for with and at by as from its his her their after over into".split())
DUPLICATE_OVERLAP = 0.5   # share of the shorter title's words (or kana/kanji pairs) the two titles have in common


def likely_duplicates(events, file: str = "") -> list[Problem]:
    """Warnings for pairs of events that look like one event recorded twice: the same month and
    type, the countries of one among the other's, no link between them, and titles that share at
    least half their words (English) or character pairs (Japanese) — four fifths when both have
    exact, different days. Run by `validate`, not by every load: it compares pairs."""
    out = []
    frame = events.assign(month=events["start"].dt.to_period("M"))
    for _, group in frame.groupby(["month", "type"], sort=False):
        if len(group) < 2 or len(group) > 400:  # synthetic logs pile hundreds into a month: skip them
            continue
        rows = group.to_dict("records")
        keys = [(_words(r["title_en"]), _pairs(r["title_ja"]), set(r["countries"]),
                 {link["id"] for link in r["related"]}) for r in rows]
        for i, j in itertools.combinations(range(len(rows)), 2):
            (wa, pa, ca, la), (wb, pb, cb, lb) = keys[i], keys[j]
            if rows[i]["id"] in lb or rows[j]["id"] in la or _overlap(ca, cb) < 1:
                continue  # linked events are distinct by the curator's word; so are other countries' events
            # two different exact days need near-identical titles: otherwise they are two meetings
            both_days = rows[i]["precision"] == rows[j]["precision"] == "day" and rows[i]["date"] != rows[j]["date"]
            needed = 0.8 if both_days else DUPLICATE_OVERLAP
            if _overlap(wa, wb) >= needed or _overlap(pa, pb) >= needed:
                later = rows[j] if rows[j]["line"] >= rows[i]["line"] else rows[i]
                other = rows[i] if later is rows[j] else rows[j]
                out.append(Problem("likely-duplicate", f'looks like "{other["id"]}" (same month, type and '
                                   f"country, similar title); merge them, or make the titles say how they differ",
                                   file, int(later["line"]), 0, later["id"], "title"))
    return sorted(out, key=lambda p: p.line)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if w not in _STOP and len(w) > 1}


def _pairs(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace() and c not in "、。・「」（）()"]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def _overlap(a: set, b: set) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0
def validate_periods(records: list[Any], vocab: Vocabulary, locate: Locate, file: str = "") -> list[Problem]:
    """Check the context periods of periods.yaml: the same field, date, text and source checks as
    events, plus their kind, their row and overlaps within a row."""
    checker = _Checker(vocab, locate, file, dt.date.today())
    spans: dict[str, list[tuple[PartialDate, PartialDate | None, int, str]]] = {}
    for i, rec in enumerate(records):
        if not isinstance(rec, dict):
            checker.add("not-a-mapping", f"each period must be a mapping (id: ..., row: ...), not a "
                        f"{type(rec).__name__}", i)
            continue
        pid = rec.get("id") if isinstance(rec.get("id"), str) else ""
        add = lambda code, msg, *path, i=i, pid=pid: checker.add(code, msg, i, path, pid)  # noqa: E731
        for key in rec:
            if key not in PERIOD_FIELDS:
                add("unknown-field", f'"{key}" is not a field of a period{suggest(key, PERIOD_FIELDS)}', key)
        for key, (required, hint) in PERIOD_FIELDS.items():
            if required and key not in rec:
                add("missing-field", f'add "{key}": {hint}')
            elif key in rec and rec[key] in (None, "", [], {}) and key != "sources":
                add("empty-value", f'"{key}" is empty; give {hint} or remove the line', key)
        checker.check_id(rec, i, pid, add)
        start, end = checker.check_date(rec, "start", add), checker.check_date(rec, "end", add)
        if start and end and end.last < start.first:
            add("end-before-start", f'end "{end.text}" is before start "{start.text}"; swap them', "end")
        checker.check_text(rec, "label", add)
        checker.check_sources(rec, add)
        if rec.get("kind") not in (None, "") and rec["kind"] not in PERIOD_KINDS:
            add("unknown-period-kind", f"kind {rec['kind']!r} is not one of {', '.join(PERIOD_KINDS)}"
                f"{suggest(rec['kind'], PERIOD_KINDS)}", "kind")
        row = rec.get("row")
        if row not in (None, "") and row != EXERCISE_ROW and row not in vocab.countries:
            add("unknown-row", f'row {row!r} is not a country code of the vocabulary (KR, JP, US...) nor '
                f'"{EXERCISE_ROW}"{suggest(row, [*vocab.countries, EXERCISE_ROW])}', "row")
        elif start and isinstance(row, str):
            spans.setdefault(row, []).append((start, end, i, pid))
    for row, items in spans.items():
        _check_overlaps(checker, row, items)
    return checker.problems


def _check_overlaps(checker: "_Checker", row: str, items: list) -> None:
    """Periods of one row may touch (a handover day) but not overlap."""
    items = sorted(items, key=lambda s: (s[0].first, s[3]))
    for (_, a_end, _, a_id), (b_start, _, j, b_id) in zip(items, items[1:], strict=False):
        if a_end is None or a_end.last > b_start.first:
            checker.add("overlapping-periods", f'"{b_id}" starts on {b_start.text}, before "{a_id}" in row '
                        f"{row} ends; end one where the next starts", j, ("start",), b_id)


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


COVERAGE_FIELDS = ("through", "note")


def validate_meta(meta: dict, locate: Callable[[tuple], tuple[int, int]], file: str = "") -> list[Problem]:
    """Check the log's `meta:` mapping: `coverage: {through: "YYYY-MM-DD", note: {en, ja, ko?}}`."""
    problems: list[Problem] = []

    def add(code: str, message: str, *path) -> None:
        problems.append(Problem(code, message, file, *locate(("meta",) + path), "", ".".join(("meta",) + path)))

    coverage = meta.get("coverage")
    if coverage is None:
        return problems
    if not isinstance(coverage, dict):
        add("not-a-mapping", 'coverage must be a mapping: {through: "YYYY-MM-DD", note: {en: ..., ja: ...}}',
            "coverage")
        return problems
    for key in coverage:
        if key not in COVERAGE_FIELDS:
            add("unknown-field", f'"{key}" is not a field of coverage{suggest(key, COVERAGE_FIELDS)}; '
                f"known: {', '.join(COVERAGE_FIELDS)}", "coverage", key)
    through = coverage.get("through")
    if through is None:
        add("missing-field", 'coverage needs "through": the date until which the log is complete, "YYYY-MM-DD"',
            "coverage")
    else:
        try:
            if PartialDate.parse(through).precision != "day":
                raise ValueError(f'"{through}" is not a day')
        except ValueError as exc:
            add("bad-date", f'{exc}; write coverage.through as a quoted day, "YYYY-MM-DD"', "coverage", "through")
    note = coverage.get("note")
    if note is not None and not (isinstance(note, dict) and all(isinstance(v, str) for v in note.values())):
        add("wrong-type", "coverage.note must be a mapping of texts, e.g. {en: ..., ja: ...}", "coverage", "note")
    elif isinstance(note, dict):
        for lang in note:
            if lang not in TEXT_LANGS:
                add("unknown-language", f'"{lang}" is not a language of the log; use en, ja or ko', "coverage",
                    "note", lang)
    return problems
