"""The command line: `python -m timeline COMMAND`. A thin layer over the library.

Library exceptions become one-line errors that say what to do next; exit codes are 0 (ok),
1 (the log or the request has problems) and 2 (bad arguments).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from .export import ALL_FORMATS, CHARTS, DOCUMENT_TEMPLATES, TEMPLATES
from .labels import COUNTS
from .load import (
    PERIODS_PATH,
    InvalidLog,
    is_periods_file,
    load_events,
    load_periods,
    load_vocab,
    parse_log,
    read_log,
    read_periods,
    read_text,
)
from .model import PartialDate
from .query import FILTERS, GROUPS, MAX_LABELS, Filters, filter_events, rank_events
from .text import UI_LANGS, t
from .validate import errors, github_annotation, likely_duplicates, problems_json

_CHECKOUT = Path(__file__).resolve().parent.parent
# run from the repository: its curated log; installed (pip install .): events.yaml in the current folder
_IN_CHECKOUT = (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "events.yaml").is_file()
DEFAULT_EVENTS = _CHECKOUT / "events.yaml" if _IN_CHECKOUT else Path("events.yaml")
_DEFAULT_TEXT = "the repository's events.yaml" if _IN_CHECKOUT else "events.yaml in the current folder"

EXAMPLES = {
    "validate": "python -m timeline validate events.yaml",
    "list": "python -m timeline list --country KP,RU --from 2025-06 --lang ja",
    "stats": "python -m timeline stats --theme japan-rok",
    "export": "python -m timeline export --format png --out briefing.png --country KR,JP --template slide\n  "
              "python -m timeline export --format docx --out briefing.docx --country KP,RU --from 2025-06 "
              "--since 2026-11-01 --lang ja",
    "diff": "python -m timeline diff old.yaml events.yaml",
    "outlook": "python -m timeline outlook --months 6 --lang ja",
    "stamp": "python -m timeline stamp events.yaml",
    "synth": "python -m timeline synth --events 10000 --seed 1 --out big.yaml",
    "bench": "python -m timeline bench --quick",
    "loadtest": "python -m timeline loadtest --clients 50 --seconds 60 --workers 4",
    "schema": "python -m timeline schema --out schema/events.schema.json",
    "links": "python -m timeline links --check --workers 8",
    "import": "python -m timeline import edited.xlsx --dry-run",
    "new": "python -m timeline new --date 2026-11-20 --title \"Japan and ROK hold security talks\" --country JP,KR "
           "--url https://example.org/article",
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
    paths = args.paths or [str(DEFAULT_EVENTS), str(PERIODS_PATH)]
    all_problems, total, periods, failed = [], 0, 0, False
    for path in paths:
        if is_periods_file(path):
            preport = read_periods(path, vocab)
            all_problems.extend(preport.problems)
            periods += len(preport.periods or ())
            failed = failed or not preport.ok
            continue
        report = read_log(path, vocab)
        all_problems.extend(report.problems)
        if report.ok:
            total += len(report.events)
            all_problems.extend(likely_duplicates(report.events, str(path)))
        else:
            failed = True
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print(problems_json(all_problems))
        return 1 if failed else 0
    for p in all_problems:
        print(github_annotation(p) if fmt == "github" else p.format())
    errs = errors(all_problems)
    warns = len(all_problems) - len(errs)
    if failed:
        print(f"{len(errs)} error(s), {warns} warning(s) in {len(paths)} file(s)")
        return 1
    counted = f"OK: {total} events" + (f", {periods} periods" if periods else "")
    print(counted + (f" ({warns} warning(s))" if warns else ""))
    return 0


def cmd_list(args) -> int:
    from . import export, tables

    vocab, _, df = _events(args)
    if (args.sort or ("relevance" if args.query else "date")) == "relevance":
        df = rank_events(df, args.query or "", vocab)
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
    from .outlook import coverage_of

    vocab = load_vocab()
    report = read_log(args.events, vocab)
    if not report.ok:
        raise InvalidLog(report.problems)
    df = filter_events(report.events, filters_from_args(args, vocab, set(report.events["id"])), vocab)
    counts = tables.stats(df, vocab, args.lang)
    coverage = coverage_of(report.meta, report.events)
    print(t("cli.stats_head", args.lang, n=len(df)))
    if coverage.through:
        key = "cli.through" if coverage.stated else "cli.through_latest"
        print(t(key, args.lang, date=coverage.label(args.lang)))
    print(t("cli.past_due", args.lang, n=coverage.past_due))
    for name, series in counts.items():
        print("\n" + t(f"cli.stats_by_{name}", args.lang))
        for key, value in series.items():
            print(f"  {key:<40} {value:>5}")
    return 0


def cmd_export(args) -> int:
    from . import export, outputs

    try:
        export.check_output(args.out)  # before any work: a bad --out is known at once
    except export.OutputError as exc:
        raise UsageError(str(exc)) from None
    vocab = load_vocab()
    report = read_log(args.events, vocab)
    if not report.ok:
        raise InvalidLog(report.problems)
    filters = filters_from_args(args, vocab, set(report.events["id"]))
    try:
        date = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UsageError(f"--date {args.date!r}: use YYYY-MM-DD") from None
    if args.since and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.since):
        raise UsageError(f"--since {args.since!r}: use YYYY-MM-DD")
    if args.template in DOCUMENT_TEMPLATES and args.format != "pdf":
        raise UsageError(f"--template {args.template} prints a document: use it with --format pdf")
    known = set(report.events["id"])
    forced = _csv_list(args.label)
    unknown = [i for i in forced if i not in known]
    if unknown:
        raise UsageError(f"--label {', '.join(unknown)}: no event with this id (see `list --format csv` for ids)")
    if args.labels is not None and not 0 <= args.labels <= MAX_LABELS:
        raise UsageError(f"--labels {args.labels}: use 0 (no labels) to {MAX_LABELS}")
    briefing = export.Briefing(filter_events(report.events, filters, vocab), vocab, filters, args.lang, args.title,
                               date,
                               group=args.group, **export.log_facts(report.meta, report.events, args.lang, date),
                               include_past=args.past, labels=args.labels, label_ids=forced,
                               periods=list(load_periods(args.periods)) if args.bands else None,
                               compare_to=_compare_window(args.compare_to), log=report.events,
                               since=args.since, all_events=args.all)
    try:
        data = outputs.export_bytes(briefing, args.format, args.template, chart=args.chart)
    except export.ExportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        export.write_output(args.out, data)
    except export.OutputError as exc:
        raise UsageError(str(exc)) from None
    print(f"wrote {args.out} ({len(briefing.df)} events, {len(data):,} bytes)")
    return 0


def _compare_window(raw: str | None) -> tuple[str, str] | None:
    """`--compare-to FROM..TO` (partial dates allowed: 2024-06..2024-11)."""
    if not raw:
        return None
    lo, sep, hi = raw.partition("..")
    try:
        if not sep:
            raise ValueError(raw)
        PartialDate.parse(lo)
        PartialDate.parse(hi)
    except ValueError:
        raise UsageError(f"--compare-to {raw!r}: use FROM..TO, e.g. 2024-06..2024-11") from None
    return lo, hi


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
        raise UsageError(str(exc)) from None
    if args.format == "json":
        print(json.dumps({"added": list(d.added["id"]), "removed": list(d.removed["id"]), "changed": d.changed},
                         ensure_ascii=False, indent=2))
    else:
        print(history.format_diff(d, args.lang))
    return 0


def cmd_outlook(args) -> int:
    from . import tables
    from .model import UNCONFIRMED
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
    unconfirmed = df[df["status"] == UNCONFIRMED]
    if len(unconfirmed):
        print("\n" + t("cli.unconfirmed_head", args.lang, n=len(unconfirmed)))
        for r in tables.chronology(unconfirmed, vocab, args.lang).itertuples(index=False):
            print(f"  {r.date}  {r.title}  [{r.id}]")
    return 0


def cmd_stamp(args) -> int:
    from . import history

    try:
        dates = history.history_dates(args.path)
    except Exception as exc:  # not a git checkout, file not tracked, git missing
        raise UsageError(f"cannot read the git history of {args.path}: {exc}") from None
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
        raise UsageError(f"--sizes {args.sizes!r}: use comma-separated whole numbers, e.g. 1000,10000") from None
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


def cmd_schema(args) -> int:
    from .schema import SCHEMA_PATH, schema_text

    text = schema_text(load_vocab())
    if args.check:
        path = Path(args.out or SCHEMA_PATH)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date with timeline/model.py and timeline/vocab.yaml; regenerate it with "
                  f"`{EXAMPLES['schema']}`", file=sys.stderr)
            return 1
        print(f"{path} is up to date")
    elif args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return 0


def _today(args) -> dt.date:
    try:
        return dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        raise UsageError(f"--today {args.today!r}: use YYYY-MM-DD") from None


def write_log(path: Path, text: str) -> None:
    """Replace the log in one step: a concurrent reader (the app's live reload) sees old or new, never half."""
    tmp = path.with_name(f".{path.name}.new")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


def cmd_new(args) -> int:
    from . import logedit
    from .fetch import FetchError, fetch_page, page_metadata
    from .scaffold import Draft, date_quote, event_id, scaffold_block

    path, today = Path(args.events), _today(args)
    text = path.read_text(encoding="utf-8")
    source = {}
    if args.url:
        try:
            _, html = fetch_page(args.url, timeout=args.timeout)
        except FetchError as exc:
            raise UsageError(f"{exc}; nothing was written (fill the source in by hand or retry)") from None
        source = {**page_metadata(html), "url": args.url}
    draft = Draft(date=args.date or today.isoformat(), slug=args.slug or "", title_en=args.title or "",
                  title_ja=args.title_ja or "", countries=_csv_list(args.country), themes=_csv_list(args.theme),
                  type=args.type, importance=args.importance, status=args.status or "", source=source)
    try:
        eid = event_id(draft)
        block = scaffold_block(draft, load_vocab(), today, date_quote(text))
        new_text = logedit.insert_event(text, block, draft.date)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if re.search(rf"^\s*-?\s*id: ['\"]?{re.escape(eid)}['\"]?\s*$", text, re.M):
        raise UsageError(f'id "{eid}" is already in {path}; choose another --slug')
    if args.dry_run:
        sys.stdout.write(block)
        return 0
    problems = errors(read_text(new_text, str(path), load_vocab()).problems)
    if problems:
        for p in problems:
            print(p.format())
        print(f"the new event would leave {path} with {len(problems)} error(s); nothing was written", file=sys.stderr)
        return 1
    write_log(path, new_text)
    print(f"added {eid} to {path} (line {new_text[:new_text.index('id: ' + eid)].count(chr(10)) + 1}); "
          f"replace the TODO text, delete the `# ...` lines of choices, then run `python -m timeline validate {path}`")
    return 0


def cmd_links(args) -> int:
    from .tables import cited_urls

    _, _, df = _events(args)
    urls = cited_urls(df)
    if not args.check:
        for eid, sources in zip(df["id"], df["sources"], strict=True):
            print(eid)
            for s in sources:
                if s.get("url"):
                    print(f"  {s['url']}" + (f"  (archived: {s['archived']})" if s.get("archived") else ""))
        print(f"{sum(map(len, urls.values()))} citation(s) of {len(urls)} URL(s) in {len(df)} event(s)")
        return 0
    from .fetch import check_links

    if not (1 <= args.workers <= 32 and 0 < args.timeout <= 120):
        raise UsageError("--workers 1..32 and --timeout up to 120 seconds")
    archived = {s["url"]: s["archived"] for ss in df["sources"] for s in ss if s.get("url") and s.get("archived")}
    results = check_links(list(urls), args.workers, args.timeout)
    broken = [r for r in results.values() if not r.ok]
    moved = [r for r in results.values() if r.ok and r.redirected]
    for r in broken:
        print(f"BROKEN  {r.url}  {r.error}" + (f" (after redirect to {r.final_url})" if r.redirected else ""))
        print(f"        cited by: {', '.join(urls[r.url])}"
              + (f"; archived copy: {archived[r.url]}" if r.url in archived else "; no archived copy"))
    for r in moved:
        print(f"MOVED   {r.url}  -> {r.final_url}  (cited by: {', '.join(urls[r.url])})")
    print(f"checked {len(results)} URL(s): {len(results) - len(broken)} answer, {len(moved)} redirected, "
          f"{len(broken)} broken")
    return 1 if broken else 0


def cmd_import(args) -> int:
    from . import history, spreadsheet

    vocab, path, today = load_vocab(), Path(args.events), _today(args)
    report = read_log(path, vocab, cache=False)
    if not report.ok:
        raise InvalidLog(report.problems)
    text = path.read_text(encoding="utf-8")
    records, *_ = parse_log(text.encode("utf-8"), str(path))
    try:
        table = spreadsheet.read_table(args.file)
        plan = spreadsheet.plan_import(table, records, report.events, vocab)
        new_text = spreadsheet.apply_plan(text, plan, today)
    except (spreadsheet.TableError, ValueError, KeyError) as exc:
        raise UsageError(str(exc).strip('"')) from None
    checked = read_text(new_text, str(path), vocab)
    problems = plan.problems + [spreadsheet.locate(p, plan, table, vocab) for p in errors(checked.problems)]
    if problems:
        for p in sorted(problems, key=lambda p: p.row):
            print(p.format())
        print(f"{len(problems)} problem(s) in {args.file}; nothing was written", file=sys.stderr)
        return 1
    print(history.format_diff(history.diff_logs(report.events, checked.events), args.lang))
    if args.dry_run or new_text == text:
        print("(dry run: nothing was written)" if args.dry_run else "nothing to import")
        return 0
    write_log(path, new_text)
    print(f"wrote {path}: {len(plan.added)} added, {len(plan.changed)} changed")
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
    print("  ".join(pad(h, w) for h, w in zip(head, widths, strict=False)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in data:
        print("  ".join(pad(s, w) for s, w in zip(r, widths, strict=False)).rstrip())


# -- the parser -----------------------------------------------------------------------------------

def _prog() -> str:
    """How the user called us: `timeline` once installed, `python -m timeline` from a checkout."""
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "timeline" if name == "timeline" else "python -m timeline"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_prog(),
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
    p.add_argument("--json", action="store_true", help="print the problems as JSON (same as --format json)")
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="github: annotations (::error file=…,line=…::…) that GitHub Actions shows on the diff")
    p.set_defaults(func=cmd_validate)

    p = command("list", "print the filtered events: date-sorted, or by relevance to --query")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--sort", choices=("date", "relevance"),
                   help="relevance (the default with --query): the query found in a title first, then in a "
                        "summary, then elsewhere; ties by importance, then the newest; date (the default otherwise)")
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
    p.add_argument("--format", required=True, choices=ALL_FORMATS)
    p.add_argument("--out", required=True, metavar="FILE",
                   help="where to write (the folder must exist; written atomically, nothing is left on failure)")
    p.add_argument("--template", choices=tuple(TEMPLATES) + DOCUMENT_TEMPLATES, default="slide",
                   help="chart size: slide (16:9), a4, square; a4-chronology (with --format pdf): the A4 briefing "
                        "document (digest, chart, chronology, sources)")
    p.add_argument("--title", help="chart title (default: generated from the filters)")
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.add_argument("--group", choices=GROUPS, default="country", help="timeline lanes")
    p.add_argument("--date", help="generation date printed on the export, YYYY-MM-DD (default: today)")
    p.add_argument("--past", action="store_true",
                   help="ics: every event of the view, not only planned ones from --date on")
    g = p.add_argument_group("charts (png, svg, pdf, pptx)")
    g.add_argument("--labels", type=int, metavar="N",
                   help="label the N key events (importance, then recency) with date and short title; 0 for none "
                        f"(default: as many as the template holds: {', '.join(f'{k} {v}' for k, v in COUNTS.items())})")
    g.add_argument("--label", action="append", metavar="ID",
                   help="always label this event (repeatable or comma-separated)")
    g.add_argument("--bands", action=argparse.BooleanOptionalAction, default=True,
                   help="context bands: who governs in Seoul, Tokyo and Washington, and US–ROK exercise windows "
                        "(default: on; --no-bands to leave them out)")
    g.add_argument("--periods", default=str(PERIODS_PATH), metavar="PATH", help="the context periods file")
    g.add_argument("--chart", choices=CHARTS, default="timeline",
                   help="timeline (default), or compare: this window against the one before it")
    g.add_argument("--compare-to", metavar="FROM..TO",
                   help="the earlier window for --chart compare (default: the same length just before)")
    p.add_argument("--since", metavar="DATE", help="digest, docx, PDF and slides list the events added since DATE "
                                                   "(YYYY-MM-DD)")
    p.add_argument("--all", action="store_true", help="slide chronology of every event (default: importance 2 and 3)")
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

    _curation_commands(command)
    return parser


def _curation_commands(command) -> None:
    """The commands that add to and maintain the log: schema, new, links, import."""
    p = command("schema", "write the JSON Schema of the log (editors complete and check events.yaml with it)")
    p.add_argument("--out", metavar="FILE", help="where to write (default: print it)")
    p.add_argument("--check", action="store_true", help="exit 1 if FILE (default: the committed schema) is stale")
    p.set_defaults(func=cmd_schema)

    p = command("new", "add a new event to the log at its place by date, with TODO text and the vocabulary as comments")
    _events_arg(p)
    p.add_argument("--date", help="the event's date, YYYY, YYYY-MM or YYYY-MM-DD (default: today)")
    p.add_argument("--slug", help="a few English words for the id (default: from --title or the page's title)")
    p.add_argument("--title", help="English headline")
    p.add_argument("--title-ja", dest="title_ja", help="Japanese headline")
    p.add_argument("--country", action="append", metavar="CODES", help="countries, e.g. JP,KR")
    p.add_argument("--theme", action="append", metavar="IDS", help="themes, the primary first")
    p.add_argument("--type", default="other", help="event type (default: other)")
    p.add_argument("--importance", type=int, default=1, choices=(1, 2, 3), help="1 routine, 2 notable, 3 major")
    p.add_argument("--status", help="default: occurred, or scheduled for a future date")
    p.add_argument("--url", help="fetch this page and fill in the source (title, publisher, published date)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for --url (default 15)")
    p.add_argument("--today", metavar="DATE", help="pretend today is DATE (YYYY-MM-DD), for `added`")
    p.add_argument("--dry-run", action="store_true", help="print the new event instead of writing it")
    p.set_defaults(func=cmd_new)

    p = command("links", "list every source URL by event; with --check, find broken and moved links")
    _events_arg(p)
    add_filter_args(p)
    p.add_argument("--check", action="store_true", help="request every URL (HEAD, then GET) and report the broken")
    p.add_argument("--workers", type=int, default=8, help="URLs checked at once (default 8)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default 15)")
    p.set_defaults(func=cmd_links)

    p = command("import", "apply a spreadsheet (an edited export, .xlsx or .csv) to the log, keyed by id")
    p.add_argument("file", metavar="FILE", help="an .xlsx or .csv file in the layout of `export --format xlsx|csv`")
    _events_arg(p)
    p.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
    p.add_argument("--today", metavar="DATE", help="pretend today is DATE (YYYY-MM-DD), for `added`")
    p.add_argument("--lang", choices=UI_LANGS, default="en")
    p.set_defaults(func=cmd_import)


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
