"""The command line: `python -m timeline COMMAND`. A thin layer over the library.

Library exceptions become one-line errors that say what to do next; exit codes are 0 (ok),
1 (the log or the request has problems) and 2 (bad arguments).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from .load import InvalidLog, load_events, load_vocab, log_updated, read_log
from .export import FORMATS, TEMPLATES
from .query import FILTERS, GROUPS, Filters, filter_events
from .text import UI_LANGS, t
from .validate import errors, problems_json

_CHECKOUT = Path(__file__).resolve().parent.parent
# run from the repository: its curated log; installed (pip install .): events.yaml in the current folder
_IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "events.yaml").is_file()
DEFAULT_EVENTS = _CHECKOUT / "events.yaml" if _IN_CHECKOUT else Path("events.yaml")
_DEFAULT_TEXT = "the repository's events.yaml" if _IN_CHECKOUT else "events.yaml in the current folder"

EXAMPLES = {
    "validate": "python -m timeline validate events.yaml",
    "list": "python -m timeline list --country KP,RU --from 2025-06 --lang ja",
    "stats": "python -m timeline stats --theme japan-rok",
    "export": "python -m timeline export --format png --out briefing.png --country KR,JP --template slide",
    "diff": "python -m timeline diff old.yaml events.yaml",
    "outlook": "python -m timeline outlook --months 6 --lang ja",
    "stamp": "python -m timeline stamp events.yaml",
    "synth": "python -m timeline synth --events 10000 --seed 1 --out big.yaml",
    "bench": "python -m timeline bench --quick",
    "loadtest": "python -m timeline loadtest --clients 50 --seconds 60 --workers 4",
}


class UsageError(Exception):
    """Bad arguments: the message says what was wrong and what is accepted."""


def _csv_list(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return tuple(dict.fromkeys(out))


def add_filter_args(p: argparse.ArgumentParser) -> None:
    """One option per filter of the registry (the same names as the app's URL parameters)."""
    g = p.add_argument_group("filters")
    for spec in FILTERS:
        g.add_argument(spec.flag, dest=spec.name, **spec.cli_kwargs())


def filters_from_args(args, vocab, known_ids: set[str] | None = None) -> Filters:
    """Filters from the parsed options, read by the same parsers as URL parameters."""
    values, bad = {}, []
    for spec in FILTERS:
        given = getattr(args, spec.name, None)
        if isinstance(given, list):
            given = ",".join(_csv_list(given))
        if given in (None, "", spec.default):
            continue
        value, note = spec.parse(str(given), vocab, known_ids)
        if note:
            bad.append(f"{spec.flag} {given!r}: {note.text('en')} {spec.accepted(vocab)}")
        elif value not in (None, "", ()):
            values[spec.name] = value
    if bad:
        raise UsageError("; ".join(bad))
    return Filters(**values)


def _events(args):
    vocab = load_vocab()
    df = load_events(args.events, vocab)
    filters = filters_from_args(args, vocab, set(df["id"]))
    return vocab, df, filter_events(df, filters, vocab)


# -- commands -------------------------------------------------------------------------------------

def cmd_validate(args) -> int:
    vocab = load_vocab()
    paths = args.paths or [str(DEFAULT_EVENTS)]
    all_problems, total, failed = [], 0, False
    for path in paths:
        report = read_log(path, vocab)
        all_problems.extend(report.problems)
        if report.ok:
            total += len(report.events)
        else:
            failed = True
    if args.json:
        print(problems_json(all_problems))
        return 1 if failed else 0
    for p in all_problems:
        print(p.format())
    errs = errors(all_problems)
    warns = len(all_problems) - len(errs)
    if failed:
        print(f"{len(errs)} error(s), {warns} warning(s) in {len(paths)} file(s)")
        return 1
    print(f"OK: {total} events" + (f" ({warns} warning(s))" if warns else ""))
    return 0


def cmd_list(args) -> int:
    from . import export, tables

    vocab, _, df = _events(args)
    if args.format == "csv":
        sys.stdout.write(export.csv_text(df))  # one row per event, both languages
    elif args.format == "json":
        rows = tables.chronology(df, vocab, args.lang)
        print(json.dumps(rows.to_dict(orient="records"), ensure_ascii=False, indent=2))
    else:
        rows = tables.chronology(df, vocab, args.lang, with_summary=False)
        _print_table(rows[["date", "title", "countries", "type", "importance"]], args.lang)
        print("\n" + t("events_count", args.lang, n=len(df)))
    return 0


def cmd_stats(args) -> int:
    from . import tables

    vocab, _, df = _events(args)
    counts = tables.stats(df, vocab, args.lang)
    print(f"{len(df)} events")
    for name, series in counts.items():
        print(f"\nby {name}:")
        for key, value in series.items():
            print(f"  {key:<40} {value:>5}")
    return 0


def cmd_export(args) -> int:
    from . import export

    try:
        export.check_output(args.out)  # before any work: a bad --out is known at once
    except export.OutputError as exc:
        raise UsageError(str(exc))
    vocab = load_vocab()
    report = read_log(args.events, vocab)
    if not report.ok:
        raise InvalidLog(report.problems)
    filters = filters_from_args(args, vocab, set(report.events["id"]))
    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UsageError(f"--date {args.date!r}: use YYYY-MM-DD")
    briefing = export.Briefing(filter_events(report.events, filters, vocab), vocab, filters, args.lang, args.title, date,
                               log_size=len(report.events), log_updated=log_updated(report.meta, report.events),
                               group=args.group)
    try:
        data = export.export_bytes(briefing, args.format, args.template)
    except export.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        export.write_output(args.out, data)
    except export.OutputError as exc:
        raise UsageError(str(exc))
    print(f"wrote {args.out} ({len(briefing.df)} events, {len(data):,} bytes)")
    return 0


def cmd_diff(args) -> int:
    from . import history

    try:
        if args.since:
            new = args.old or args.events
            d = history.compare_files(history.log_at_revision(new, args.since), new)
        else:
            if not (args.old and args.new):
                raise UsageError("give two files (diff OLD NEW) or --since REV")
            d = history.compare_files(args.old, args.new)
    except ValueError as exc:
        raise UsageError(str(exc))
    if args.format == "json":
        print(json.dumps({"added": list(d.added["id"]), "removed": list(d.removed["id"]), "changed": d.changed},
                         ensure_ascii=False, indent=2))
    else:
        print(history.format_diff(d, args.lang))
    return 0


def cmd_outlook(args) -> int:
    from . import tables
    from .outlook import outlook_events, stale_planned

    vocab, df, _ = _events(args)
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    ahead = outlook_events(df, today, args.months, filters_from_args(args, vocab))
    rows = tables.chronology(ahead, vocab, args.lang, with_summary=False)
    print(t("cli.outlook_head", args.lang, months=args.months, today=today))
    _print_table(rows[["date", "title", "countries", "status"]], args.lang)
    stale = stale_planned(df, today)
    if len(stale):
        print("\n" + t("cli.stale_head", args.lang, n=len(stale)))
        for r in tables.chronology(stale, vocab, args.lang).itertuples(index=False):
            print(f"  {r.date}  {r.title}  [{r.id}]")
    return 0


def cmd_stamp(args) -> int:
    from . import history

    try:
        dates = history.history_dates(args.path)
    except Exception as exc:  # not a git checkout, file not tracked, git missing
        raise UsageError(f"cannot read the git history of {args.path}: {exc}")
    count = history.stamp_events(args.path, dates)
    report = read_log(args.path, cache=False)
    print(f"stamped {count} event(s) in {args.path}" + ("" if report.ok else " — but the file now has problems:"))
    for p in report.problems:
        print(p.format())
    return 0 if report.ok else 1


def cmd_synth(args) -> int:
    from .devtools.synth import synth_log

    if args.events < 1:
        raise UsageError("--events must be at least 1")
    Path(args.out).write_text(synth_log(args.events, args.seed, load_vocab()), encoding="utf-8")
    print(f"wrote {args.out} ({args.events} events, seed {args.seed})")
    return 0


def cmd_bench(args) -> int:
    from .devtools import bench

    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        raise UsageError(f"--sizes {args.sizes!r}: use comma-separated whole numbers, e.g. 1000,10000")
    result = bench.run(sizes, args.quick, args.peers, args.json, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(bench.format_table(result))
    return 0


def cmd_loadtest(args) -> int:
    from .devtools import loadtest, serving

    if not serving.APP.is_file():
        raise UsageError("the load test serves app.py (gunicorn app:server): run it from the repository")
    if not (1 <= args.clients <= 500 and 1 <= args.seconds <= 600):
        raise UsageError("--clients 1..500 and --seconds 1..600 (the run is bounded)")
    if not (0 <= args.exports <= 200 and 1 <= args.threads <= 64):
        raise UsageError("--exports 0..200 and --threads 1..64")
    result = loadtest.run(Path(args.events), args.workers, args.clients, args.seconds,
                          log=lambda m: print(m, file=sys.stderr, flush=True), exports=args.exports,
                          threads=args.threads)
    print(loadtest.format_result(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


def _print_table(rows, lang: str) -> None:
    import unicodedata

    from .tables import header

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    cols = list(rows.columns)
    head = [header(c, lang) for c in cols]
    data = [[str(v) for v in r] for r in rows.itertuples(index=False)]
    limits = {"title": 60, "countries": 30}
    for r in data:
        for i, c in enumerate(cols):
            lim = limits.get(c)
            if lim and width(r[i]) > lim:
                cut = r[i]
                while width(cut) > lim - 1:
                    cut = cut[:-1]
                r[i] = cut + "…"
    widths = [max([width(h)] + [width(r[i]) for r in data]) for i, h in enumerate(head)]
    pad = lambda s, w: s + " " * (w - width(s))  # noqa: E731
    print("  ".join(pad(h, w) for h, w in zip(head, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in data:
        print("  ".join(pad(s, w) for s, w in zip(r, widths)).rstrip())


# -- the parser -----------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m timeline",
        description="Korean Peninsula event timeline: validate, list, count and export a curated YAML log.",
        epilog="Examples:\n  " + "\n  ".join(EXAMPLES.values()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=f"Example:\n  {EXAMPLES[name]}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        return p

    p = command("validate", "check one or more logs; print every problem with its location and code")
    p.add_argument("paths", nargs="*", metavar="PATH", help=f"log files (default: {_DEFAULT_TEXT})")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(func=cmd_validate)

    p = command("list", "print the filtered events, date-sorted")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.set_defaults(func=cmd_list)

    p = command("stats", "count the filtered events by month, country, theme and type")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.set_defaults(func=cmd_stats)

    p = command("export", "export the filtered events as a briefing chart, table or slide pack")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="FILE", help="where to write (the folder must exist; written atomically, nothing is left on failure)")
    p.add_argument("--template", choices=tuple(TEMPLATES), default="slide", help="chart size: slide (16:9), a4, square")
    p.add_argument("--title", help="chart title (default: generated from the filters)")
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.add_argument("--group", choices=GROUPS, default="country", help="timeline lanes")
    p.add_argument("--date", help="generation date printed on the export, YYYY-MM-DD (default: today)")
    p.set_defaults(func=cmd_export)

    p = command("diff", "what changed between two versions of the log: events added, removed and changed")
    p.add_argument("old", nargs="?", metavar="OLD", help="the older log file (with --since: the log to compare)")
    p.add_argument("new", nargs="?", metavar="NEW", help="the newer log file")
    p.add_argument("--since", metavar="REV", help="compare the log with its version at a git revision")
    _events_arg(p)
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_diff)

    p = command("outlook", "planned and expected events ahead, and planned events whose date has passed")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--months", type=int, default=12, help="how far ahead (default 12)")
    p.add_argument("--today", metavar="DATE", help="pretend today is DATE (YYYY-MM-DD)")
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.set_defaults(func=cmd_outlook)

    p = command("synth", "write a valid synthetic log of N realistic events (deterministic for a seed)")
    p.add_argument("--events", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--out", required=True, metavar="FILE")
    p.set_defaults(func=cmd_synth)

    p = command("bench", "measure load, filter, figure, callback, export and browser times against targets")
    p.add_argument("--sizes", default="1000,10000,100000", help="comma-separated event counts")
    p.add_argument("--quick", action="store_true", help="one repetition instead of the best of three")
    p.add_argument("--peers", action="store_true", help="also time vis-timeline and TimelineJS (npm) on the same data")
    p.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    p.set_defaults(func=cmd_bench)

    p = command("loadtest", "bounded load test: gunicorn on loopback, concurrent filter requests, p50/p95")
    _events_arg(p)
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--seconds", type=float, default=60, help="duration (default 60)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads per worker (gthread workers when over 1, as for a team server; default 1)")
    p.add_argument("--exports", type=int, default=0, metavar="N",
                   help="also N clients asking for PNG exports, and the page's GET / latency meanwhile")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.set_defaults(func=cmd_loadtest)

    p = command("stamp", "fill each event's added/updated dates from the git history of the log")
    p.add_argument("path", nargs="?", default=str(DEFAULT_EVENTS), metavar="PATH")
    p.set_defaults(func=cmd_stamp)
    return parser


def _events_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--events", default=str(DEFAULT_EVENTS), metavar="PATH",
                   help=f"the log to read (default: {_DEFAULT_TEXT})")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except InvalidLog as exc:
        print(f"error: {exc}\nRun `python -m timeline validate` for the full list.", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
