"""The disk cache of validated logs, keyed by the file's content hash (so it is never stale).

A changed file has another hash and is always re-validated; a damaged or foreign cache file is
deleted and rebuilt, never trusted. Writes are atomic, so concurrent loaders never see half a file.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import pandas as pd

from .frame import COLUMNS
from .model import Vocabulary
from .validate import Problem

VERSION = "3"  # bump when what is cached changes shape

Entry = tuple[pd.DataFrame, list[Problem], dict]  # events, problems, meta


def cache_dir() -> Path:
    """Where cached logs go: $TIMELINE_CACHE_DIR, else ~/.cache/korea-timeline."""
    return Path(os.environ.get("TIMELINE_CACHE_DIR") or Path.home() / ".cache" / "korea-timeline")


def cache_file(cache: bool | str | Path, digest: str, vocab: Vocabulary, today: dt.date) -> Path | None:
    """The cache file of a log with content `digest` (None: no caching). `cache` is True (the
    default folder), False (off) or a folder. Validation depends on the vocabularies and on today
    (stale planned events), so both are part of the key."""
    folder = _folder(cache)
    if folder is None:
        return None
    vocab_key = hashlib.blake2b(repr(vocab).encode(), digest_size=8).hexdigest()
    return folder / f"log-{digest}-{vocab_key}-{today.isoformat()}-v{VERSION}.pkl"


def _folder(cache: bool | str | Path) -> Path | None:
    if cache is False or os.environ.get("TIMELINE_NO_CACHE"):
        return None
    return cache_dir() if cache is True else Path(cache)


def _pointer(folder: Path, log_path: str) -> Path:
    key = hashlib.blake2b(os.path.abspath(log_path).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return folder / f"last-good-{key}.txt"


def remember_good(log_path: str, entry_file: Path | None, digest: str) -> None:
    """Note that `entry_file` holds the last valid version of the log at `log_path` (content `digest`),
    so a process that starts while the file is invalid can still serve it (see `last_good`)."""
    if entry_file is None:
        return
    pointer = _pointer(entry_file.parent, log_path)
    line = f"{digest} {entry_file.name}"
    try:
        if pointer.exists() and pointer.read_text(encoding="utf-8") == line:
            return
        fd, tmp = tempfile.mkstemp(dir=entry_file.parent, prefix=".tmp-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(line)
        os.replace(tmp, pointer)
    except OSError:
        pass


def last_good(cache: bool | str | Path, log_path: str) -> tuple[Entry, str] | None:
    """The last valid (events, problems, meta) seen of the log at `log_path`, and its digest; None if none."""
    folder = _folder(cache)
    if folder is None:
        return None
    try:
        digest, name = _pointer(folder, log_path).read_text(encoding="utf-8").split(" ", 1)
    except (OSError, ValueError):
        return None
    if "/" in name or not name.startswith(f"log-{digest}-"):  # only our own entries, in our folder
        return None
    entry = read_cached(folder / name, log_path)
    return (entry, digest) if entry is not None else None


def read_cached(path: Path | None, log_path: str) -> Entry | None:
    """The cached (events, problems, meta) of the log at `log_path`, or None when there is none."""
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
    except Exception:  # a corrupted or foreign cache file is ignored and rebuilt, never trusted
        try:
            path.unlink()
        except OSError:
            pass
        return None
    return events, [_relocate(p, log_path) for p in problems], meta


def write_cached(path: Path | None, value: Entry) -> None:
    """Store (events, problems, meta); failures are ignored (the cache is only an optimisation)."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pkl")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one, never half
    except OSError:
        pass  # a read-only home must not break loading


def _relocate(problem: Problem, path: str) -> Problem:
    """Cached problems carry the path of whoever wrote the cache; show the current one."""
    return Problem(problem.code, problem.message, path, problem.line, problem.col, problem.event_id,
                   problem.field) if problem.file != path else problem
