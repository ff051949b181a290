"""The public entry for reading data: the vocabulary and the event log.

`read_log` reads a file (bounded in size), parses it defensively (`yamlread`), validates every
record (`validate`), builds the DataFrame (`frame`) and caches the result on disk (`cache`). A log
with errors never produces a DataFrame. The app's live, reloading source is in `source`.
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import cache as disk_cache
from .frame import to_frame
from .model import VOCAB_PATH, PartialDate, Period, Vocabulary
from .validate import Problem, errors, validate_periods, validate_records
from .yamlread import EventSpan, event_spans, parse_log, read_trusted  # noqa: F401  (public through load)

MAX_BYTES = int(os.environ.get("TIMELINE_MAX_BYTES", 256 * 1024 * 1024))


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
    return Vocabulary.from_mapping(read_trusted(path))


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
    data = _read_bytes(path_s, report)
    if data is None:
        return report
    report.digest = hashlib.sha256(data).hexdigest()[:32]  # SHA-NI: twice blake2b's speed
    cache_file = disk_cache.cache_file(cache, report.digest, vocab, today)
    cached = disk_cache.read_cached(cache_file, path_s)
    if cached is not None:
        report.events, report.problems, report.meta = cached
        disk_cache.remember_good(path_s, cache_file, report.digest)
        return report
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived objects: the collector would dominate the load time
    try:
        # the node tree and the records die inside _build, before the collector is back on: alive,
        # its first pass would walk every one of their million objects
        _build(report, data, vocab, today)
        if report.events is not None:
            disk_cache.write_cached(cache_file, (report.events, report.problems, report.meta))
            disk_cache.remember_good(path_s, cache_file, report.digest)
    finally:
        if gc_was_enabled:
            gc.enable()
    return report


def read_text(text: str, path: str, vocab: Vocabulary | None = None, today: dt.date | None = None) -> LogReport:
    """Validate the text a tool is about to write to `path` (problems carry that path), without writing it."""
    report = LogReport(path)
    _build(report, text.encode("utf-8"), vocab or load_vocab(), today or dt.date.today())
    return report


def last_good(path: str | Path, vocab: Vocabulary | None = None, today: dt.date | None = None,
              cache: bool | str | Path = True) -> LogReport | None:
    """The last valid version of the log at `path` that any process read (from the disk cache), or None.

    Its problems are those of that version; the caller adds what is wrong with the file now.
    """
    found = disk_cache.last_good(cache, str(path))
    if found is None:
        return None
    (events, problems, meta), digest = found
    return LogReport(str(path), list(problems), events, meta, digest)


def _read_bytes(path: str, report: LogReport) -> bytes | None:
    """The file's bytes, or None with the problem in `report`. Only a regular file is read, and never
    with a blocking open: a FIFO or a device in place of the log must not hang the reader."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        report.problems.append(Problem("file-not-found", f"no such file: {path}", path))
        return None
    except OSError as exc:
        report.problems.append(Problem("file-not-found", f"cannot read the file: {exc.strerror}", path))
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            report.problems.append(Problem("file-not-found", "not a regular file (a folder, a pipe or a device); "
                                           "point to the YAML file of the log", path))
            return None
        if st.st_size > MAX_BYTES:
            report.problems.append(Problem(
                "file-too-large", f"the file is {st.st_size:,} bytes, over the limit of {MAX_BYTES:,}; split it "
                f"or raise TIMELINE_MAX_BYTES", path, 1, 1))
            return None
        os.set_blocking(fd, True)  # a regular file: reads never block on a writer
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(st.st_size + 1)  # not MAX_BYTES: read(n) allocates n bytes up front
    except OSError as exc:
        report.problems.append(Problem("file-not-found", f"cannot read the file: {exc.strerror}", path))
        return None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > MAX_BYTES:  # the file grew while we looked
        report.problems.append(Problem("file-too-large", f"the file is over the limit of {MAX_BYTES:,} bytes",
                                       path, 1, 1))
        return None
    return data


def _build(report: LogReport, data: bytes, vocab: Vocabulary, today: dt.date) -> None:
    records, meta, locate, problems = parse_log(data, report.path)
    report.problems.extend(problems)
    report.meta = meta
    if records is None or errors(problems):
        return
    report.problems.extend(validate_records(records, vocab, locate, report.path, today))
    if not errors(report.problems):
        report.events = to_frame(records, locate)


def log_updated(meta: dict, events: pd.DataFrame) -> str | None:
    """Last update of a log, for the data version on exports: meta.updated, else the newest
    added/updated date of its events."""
    if meta.get("updated"):
        return str(meta["updated"])
    stamps = [s for s in list(events["updated"]) + list(events["added"]) if s]
    return max(stamps) if stamps else None


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
