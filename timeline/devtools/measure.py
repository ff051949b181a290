"""The benchmark's load measurements, each run in a fresh process: `python -m timeline.devtools.measure`.

A fresh process per measurement makes the peak resident size that of one load alone. Besides the
`timeline` package itself (as any user of the library), this module imports only the standard
library: the peak is the library's own, not the benchmark's.
"""
from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path


def time_json_loads(path: str, repeat: int) -> float:
    """The floor: best time of json.loads of the same events as JSON (collector paused, as ours)."""
    best = float("inf")
    for _ in range(repeat):
        data = Path(path).read_bytes()
        gc.disable()
        start = time.perf_counter()
        json.loads(data)
        best = min(best, time.perf_counter() - start)
        gc.enable()
    return best


def time_cold_load(path: str, cache: str | None) -> float:
    """One load with nothing cached yet (writing the cache into `cache`, if given)."""
    from ..load import read_log

    start = time.perf_counter()
    report = read_log(path, cache=cache or False)
    took = time.perf_counter() - start
    if not report.ok:
        raise RuntimeError(f"{path} is not a valid log")
    return took


def time_warm_load(path: str, cache: str, repeat: int, events: int) -> float:
    """Best of `repeat` loads from the cache, one log in memory at a time (so the peak is that of one)."""
    from ..load import read_log

    best, report = float("inf"), None
    for _ in range(repeat):
        report = None
        gc.collect()
        start = time.perf_counter()
        report = read_log(path, cache=cache)
        best = min(best, time.perf_counter() - start)
    if not (report.ok and len(report.events) == events):
        raise RuntimeError(f"{path}: expected {events} valid events from the cache")
    return best


def _peak_mb() -> float:
    """This process's peak resident size (VmHWM; ru_maxrss would carry the parent's across exec)."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM")) / 1024


def main(argv: list[str] | None = None) -> None:
    """`python -m timeline.devtools.measure MEASURE ...`: print {"s": seconds, "peak_mb": MB} as JSON."""
    parser = argparse.ArgumentParser(prog="python -m timeline.devtools.measure",
                                     description="one benchmark measurement in a fresh process")
    sub = parser.add_subparsers(dest="measure", required=True)
    p = sub.add_parser("json-loads")
    p.add_argument("path")
    p.add_argument("--repeat", type=int, default=1)
    p = sub.add_parser("cold-load")
    p.add_argument("path")
    p.add_argument("--cache", help="cache folder to write (default: no cache)")
    p = sub.add_parser("warm-load")
    p.add_argument("path")
    p.add_argument("--cache", required=True)
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--events", type=int, required=True, help="how many events the log holds")
    args = parser.parse_args(argv)
    if args.measure == "json-loads":
        took = time_json_loads(args.path, args.repeat)
    elif args.measure == "cold-load":
        took = time_cold_load(args.path, args.cache)
    else:
        took = time_warm_load(args.path, args.cache, args.repeat, args.events)
    print(json.dumps({"s": took, "peak_mb": _peak_mb()}))


if __name__ == "__main__":
    main()
