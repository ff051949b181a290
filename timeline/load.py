"""The only module that reads YAML: the vocabulary and the event log.

Reading is defensive. The file is decoded as strict UTF-8, parsed by PyYAML's C composer into
nodes (never into Python objects built from tags), and turned into plain values by our own walk,
which keeps dates as written, refuses unknown tags, reports duplicate keys and stops alias bombs.
Validation then collects every problem. A log with errors never produces a DataFrame.

A validated log is cached on disk keyed by the file's content hash, so an unchanged big log
reloads fast and a changed one is always re-validated.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import pickle
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any

import pandas as pd
import yaml

from .model import VOCAB_PATH, PartialDate, Period, Vocabulary, fold
from .validate import Problem, errors, validate_periods, validate_records

MAX_BYTES = int(os.environ.get("TIMELINE_MAX_BYTES", 256 * 1024 * 1024))
CACHE_VERSION = "2"
_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_STR, _SEQ, _MAP = _Y + "str", _Y + "seq", _Y + "map"
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode


class InvalidLog(Exception):
    """The log has errors; `problems` holds every one of them (errors and warnings)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errs = errors(problems)
        head = "\n".join(p.format() for p in errs[:20])
        more = f"\n... and {len(errs) - 20} more" if len(errs) > 20 else ""
        super().__init__(f"{len(errs)} problem(s) in the event log:\n{head}{more}")


@dataclass
class LogReport:
    """What reading a log found: the events (None when there are errors) and every problem."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    events: pd.DataFrame | None = None
    meta: dict = field(default_factory=dict)
    digest: str = ""

    @property
    def ok(self) -> bool:
        return self.events is not None and not errors(self.problems)


@functools.lru_cache(maxsize=4)
def load_vocab(path: str | Path = VOCAB_PATH) -> Vocabulary:
    """The controlled vocabularies (countries, themes, types, ...) with labels and colours."""
    with open(path, "rb") as fh:
        return Vocabulary.from_mapping(yaml.load(fh, Loader=yaml.CSafeLoader))


def load_events(path: str | Path, vocab: Vocabulary | None = None) -> pd.DataFrame:
    """Load and validate a log; return one row per event or raise InvalidLog with all problems."""
    report = read_log(path, vocab)
    if not report.ok:
        raise InvalidLog(report.problems)
    return report.events


def read_log(path: str | Path, vocab: Vocabulary | None = None, today: dt.date | None = None,
             cache: bool | str | Path = True) -> LogReport:
    """Read, parse and validate a log. Never raises for bad content: problems are in the report."""
    vocab = vocab or load_vocab()
    today = today or dt.date.today()
    path_s = str(path)
    report = LogReport(path_s)
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            report.problems.append(Problem(
                "file-too-large", f"the file is {size:,} bytes, over the limit of {MAX_BYTES:,}; split it "
                f"or raise TIMELINE_MAX_BYTES", path_s, 1, 1))
            return report
        with open(path, "rb") as fh:
            data = fh.read(size + 1)  # not MAX_BYTES: read(n) allocates n bytes up front
        if len(data) > MAX_BYTES:  # the file grew while we looked
            report.problems.append(Problem("file-too-large", f"the file is over the limit of {MAX_BYTES:,} bytes",
                                           path_s, 1, 1))
            return report
    except FileNotFoundError:
        report.problems.append(Problem("file-not-found", f"no such file: {path_s}", path_s))
        return report
    except OSError as exc:
        report.problems.append(Problem("file-not-found", f"cannot read the file: {exc.strerror}", path_s))
        return report
    report.digest = hashlib.sha256(data).hexdigest()[:32]  # SHA-NI: twice blake2b's speed
    cache_file = _cache_file(cache, report.digest, vocab, today)
    cached = _read_cache(cache_file)
    if cached is not None:
        report.events, report.problems, report.meta = cached
        report.problems = [_relocate(p, path_s) for p in report.problems]
        return report
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived objects: the collector would dominate the load time
    try:
        # the node tree and the records die inside _build, before the collector is back on: alive,
        # its first pass would walk every one of their million objects
        _build(report, data, vocab, today)
        if report.events is not None:
            _write_cache(cache_file, (report.events, report.problems, report.meta))
    finally:
        if gc_was_enabled:
            gc.enable()
    return report


def _build(report: LogReport, data: bytes, vocab: Vocabulary, today: dt.date) -> None:
    records, meta, locate, problems = parse_log(data, report.path)
    report.problems.extend(problems)
    report.meta = meta
    if records is None or errors(problems):
        return
    report.problems.extend(validate_records(records, vocab, locate, report.path, today))
    if not errors(report.problems):
        report.events = to_frame(records, vocab, locate)


# -- parsing --------------------------------------------------------------------------------

def parse_log(data: bytes, path: str = "", root_key: str = "events") -> tuple[list | None, dict, Any, list[Problem]]:
    """Bytes -> (records, meta, locate, problems). records is None when the file cannot be read.
    `root_key`: the list the file holds (`events:`, or `periods:` in periods.yaml)."""
    problems: list[Problem] = []
    no_locate = lambda i, p: (0, 0)  # noqa: E731
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem("byte-order-mark", "the file starts with a UTF-8 byte-order mark; save it as "
                                "UTF-8 without BOM (it was ignored)", path, 1, 1))
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad_line = data[data.rfind(b"\n", 0, exc.start) + 1:data.find(b"\n", exc.start) % (len(data) + 1)]
        problems.append(Problem("not-utf8", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as "
                                f"UTF-8 (this line looks like {_guess_encoding(bad_line)})", path, line, col))
        return None, {}, no_locate, problems
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector dominates parse time on big logs; nodes hold no cycles we leak
    try:
        # the base loader skips PyYAML's regex-based type guessing (a third of the parse time);
        # _Walker.scalar resolves plain scalars itself, keeping dates as written
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        bad_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "\t" in bad_line[: (mark.column + 1) if mark else 0] or "\t" in str(exc.problem):
            problems.append(Problem("tab-character", "a tab character is used for indentation; YAML needs "
                                    "spaces, so replace the tab with spaces", path, line, col))
        else:
            problems.append(Problem("yaml-syntax", f"{exc.problem}"
                                    f"{'; ' + exc.context if exc.context else ''}; fix the YAML here "
                                    f"(check indentation, colons and quotes)", path, line, col))
        return None, {}, no_locate, problems
    except yaml.YAMLError as exc:
        problems.append(Problem("yaml-syntax", f"{exc}; fix the YAML", path, 1, 1))
        return None, {}, no_locate, problems
    finally:
        if gc_was_enabled:
            gc.enable()
    if root is None:
        problems.append(Problem("bad-root", f"the file is empty; it needs `{root_key}:` followed by a list",
                                path, 1, 1))
        return None, {}, no_locate, problems
    walker = _Walker(path, budget=len(data) + 10_000)
    gc.disable()
    try:
        value = walker.value(root)
    finally:
        if gc_was_enabled:
            gc.enable()
    problems.extend(walker.problems)
    if walker.exhausted:
        return None, {}, no_locate, problems
    meta: dict = {}
    events_node = root
    if isinstance(value, dict) and isinstance(value.get(root_key), list):
        meta = value["meta"] if isinstance(value.get("meta"), dict) else {}
        unknown = [k for k in value if k not in (root_key, "meta")]
        for key in unknown:
            problems.append(Problem("unknown-field", f'top-level key "{key}" is not known; the file holds '
                                    f"`meta:` and `{root_key}:` only", path, *_key_mark(root, key)))
        records = value[root_key]
        events_node = _mapping_get(root, root_key)
    elif isinstance(value, list):
        records = value
    else:
        line, col = root.start_mark.line + 1, root.start_mark.column + 1
        problems.append(Problem("bad-root", f"the top level must be `{root_key}:` followed by a list "
                                "(each starting with `- id: ...`)", path, line, col))
        return None, meta, no_locate, problems

    def locate(index: int, sub: tuple = ()) -> tuple[int, int]:
        return _locate(events_node, index, sub)

    return records, meta, locate, problems


class _Loader(yaml.CBaseLoader):
    """The C parser and composer with the cheapest possible tag resolution (see _Walker.scalar)."""

    _TAGS = {yaml.ScalarNode: _Y + "str", yaml.SequenceNode: _Y + "seq", yaml.MappingNode: _Y + "map"}

    def resolve(self, kind, value, implicit):
        return self._TAGS[kind]


class _Walker:
    """Nodes -> plain values: dates stay strings, unknown tags are refused, aliases are bounded."""

    def __init__(self, path: str, budget: int):
        self.path, self.budget = path, budget
        self.problems: list[Problem] = []
        self.exhausted = False
        self.keys: dict[str, Any] = {}  # plain key text -> its (interned) value

    def value(self, node: yaml.Node) -> Any:
        if self.exhausted:
            return None
        self.budget -= 1
        if self.budget < 0:
            self.exhaust(node)
            return None
        cls = node.__class__
        if cls is _SCALAR:
            if node.tag == _STR:  # the usual case, inlined: this loop runs once per node of the file
                return node.value if node.style else _plain(node.value)
            return self.scalar(node)
        if node.tag not in (_SEQ, _MAP):
            self.refuse(node)
            return None
        value, keys = self.value, self.keys
        if cls is _SEQUENCE:
            return [value(child) for child in node.value]
        out: dict = {}
        for key_node, value_node in node.value:
            # plain-text keys and values, by far the most nodes, are handled inline
            if key_node.__class__ is _SCALAR and key_node.tag == _STR and self.budget > 1:
                self.budget -= 1
                # keys shared between all mappings (smaller cache: pickle stores each once)
                text = key_node.value
                if key_node.style:  # quoted: text as written
                    key = intern(text)
                else:
                    key = keys.get(text, _TEXT)
                    if key is _TEXT:
                        key = _plain(text)
                        key = keys[text] = intern(key) if key.__class__ is str else key
                if key is None:
                    key = "None"
            else:
                key = value(key_node)
                if self.exhausted:
                    break
                if not isinstance(key, (str, int, float, bool)) or key is None:
                    key = str(key)
            if key in out:
                self.problems.append(Problem(
                    "duplicate-key", f'"{key}" appears twice in this mapping; the second value would silently '
                    f"replace the first, so merge or remove one", self.path, key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1, "", str(key)))
            if value_node.__class__ is _SCALAR and value_node.tag == _STR and self.budget > 0:
                self.budget -= 1
                out[key] = value_node.value if value_node.style else _plain(value_node.value)
            else:
                out[key] = value(value_node)
        return out

    def exhaust(self, node: yaml.Node) -> None:
        self.exhausted = True
        self.problems.append(Problem(
            "too-many-nodes", "aliases (*name) expand to far more data than the file holds (an alias "
            "bomb); remove the anchors and aliases", self.path, node.start_mark.line + 1,
            node.start_mark.column + 1))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            self.refuse(node)
            return None
        if tag == _Y + "str":
            return _plain(text) if not node.style else text  # plain style is "" (C) or None
        if tag == _Y + "timestamp":
            return text  # dates are kept exactly as written
        if tag == _Y + "null":
            return None
        if tag == _Y + "bool":  # YAML 1.1 also reads yes/no/on/off as booleans: keep those as text
            return True if text in _TRUE else False if text in _FALSE else text
        if tag == _Y + "int":
            for base in (10, 0):
                try:
                    return int(text.replace("_", ""), base)
                except ValueError:
                    continue
            return text
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text

    def refuse(self, node: yaml.Node) -> None:
        self.problems.append(Problem(
            "unknown-tag", f'the tag "{node.tag}" is refused (the log is data; tags that build objects are '
            f"never run); remove the tag", self.path, node.start_mark.line + 1, node.start_mark.column + 1))


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = {**dict.fromkeys(("", "~", "null", "Null", "NULL")), **dict.fromkeys(_TRUE, True),
            **dict.fromkeys(_FALSE, False)}
_TEXT = object()
_NUMBER_START = frozenset("0123456789+-.")


def _plain(text: str) -> Any:
    """Type of an unquoted scalar: null, true/false, integer, float, else the text as written.

    Dates stay text (2025-06-04 is what the curator wrote) and so do yes/no/on/off (NO is Norway).
    """
    special = _SPECIAL.get(text, _TEXT)
    if special is not _TEXT:
        return special
    if text[0] in _NUMBER_START:  # the regexes only for what can be a number
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    return text


def _mapping_get(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _key_mark(node: yaml.Node, key: str) -> tuple[int, int]:
    for k, _ in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k.start_mark.line + 1, k.start_mark.column + 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def _locate(events_node: yaml.Node, index: int, sub: tuple) -> tuple[int, int]:
    """Line and column of events[index] followed by the path `sub` (keys and list indexes)."""
    node = events_node
    if not isinstance(node, yaml.SequenceNode) or index >= len(node.value):
        return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
    node = node.value[index]
    for step in sub:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                    child = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def _guess_encoding(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    for enc in ("shift_jis", "euc-kr", "cp1252"):
        try:
            data.decode(enc)
            return {"shift_jis": "Shift_JIS", "euc-kr": "EUC-KR", "cp1252": "Windows-1252"}[enc]
        except UnicodeDecodeError:
            continue
    return "a legacy encoding"


# -- the DataFrame ------------------------------------------------------------------------------

COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
           "title_ko", "summary_en", "summary_ja", "summary_ko", "aliases", "countries", "themes", "type",
           "importance", "status", "sources", "related", "notes", "tags", "added", "updated", "line",
           "search", "country_key", "theme_key")


def to_frame(records: list[dict], vocab: Vocabulary, locate=None) -> pd.DataFrame:
    """Validated records -> one row per event, with what filtering needs computed once, here.

    `start`/`stop` are the first and last day the (partial) dates can mean; `search` is the folded
    text that free-text search matches (titles, summaries, aliases, notes, tags and the id; other
    spellings of names are added to the search words, at query time).
    """
    rows = []
    starts, stops = [], []
    for i, r in enumerate(records):
        start = PartialDate.parse(r["date"])
        end = PartialDate.parse(r["end"]) if r.get("end") else None
        starts.append(start.first)
        stops.append((end or start).last)
        title, summary = r["title"], r["summary"]
        aliases = list(r.get("aliases") or [])
        texts = [*title.values(), *summary.values(), *aliases, r.get("notes") or "", *(r.get("tags") or []),
                 r["id"]]
        rows.append({
            "id": r["id"], "date": start.text, "end": end.text if end else "", "precision": start.precision,
            "approximate": bool(r.get("approximate", False)),
            "title_en": title["en"], "title_ja": title["ja"], "title_ko": title.get("ko", ""),
            "summary_en": summary["en"], "summary_ja": summary["ja"], "summary_ko": summary.get("ko", ""),
            "aliases": aliases, "countries": [intern(c) for c in r["countries"]],
            "themes": [intern(t) for t in r["themes"]],
            "type": r["type"], "importance": int(r["importance"]), "status": r["status"],
            "sources": list(r["sources"]), "related": list(r.get("related") or []),
            "notes": r.get("notes") or "", "tags": [intern(t) for t in r.get("tags") or []],
            "added": r.get("added") or "", "updated": r.get("updated") or "",
            "line": locate(i, ())[0] if locate else 0,
            # folded part by part: the NFKC quick check then skips nearly all the work
            "search": " \u241f ".join(map(fold, texts)),
            # "|KR|JP|": lets the filters test list membership with one vectorised string match
            "country_key": "|" + "|".join(r["countries"]) + "|",
            "theme_key": "|" + "|".join(r["themes"]) + "|",
        })
    # sorted here, on Python lists: sorting the frame would copy every (Arrow) column once more
    order = sorted(range(len(rows)), key=lambda i: (starts[i], rows[i]["id"]))
    df = pd.DataFrame([rows[i] for i in order], columns=[c for c in COLUMNS if c not in ("start", "stop")])
    for name, days in (("start", starts), ("stop", stops)):
        df.insert(COLUMNS.index(name), name, pd.to_datetime(pd.Series([days[i] for i in order], dtype="object")))
    df["importance"] = df["importance"].astype("int64")
    return df


# -- the disk cache -------------------------------------------------------------------------------

def cache_dir() -> Path:
    return Path(os.environ.get("TIMELINE_CACHE_DIR") or Path.home() / ".cache" / "korea-timeline")


def _cache_file(cache: bool | str | Path, digest: str, vocab: Vocabulary, today: dt.date) -> Path | None:
    if cache is False or os.environ.get("TIMELINE_NO_CACHE"):
        return None
    folder = cache_dir() if cache is True else Path(cache)
    vocab_key = hashlib.blake2b(repr(vocab).encode(), digest_size=8).hexdigest()
    return folder / f"log-{digest}-{vocab_key}-{today.isoformat()}-v{CACHE_VERSION}.pkl"


def _read_cache(path: Path | None):
    if path is None or not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            gc.disable()
            try:
                value = pickle.load(fh)
            finally:
                gc.enable()
        events, problems, meta = value
        if not isinstance(events, pd.DataFrame) or list(events.columns) != list(COLUMNS):
            raise ValueError("unexpected cache content")
        return events, problems, meta
    except Exception:  # a corrupted or foreign cache file is ignored and rebuilt, never trusted
        try:
            path.unlink()
        except OSError:
            pass
        return None


def _write_cache(path: Path | None, value) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one, never half
    except OSError:
        pass  # the cache is an optimisation; a read-only home must not break loading


def _relocate(problem: Problem, path: str) -> Problem:
    """Cached problems carry the path of whoever wrote the cache; show the current one."""
    return Problem(problem.code, problem.message, path, problem.line, problem.col, problem.event_id,
                   problem.field) if problem.file != path else problem


def log_updated(meta: dict, events: pd.DataFrame) -> str | None:
    """Last update of a log, for the data version on exports: meta.updated, else the newest
    added/updated date of its events."""
    if meta.get("updated"):
        return str(meta["updated"])
    stamps = [s for s in list(events["updated"]) + list(events["added"]) if s]
    return max(stamps) if stamps else None


# -- live reload ---------------------------------------------------------------------------------

@dataclass
class LogState:
    """The events being served and what the newest read of the file found."""

    events: pd.DataFrame
    version: str                   # content digest of the served events
    problems: list[Problem]        # problems of the newest read (errors mean the file on disk is not served)
    meta: dict
    path: str

    @property
    def stale(self) -> bool:
        """True when the file on disk is invalid and the last good events are being served."""
        return bool(errors(self.problems))


class LogSource:
    """Serves the last valid version of a log file, re-reading it when it changes on disk.

    A cheap stat (modification time and size) decides whether to re-read; the content hash
    decides whether anything really changed. An invalid new file never replaces good data: the
    last good events stay and `problems` says what is wrong, until the file is fixed.
    """

    def __init__(self, path: str | Path, vocab: Vocabulary | None = None, min_interval: float = 0.5):
        self.path, self.vocab, self.min_interval = str(path), vocab or load_vocab(), min_interval
        self._lock = threading.Lock()
        self._stat: tuple | None = None
        self._checked = 0.0
        report = read_log(self.path, self.vocab)
        if not report.ok:
            raise InvalidLog(report.problems)
        self._stat = self._stat_now()
        self._state = LogState(report.events, report.digest, report.problems, report.meta, self.path)
        _settle_heap()

    def _stat_now(self) -> tuple | None:
        try:
            st = os.stat(self.path)
            return (st.st_mtime_ns, st.st_size)
        except OSError:
            return None

    def current(self) -> LogState:
        now = time.monotonic()
        if now - self._checked < self.min_interval:
            return self._state
        with self._lock:
            self._checked = now
            stat = self._stat_now()
            if stat == self._stat:
                return self._state
            self._stat = stat
            report = read_log(self.path, self.vocab)
            if report.ok:
                changed = report.digest != self._state.version
                self._state = LogState(report.events, report.digest, report.problems, report.meta, self.path)
                if changed:
                    _settle_heap()
            elif report.digest != self._state.version:
                self._state = dataclasses.replace(self._state, problems=report.problems)
            return self._state


def _settle_heap() -> None:
    """Put what is alive now (the served events) in the collector's permanent generation.

    A served log is millions of long-lived objects; without this, every full collection walks them
    again: a pause of ~0.1 s at 100,000 events on whichever request is unlucky. Unfreezing first
    lets the collection free the previous log's cycles, so a reload leaks nothing.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


# -- context periods (periods.yaml) -------------------------------------------------------------

PERIODS_PATH = Path(__file__).resolve().parent.parent / "periods.yaml"


@dataclass
class PeriodReport:
    path: str
    problems: list[Problem] = field(default_factory=list)
    periods: list[Period] | None = None

    @property
    def ok(self) -> bool:
        return self.periods is not None and not errors(self.problems)


def read_periods(path: str | Path = PERIODS_PATH, vocab: Vocabulary | None = None) -> PeriodReport:
    """Read and validate a periods file. Never raises for bad content: problems are in the report."""
    vocab = vocab or load_vocab()
    report = PeriodReport(str(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        report.problems.append(Problem("file-not-found", f"cannot read {path}: {exc.strerror}", str(path)))
        return report
    records, _, locate, problems = parse_log(data, str(path), root_key="periods")
    report.problems.extend(problems)
    if records is None or errors(problems):
        return report
    report.problems.extend(validate_periods(records, vocab, locate, str(path)))
    if not errors(report.problems):
        report.periods = [Period(r["id"], r["row"], r["kind"], PartialDate.parse(r["start"]),
                                 PartialDate.parse(r["end"]) if r.get("end") else None,
                                 {k: str(v) for k, v in r["label"].items()}, tuple(r["sources"]))
                          for r in records]
    return report


@functools.lru_cache(maxsize=4)
def load_periods(path: str | Path = PERIODS_PATH) -> tuple[Period, ...]:
    """The context periods, or InvalidLog with every problem."""
    report = read_periods(path)
    if not report.ok:
        raise InvalidLog(report.problems)
    return tuple(report.periods)


def is_periods_file(path: str | Path) -> bool:
    """Whether a file holds `periods:` (so `validate` checks it as periods, not events)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return False
    return any(line.startswith(b"periods:") for line in head.splitlines())
