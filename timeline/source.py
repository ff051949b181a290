"""The live source the app serves: the last valid version of a log file, re-read when it changes.

Only the web app uses it (the command line reads a log once, with `load.read_log`).
"""
from __future__ import annotations

import dataclasses
import gc
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .frame import to_frame
from .load import last_good, load_vocab, read_log
from .model import Vocabulary
from .validate import Problem, errors


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
        """True when the file on disk is invalid and the last good events (if any) are being served."""
        return bool(errors(self.problems))

    @property
    def empty(self) -> bool:
        """True when no valid version of the file was ever seen: nothing is served but what to fix."""
        return not self.version


class LogSource:
    """Serves the last valid version of a log file, re-reading it when it changes on disk.

    A cheap stat (modification time and size) decides whether to re-read; the content hash
    decides whether anything really changed. An invalid new file never replaces good data: the
    last good events stay and `problems` says what is wrong, until the file is fixed.

    Starting never fails: when the file is invalid or unreadable, the last valid version any process
    read (kept in the disk cache) is served; with none at all, an empty log with the problems, until
    the file becomes valid (a gunicorn worker restarted while the log is half-saved must boot).
    """

    def __init__(self, path: str | Path, vocab: Vocabulary | None = None, min_interval: float = 0.5):
        self.path, self.vocab, self.min_interval = str(path), vocab or load_vocab(), min_interval
        self._lock = threading.Lock()
        self._stat: tuple | None = None
        self._checked = 0.0
        self._stat = self._stat_now()
        report = read_log(self.path, self.vocab)
        if report.ok:
            self._state = LogState(report.events, report.digest, report.problems, report.meta, self.path)
        else:
            good = last_good(self.path, self.vocab)
            events, version, meta = (good.events, good.digest, good.meta) if good else (to_frame([]), "", {})
            self._state = LogState(events, version, report.problems, meta, self.path)
        settle_heap()

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
                    settle_heap()
            else:  # the banner always says what is wrong with the file now
                self._state = dataclasses.replace(self._state, problems=report.problems)
            return self._state


def settle_heap() -> None:
    """Put what is alive now (the served events) in the collector's permanent generation.

    A served log is millions of long-lived objects; without this, every full collection walks them
    again: a pause of ~0.1 s at 100,000 events on whichever request is unlucky. Unfreezing first
    lets the collection free the previous log's cycles, so a reload leaks nothing.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
