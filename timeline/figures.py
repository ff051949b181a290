"""Events -> Plotly figures. No file I/O, no Dash: every figure is testable as a plain function.

Visual contract of the timeline:
- one swim lane per country, theme or type (an event with two countries sits in both lanes);
- colour is the vocabulary's fixed colour of the event's first theme (or first country when the
  lanes are themes), so the same thing is the same colour in every chart;
- size grows with importance; filled = occurred, hollow = scheduled/expected, dotted hollow =
  postponed, cross = cancelled;
- a circle is an exact day; a diamond on a thin bar is a month or year (the bar covers the whole
  period, so it never looks like an exact day); a thick bar is a span with an `end`;
- a dashed vertical line marks today.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .model import Vocabulary
from .tables import date_label, labels

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Meiryo, Helvetica Neue, Arial, sans-serif"
SIZES = {1: 7, 2: 10, 3: 14}
_SIZE_OF = np.array([0, SIZES[1], SIZES[2], SIZES[3]])  # importance -> marker size, as an array lookup
WEBGL_THRESHOLD = 3000      # above this many markers the timeline uses WebGL traces
SLIDER_MAX = 500            # above this many markers the app's timeline has no range slider
FIGURE_COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
                  "countries", "themes", "type", "importance", "status")
MAX_DRAWN = 20000           # the browser gets at most this many events; the most important are kept
TRIM_THRESHOLD = 3000       # above this many events hover text is trimmed to date and title
MAX_LANES = 10              # country lanes beyond this fold into "Other"
OTHER = "~other"
LANE_PX = 50                # height of one swim lane in the app
MAX_BARS = 1000            # activity chart: above this many (month, theme) bars, stacked step areas
MAX_SLOTS = 4               # rows inside one lane before markers are allowed to overlap

TEXT = {
    "en": {"today": "Today", "events": "Events per month", "by": "by primary theme", "none": "No events match",
           "key": "● exact day   ◆ month/year (bar = whole period)   ▬ span   ○ planned   ⊙ postponed   ✕ cancelled",
           "importance": "importance", "planned": "planned", "chain": "Chain of related events"},
    "ja": {"today": "今日", "events": "月別の件数", "by": "主テーマ別", "none": "該当する出来事はありません",
           "key": "● 日付確定   ◆ 月・年のみ（帯＝該当期間）   ▬ 期間   ○ 予定   ⊙ 延期   ✕ 中止",
           "importance": "重要度", "planned": "予定", "chain": "関連する出来事の連鎖"},
}


def date_ticks(lang: str) -> dict:
    """Axis tick formats: Plotly's defaults are English ("Sep 2025"); Japanese reads 2025年9月."""
    if lang != "ja":
        return {}
    return {"tickformatstops": [{"dtickrange": [None, "M1"], "value": "%-m月%-d日"},
                                {"dtickrange": ["M1", "M12"], "value": "%Y年%-m月"},
                                {"dtickrange": ["M12", None], "value": "%Y年"}]}


def lane_key(group: str) -> str:
    return {"country": "countries", "theme": "themes", "type": "type"}[group]


def color_kind(group: str) -> str:
    """Colour by theme, except when the lanes are themes: then by country."""
    return "country" if group == "theme" else "theme"


def symbols(precision: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Marker symbol per event: shape from date precision, fill from status."""
    base = np.where(precision == "day", "circle", "diamond").astype(object)
    planned = np.isin(status, ("scheduled", "expected"))
    out = np.where(planned, base + "-open", base)
    out = np.where(status == "postponed", base + "-open-dot", out)
    return np.where(status == "cancelled", "x", out).astype(object)


def esc(text: str) -> str:
    """Plotly renders a subset of HTML in hover text: escape so titles show literally."""
    # html.escape(text, quote=False), without its per-call overhead
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lanes(df: pd.DataFrame, vocab: Vocabulary, group: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """One entry per (event, lane), sorted by lane, date and id: `ev` (the event's row in `df`),
    `lane` (index into the lane ids) and `y` (its position); and the lane ids in display order
    (vocabulary order). Numpy throughout: this runs on every filter change."""
    key = lane_key(group)
    values = df[key].to_numpy(object)
    if key == "type":
        ev, flat = np.arange(len(df)), values
    else:  # list columns: an event sits in the lane of each of its countries (themes)
        lens = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        ev = np.repeat(np.arange(len(df)), lens)
        flat = np.fromiter(itertools.chain.from_iterable(values), dtype=object, count=int(lens.sum()))
    if not len(flat):
        return {"ev": ev[:0], "lane": np.zeros(0, dtype=np.int64), "y": np.zeros(0)}, []
    present, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    present = present.tolist()
    if group == "country" and len(present) > MAX_LANES:
        # many countries with one or two events make unreadable lanes: fold them into "Other"
        keep = set(sorted(present, key=lambda c: (-counts[present.index(c)], c))[:MAX_LANES - 1])
        present = [c if c in keep else OTHER for c in present]
    distinct = set(present)
    order = [t for t in vocab.kind(group) if t in distinct]
    order += sorted(distinct - set(order) - {OTHER}) + ([OTHER] if OTHER in distinct else [])
    rank = {lane: i for i, lane in enumerate(order)}
    lane = np.array([rank[c] for c in present], dtype=np.int64)[inverse.ravel()]
    if OTHER in distinct:  # an event in two folded countries sits once in "Other"
        _, first = np.unique(ev * len(order) + lane, return_index=True)
        first.sort()
        ev, lane = ev[first], lane[first]
    # by lane, then date, then id (the rank of each event in date-and-id order)
    start = df["start"].to_numpy("datetime64[D]").astype(np.int64)
    by_date = np.lexsort((df["id"].to_numpy(str), start))
    date_rank = np.empty(len(df), dtype=np.int64)
    date_rank[by_date] = np.arange(len(df))
    sort = np.lexsort((date_rank[ev], lane))
    ev, lane = ev[sort], lane[sort]
    stop = df["stop"].to_numpy("datetime64[D]").astype(np.int64)
    y = lane + _offsets(start[ev], stop[ev], lane)
    return {"ev": ev, "lane": lane, "y": y}, order


def _offsets(start_a: np.ndarray, stop_a: np.ndarray, lane_a: np.ndarray) -> np.ndarray:
    """Spread markers that are close in time over up to MAX_SLOTS rows inside their lane
    (arguments: days, sorted by lane then start)."""
    if not len(start_a):
        return np.zeros(0)
    start, stop, lane = start_a.tolist(), stop_a.tolist(), lane_a.tolist()  # plain ints: fast in the loop
    span_days = max(int(stop_a.max() - start_a.min()), 30)
    gap = span_days / 70  # markers closer than this (in days, at full width) would touch
    slot = [0] * len(start)
    last_end: list[float] = []
    prev_lane = None
    slots = range(MAX_SLOTS)
    for i, s in enumerate(start):
        if lane[i] != prev_lane:
            last_end, prev_lane = [-1e18] * MAX_SLOTS, lane[i]
        limit = s - gap
        for k in slots:
            if last_end[k] <= limit:
                break
        else:
            k = last_end.index(min(last_end))
        slot[i] = k
        e = stop[i]
        last_end[k] = e if e > s else s
    slot_a = np.array(slot)
    # centre lanes that use few rows
    used = np.zeros(int(lane_a.max()) + 1, dtype=np.int64)
    np.maximum.at(used, lane_a, slot_a)
    used = used[lane_a] + 1
    return (slot_a - (used - 1) / 2) * (0.72 / MAX_SLOTS)


def timeline_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", group: str = "country",
                    selected: str | None = None, today: dt.date | None = None,
                    highlight: set[str] | frozenset[str] = frozenset(), x_range: tuple | None = None,
                    webgl: bool | None = None, rangeslider: bool = True, title: str | None = None,
                    top_axis: bool | None = None, as_dict: bool = False) -> go.Figure | dict:
    """Swim-lane timeline of `df` (already filtered).

    `as_dict` returns the plain {"data", "layout"} mapping instead of a Figure: what the app sends,
    without building (and later converting back) a Figure on every filter change.

    `top_axis` repeats the date ticks above the lanes (default: with the range slider, i.e. in the
    app, where a tall chart would otherwise hide its dates below the fold).
    """
    top_axis = rangeslider if top_axis is None else top_axis
    t = TEXT[lang]
    today = today or dt.date.today()
    df = df[[c for c in FIGURE_COLUMNS if c in df.columns]]  # every take below copies only these
    total = len(df)
    if total > MAX_DRAWN:  # keep the figure sent to the browser bounded
        df = df.sort_values(["importance", "start"], ascending=[False, True], kind="stable").head(MAX_DRAWN)
    rows, order = lanes(df, vocab, group)
    ev, y = rows["ev"], rows["y"]
    ckind = color_kind(group)
    ckey = "countries" if ckind == "country" else "themes"
    first = np.array([v[0] if len(v) else "" for v in df[ckey].to_numpy(object)], dtype=object)
    color_codes, color_ids = pd.factorize(first[ev])
    color_order = [(cid, int(np.flatnonzero(color_ids == cid)[0]))
                   for cid in _ordered(pd.Series(color_ids, dtype=object), vocab, ckind)]
    if webgl is None:
        webgl = len(ev) > WEBGL_THRESHOLD
    kind = "scattergl" if webgl else "scatter"
    # The range slider draws every trace a second time: worth it for a few hundred events, not for
    # thousands (and Plotly's slider cannot show WebGL traces at all). Zooming by dragging stays.
    rangeslider = rangeslider and not webgl and len(ev) <= SLIDER_MAX
    trim = len(df) > TRIM_THRESHOLD
    traces: list[dict] = []  # plain dicts: plotly's per-property validation costs more than the rest together

    # dates as epoch milliseconds: Plotly's date axes take them as they are, and numeric arrays go
    # to the browser as compact typed arrays instead of 10,000s of date strings to parse
    start = df["start"].to_numpy("datetime64[ms]").astype(np.int64).astype(float)[ev]
    stop = df["stop"].to_numpy("datetime64[ms]").astype(np.int64).astype(float)[ev]
    is_span = (df["end"] != "").to_numpy(bool)[ev]
    is_day = (df["precision"] == "day").to_numpy(bool)[ev]

    # Bars: spans (thick) and the whole period of month/year dates (thin). One trace per colour.
    is_bar = is_span | ~is_day
    day = 86_400_000.0
    for cid, code in color_order:
        part = is_bar & (color_codes == code)
        for span, width, opacity in ((True, 7, 0.55), (False, 3, 0.45)):
            pick = np.flatnonzero(part & (is_span == span))
            if not len(pick):
                continue
            # one line trace per colour, segments separated by gaps (NaN); numeric arrays, not
            # objects, so that building and serialising the figure stays cheap
            xs = np.full(len(pick) * 3, np.nan)
            ys = np.full(len(pick) * 3, np.nan)
            xs[0::3] = start[pick]
            xs[1::3] = stop[pick] + day
            ys[0::3] = ys[1::3] = y[pick]
            # WebGL for big logs: SVG splits a line at every gap into its own styled <path>,
            # thousands of them (measured: a third of the draw at 10,000 events)
            traces.append({"type": kind, "x": xs, "y": ys, "mode": "lines", "opacity": opacity,
                           "line": {"color": vocab.color(ckind, cid), "width": width}, "hoverinfo": "skip",
                           "showlegend": False, "legendgroup": cid, "name": vocab.label(ckind, cid, lang)})

    # Markers: at the day, or the middle of a month/year period.
    x = np.where(is_day | is_span, start, start + (stop - start) // 2)
    hover = np.array(hover_texts(df, vocab, lang, trim), dtype=object)[ev]
    symbol = symbols(df["precision"].to_numpy(object)[ev], df["status"].to_numpy(object)[ev])
    importance = df["importance"].to_numpy(np.int64)[ev]
    size = _SIZE_OF[np.clip(importance, 1, 3)]
    ids_all = df["id"].to_numpy(object)[ev]
    symbol_codes, symbol_values = pd.factorize(symbol)
    for cid, code in color_order:
        color, name = vocab.color(ckind, cid), vocab.label(ckind, cid, lang)
        # the legend shows a plain filled circle per colour, whatever the first marker's status is
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "legendgroup": cid,
                       "name": name, "hoverinfo": "skip", "marker": {"color": color, "size": 11, "symbol": "circle"}})
        # one trace per colour and symbol: WebGL draws a symbol per point slowly, and colours per
        # point cost more than the extra traces (measured); a legend click hides a colour
        in_colour = color_codes == code
        for sym_code, sym in enumerate(symbol_values):
            pick = np.flatnonzero(in_colour & (symbol_codes == sym_code))
            if not len(pick):
                continue
            traces.append({"type": kind, "x": x[pick], "y": y[pick], "mode": "markers", "name": name,
                           "legendgroup": cid, "showlegend": False, "customdata": ids_all[pick].tolist(),
                           "hovertext": hover[pick].tolist(), "hovertemplate": "%{hovertext}<extra></extra>",
                           "marker": {"color": color, "size": size[pick], "symbol": sym,
                                      "line": {"color": color, "width": 2}, "opacity": 0.9}})
    if top_axis:  # an invisible trace on a second x axis that mirrors the first, ticks on top
        traces.append({"type": "scatter", "x": [None], "y": [None], "xaxis": "x2", "showlegend": False,
                       "hoverinfo": "skip", "name": "top-axis"})
    marked = np.flatnonzero(np.isin(ids_all, list(highlight))) if highlight else []
    if len(marked):
        traces.append({"type": kind, "x": x[marked], "y": y[marked], "mode": "markers",
                       "hoverinfo": "skip", "showlegend": False, "name": "new",
                       "marker": {"size": size[marked] + 12, "symbol": "circle-open",
                                  "color": "#f5b041", "line": {"width": 3, "color": "#f5b041"}}})
    sel = np.flatnonzero(ids_all == selected) if selected else []
    if len(sel):
        traces.append({"type": kind, "x": x[sel], "y": y[sel], "mode": "markers",
                       "hoverinfo": "skip", "showlegend": False, "name": "selected",
                       "marker": {"size": size[sel] + 10, "symbol": "circle-open",
                                  "color": "#111", "line": {"width": 3, "color": "#111"}}})

    n = max(len(order), 1)
    lane_labels = [_lane_label(vocab, group, lane, lang) for lane in order]
    # zebra bands make lanes readable
    shapes = [{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": i - 0.5, "y1": i + 0.5,
               "fillcolor": "#f4f6f8", "line": {"width": 0}, "layer": "below"} for i in range(0, n, 2)]
    line, label = today_marks(today, t["today"], at_top=not top_axis)
    shapes.append(line)
    annotations = [label]
    if x_range is not None:
        xrange = list(x_range)
    elif len(ev):
        # open on where the events are: a few early outliers (a 2019 speech) stay reachable by zooming out
        lo = df["start"].min() if len(df) < 50 else df["start"].quantile(0.02)
        hi = df["stop"].max()
        pad = max((hi - lo) * 0.03, pd.Timedelta(days=10))
        xrange = [lo - pad, max(hi, pd.Timestamp(today)) + pad]
    else:
        xrange = None
    if total > len(df):
        note = (f"Showing the {len(df):,} most important of {total:,} events; narrow the filters to see all"
                if lang == "en" else f"{total:,}件中、重要度の高い{len(df):,}件を表示（条件を絞るとすべて表示）")
        annotations.append({"text": note, "showarrow": False, "x": 0, "y": 1.0, "xref": "paper", "yref": "paper",
                            "xanchor": "left", "yanchor": "bottom", "font": {"size": 12, "color": "#a04000"}})
    if df.empty:
        annotations.append({"text": t["none"], "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
                            "yref": "paper", "font": {"size": 16, "color": "#666"}})
    layout = {
        # the template object itself: an unvalidated figure would send only its name to the browser
        "template": _TEMPLATE, "font": {"family": FONT, "size": 13},
        "height": max(320, 150 + LANE_PX * n + (60 if rangeslider else 0)),
        "margin": {"l": 10, "r": 10, "t": 40 if title else 12, "b": 10},
        "hovermode": "closest", "hoverlabel": {"font": {"family": FONT}, "align": "left"},
        # below the range slider: its tick labels and strip take ~55 px plus 6% of the plot's height
        "legend": {"orientation": "h", "yanchor": "top", "x": 0,
                   "y": -0.02 if not rangeslider else -(55 / (LANE_PX * n) + 0.06),
                   "font": {"size": 11}, "itemsizing": "constant"},
        "yaxis": {"tickmode": "array", "tickvals": list(range(len(order))), "ticktext": lane_labels,
                  "range": [n - 0.5, -0.5], "showgrid": False, "zeroline": False, "fixedrange": True,
                  "automargin": True},
        "xaxis": {"type": "date", "showgrid": True, "gridcolor": "#eee", "automargin": True,
                  "rangeslider": {"visible": rangeslider, "thickness": 0.06}, "range": xrange, **date_ticks(lang)},
        "dragmode": "zoom", "uirevision": group, "shapes": shapes, "annotations": annotations,
    }
    if title:
        layout["title"] = {"text": esc(title), "x": 0.01}
    if top_axis:
        layout["xaxis2"] = {"matches": "x", "overlaying": "x", "side": "top", "type": "date", "showgrid": False,
                            "automargin": True, "tickfont": {"size": 11, "color": "#666"}, **date_ticks(lang)}
    return _figure(traces, layout, as_dict)


_TEMPLATE = pio.templates["plotly_white"]
_TEMPLATE_DICT = _TEMPLATE.to_plotly_json()


def _figure(traces: list[dict], layout: dict, as_dict: bool) -> go.Figure | dict:
    if as_dict:
        return {"data": traces, "layout": {**layout, "template": _TEMPLATE_DICT}}
    # plain dicts, no per-property validation: it cost more than everything else together
    return go.Figure(data=traces, layout=layout, _validate=False)


def today_marks(today: dt.date, label: str, at_top: bool = True) -> tuple[dict, dict]:
    """The dashed red line at today and its label: above the plot (exports) or inside its foot (the
    app, whose top edge carries the date ticks and the mode bar)."""
    x = pd.Timestamp(today).strftime("%Y-%m-%d")
    line = {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
            "line": {"dash": "dash", "color": "#c0392b", "width": 1.5}}
    text = {"x": x, "y": 1 if at_top else 0, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
            "yanchor": "bottom", "xanchor": "center" if at_top else "right", "xshift": 0 if at_top else -3,
            "font": {"color": "#c0392b", "size": 11}}
    return line, text


def _lane_label(vocab: Vocabulary, group: str, lane: str, lang: str) -> str:
    text = {"en": "Other", "ja": "その他"}[lang] if lane == OTHER else vocab.label(group, lane, lang)
    return esc(text if len(text) <= 26 else text[:25] + "…")


def _ordered(values: pd.Series, vocab: Vocabulary, kind: str) -> list[str]:
    present = set(values)
    out = [t for t in vocab.kind(kind) if t in present]
    return out + sorted(present - set(out))


def hover_texts(df: pd.DataFrame, vocab: Vocabulary, lang: str, trim: bool) -> list[str]:
    """Hover text per row of `df` (escaped: Plotly renders a subset of HTML)."""
    other = "ja" if lang == "en" else "en"
    if trim:  # title and date only, built in one pass: this runs for thousands of events per change
        titles = df[f"title_{lang}"].to_numpy(object)
        fallback = df[f"title_{other}"].to_numpy(object)
        dates = zip(df["date"].to_numpy(object), df["end"].to_numpy(object), df["approximate"].to_numpy(bool))
        return [f"<b>{esc((title or alt)[:80])}</b><br>{_span_html(d, e, a, lang)}"
                for title, alt, (d, e, a) in zip(titles, fallback, dates)]
    keys = ("id", "date", "end", "approximate", f"title_{lang}", f"title_{other}", "countries", "type", "status")
    values = zip(*(df[c].to_numpy(object) for c in keys))
    return [_hover(dict(zip(keys, v)), vocab, lang, trim) for v in values]


@functools.lru_cache(maxsize=65536)
def _span_html(date: str, end: str, approximate: bool, lang: str) -> str:
    return esc(date_label({"date": date, "end": end, "approximate": approximate}, lang))


def _hover(r: dict, vocab: Vocabulary, lang: str, trim: bool) -> str:
    other = "ja" if lang == "en" else "en"
    title = r[f"title_{lang}"] or r[f"title_{other}"]
    if trim:
        return f"<b>{esc(title[:80])}</b><br>{esc(date_label(r, lang))}"
    status = vocab.label("status", r["status"], lang)
    return (f"<b>{esc(title)}</b><br>{esc(date_label(r, lang))}"
            f"{' · ' + esc(status) if r['status'] != 'occurred' else ''}<br>"
            f"{esc(labels(r['countries'], vocab, 'country', lang))}<br>"
            f"<i>{esc(vocab.label('type', r['type'], lang))}</i>")


def activity_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", today: dt.date | None = None,
                    x_range: tuple | None = None, as_dict: bool = False) -> go.Figure | dict:
    """Events per month, stacked by each event's primary (first) theme."""
    t = TEXT[lang]
    counts = activity_counts(df)
    months = counts.index.to_numpy("datetime64[ns]") if len(counts) else []
    themes = _ordered(pd.Series(counts.columns, dtype=object), vocab, "theme")
    hover = {theme: "%{x|%Y-%m}: %{y} — " + esc(vocab.label("theme", theme, lang)) + "<extra></extra>"
             for theme in themes}
    if len(counts) * len(themes) <= MAX_BARS:
        traces = [{"type": "bar", "x": months, "y": counts[theme].to_numpy(), "name": vocab.label("theme", theme, lang),
                   "marker": {"color": vocab.color("theme", theme)}, "showlegend": False,
                   "hovertemplate": hover[theme]} for theme in themes]
    else:
        # years of months: the same stacks as step areas, one SVG path per theme instead of a
        # rectangle per month and theme (thousands of them took most of a second to draw)
        edges = np.append(months, months[-1] + np.timedelta64(31, "D")).astype("datetime64[M]")
        x = edges.astype("datetime64[ms]").astype(np.int64).astype(float)
        traces = [{"type": "scatter", "x": x, "y": np.append(counts[theme].to_numpy(), counts[theme].iloc[-1]),
                   "name": vocab.label("theme", theme, lang), "mode": "lines", "stackgroup": "themes",
                   "line": {"shape": "hv", "width": 0, "color": vocab.color("theme", theme)},
                   "fillcolor": vocab.color("theme", theme), "showlegend": False, "hovertemplate": hover[theme]}
                  for theme in themes]
    layout = {
        "template": _TEMPLATE, "barmode": "stack", "height": 190, "bargap": 0.15,
        "font": {"family": FONT, "size": 12}, "margin": {"l": 10, "r": 10, "t": 28, "b": 10},
        "title": {"text": f"{t['events']} <span style='font-size:11px;color:#777'>({t['by']})</span>",
                  "x": 0.01, "font": {"size": 13}},
        "yaxis": {"rangemode": "tozero", "fixedrange": True, "automargin": True},
        "xaxis": {"type": "date", "automargin": True, "range": list(x_range) if x_range is not None else None,
                  **date_ticks(lang)},
        "uirevision": "activity",
    }
    return _figure(traces, layout, as_dict)


def activity_counts(df: pd.DataFrame) -> pd.DataFrame:
    """Month (first day) x primary theme -> number of events, with empty months as zeros."""
    if df.empty:
        return pd.DataFrame(dtype="int64")
    month = df["start"].dt.to_period("M")
    primary = df["themes"].map(lambda v: v[0])
    table = pd.crosstab(month, primary)
    full = pd.period_range(month.min(), month.max(), freq="M")
    table = table.reindex(full, fill_value=0)
    table.index = table.index.to_timestamp()
    return table


def chain_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", selected: str | None = None,
                 today: dt.date | None = None) -> go.Figure:
    """A small connected timeline of an event chain: one row per event in date order, links drawn."""
    df = df.sort_values(["start", "id"])
    other = "ja" if lang == "en" else "en"
    y = {eid: i for i, eid in enumerate(df["id"])}
    x = dict(zip(df["id"], df["start"]))
    xs, ys = [], []
    for eid, related in zip(df["id"], df["related"]):
        for link in related:
            if link["id"] in y:
                xs += [x[eid], x[link["id"]], None]
                ys += [y[eid], y[link["id"]], None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#aaa", "width": 1.5}, hoverinfo="skip"))
    titles = [(a or b) for a, b in zip(df[f"title_{lang}"], df[f"title_{other}"])]
    colors = [vocab.color("theme", t[0]) for t in df["themes"]]
    fig.add_trace(go.Scatter(
        x=df["start"], y=[y[e] for e in df["id"]], mode="markers+text", customdata=df["id"].to_numpy(),
        text=[esc(t if len(t) <= 34 else t[:33] + "…") for t in titles], textposition="middle right",
        textfont={"size": 11}, hovertext=[f"<b>{esc(t)}</b><br>{esc(date_label(r, lang))}"
                                          for t, r in zip(titles, df.to_dict("records"))],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": [18 if e == selected else 11 for e in df["id"]], "color": colors,
                "line": {"width": [3 if e == selected else 0 for e in df["id"]], "color": "#111"}}))
    span = (df["stop"].max() - df["start"].min()) if len(df) else pd.Timedelta(days=30)
    fig.update_layout(template="plotly_white", showlegend=False, height=60 + 30 * len(df),
                      margin={"l": 4, "r": 4, "t": 4, "b": 4}, font={"family": FONT, "size": 11},
                      yaxis={"visible": False, "range": [len(df) - 0.5, -0.5], "fixedrange": True},
                      xaxis={"type": "date", "range": [df["start"].min() - span * 0.05 - pd.Timedelta(days=5),
                                                       df["stop"].max() + span * 0.9 + pd.Timedelta(days=30)]})
    return fig
