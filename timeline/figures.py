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
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .model import PLANNED_STATUSES, Vocabulary
from .tables import date_label, field_column, labels
from .text import t

FONT = ("Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Meiryo, Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic, "
        "Helvetica Neue, Arial, sans-serif")  # per character, the first font that has it: Korean fonts for hangul
SIZES = {1: 7, 2: 10, 3: 14}
_SIZE_OF = np.array([0, SIZES[1], SIZES[2], SIZES[3]])  # importance -> marker size, as an array lookup
WEBGL_THRESHOLD = 3000      # above this many markers the timeline uses WebGL traces
SLIDER_MAX = 500            # above this many markers the app's timeline has no range slider
FIGURE_COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
                  "title_ko", "short_en", "short_ja", "short_ko", "countries", "themes", "type", "importance",
                  "status", "evidence")
MAX_DRAWN = 20000           # the browser gets at most this many events; the most important are kept
TRIM_THRESHOLD = 3000       # above this many events hover text is trimmed to date and title
MAX_LANES = 10              # country lanes beyond this fold into "Other"
COMPACT_LANES = 6           # country lanes on a phone's width
FOLD_AT_MOST = 2            # in a country-filtered view, other countries with this few events fold too
OTHER = "~other"
LANE_PX = 50                # height of one swim lane in the app
MAX_BARS = 1000            # activity chart: above this many (month, theme) bars, stacked step areas
MAX_SLOTS = 4               # rows inside one lane before markers are allowed to overlap


_TICK_FORMATS = {"ja": ("%-m月%-d日", "%Y年%-m月", "%Y年"), "ko": ("%-m월 %-d일", "%Y년 %-m월", "%Y년")}


def date_ticks(lang: str) -> dict:
    """Axis tick formats: Plotly's defaults are English ("Sep 2025"); Japanese reads 2025年9月,
    Korean 2025년 9월."""
    if lang not in _TICK_FORMATS:
        return {}
    day, month, year = _TICK_FORMATS[lang]
    return {"tickformatstops": [{"dtickrange": [None, "M1"], "value": day},
                                {"dtickrange": ["M1", "M12"], "value": month},
                                {"dtickrange": ["M12", None], "value": year}]}


def lane_key(group: str) -> str:
    return {"country": "countries", "theme": "themes", "type": "type"}[group]


def color_kind(group: str) -> str:
    """Colour by theme, except when the lanes are themes: then by country."""
    return "country" if group == "theme" else "theme"


CLAIMED = ("claimed", "disputed")   # evidence drawn with a white dot: one side's word only


def symbols(precision: np.ndarray, status: np.ndarray, past_due: np.ndarray | None = None,
            evidence: np.ndarray | None = None) -> np.ndarray:
    """Marker symbol per event: shape from date precision, fill from status; an event that rests on
    one side's claim (or is disputed) has a white dot (◉); a planned event whose date has passed, or
    whose outcome is not confirmed, is crossed (⊕): it needs a follow-up."""
    base = np.where(precision == "day", "circle", "diamond").astype(object)
    planned = np.isin(status, PLANNED_STATUSES)
    out = base
    if evidence is not None:
        out = np.where(np.isin(evidence, CLAIMED), base + "-dot", out)
    out = np.where(planned, base + "-open", out)
    out = np.where(status == "postponed", base + "-open-dot", out)
    unsure = status == "unconfirmed"
    if past_due is not None:
        unsure = unsure | past_due
    out = np.where(unsure, base + "-cross-open", out)
    return np.where(status == "cancelled", "x", out).astype(object)


def esc(text: str) -> str:
    """Plotly renders a subset of HTML in hover text: escape so titles show literally."""
    # html.escape(text, quote=False), without its per-call overhead
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def lanes(df: pd.DataFrame, vocab: Vocabulary, group: str, focus: tuple[str, ...] = (), max_lanes: int = MAX_LANES
          ) -> tuple[dict[str, np.ndarray], list[str]]:
    """One entry per (event, lane), sorted by lane, date and id: `ev` (the event's row in `df`),
    `lane` (index into the lane ids) and `y` (its position); and the lane ids in display order
    (vocabulary order). Numpy throughout: this runs on every filter change.

    Country lanes: beyond MAX_LANES the smallest fold into "Other"; with `focus` (the countries a
    view selected), countries outside it with one or two events fold too."""
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
    if group == "country":
        # many countries with one or two events make unreadable lanes: fold them into "Other"
        count_of = dict(zip(present, counts.tolist(), strict=False))
        keep = set(present)
        if focus:
            keep = {c for c in present if c in focus or count_of[c] > FOLD_AT_MOST}
        if len(keep) > max_lanes:
            ranked = sorted(keep, key=lambda c: (c not in focus, -count_of[c], c))
            keep = set(ranked[:max_lanes - 1])
        if len(keep) < len(present):
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


@dataclass
class Placed:
    """Events placed on their lanes: one entry per (event, lane), the arrays every part draws from.

    `df` holds the drawn events (at most MAX_DRAWN, the most important kept) and `total` how many
    there were; `ev` indexes `df`, `y` is the lane position, `x` the marker's date (epoch ms: the
    day, or the middle of a month/year), `start`/`stop` the first and last day (epoch ms).
    """

    df: pd.DataFrame
    total: int
    group: str
    order: list[str]
    ev: np.ndarray
    y: np.ndarray
    x: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    is_span: np.ndarray
    is_day: np.ndarray
    ids: np.ndarray
    size: np.ndarray
    symbol: np.ndarray
    color_kind: str
    color_codes: np.ndarray
    color_order: list[tuple[str, int]]

    @property
    def lane_count(self) -> int:
        return max(len(self.order), 1)


def place_events(df: pd.DataFrame, vocab: Vocabulary, group: str = "country", today: dt.date | None = None,
                 focus: tuple[str, ...] = (), max_lanes: int = MAX_LANES) -> Placed:
    """Lay `df` (already filtered) out in swim lanes. `focus`: the countries the view selected (their
    lanes are kept; other countries with one or two events fold into "Other")."""
    today = today or dt.date.today()
    df = df[[c for c in FIGURE_COLUMNS if c in df.columns]]  # every take below copies only these
    total = len(df)
    if total > MAX_DRAWN:  # keep the figure sent to the browser bounded
        df = df.sort_values(["importance", "start"], ascending=[False, True], kind="stable").head(MAX_DRAWN)
    rows, order = lanes(df, vocab, group, focus, max_lanes)
    ev, y = rows["ev"], rows["y"]
    ckind = color_kind(group)
    first = np.array([v[0] if len(v) else "" for v in df[lane_key(ckind)].to_numpy(object)], dtype=object)
    color_codes, color_ids = pd.factorize(first[ev])
    color_order = [(cid, int(np.flatnonzero(color_ids == cid)[0]))
                   for cid in _ordered(pd.Series(color_ids, dtype=object), vocab, ckind)]
    # dates as epoch milliseconds: Plotly's date axes take them as they are, and numeric arrays go
    # to the browser as compact typed arrays instead of 10,000s of date strings to parse
    start = df["start"].to_numpy("datetime64[ms]").astype(np.int64).astype(float)[ev]
    stop = df["stop"].to_numpy("datetime64[ms]").astype(np.int64).astype(float)[ev]
    is_span = (df["end"] != "").to_numpy(bool)[ev]
    is_day = (df["precision"] == "day").to_numpy(bool)[ev]
    status = df["status"].to_numpy(object)[ev]
    past_due = np.isin(status, PLANNED_STATUSES) & (df["stop"] < pd.Timestamp(today)).to_numpy(bool)[ev]
    return Placed(
        df=df, total=total, group=group, order=order, ev=ev, y=y,
        x=np.where(is_day | is_span, start, start + (stop - start) // 2), start=start, stop=stop,
        is_span=is_span, is_day=is_day, ids=df["id"].to_numpy(object)[ev],
        size=_SIZE_OF[np.clip(df["importance"].to_numpy(np.int64)[ev], 1, 3)],
        symbol=symbols(df["precision"].to_numpy(object)[ev], status, past_due,
                       df["evidence"].to_numpy(object)[ev] if "evidence" in df.columns else None),
        color_kind=ckind, color_codes=color_codes, color_order=color_order)


def bar_traces(p: Placed, vocab: Vocabulary, lang: str, kind: str = "scatter") -> list[dict]:
    """Bars: spans (thick) and the whole period of month/year dates (thin). One trace per colour."""
    traces = []
    is_bar = p.is_span | ~p.is_day
    day = 86_400_000.0
    for cid, code in p.color_order:
        part = is_bar & (p.color_codes == code)
        for span, width, opacity in ((True, 7, 0.55), (False, 3, 0.45)):
            pick = np.flatnonzero(part & (p.is_span == span))
            if not len(pick):
                continue
            # one line trace per colour, segments separated by gaps (NaN): numeric arrays stay cheap
            xs = np.full(len(pick) * 3, np.nan)
            ys = np.full(len(pick) * 3, np.nan)
            xs[0::3] = p.start[pick]
            xs[1::3] = p.stop[pick] + day
            ys[0::3] = ys[1::3] = p.y[pick]
            # WebGL for big logs: SVG splits a line at every gap into its own styled <path>,
            # thousands of them (measured: a third of the draw at 10,000 events)
            traces.append({"type": kind, "x": xs, "y": ys, "mode": "lines", "opacity": opacity,
                           "line": {"color": vocab.color(p.color_kind, cid), "width": width}, "hoverinfo": "skip",
                           "showlegend": False, "legendgroup": cid, "name": vocab.label(p.color_kind, cid, lang)})
    return traces


def marker_traces(p: Placed, vocab: Vocabulary, lang: str, kind: str = "scatter", hover: bool = True) -> list[dict]:
    """Markers, one trace per colour and symbol, each colour with a plain legend entry."""
    traces = []
    texts = np.array(hover_texts(p.df, vocab, lang, len(p.df) > TRIM_THRESHOLD), dtype=object)[p.ev] if hover \
        else None
    symbol_codes, symbol_values = pd.factorize(p.symbol)
    for cid, code in p.color_order:
        color, name = vocab.color(p.color_kind, cid), vocab.label(p.color_kind, cid, lang)
        # the legend shows a plain filled circle per colour, whatever the first marker's status is
        traces.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "legendgroup": cid,
                       "name": name, "hoverinfo": "skip", "marker": {"color": color, "size": 11, "symbol": "circle"}})
        # one trace per colour and symbol: WebGL draws a symbol per point slowly, and colours per
        # point cost more than the extra traces (measured); a legend click hides a colour
        in_colour = p.color_codes == code
        for sym_code, sym in enumerate(symbol_values):
            pick = np.flatnonzero(in_colour & (symbol_codes == sym_code))
            if not len(pick):
                continue
            trace = {"type": kind, "x": p.x[pick], "y": p.y[pick], "mode": "markers", "name": name,
                     "legendgroup": cid, "showlegend": False, "customdata": p.ids[pick].tolist(),
                     "marker": {"color": color, "size": p.size[pick], "symbol": sym,
                                # a claimed event's dot is white, so it shows inside the filled marker
                                "line": {"color": "#ffffff", "width": 1} if _white_dot(sym)
                                else {"color": color, "width": 2},
                                "opacity": 0.9}}
            if texts is not None:
                trace.update(hovertext=texts[pick].tolist(), hovertemplate="%{hovertext}<extra></extra>")
            else:
                trace["hoverinfo"] = "skip"
            traces.append(trace)
    return traces


def _white_dot(symbol: str) -> bool:
    return symbol.endswith("-dot") and "-open" not in symbol


RINGS = {"new": ("#f5b041", 12), "selected": ("#111", 10)}


def ring_traces(p: Placed, name: str, event_ids, kind: str = "scatter") -> list[dict]:
    """An overlay ring around some events: "new" (added since a date) or "selected"."""
    if not event_ids:
        return []
    pick = np.flatnonzero(np.isin(p.ids, list(event_ids)))
    if not len(pick):
        return []
    color, grow = RINGS[name]
    return [{"type": kind, "x": p.x[pick], "y": p.y[pick], "mode": "markers", "hoverinfo": "skip",
             "showlegend": False, "name": name,
             "marker": {"size": p.size[pick] + grow, "symbol": "circle-open", "color": color,
                        "line": {"width": 3, "color": color}}}]


def lane_axis(p: Placed, vocab: Vocabulary, lang: str) -> dict:
    """The y axis: one labelled row per lane, first lane on top."""
    return {"tickmode": "array", "tickvals": list(range(len(p.order))),
            "ticktext": [_lane_label(vocab, p.group, lane, lang) for lane in p.order],
            "range": [p.lane_count - 0.5, -0.5], "showgrid": False, "zeroline": False, "fixedrange": True,
            "automargin": True}


def lane_bands(count: int, yref: str = "y") -> list[dict]:
    """Zebra bands behind every other lane: rows stay readable across a wide chart."""
    xref = "paper" if yref == "y" else f"x{yref[1:]} domain"
    return [{"type": "rect", "xref": xref, "x0": 0, "x1": 1, "yref": yref, "y0": i - 0.5, "y1": i + 0.5,
             "fillcolor": "#f4f6f8", "line": {"width": 0}, "layer": "below"} for i in range(0, count, 2)]


def date_axis(lang: str, **extra) -> dict:
    """A date axis with the language's tick labels. Every date axis of a figure is built here, and a
    second axis showing the same dates is a plain matching axis (never `overlaying`: plotly.js then
    labels the matched ticks a month early)."""
    return {"type": "date", "automargin": True, **date_ticks(lang), **extra}


TOP_STRIP = "y9"   # the thin, invisible y axis the top date axis is anchored to


def top_date_axis(lang: str, match: str = "x") -> tuple[dict, dict]:
    """The date ticks repeated above the lanes, as (x axis, y axis): a matching x axis (the same
    ticks as the bottom axis, by construction) on a hair-thin subplot at the top edge, so that its
    hover and drag layer does not cover the lanes' markers."""
    x = date_axis(lang, matches=match, anchor=TOP_STRIP, side="top", showgrid=False,
                  tickfont={"size": 11, "color": "#666"})
    y = {"domain": [0.998, 1], "visible": False, "fixedrange": True, "range": [0, 1]}
    return x, y


def initial_range(p: Placed, today: dt.date, until: pd.Timestamp | None = None) -> list:
    """Open on where the events are: a few early outliers (a 2019 speech) stay reachable by zooming out.
    The range reaches today, or `until` (the end of a window that closes before today) instead.
    With no events, the year up to today (never Plotly's empty default of the year 2000)."""
    if not len(p.ev):
        return [pd.Timestamp(today) - pd.Timedelta(days=365), pd.Timestamp(today) + pd.Timedelta(days=60)]
    df = p.df
    lo = df["start"].min() if len(df) < 50 else df["start"].quantile(0.02)
    hi = df["stop"].max()
    pad = max((hi - lo) * 0.03, pd.Timedelta(days=10))
    end = pd.Timestamp(today) if until is None else min(pd.Timestamp(until), pd.Timestamp(today))
    return [lo - pad, max(hi, end) + pad]


def notes(p: Placed, lang: str) -> list[dict]:
    """What the chart must say about itself: bounded to the most important, or empty."""
    out = []
    if p.total > len(p.df):
        out.append({"text": t("fig.most_important", lang, shown=len(p.df), total=p.total), "showarrow": False,
                    "x": 0, "y": 1.0, "xref": "paper", "yref": "paper", "xanchor": "left", "yanchor": "bottom",
                    "font": {"size": 12, "color": "#a04000"}})
    if p.df.empty:
        out.append({"text": t("none_match", lang), "showarrow": False, "x": 0.5, "y": 0.5, "xref": "paper",
                    "yref": "paper", "font": {"size": 16, "color": "#666"}})
    return out


LEGEND_FONT = 11
LEGEND_ROW_PX = 21          # one row of the horizontal legend
LEGEND_LAYOUT_PX = 640      # the legend's rows are reserved for a plot this wide (wider plots need fewer)
X_LABELS_PX = 38            # the date tick labels under the plot: two lines (a day's ticks carry the year)
SLIDER_SHARE = 0.06         # the range slider's height, as a share of the plot's


@dataclass
class AppFrame:
    """The app's timeline with margins fixed in advance (Plotly's `autoexpand` off), so that the plot
    area is known on the server: the first paint (`firstpaint.py`) draws the chart where the live
    one will be, and nothing moves when it takes over. Lane names set the left margin; the bottom
    holds the date labels, the range slider and the legend's rows."""

    left: int
    legend_rows: int
    rangeslider: bool
    top: int

    RIGHT = 30                # room for the last date label
    BOTTOM_PAD = 8

    def bottom(self, plot_px: float = 0) -> int:
        slider = SLIDER_SHARE * plot_px + 12 if self.rangeslider else 0
        return int(round(X_LABELS_PX + slider + self.legend_rows * LEGEND_ROW_PX + self.BOTTOM_PAD))

    def height(self, plot_px: float) -> int:
        return max(320, int(round(self.top + plot_px + self.bottom(plot_px))))

    def plot_px(self, height: float) -> float:
        """The plot's height in a figure `height` px tall (the bottom grows with the slider)."""
        share = SLIDER_SHARE if self.rangeslider else 0
        rest = height - self.top - X_LABELS_PX - (12 if self.rangeslider else 0) - self.legend_rows * LEGEND_ROW_PX \
            - self.BOTTOM_PAD
        return rest / (1 + share)

    def margin(self, height: float | None = None) -> dict:
        plot = self.plot_px(height) if height else 0
        return {"l": self.left, "r": self.RIGHT, "t": self.top, "b": self.bottom(plot), "autoexpand": False}

    def legend_y(self, height: float) -> float:
        """The legend's top, in the plot's paper units (below the date labels and the slider)."""
        plot = self.plot_px(height)
        below = X_LABELS_PX + (SLIDER_SHARE * plot + 12 if self.rangeslider else 0)
        return -below / plot


def app_frame(p: Placed, vocab: Vocabulary, lang: str, rangeslider: bool, titled: bool) -> AppFrame:
    from .labels import text_width

    names = [vocab.label(p.color_kind, cid, lang) for cid, _ in p.color_order]
    rows, used = (1 if names else 0), 0.0
    for name in names:  # Plotly's horizontal legend: an item is its symbol (40 px) and its name
        item = 40 + text_width(name, LEGEND_FONT) + 8
        if used and used + item > LEGEND_LAYOUT_PX:
            rows, used = rows + 1, 0.0
        used += item
    return AppFrame(left=int(lane_label_width(p, vocab, lang, 13)) + 14, legend_rows=rows, rangeslider=rangeslider,
                    top=40 if titled else 44)


def timeline_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", group: str = "country",
                    selected: str | None = None, today: dt.date | None = None,
                    highlight: set[str] | frozenset[str] = frozenset(), x_range: tuple | None = None,
                    webgl: bool | None = None, rangeslider: bool = True, title: str | None = None,
                    top_axis: bool | None = None, focus: tuple[str, ...] = (), compact: bool = False,
                    labels: int | None = None, label_ids: tuple[str, ...] = (), periods: list | None = None,
                    as_dict: bool = False) -> go.Figure | dict:
    """Swim-lane timeline of `df` (already filtered), composed of the parts above.

    `as_dict` returns the plain {"data", "layout"} mapping instead of a Figure: what the app sends,
    without building (and later converting back) a Figure on every filter change.
    `top_axis` repeats the date ticks above the lanes (default: with the range slider, i.e. in the
    app, where a tall chart would otherwise hide its dates below the fold). `compact`: a phone's
    width (fewer country lanes, no range slider, no legend).
    `labels`: label that many key events (None: none) plus `label_ids` (always labelled), laid out
    for a plot at least APP_PLOT_WIDTH wide; `periods` (load.load_periods): context bands behind the lanes.
    """
    rangeslider = rangeslider and not compact
    show_top = rangeslider if top_axis is None else top_axis
    today = today or dt.date.today()
    p = place_events(df, vocab, group, today, focus, COMPACT_LANES if compact else MAX_LANES)
    webgl = len(p.ev) > WEBGL_THRESHOLD if webgl is None else webgl
    kind = "scattergl" if webgl else "scatter"
    # The range slider draws every trace a second time: worth it for a few hundred events, not for
    # thousands (and Plotly's slider cannot show WebGL traces at all). Zooming by dragging stays.
    rangeslider = rangeslider and not webgl and len(p.ev) <= SLIDER_MAX
    traces = bar_traces(p, vocab, lang, kind) + marker_traces(p, vocab, lang, kind)
    if show_top:  # an invisible trace on the top axis, so that plotly draws it
        traces.append({"type": "scatter", "x": [None], "y": [None], "xaxis": "x2", "yaxis": TOP_STRIP,
                       "showlegend": False,
                       "hoverinfo": "skip", "name": "top-axis"})
    traces += ring_traces(p, "new", highlight, kind) + ring_traces(p, "selected", {selected} if selected else (), kind)
    n = p.lane_count
    line, label = today_marks(today, t("today", lang), at_top=not show_top)
    fixed = show_top and not compact  # the app's wide timeline: a plot area known before the browser lays it out
    frame = app_frame(p, vocab, lang, rangeslider, bool(title)) if fixed else None
    layout = {
        # the template object itself: an unvalidated figure would send only its name to the browser
        "template": TEMPLATE, "font": {"family": FONT, "size": 13},
        # transparent plot areas: the top axis is a second subplot over the lanes, and its
        # background must not hide them
        "plot_bgcolor": "rgba(0,0,0,0)",
        "height": max(320, 150 + LANE_PX * n + (60 if rangeslider else 0)),
        # with the dates on top, room for the mode bar above them
        "margin": {"l": 10, "r": 10, "t": 40 if title else (44 if show_top else 12), "b": 10},
        "hovermode": "closest", "hoverlabel": {"font": {"family": FONT}, "align": "left"},
        # below the range slider: its tick labels and strip take ~55 px plus 6% of the plot's height
        "legend": {"orientation": "h", "yanchor": "top", "x": 0,
                   "y": -0.02 if not rangeslider else -(55 / (LANE_PX * n) + 0.06),
                   "font": {"size": 11}, "itemsizing": "constant"},
        "yaxis": lane_axis(p, vocab, lang),
        "xaxis": date_axis(lang, showgrid=True, gridcolor="#eee",
                           rangeslider={"visible": rangeslider, "thickness": 0.06},
                           range=list(x_range) if x_range is not None else initial_range(p, today)),
        "dragmode": "zoom", "uirevision": group, "shapes": lane_bands(n) + [line], "showlegend": not compact,
        "annotations": [label] + notes(p, lang),
    }
    if frame:
        layout["height"] = frame.height(LANE_PX * n)
        layout["margin"] = frame.margin(layout["height"])
    if labels is not None or label_ids:
        _add_labels(layout, p, lang, labels or 0, label_ids, today)
    if periods and layout["xaxis"]["range"] is not None:
        _add_bands(layout, periods, vocab, lang, frame.plot_px if frame else None)
    if title:
        layout["title"] = {"text": esc(title), "x": 0.01}
    if frame:
        layout["margin"] = frame.margin(layout["height"])
        layout["legend"]["y"] = frame.legend_y(layout["height"])
    if show_top:
        layout["xaxis2"], layout["yaxis" + TOP_STRIP[1:]] = top_date_axis(lang)
    return _figure(traces, layout, as_dict)


def _add_labels(layout: dict, p: Placed, lang: str, n: int, label_ids: tuple[str, ...], today: dt.date) -> None:
    """Labels in the app's timeline: the plot grows by the tiers the labels use."""
    from . import labels as lab

    if not len(p.ev) or layout["xaxis"]["range"] is None:
        return
    x_range = range_with(layout["xaxis"]["range"], p, label_ids)
    lanes_px = LANE_PX * p.lane_count
    first = lab.layout_labels(p, n, label_ids, lang, APP_PLOT_WIDTH, lanes_px + 400, x_range_ms(x_range))
    grown = lanes_px + first.above + first.below
    placed = lab.layout_labels(p, n, label_ids, lang, APP_PLOT_WIDTH, grown, x_range_ms(x_range))
    annotations, shapes = label_annotations(placed)
    layout["xaxis"]["range"] = x_range
    layout["yaxis"]["range"] = [placed.frame.y_bottom, placed.frame.y_top]
    layout["height"] += grown - lanes_px
    layout["annotations"] += annotations
    layout["shapes"] += shapes


def _add_bands(layout: dict, periods, vocab: Vocabulary, lang: str, plot_px_of=None) -> None:
    """The context strip on top of the app's lanes: the plot grows by its rows. `plot_px_of`: the
    plot's height for a figure height (AppFrame.plot_px), else about 60 px less than the figure."""
    strip_px = len(band_rows(periods)) * BAND_ROW_PX
    layout["height"] += strip_px + 8
    plot_px = plot_px_of(layout["height"]) if plot_px_of else layout["height"] - 60
    share = (strip_px + 8) / plot_px
    layout["yaxis"]["domain"] = [0, 1 - share]
    shapes, annotations = band_parts(periods, vocab, lang, layout["xaxis"]["range"], (1 - strip_px / plot_px, 1),
                                     APP_PLOT_WIDTH, shade=(0, 1 - share))
    layout["shapes"] = shapes + layout["shapes"]
    layout["annotations"] += annotations


TEMPLATE = pio.templates["plotly_white"]
_TEMPLATE_DICT = TEMPLATE.to_plotly_json()


def _figure(traces: list[dict], layout: dict, as_dict: bool) -> go.Figure | dict:
    if as_dict:
        return {"data": traces, "layout": {**layout, "template": _TEMPLATE_DICT}}
    # plain dicts, no per-property validation: it cost more than everything else together
    return go.Figure(data=traces, layout=layout, _validate=False)


def today_marks(today: dt.date, label: str, at_top: bool = True, side: str | None = None) -> tuple[dict, dict]:
    """The dashed red line at today and its label: above the plot (exports) or inside its foot (the
    app, whose top edge carries the date ticks and the mode bar). `side` puts the label beside the
    line ("right" when today is at the chart's left edge, so that it is not clipped)."""
    x = pd.Timestamp(today).strftime("%Y-%m-%d")
    line = {"type": "line", "xref": "x", "x0": x, "x1": x, "yref": "paper", "y0": 0, "y1": 1,
            "line": {"dash": "dash", "color": "#c0392b", "width": 1.5}}
    side = side or ("center" if at_top else "left")
    anchor = {"center": "center", "left": "right", "right": "left"}[side]
    text = {"x": x, "y": 1 if at_top else 0, "xref": "x", "yref": "paper", "text": label, "showarrow": False,
            "yanchor": "bottom", "xanchor": anchor, "xshift": {"center": 0, "left": -3, "right": 3}[side],
            "font": {"color": "#c0392b", "size": 11}}
    return line, text


def outlook_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str, group: str, today: dt.date,
                   months: int) -> go.Figure:
    """The outlook: planned events from today to the horizon, the today line at the left edge with
    its label beside it, the legend below the date axis."""
    horizon = pd.Timestamp(today) + pd.DateOffset(months=months)
    pad = pd.Timedelta(days=max(3, months * 2))
    fig = timeline_figure(df, vocab, lang, group, today=today, rangeslider=False, top_axis=False,
                          x_range=(pd.Timestamp(today) - pad, horizon + pad))
    line, label = today_marks(today, t("today", lang), at_top=True, side="right")
    fig.layout.shapes = [s for s in fig.layout.shapes if s.type != "line"] + [line]
    fig.layout.annotations = [a for a in fig.layout.annotations if a.text != t("today", lang)] + [label]
    fig.update_layout(margin={"t": 30, "b": 10}, legend={"y": -0.12, "yanchor": "top"})
    return fig


def _lane_label(vocab: Vocabulary, group: str, lane: str, lang: str) -> str:
    text = t("other_lane", lang) if lane == OTHER else vocab.label(group, lane, lang)
    return esc(text if len(text) <= 26 else text[:25] + "…")


def _ordered(values: pd.Series, vocab: Vocabulary, kind: str) -> list[str]:
    present = set(values)
    out = [t for t in vocab.kind(kind) if t in present]
    return out + sorted(present - set(out))


def hover_texts(df: pd.DataFrame, vocab: Vocabulary, lang: str, trim: bool) -> list[str]:
    """Hover text per row of `df` (escaped: Plotly renders a subset of HTML). `trim`: title and date
    only, built in one pass (big logs: this runs for thousands of events per change)."""
    titles = field_column(df, "title", lang)
    dates = zip(df["date"].to_numpy(object), df["end"].to_numpy(object), df["approximate"].to_numpy(bool), strict=False)
    if trim:
        return [f"<b>{esc(title[:80])}</b><br>{_span_html(d, e, a, lang)}"
                for title, (d, e, a) in zip(titles, dates, strict=True)]
    rest = zip(df["countries"].to_numpy(object), df["type"].to_numpy(object), df["status"].to_numpy(object),
               strict=True)
    return [f"<b>{esc(title)}</b><br>{_span_html(d, e, a, lang)}"
            f"{' · ' + esc(vocab.label('status', status, lang)) if status != 'occurred' else ''}<br>"
            f"{esc(labels(countries, vocab, 'country', lang))}<br><i>{esc(vocab.label('type', kind, lang))}</i>"
            for title, (d, e, a), (countries, kind, status) in zip(titles, dates, rest, strict=False)]


@functools.lru_cache(maxsize=65536)
def _span_html(date: str, end: str, approximate: bool, lang: str) -> str:
    return esc(date_label({"date": date, "end": end, "approximate": approximate}, lang))


def activity_traces(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en",
                    counts: pd.DataFrame | None = None) -> list[dict]:
    """Events per month stacked by primary theme: bars, or step areas over years of months
    (`counts`: activity_counts(df), when already computed)."""
    counts = activity_counts(df) if counts is None else counts
    months = counts.index.to_numpy("datetime64[ns]") if len(counts) else []
    themes = _ordered(pd.Series(counts.columns, dtype=object), vocab, "theme")
    hover = {theme: "%{x|%Y-%m}: %{y} — " + esc(vocab.label("theme", theme, lang)) + "<extra></extra>"
             for theme in themes}
    if len(counts) * len(themes) <= MAX_BARS:
        return [{"type": "bar", "x": months, "y": counts[theme].to_numpy(), "name": vocab.label("theme", theme, lang),
                 "marker": {"color": vocab.color("theme", theme)}, "showlegend": False,
                 "hovertemplate": hover[theme]} for theme in themes]
    # years of months: the same stacks as step areas, one SVG path per theme instead of a
    # rectangle per month and theme (thousands of them took most of a second to draw)
    edges = np.append(months, months[-1] + np.timedelta64(31, "D")).astype("datetime64[M]")
    x = edges.astype("datetime64[ms]").astype(np.int64).astype(float)
    return [{"type": "scatter", "x": x, "y": np.append(counts[theme].to_numpy(), counts[theme].iloc[-1]),
             "name": vocab.label("theme", theme, lang), "mode": "lines", "stackgroup": "themes",
             "line": {"shape": "hv", "width": 0, "color": vocab.color("theme", theme)},
             "fillcolor": vocab.color("theme", theme), "showlegend": False, "hovertemplate": hover[theme]}
            for theme in themes]


def count_axis(top: float | None = None) -> dict:
    """Whole numbers only on a count axis (never 0.5 events); with `top` (the largest count) up to
    COUNT_STEP_MAX, a tick per event (Plotly would put ticks at halves, labelled 0, 1, 1, 2, 2)."""
    axis = {"tickformat": ",d", "rangemode": "tozero"}
    if top is not None and top <= COUNT_STEP_MAX:
        axis.update(tick0=0, dtick=1)
    return axis


COUNT_STEP_MAX = 6


def activity_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", today: dt.date | None = None,
                    x_range: tuple | None = None, as_dict: bool = False) -> go.Figure | dict:
    """Events per month, stacked by each event's primary (first) theme."""
    counts = activity_counts(df)
    top = float(counts.sum(axis=1).max()) if len(counts) else 0.0
    layout = {
        "template": TEMPLATE, "barmode": "stack", "height": 190, "bargap": 0.15,
        "font": {"family": FONT, "size": 12}, "margin": {"l": 10, "r": 10, "t": 28, "b": 10},
        "title": {"text": f"{t('fig.events_per_month', lang)} "
                          f"<span style='font-size:11px;color:#777'>({t('fig.by_theme', lang)})</span>",
                  "x": 0.01, "font": {"size": 13}},
        "yaxis": {"fixedrange": True, "automargin": True, **count_axis(top)},
        "xaxis": date_axis(lang, range=list(x_range) if x_range is not None else None),
        "uirevision": "activity",
    }
    return _figure(activity_traces(df, vocab, lang, counts), layout, as_dict)


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
    y = {eid: i for i, eid in enumerate(df["id"])}
    x = dict(zip(df["id"], df["start"], strict=False))
    xs, ys = [], []
    for eid, related in zip(df["id"], df["related"], strict=False):
        for link in related:
            if link["id"] in y:
                xs += [x[eid], x[link["id"]], None]
                ys += [y[eid], y[link["id"]], None]
    fig = go.Figure(go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#aaa", "width": 1.5}, hoverinfo="skip"))
    titles = field_column(df, "title", lang)
    colors = [vocab.color("theme", themes[0]) for themes in df["themes"]]
    fig.add_trace(go.Scatter(
        x=df["start"], y=[y[e] for e in df["id"]], mode="markers+text", customdata=df["id"].to_numpy(),
        text=[esc(title if len(title) <= 34 else title[:33] + "…") for title in titles], textposition="middle right",
        textfont={"size": 11}, hovertext=[f"<b>{esc(title)}</b><br>{esc(date_label(r, lang))}"
                                          for title, r in zip(titles, df.to_dict("records"), strict=False)],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": [18 if e == selected else 11 for e in df["id"]], "color": colors,
                "line": {"width": [3 if e == selected else 0 for e in df["id"]], "color": "#111"}}))
    span = (df["stop"].max() - df["start"].min()) if len(df) else pd.Timedelta(days=30)
    fig.update_layout(template="plotly_white", showlegend=False, height=60 + 30 * len(df),
                      margin={"l": 4, "r": 4, "t": 4, "b": 4}, font={"family": FONT, "size": 11},
                      yaxis={"visible": False, "range": [len(df) - 0.5, -0.5], "fixedrange": True},
                      xaxis=date_axis(lang, range=[df["start"].min() - span * 0.05 - pd.Timedelta(days=5),
                                                   df["stop"].max() + span * 0.9 + pd.Timedelta(days=30)]))
    return fig


# -- labelled key events ------------------------------------------------------------------------------

APP_PLOT_WIDTH = 750        # px: the narrowest plot the app's labels are laid out for (a 1280-px window)


def label_annotations(layout, xref: str = "x", yref: str = "y") -> tuple[list[dict], list[dict]]:
    """Annotations (the label boxes, exactly as `labels.place` computed them) and leader-line shapes
    for a `labels.Layout`, on the axes `xref`/`yref` of the timeline it was laid out for."""
    from .labels import FONT_SIZE, PAD

    f = layout.frame
    annotations, shapes = [], []
    for lab in layout.labels:
        left, top, right, bottom = lab.box
        text = (f"<span style='font-size:{FONT_SIZE - 1}px;color:#555'>{esc(lab.date)}</span><br>"
                + "<br>".join(esc(line) for line in lab.lines))
        annotations.append({
            "x": f.data_x((left + right) / 2), "y": f.data_y((top + bottom) / 2), "xref": xref, "yref": yref,
            "text": text, "showarrow": False, "xanchor": "center", "yanchor": "middle", "align": "left",
            "width": right - left - 2 * PAD, "height": bottom - top - 2 * PAD, "borderpad": PAD, "borderwidth": 0,
            "bgcolor": "rgba(255,255,255,0.92)", "font": {"size": FONT_SIZE, "color": "#111"},
            "name": f"label:{lab.id}"})
        edge = bottom if lab.side == "above" else top
        shapes.append({"type": "line", "xref": xref, "yref": yref, "x0": lab.x, "x1": lab.x, "y0": f.data_y(edge),
                       "y1": lab.y, "line": {"color": "#777", "width": 0.8}, "layer": "below",
                       "name": f"leader:{lab.id}"})
    return annotations, shapes


def x_range_ms(x_range) -> tuple[float, float]:
    """A date range (Timestamps or strings) as epoch ms, the unit of `Placed.x`."""
    lo, hi = (pd.Timestamp(v) for v in x_range)
    return float(lo.value // 1_000_000), float(hi.value // 1_000_000)


def range_with(x_range, p: Placed, ids) -> list[pd.Timestamp]:
    """`x_range` widened to show the events `ids` (a forced label is never off the chart)."""
    lo, hi = (pd.Timestamp(v) for v in x_range)
    pick = np.isin(p.ids, list(ids))
    if pick.any():
        pad = (hi - lo) * 0.02
        lo = min(lo, pd.Timestamp(p.x[pick].min(), unit="ms") - pad)
        hi = max(hi, pd.Timestamp(p.x[pick].max(), unit="ms") + pad)
    return [lo, hi]


def lane_label_width(p: Placed, vocab: Vocabulary, lang: str, size: float) -> float:
    """Estimated px of the widest lane name (a fixed margin: the label layout needs a known plot area)."""
    from .labels import text_width

    names = [_lane_label(vocab, p.group, lane, lang) for lane in p.order] or [""]
    return max(text_width(n, size) for n in names)


# -- context bands ------------------------------------------------------------------------------------

BAND_COLORS = {"administration": ("#dde5ee", "#eef2f7"), "acting": ("#f5e2bd", "#f5e2bd"),
               "exercise": ("#f2cfcb", "#f2cfcb")}
EXERCISE_SHADE = "rgba(192,57,43,0.07)"
BAND_FONT = 10
BAND_ROW_PX = 15        # px per row of the context strip


def band_rows(periods) -> list[str]:
    """The strip's rows in the order of the periods file (countries, then exercises)."""
    return list(dict.fromkeys(p.row for p in periods))


def band_row_label(row: str, vocab: Vocabulary, lang: str) -> str:
    from .model import EXERCISE_ROW

    return t("band.exercises", lang) if row == EXERCISE_ROW else vocab.label("country", row, lang)


def band_parts(periods, vocab: Vocabulary, lang: str, x_range, strip: tuple[float, float], width_px: float,
               shade: tuple[float, float] | None = None) -> tuple[list[dict], list[dict]]:
    """The context strip: one row per country (who governs) and one for exercise windows, each period a
    light band with its label inside when it fits (paper y from `strip`); with `shade`, exercise
    windows are also shaded across the lanes (paper y range). Returns (shapes, annotations)."""
    lo, hi = x_range_ms(x_range)
    day = 86_400_000.0
    rows = band_rows(periods)
    height = (strip[1] - strip[0]) / max(len(rows), 1)
    shapes, annotations = [], []
    for r, row in enumerate(rows):
        top = strip[1] - r * height
        annotations.append({"text": esc(band_row_label(row, vocab, lang)), "x": 0, "xref": "paper", "xanchor": "right",
                            "y": top - height / 2, "yref": "paper", "yanchor": "middle", "showarrow": False,
                            "xshift": -6, "font": {"size": BAND_FONT - 1, "color": "#555"}})
        shown = [p for p in periods if p.row == row]
        several_acting = sum(p.kind == "acting" for p in shown) > 1
        acting: list[tuple[float, float]] = []
        for k, period in enumerate(shown):
            x0 = float(pd.Timestamp(period.start.first).value // 1_000_000)
            x1 = float(pd.Timestamp(period.end.last).value // 1_000_000) + day if period.end else hi
            x0, x1 = max(x0, lo), min(x1, hi)
            if x1 <= x0:
                continue
            shapes.append({"type": "rect", "xref": "x", "x0": x0, "x1": x1, "yref": "paper", "y0": top - height * 0.92,
                           "y1": top, "fillcolor": BAND_COLORS[period.kind][k % 2], "line": {"width": 0},
                           "layer": "below", "name": f"band:{period.id}"})
            if shade and period.kind == "exercise":
                shapes.append({"type": "rect", "xref": "x", "x0": x0, "x1": x1, "yref": "paper", "y0": shade[0],
                               "y1": shade[1], "fillcolor": EXERCISE_SHADE, "line": {"width": 0}, "layer": "below"})
            if period.kind == "acting" and several_acting:
                acting.append((x0, x1))  # named together below, so that no two labels overlap
                continue
            fits = _band_text(period.text(lang), x0, x1, top - height * 0.46, (hi - lo) / width_px, period.id)
            if fits:
                annotations.append(fits)
        # acting presidents one after another (most too short to name): one label over the run
        if acting:
            run = _band_text(t("band.acting", lang), min(a for a, _ in acting), max(b for _, b in acting),
                             top - height * 0.46, (hi - lo) / width_px, f"acting:{row}")
            annotations += [run] if run else []
    return shapes, annotations


def _band_text(text: str, x0: float, x1: float, y: float, per_px: float, name: str) -> dict | None:
    """A band's label, centred in it, or None when it does not fit."""
    from .labels import text_width

    if text_width(text, BAND_FONT) + 6 > (x1 - x0) / per_px:
        return None
    return {"text": esc(text), "x": (x0 + x1) / 2, "xref": "x", "y": y, "yref": "paper", "yanchor": "middle",
            "showarrow": False, "font": {"size": BAND_FONT, "color": "#333"}, "name": f"band:{name}"}
