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
import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from .model import Vocabulary
from .tables import date_label, labels

FONT = "Noto Sans CJK JP, Noto Sans JP, Hiragino Sans, Meiryo, Helvetica Neue, Arial, sans-serif"
SIZES = {1: 7, 2: 10, 3: 14}
WEBGL_THRESHOLD = 3000      # above this many markers the timeline uses WebGL traces
FIGURE_COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
                  "countries", "themes", "type", "importance", "status")
MAX_DRAWN = 20000           # the browser gets at most this many events; the most important are kept
TRIM_THRESHOLD = 3000       # above this many events hover text is trimmed to date and title
MAX_LANES = 10              # country lanes beyond this fold into "Other"
OTHER = "~other"
LANE_PX = 50                # height of one swim lane in the app
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
    return html.escape(str(text), quote=False)


def lanes(df: pd.DataFrame, vocab: Vocabulary, group: str) -> tuple[pd.DataFrame, list[str]]:
    """One row per (event, lane) with its y position; lane ids in display order (vocabulary order)."""
    key = lane_key(group)
    rows = df.assign(lane=df[key])
    if key != "type":
        rows = rows.explode("lane")
    if group == "country" and rows["lane"].nunique() > MAX_LANES:
        # many countries with one or two events make unreadable lanes: fold them into "Other"
        counts = rows["lane"].value_counts()
        keep = set(counts.index[:MAX_LANES - 1])
        rows = rows.assign(lane=rows["lane"].where(rows["lane"].isin(keep), OTHER))
        rows = rows.drop_duplicates(["id", "lane"])
    present = set(rows["lane"])
    order = [t for t in vocab.kind(group) if t in present]
    order += sorted(present - set(order) - {OTHER}) + ([OTHER] if OTHER in present else [])
    rank = {lane: i for i, lane in enumerate(order)}
    rows = rows.assign(lane_index=rows["lane"].map(rank)).sort_values(["lane_index", "start", "id"], kind="stable")
    rows["y"] = rows["lane_index"].astype(float) + _offsets(rows)
    return rows, order


def _offsets(rows: pd.DataFrame) -> np.ndarray:
    """Spread markers that are close in time over up to MAX_SLOTS rows inside their lane."""
    if rows.empty:
        return np.zeros(0)
    start_a = rows["start"].to_numpy("datetime64[D]").astype("int64")
    stop_a = rows["stop"].to_numpy("datetime64[D]").astype("int64")
    lane_a = rows["lane_index"].to_numpy()
    start, stop, lane = start_a.tolist(), stop_a.tolist(), lane_a.tolist()  # plain ints: fast in the loop
    span_days = max(int(stop_a.max() - start_a.min()), 30)
    gap = span_days / 70  # markers closer than this (in days, at full width) would touch
    slot = np.zeros(len(rows), dtype=int)
    last_end: list[float] = []
    prev_lane = None
    for i in range(len(rows)):
        if lane[i] != prev_lane:
            last_end, prev_lane = [-1e18] * MAX_SLOTS, lane[i]
        s = start[i]
        choice = next((k for k in range(MAX_SLOTS) if last_end[k] + gap <= s), None)
        if choice is None:
            choice = last_end.index(min(last_end))
        slot[i] = choice
        last_end[choice] = max(stop[i], s)
    used = pd.Series(slot).groupby(lane_a).transform("max").to_numpy() + 1  # centre lanes that use few rows
    return (slot - (used - 1) / 2) * (0.72 / MAX_SLOTS)


def timeline_figure(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", group: str = "country",
                    selected: str | None = None, today: dt.date | None = None,
                    highlight: set[str] | frozenset[str] = frozenset(), x_range: tuple | None = None,
                    webgl: bool | None = None, rangeslider: bool = True, title: str | None = None,
                    top_axis: bool | None = None) -> go.Figure:
    """Swim-lane timeline of `df` (already filtered).

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
    ckind = color_kind(group)
    ckey = "countries" if ckind == "country" else "themes"
    rows = rows.assign(color_id=rows[ckey].map(lambda v: v[0] if len(v) else ""))
    if webgl is None:
        webgl = len(rows) > WEBGL_THRESHOLD
    kind = "scattergl" if webgl else "scatter"
    trim = len(df) > TRIM_THRESHOLD
    traces: list[dict] = []  # plain dicts: plotly's per-property validation costs more than the rest together

    # Bars: spans (thick) and the whole period of month/year dates (thin). One trace per colour.
    bar_rows = rows[(rows["end"] != "") | (rows["precision"] != "day")]
    for cid in _ordered(bar_rows["color_id"], vocab, ckind):
        part = bar_rows[bar_rows["color_id"] == cid]
        for is_span, width, opacity in ((True, 7, 0.55), (False, 3, 0.45)):
            seg = part[(part["end"] != "") == is_span]
            if seg.empty:
                continue
            # one line trace per colour, segments separated by gaps (NaT/NaN); numeric arrays, not
            # objects, so that building and serialising the figure stays cheap
            xs = np.full(len(seg) * 3, np.datetime64("NaT"), dtype="datetime64[ns]")
            ys = np.full(len(seg) * 3, np.nan)
            xs[0::3] = seg["start"].to_numpy("datetime64[ns]")
            xs[1::3] = (seg["stop"] + pd.Timedelta(days=1)).to_numpy("datetime64[ns]")
            ys[0::3] = ys[1::3] = seg["y"].to_numpy(float)
            traces.append({"type": kind, "x": xs, "y": ys, "mode": "lines", "opacity": opacity,
                           "line": {"color": vocab.color(ckind, cid), "width": width}, "hoverinfo": "skip",
                           "showlegend": False, "legendgroup": cid, "name": vocab.label(ckind, cid, lang)})

    # Markers: at the day, or the middle of a month/year period.
    mid = rows["start"] + (rows["stop"] - rows["start"]) / 2
    exact = ((rows["precision"] == "day") | (rows["end"] != "")).to_numpy()
    rows = rows.assign(x=np.where(exact, rows["start"], mid))
    hover = hover_texts(df, vocab, lang, trim)
    symbol = symbols(rows["precision"].to_numpy(object), rows["status"].to_numpy(object))
    size = rows["importance"].map(SIZES).to_numpy()
    ids_all = rows["id"].to_numpy(str)
    colors = rows["color_id"].to_numpy(object)
    for cid in _ordered(rows["color_id"], vocab, ckind):
        pick = colors == cid
        color = vocab.color(ckind, cid)
        name = vocab.label(ckind, cid, lang)
        # the legend shows a plain filled circle per colour, whatever the first marker's status is
        traces.append({"type": kind, "x": [None], "y": [None], "mode": "markers", "name": name, "legendgroup": cid,
                       "marker": {"color": color, "size": 11, "symbol": "circle"}, "hoverinfo": "skip"})
        part_ids = ids_all[pick]
        traces.append({
            "type": kind, "x": rows["x"].to_numpy()[pick], "y": rows["y"].to_numpy()[pick], "mode": "markers",
            "name": name, "legendgroup": cid, "showlegend": False, "customdata": part_ids,
            "hovertext": np.array([hover[i] for i in part_ids], dtype=str),
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"color": color, "size": size[pick], "symbol": symbol[pick].astype(str),
                       "line": {"color": color, "width": 2}, "opacity": 0.9},
        })
    if top_axis:  # an invisible trace on a second x axis that mirrors the first, ticks on top
        traces.append({"type": "scatter", "x": [None], "y": [None], "xaxis": "x2", "showlegend": False,
                       "hoverinfo": "skip", "name": "top-axis"})
    marked = rows[rows["id"].isin(highlight)]
    if len(marked):
        traces.append({"type": kind, "x": marked["x"].to_numpy(), "y": marked["y"].to_numpy(), "mode": "markers",
                       "hoverinfo": "skip", "showlegend": False, "name": "new",
                       "marker": {"size": (marked["importance"].map(SIZES) + 12).to_numpy(), "symbol": "circle-open",
                                  "color": "#f5b041", "line": {"width": 3, "color": "#f5b041"}}})
    sel = rows[rows["id"] == selected] if selected else rows.iloc[0:0]
    if len(sel):
        traces.append({"type": kind, "x": sel["x"].to_numpy(), "y": sel["y"].to_numpy(), "mode": "markers",
                       "hoverinfo": "skip", "showlegend": False, "name": "selected",
                       "marker": {"size": (sel["importance"].map(SIZES) + 10).to_numpy(), "symbol": "circle-open",
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
    elif len(rows):
        # open on where the events are: a few early outliers (a 2019 speech) stay reachable by zooming out
        lo = rows["start"].min() if len(df) < 50 else df["start"].quantile(0.02)
        hi = rows["stop"].max()
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
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.02 if not rangeslider else -0.12, "x": 0,
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
    # plain dicts, no per-property validation: it cost more than everything else together
    return go.Figure(data=traces, layout=layout, _validate=False)


_TEMPLATE = pio.templates["plotly_white"]


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


def hover_texts(df: pd.DataFrame, vocab: Vocabulary, lang: str, trim: bool) -> dict[str, str]:
    """id -> hover text (escaped: Plotly renders a subset of HTML)."""
    cols = ["id", "date", "end", "approximate", f"title_{lang}", f"title_{'ja' if lang == 'en' else 'en'}",
            "countries", "type", "status"]
    keys = ("id", "date", "end", "approximate", f"title_{lang}", f"title_{'ja' if lang == 'en' else 'en'}",
            "countries", "type", "status")
    values = zip(*(df[c].to_numpy(object) for c in cols))
    return {v[0]: _hover(dict(zip(keys, v)), vocab, lang, trim) for v in values}


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
                    x_range: tuple | None = None) -> go.Figure:
    """Events per month, stacked by each event's primary (first) theme."""
    t = TEXT[lang]
    counts = activity_counts(df)
    months = counts.index.to_numpy("datetime64[ns]") if len(counts) else []
    traces = [{"type": "bar", "x": months, "y": counts[theme].to_numpy(), "name": vocab.label("theme", theme, lang),
               "marker": {"color": vocab.color("theme", theme)}, "showlegend": False,
               "hovertemplate": "%{x|%Y-%m}: %{y} — " + esc(vocab.label("theme", theme, lang)) + "<extra></extra>"}
              for theme in _ordered(pd.Series(counts.columns, dtype=object), vocab, "theme")]
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
    return go.Figure(data=traces, layout=layout, _validate=False)


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
