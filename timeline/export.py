"""Briefing exports of exactly the plotted events: charts, tables and a slide pack.

The contract (tests hold it):
- templates: `slide` 16:9 (PNG 1920x1080 px), `a4` landscape (297x210 mm for PDF), `square`;
- every chart carries a title (generated from the filters unless given), a subtitle listing the
  active filters and date window, and a footer with the source line (publishers cited by the
  plotted events, shortened when long), the data version (event count, last update of the log)
  and the generation date;
- the same log, filters and `date` give byte-identical SVG, CSV and Markdown;
- PNG, SVG, PDF and PPTX need a Chromium (Kaleido); CSV, XLSX, Markdown and HTML never do.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import stat
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

from . import feeds, figures, labels
from .load import log_updated
from .model import PartialDate, Vocabulary
from .outlook import coverage_of
from .query import Filters, describe_filters, window
from .tables import chronology, header, publishers, source_line
from .text import join, t

FORMATS = ("png", "svg", "pdf", "html", "csv", "xlsx", "md", "ics", "timelinejs")   # made here
DOCUMENT_FORMATS = ("pptx", "digest", "docx")   # briefing documents, made by timeline.documents and .slides
ALL_FORMATS = FORMATS + DOCUMENT_FORMATS        # every format timeline.outputs makes
EXTENSIONS = {"timelinejs": "json", "digest": "md"}   # file name ending when it is not the format's name
DOCUMENT_TEMPLATES = ("a4-chronology",)   # PDF templates that print a document rather than a chart
CHARTS = ("timeline", "compare")     # what a PNG/SVG/PDF chart shows


@dataclass(frozen=True)
class Template:
    name: str
    width: int      # layout size in CSS px; fonts are sized for it
    height: int
    scale: float    # PNG pixels per layout px


TEMPLATES = {
    "slide": Template("slide", 1280, 720, 1.5),      # 1920x1080 PNG, 16:9
    "a4": Template("a4", 1123, 794, 2.0),            # 297x210 mm at 96 px/in
    "square": Template("square", 900, 900, 1.2),     # 1080x1080 PNG
}


class ExportError(Exception):
    """An export that cannot be made; the message says how to fix it."""


@dataclass
class Briefing:
    """What every export says about itself."""

    df: pd.DataFrame
    vocab: Vocabulary
    filters: Filters = field(default_factory=Filters)
    lang: str = "en"
    title: str | None = None
    date: dt.date | None = None          # generation date (fix it for reproducible output)
    log_size: int | None = None          # events in the whole log
    log_updated: str | None = None       # last update of the log
    group: str = "country"
    through: str | None = None           # the log's coverage: events through this date
    through_last: dt.date | None = None  # ... its last day (a digest running past it says so)
    past_due: int = 0                    # planned events of the log past their date, outcome not confirmed
    include_past: bool = False           # calendar (ics): also events that are over, not only what is ahead
    labels: int | None = None            # key events labelled on charts (None: as many as the template holds)
    label_ids: tuple[str, ...] = ()      # events always labelled
    periods: list | None = None          # context bands (load.load_periods); None or [] for none
    compare_to: tuple[str, str] | None = None   # the comparison's earlier window (default: the one before)
    log: pd.DataFrame | None = None      # the whole log (the digest and the comparison look around the view)
    since: str | None = None             # the digest lists events added since this date
    all_events: bool = False             # slide chronology of every event (default: importance 2 and 3)

    def __post_init__(self):
        self.date = self.date or dt.date.today()

    def heading(self) -> str:
        return self.title or default_title(self.filters, self.vocab, self.lang)

    def subtitle(self) -> str:
        return describe_filters(self.filters, self.vocab, self.lang, len(self.df))

    def footer(self, max_chars: int = 150) -> str:
        """Two lines: the publishers cited (shortened when long), then the data version and date."""
        lang = self.lang
        pubs = publishers(self.df)
        line, shown = "", 0
        for p in pubs:
            candidate = f"{line}, {p}" if line else p
            if len(candidate) > max_chars:
                break
            line, shown = candidate, shown + 1
        if shown < len(pubs):
            line += t("export.more", lang, n=len(pubs) - shown)
        sep, comma = t("sep", lang), t("export.fact_sep", lang)
        version = t("events_n", lang, n=self.log_size if self.log_size is not None else len(self.df))
        if self.through:
            version += f"{comma}{t('export.through', lang, date=self.through)}"
        if self.log_updated:
            version += f"{comma}{t('export.updated', lang, date=self.log_updated)}"
        if self.past_due:
            version += f"{comma}{t('export.past_due', lang, n=self.past_due)}"
        return (f"{t('export.sources', lang)}{sep}{line or '—'}<br>{t('export.data', lang)}{sep}{version} · "
                f"{t('export.generated', lang)}{sep}{self.date.isoformat()}")


def log_facts(meta: dict, events: pd.DataFrame, lang: str = "en", today: dt.date | None = None) -> dict:
    """What a briefing says about the whole log (its size, last update, coverage date in `lang` and
    past-due count as of `today`): keyword arguments of `Briefing`, for the command line and the app."""
    coverage = coverage_of(meta, events, today)
    last = PartialDate.parse(coverage.through).last if coverage.through else None
    return {"log_size": len(events), "log_updated": log_updated(meta, events), "through": coverage.label(lang),
            "through_last": last, "past_due": coverage.past_due}


def default_title(filters: Filters, vocab: Vocabulary, lang: str) -> str:
    parts = []
    if filters.countries:
        parts.append(join((vocab.label("country", c, lang) for c in filters.countries), lang))
    if filters.themes:  # theme labels contain "・" themselves, so they are joined with "、"
        parts.append(join((vocab.label("theme", c, lang) for c in filters.themes), lang, "theme"))
    if not parts:
        return t("export.title", lang)
    return t("export.title_of", lang, parts=t("export.title_join", lang).join(parts))


# -- charts -------------------------------------------------------------------------------------------

MARGIN = {"r": 20, "b": 95}


@dataclass(frozen=True)
class Geometry:
    """Where the parts of a briefing chart go: fixed margins (px) and the subplots' shares of the
    plot height (timeline, context strip, activity). Fixed, not automargin: labels are laid out in
    pixels of the plot area, which must not move afterwards."""

    margin: dict
    timeline: tuple[float, float]
    strip: tuple[float, float] | None
    activity: tuple[float, float]

    def plot_px(self, tpl: Template) -> tuple[float, float]:
        return tpl.width - self.margin["l"] - self.margin["r"], tpl.height - self.margin["t"] - self.margin["b"]


def geometry(b: Briefing, p: figures.Placed, tpl: Template, labelled: bool) -> Geometry:
    small = tpl.width < 1000
    size = 12 if small else 13
    names = [figures.lane_label_width(p, b.vocab, b.lang, size)]
    rows = figures.band_rows(b.periods or [])
    names += [labels.text_width(figures.band_row_label(r, b.vocab, b.lang), figures.BAND_FONT - 1) for r in rows]
    left = int(max(max(names), 40) + 16)
    # the legend sits above the plot: a third row of themes would run into the subtitle
    entries = [labels.text_width(b.vocab.label(p.color_kind, cid, b.lang), 11) + 40 for cid, _ in p.color_order]
    rows_needed, width, used = 1, tpl.width - left - MARGIN["r"], 0.0
    for w in entries:
        if used + w > width:
            rows_needed, used = rows_needed + 1, 0.0
        used += w
    top = (160 if small else 150) + 24 * max(0, rows_needed - 2)
    margin = {**MARGIN, "t": top, "l": left}
    plot_h = tpl.height - margin["t"] - margin["b"]
    activity = (0.0, 0.15 if labelled else 0.22)
    if not rows:
        return Geometry(margin, (activity[1] + 0.05, 1.0), None, activity)
    strip_h = len(rows) * figures.BAND_ROW_PX / plot_h
    strip = (activity[1] + 0.045, activity[1] + 0.045 + strip_h)
    return Geometry(margin, (strip[1] + 0.01, 1.0), strip, activity)


def briefing_figure(b: Briefing, template: str = "slide") -> go.Figure:
    """Timeline over the context strip (who governs, exercise windows) and the monthly activity chart,
    with title, subtitle and footer, sized for `template`: composed from the same parts as the app's
    timeline (figures.place_events, bar/marker traces, lane axis and bands, date axes, label
    annotations, context bands), on rows that share the date axis."""
    tpl = _template(template)
    lang = b.lang
    p = figures.place_events(b.df, b.vocab, b.group, b.date, b.filters.countries)
    traces = figures.bar_traces(p, b.vocab, lang) + figures.marker_traces(p, b.vocab, lang, hover=False)
    for trace in figures.activity_traces(b.df, b.vocab, lang):
        traces.append({**trace, "xaxis": "x2", "yaxis": "y2"})
    for i, trace in enumerate(traces):  # fixed trace ids: equal charts give equal SVG bytes
        trace["uid"] = f"trace{i:03d}"
    small = tpl.width < 1000
    n_labels = labels.COUNTS[template] if b.labels is None else b.labels
    x_range = figures.initial_range(p, b.date, until=window(b.filters)[1])  # a closed window ends there
    labelled = bool(n_labels or b.label_ids) and x_range is not None
    if x_range is not None and b.label_ids:
        x_range = figures.range_with(x_range, p, b.label_ids)
    geo = geometry(b, p, tpl, labelled)
    line, label = figures.today_marks(b.date, t("today", lang))
    layout = {
        "template": figures.TEMPLATE, "width": tpl.width, "height": tpl.height, "barmode": "stack",
        "font": {"family": figures.FONT, "size": 12 if small else 13},
        "title": {"text": f"<b>{figures.esc(b.heading())}</b>", "x": 0.012, "xanchor": "left", "xref": "container",
                  "y": 0.985, "yanchor": "top", "yref": "container", "font": {"size": 20 if small else 24},
                  "subtitle": {"text": figures.esc(b.subtitle()), "font": {"size": 13 if small else 14,
                                                                             "color": "#555"}}},
        "margin": geo.margin,
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0, "font": {"size": 11}},
        "showlegend": True, "hovermode": False,
        "xaxis": figures.date_axis(lang, anchor="y", domain=[0, 1], showgrid=True, gridcolor="#eee",
                                   showticklabels=False, range=x_range, automargin=False),
        "yaxis": {**figures.lane_axis(p, b.vocab, lang), "domain": list(geo.timeline), "automargin": False},
        "xaxis2": figures.date_axis(lang, anchor="y2", matches="x", showgrid=True, gridcolor="#eee",
                                    automargin=False),
        "yaxis2": {"domain": list(geo.activity), "rangemode": "tozero", "automargin": False,
                   **figures.count_axis(), "title": {"text": t("fig.events_per_month", lang), "font": {"size": 11}}},
        "shapes": figures.lane_bands(p.lane_count) + [line],
        "annotations": [label] + figures.notes(p, lang) + [
            {"text": figures.esc(t("fig.key", lang)), "xref": "paper", "yref": "paper", "x": 0, "y": -0.045,
             "showarrow": False, "xanchor": "left", "yanchor": "top", "font": {"size": 10, "color": "#555"}},
            {"text": _esc_keep_br(b.footer(110 if small else 170)), "xref": "paper", "yref": "paper", "x": 0,
             "y": -0.085, "showarrow": False, "xanchor": "left", "yanchor": "top", "align": "left",
             "font": {"size": 10, "color": "#555"}}],
    }
    if geo.strip and x_range is not None:
        shapes, notes = figures.band_parts(b.periods, b.vocab, lang, x_range, geo.strip, geo.plot_px(tpl)[0],
                                           shade=geo.timeline)
        layout["shapes"] = shapes + layout["shapes"]
        layout["annotations"] += notes
    if labelled:
        placed = briefing_labels(b, p, template, x_range)
        annotations, shapes = figures.label_annotations(placed)
        layout["yaxis"]["range"] = [placed.frame.y_bottom, placed.frame.y_top]
        layout["annotations"] += annotations
        layout["shapes"] += shapes
    return go.Figure(data=traces, layout=layout, _validate=False)


def comparison_chart(b: Briefing, template: str = "slide") -> go.Figure:
    """The period comparison (compare.comparison_figure) with the briefing's title, filters and footer."""
    from . import compare

    tpl = _template(template)
    full = b.log if b.log is not None else b.df
    c = compare.compare(full, b.filters, b.vocab, b.date, b.compare_to)
    footer = _esc_keep_br(b.footer(110 if tpl.width < 1000 else 170))
    return compare.comparison_figure(c, b.vocab, b.lang, tpl.width, tpl.height,
                                     title=t("compare.title_of", b.lang, title=b.heading()), footer=footer)


def briefing_labels(b: Briefing, p: figures.Placed, template: str, x_range) -> labels.Layout:
    """The label layout of a briefing chart: what `briefing_figure` draws (tests check it)."""
    tpl = _template(template)
    n = labels.COUNTS[template] if b.labels is None else b.labels
    geo = geometry(b, p, tpl, True)
    width, height = geo.plot_px(tpl)
    lanes_px = height * (geo.timeline[1] - geo.timeline[0])
    return labels.layout_labels(p, n, b.label_ids, b.lang, width, lanes_px, figures.x_range_ms(x_range))


def _esc_keep_br(text: str) -> str:
    return "<br>".join(figures.esc(part) for part in text.split("<br>"))


def _template(name: str) -> Template:
    if name not in TEMPLATES:
        raise ExportError(f"unknown template {name!r}; use one of {', '.join(TEMPLATES)}")
    return TEMPLATES[name]


_kaleido_lock = threading.Lock()
_kaleido_started = False


def browser_path() -> str:
    """The Chromium Kaleido will use, or an ExportError that says how to get one."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        if Path(env).is_file() and os.access(env, os.X_OK):
            return env
        raise ExportError(f"BROWSER_PATH={env} is not an executable file; point it to a Chrome/Chromium binary "
                          f"or unset it and install Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise ExportError("chart export (PNG, SVG, PDF, PPTX) needs a Chromium browser: install Debian's chromium "
                      "and fonts-noto-cjk (apt-get install chromium fonts-noto-cjk), or set BROWSER_PATH to a "
                      "Chrome/Chromium binary. CSV, XLSX, Markdown and HTML exports work without it.")


def render_image(fig: go.Figure, fmt: str, template: str = "slide") -> bytes:
    """PNG/SVG/PDF bytes through one long-lived Kaleido browser (warm exports take well under a second)."""
    global _kaleido_started
    import kaleido
    import plotly.io as pio

    tpl = _template(template)
    path = browser_path()
    os.environ.setdefault("BROWSER_PATH", path)
    with _kaleido_lock:
        if not _kaleido_started:
            kaleido.start_sync_server(silence_warnings=True)
            _kaleido_started = True
        try:
            with warnings.catch_warnings():  # plotly warns that kaleido options are ignored with a server
                warnings.simplefilter("ignore", UserWarning)
                data = pio.to_image(fig, format=fmt, width=tpl.width, height=tpl.height,
                                    scale=tpl.scale if fmt == "png" else 1)
        except Exception as exc:  # Kaleido's own errors are obscure; say what to do
            raise ExportError(f"{fmt.upper()} export failed in Chromium ({path}): {exc}. Check that chromium "
                              f"starts (chromium --headless --version) or set BROWSER_PATH.") from exc
    if fmt == "svg":
        data = _stable_svg(data)
    return data


def _stable_svg(data: bytes) -> bytes:
    """Plotly gives each render a random id; fix it so equal charts give equal bytes."""
    text = data.decode("utf-8")
    m = re.search(r'id="defs-([0-9a-f]{6})"', text)
    if m:
        text = re.sub(rf"(?<=[a-z-]){m.group(1)}", "000000", text)
    return text.encode("utf-8")


def html_bytes(b: Briefing) -> bytes:
    """One self-contained interactive page: plotly.js inlined, no network needed."""
    fig = figures.timeline_figure(b.df, b.vocab, b.lang, b.group, today=b.date, title=b.heading(),
                                  labels=labels.COUNTS["slide"] if b.labels is None else b.labels,
                                  label_ids=b.label_ids, periods=b.periods)
    act = figures.activity_figure(b.df, b.vocab, b.lang, today=b.date)
    head = (f"<h1 style='font:600 22px {figures.FONT};margin:16px 16px 4px'>{figures.esc(b.heading())}</h1>"
            f"<p style='font:14px {figures.FONT};color:#555;margin:0 16px'>{figures.esc(b.subtitle())}</p>")
    parts = [fig.to_html(include_plotlyjs=True, full_html=False, div_id="timeline"),
             act.to_html(include_plotlyjs=False, full_html=False, div_id="activity")]
    foot = f"<p style='font:12px {figures.FONT};color:#555;margin:8px 16px'>{_esc_keep_br(b.footer(400))}</p>"
    page = (f"<!DOCTYPE html><html lang='{b.lang}'><head><meta charset='utf-8'><title>{figures.esc(b.heading())}"
            f"</title></head><body>{head}{''.join(parts)}{foot}</body></html>")
    return page.encode("utf-8")


# -- tables -------------------------------------------------------------------------------------------

DATA_COLUMNS = ["id", "date", "end", "precision", "approximate", "title_en", "title_ja", "countries", "themes",
                "type", "importance", "status", "evidence", "claimed_by", "summary_en", "summary_ja", "sources",
                "notes"]


def data_rows(df: pd.DataFrame) -> pd.DataFrame:
    """One row per event, machine-readable (ids, both languages) with a sources column."""
    out = df.assign(
        countries=df["countries"].map(",".join), themes=df["themes"].map(",".join),
        sources=df["sources"].map(lambda ss: " ; ".join(f"{s.get('publisher', '')} <{s['url']}>" if s.get("url")
                                                          else f"{s.get('publisher', '')} ({s.get('section', '')})"
                                                          for s in ss)),
        approximate=df["approximate"].map(lambda v: "true" if v else ""),
    )
    return out[DATA_COLUMNS]


def csv_text(df: pd.DataFrame) -> str:
    """CSV of `data_rows`: machine-readable, both languages, so it has no language of its own.

    Safe to open in a spreadsheet: a cell that would start a formula is prefixed with ' (`safe_cell`),
    and every field holding a comma, a quote, CR or LF is quoted (Python's csv module quotes CR only
    when it is part of the line terminator, so fields are written here).
    """
    rows = data_rows(df)
    lines = [",".join(_csv_field(c) for c in rows.columns)]
    lines += [",".join(_csv_field(safe_cell(v)) for v in r) for r in rows.itertuples(index=False)]
    return "\n".join(lines) + "\n"


def _csv_field(value) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")   # OWASP's list of what a spreadsheet may evaluate
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CELL_CHARS = 32_767                                  # the most a spreadsheet cell holds


def safe_cell(value):
    """A value a spreadsheet shows as text: formula-leading text gets a ' in front (OWASP's rule),
    characters XML cannot hold are dropped and text is cut to what a cell holds."""
    if not isinstance(value, str):
        return value
    value = _XML_ILLEGAL.sub("", value)
    if value.startswith(FORMULA_START):
        value = "'" + value
    return shorten(value, CELL_CHARS)


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending with an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def xlsx_bytes(b: Briefing) -> bytes:
    """A workbook: the chronology for people in the briefing's language first, then the machine layout
    ("Events": ids and codes, one column per language, which spreadsheet imports read by its headers),
    "Sources" (one row per source, with links) and "About" (title, filters, data version)."""
    from openpyxl import Workbook

    wb = Workbook()
    _chronology_sheet(wb.active, b)
    rows = data_rows(b.df)
    widths = {"id": 34, "title_en": 50, "title_ja": 40, "summary_en": 70, "summary_ja": 60, "sources": 60,
              "notes": 40}
    _fill_sheet(wb.create_sheet("Events"), list(rows.columns), rows.itertuples(index=False),
                [widths.get(c, 14) for c in rows.columns])
    src = wb.create_sheet("Sources")
    links = []
    _fill_sheet(src, ["event_id", "publisher", "title", "url", "published", "section", "note"],
                _source_rows(b.df, links), [34, 24, 60, 60, 12, 10, 30], freeze="A2")
    for row, url in links:
        src.cell(row, 4).hyperlink = url
    about = wb.create_sheet("About")
    for line in (b.heading(), b.subtitle(), b.footer(1000).replace("<br>", " · ")):
        about.append([safe_cell(line)])
    about.column_dimensions["A"].width = 120
    wb.properties.title = shorten(b.heading(), 255)
    wb.properties.created = dt.datetime.combine(b.date, dt.time())
    wb.properties.modified = wb.properties.created
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CHRONOLOGY_COLUMNS = ("date", "title", "countries", "themes", "type", "status", "sources")
CHRONOLOGY_WIDTHS = [18, 60, 22, 28, 16, 12, 60]   # in characters of Latin text


def _lines(text: str, width: int) -> int:
    """Lines `text` takes in a column `width` characters wide (East Asian characters count twice)."""
    import unicodedata

    def cells(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)

    per_line = width + width // 4  # the default font is narrower than the column unit
    return sum(max(1, -(-cells(line) // per_line)) for line in text.split("\n"))


def _chronology_sheet(ws, b: Briefing) -> None:
    """The sheet people read: labels (not codes) and headers in the briefing's language, in date order."""
    ws.title = t("export.chronology", b.lang)
    table = chronology(b.df, b.vocab, b.lang, with_summary=False)
    table["sources"] = [("\n".join(source_line(s) for s in ss)) for ss in b.df["sources"]]
    _fill_sheet(ws, [header(c, b.lang) for c in CHRONOLOGY_COLUMNS],
                table[list(CHRONOLOGY_COLUMNS)].itertuples(index=False), CHRONOLOGY_WIDTHS)
    for row in ws.iter_rows(min_row=2):  # spreadsheets do not grow rows for wrapped text by themselves
        lines = max(_lines(str(c.value or ""), w) for c, w in zip(row, CHRONOLOGY_WIDTHS, strict=True))
        ws.row_dimensions[row[0].row].height = 15 * min(lines, 20)
    # printed: landscape, every column on the page, the headers repeated on each page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _fill_sheet(ws, head: list[str], rows, widths: list[int], freeze: str = "B2") -> None:
    """Bold headers, the rows as text a spreadsheet never evaluates, wrapped, with filters."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.append([safe_cell(h) for h in head])
    for r in rows:
        ws.append([safe_cell(v) for v in r])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        ws.cell(1, i).font = Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = freeze
    ws.auto_filter.ref = ws.dimensions


def _source_rows(df: pd.DataFrame, links: list):
    row = 1
    for eid, sources in zip(df["id"], df["sources"], strict=True):
        for s in sources:
            row += 1
            if s.get("url"):
                links.append((row, s["url"]))
            yield [eid] + [s.get(k, "") for k in ("publisher", "title", "url", "published", "section", "note")]


def markdown_text(b: Briefing) -> str:
    """The 年表: a Markdown chronology table, ready to paste into a report.

    Text never becomes markup: link and image syntax, pipes and HTML are escaped (`_md`), and source
    URLs are written only as autolinks (<https://...>) after checking they are plain http(s) URLs.
    """
    rows = chronology(b.df, b.vocab, b.lang, with_summary=False)
    heads = " | ".join(header(c, b.lang) for c in ("date", "title", "countries", "sources"))
    lines = [f"## {_md(b.heading())}", "", f"{_md(b.subtitle())}", "",
             f"| {heads} |",
             "|---|---|---|---|"]
    for r, sources in zip(rows.itertuples(index=False), b.df["sources"], strict=True):
        links = ", ".join(_md_source(s) for s in sources)
        lines.append(f"| {_md(r.date)} | {_md(r.title)} | {_md(r.countries)} | {links} |")
    lines += ["", _md(b.footer(10_000).replace("<br>", " · ")), ""]
    return "\n".join(lines)


_MD_ESCAPE = re.compile(r"([\\|\[\]()!`*_])")


def _md(text: str) -> str:
    """Text that Markdown shows as written: no links, images, emphasis, table cells or HTML."""
    text = re.sub(r"[\r\n]+", " ", str(text))
    return _MD_ESCAPE.sub(r"\\\1", text).replace("<", "&lt;").replace(">", "&gt;")


def _md_source(source: dict) -> str:
    publisher = _md(source.get("publisher", ""))
    url = markdown_url(source.get("url") or "")
    if url:
        return f"{publisher} {url}"
    section = source.get("section", "")
    return f"{publisher} §{_md(section)}" if section else publisher


_URL_OK = re.compile(r"https?://[^\s<>\"'`\\\x00-\x1f\x7f]+", re.IGNORECASE)


def markdown_url(url: str) -> str:
    """An http(s) URL as a Markdown autolink (<https://...>), or "" when it is not a plain URL."""
    if not _URL_OK.fullmatch(url):
        return ""
    if not urlsplit(url).hostname:
        return ""
    # percent-encoded, these cannot end the link or a table cell in any Markdown flavour
    return "<" + url.translate(_URL_QUOTE) + ">"


_URL_QUOTE = str.maketrans({c: f"%{ord(c):02X}" for c in "()[]|"})


# -- one entry point ----------------------------------------------------------------------------------

def export_bytes(b: Briefing, fmt: str, template: str = "slide", chart: str = "timeline") -> bytes:
    """Bytes of one chart, table or feed format (FORMATS) for the briefing's events; `chart` (png,
    svg, pdf): the labelled timeline or the period comparison. `timeline.outputs.export_bytes` makes
    every format, the briefing documents included."""
    if fmt not in FORMATS or (fmt == "pdf" and template in DOCUMENT_TEMPLATES):
        raise ExportError(f"{fmt} ({template}) is not a chart or table format; timeline.outputs.export_bytes "
                          f"makes every format")
    if chart not in CHARTS:
        raise ExportError(f"unknown chart {chart!r}; use one of {', '.join(CHARTS)}")
    if fmt in ("png", "svg", "pdf"):
        fig = comparison_chart(b, template) if chart == "compare" else briefing_figure(b, template)
        return render_image(fig, fmt, template)
    if fmt == "html":
        return html_bytes(b)
    if fmt == "csv":
        return csv_text(b.df).encode("utf-8")
    if fmt == "md":
        return markdown_text(b).encode("utf-8")
    if fmt == "xlsx":
        return xlsx_bytes(b)
    return feed_bytes(b, fmt)


def feed_bytes(b: Briefing, fmt: str, app_url: str = "") -> bytes:
    """The briefing's events as an iCalendar file (planned events from `b.date` on, or all with
    `b.include_past`) or a TimelineJS3 story document; see timeline/feeds.py for both contracts."""
    if fmt == "ics":
        name = feeds.feed_title(b.filters, b.vocab, b.lang) if b.title is None else b.title
        return feeds.ics_text(b.df, b.vocab, b.lang, today=b.date, include_past=b.include_past, app_url=app_url,
                              name=name).encode("utf-8")
    doc = feeds.timelinejs_doc(b.df, b.vocab, b.lang, b.group, headline=b.heading(), text=b.subtitle(),
                               focus=b.filters.countries)
    return feeds.timelinejs_json(doc).encode("utf-8")


def file_name(b: Briefing, fmt: str) -> str:
    """A sensible download name: korea-timeline-2026-11-28-kr-jp.png."""
    tags = [c.lower() for c in b.filters.countries[:3]] + list(b.filters.themes[:2])
    return "-".join(["korea-timeline", b.date.isoformat(), *tags]) + f".{EXTENSIONS.get(fmt, fmt)}"



# -- writing an export where it goes ------------------------------------------------------------------

class OutputError(ExportError):
    """Where the export should go cannot take it (no such folder, a folder, a device, ...)."""


def check_output(out: str | Path) -> Path:
    """The path `out` if an export can be written there, else an OutputError that says why, in one line."""
    text = str(out)
    if not text.strip():
        raise OutputError("--out is empty; give a file name such as briefing.png")
    path = Path(text)
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"the folder {folder} does not exist; create it or choose another --out")
    limit = _name_max(folder)
    if len(path.name.encode("utf-8", "surrogateescape")) > limit:
        raise OutputError(f"the file name is {len(path.name):,} characters, longer than the folder allows "
                          f"({limit} bytes); choose a shorter name")
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise OutputError(f"cannot write {text}: {exc.strerror}; choose another --out") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(f"{text} is a folder; give a file name inside it, such as {path / 'briefing.png'}")
    if mode is not None and not stat.S_ISREG(mode):
        raise OutputError(f"{text} is not a regular file (a device or a pipe); give a file name")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {folder} (permission denied); choose another --out")
    return path


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def write_output(out: str | Path, data: bytes) -> Path:
    """Write `data` to `out` atomically: a temporary file in the same folder, renamed over `out` once
    complete, so a full disk, a file-size limit or a kill never leaves a truncated export behind."""
    path = check_output(out)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".timeline-", suffix=".tmp")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # what a plain open() would have made, not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"could not write {path}: {exc.strerror or exc}; nothing was written") from None
    except BaseException:
        _remove(tmp)
        raise
    return path


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
