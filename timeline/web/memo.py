"""A memo bounded in entries and in bytes: functools.lru_cache counts entries only, and one rendered
view of a big log holds megabytes, so 64 of them could hold gigabytes in every worker."""
from __future__ import annotations

import collections
import functools
import os
import threading
from collections.abc import Callable

MAX_BYTES = int(float(os.environ.get("TIMELINE_VIEW_MEMO_MB", 256)) * 1024 * 1024)


def bounded(max_entries: int, max_bytes: int, weigh: Callable[[object], int]):
    """Memoise a function of hashable arguments, least recently used first out, keeping at most
    `max_entries` results whose `weigh`ed sizes add up to at most `max_bytes` (a result heavier than
    that on its own is returned, not kept). Like lru_cache, two threads may compute the same key once
    each; the memo stays consistent."""

    def decorate(func):
        entries: collections.OrderedDict = collections.OrderedDict()
        lock = threading.Lock()
        total = [0]

        @functools.wraps(func)
        def wrapper(*args):
            with lock:
                if args in entries:
                    entries.move_to_end(args)
                    return entries[args][0]
            value = func(*args)
            size = weigh(value)
            if size > max_bytes:
                return value
            with lock:
                if args not in entries:
                    entries[args] = (value, size)
                    total[0] += size
                while entries and (len(entries) > max_entries or total[0] > max_bytes):
                    _, (_, old) = entries.popitem(last=False)
                    total[0] -= old
            return value

        def info() -> dict:
            with lock:
                return {"entries": len(entries), "bytes": total[0]}

        def clear() -> None:
            with lock:
                entries.clear()
                total[0] = 0

        wrapper.info, wrapper.cache_clear = info, clear
        return wrapper

    return decorate
