"""Period comparison: the view's window against the one before it (or a given window).

For the same filters, events are counted by theme, country and type in both windows, side by side
with the change; the window's events are also cross-tabulated country x theme (the heat map). An
event counts once per country and theme it has (as in `tables.stats`), and belongs to a window when
its span overlaps it (as in `query.filter_events`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import figures
from .model import PartialDate, Vocabulary
from .query import Filters, filter_events
from .text import t

KINDS = ("theme", "country", "type")
COLUMN = {"theme": "themes", "country": "countries", "type": "type"}
TOP = 10              # rows per bar panel (the largest in either window)
FOOTER_PX = 130       # bottom margin: the heat map's slanted theme names, then the footer


@dataclass(frozen=True)
class Comparison:
    """Counts of two windows. `counts[kind]`: one row per id with `previous`, `current`, `change`,
    sorted by the larger of the two counts; `heat`: countries x themes of the current window."""

    current: tuple[dt.date, dt.date]
    previous: tuple[dt.date, dt.date]
    totals: tuple[int, int]            # events in (previous, current)
    counts: dict[str, pd.DataFrame]
    heat: pd.DataFrame


def windows(df: pd.DataFrame, filters: Filters, today: dt.date,
            compare_to: tuple[str, str] | None = None) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    """The view's window (its `from`/`to`; without `from`, from the first event of the view; without
    `to`, until `today`) and the earlier one: `compare_to`, or the same number of days just before."""
    lo = PartialDate.parse(filters.date_from).first if filters.date_from else None
    hi = PartialDate.parse(filters.date_to).last if filters.date_to else today
    if lo is None:
        view = filter_events(df, filters)
        lo = view["start"].min().date() if len(view) else hi - dt.timedelta(days=364)
    if compare_to:
        return (lo, hi), (PartialDate.parse(compare_to[0]).first, PartialDate.parse(compare_to[1]).last)
    days = (hi - lo).days
    prev_hi = lo - dt.timedelta(days=1)
    return (lo, hi), (prev_hi - dt.timedelta(days=days), prev_hi)


def in_window(df: pd.DataFrame, filters: Filters, window: tuple[dt.date, dt.date],
              vocab: Vocabulary | None = None) -> pd.DataFrame:
    """The events of `filters` with the date window replaced by `window`."""
    f = dataclasses.replace(filters, date_from=window[0].isoformat(), date_to=window[1].isoformat())
    return filter_events(df, f, vocab)


def counts_by(df: pd.DataFrame, kind: str) -> pd.Series:
    """Events per theme, country or type (list fields count once per value)."""
    values = df[COLUMN[kind]]
    if kind != "type":
        values = values.explode().dropna()
    return values.value_counts()


def compare(df: pd.DataFrame, filters: Filters, vocab: Vocabulary, today: dt.date,
            compare_to: tuple[str, str] | None = None) -> Comparison:
    """Compare the view's window of `df` (the whole log) with the earlier window."""
    current, previous = windows(df, filters, today, compare_to)
    now, before = in_window(df, filters, current, vocab), in_window(df, filters, previous, vocab)
    counts = {}
    for kind in KINDS:
        table = pd.DataFrame({"previous": counts_by(before, kind), "current": counts_by(now, kind)})
        table = table.fillna(0).astype("int64")
        table["change"] = table["current"] - table["previous"]
        order = [k for k in vocab.kind(kind) if k in table.index] + sorted(set(table.index) - set(vocab.kind(kind)))
        table = table.loc[order]
        table = table.iloc[table[["previous", "current"]].max(axis=1).argsort(kind="stable")[::-1]]
        counts[kind] = table
    pairs = now[["countries", "themes"]].explode("countries").explode("themes").dropna()
    heat = pd.crosstab(pairs["countries"], pairs["themes"]) if len(pairs) else pd.DataFrame(dtype="int64")
    return Comparison(current, previous, (len(before), len(now)), counts, heat)


# -- the figure -----------------------------------------------------------------------------------------

PREVIOUS_COLOR = "#b8c2cc"
CURRENT_COLOR = "#1f4e79"


def window_label(window: tuple[dt.date, dt.date], lang: str) -> str:
    lo, hi = (PartialDate.parse(d.isoformat()).label(lang) for d in window)
    return t("export.between", lang, lo=lo, hi=hi)


def bar_panel(c: Comparison, kind: str, vocab: Vocabulary, lang: str, axes: tuple[str, str]) -> list[dict]:
    """Previous and current counts of the TOP largest ids of `kind` as horizontal bars, with the change."""
    table = c.counts[kind].head(TOP).iloc[::-1]
    names = [figures.esc(_short(vocab.label(kind, k, lang))) for k in table.index]
    changes = [f"{v:+d}" if v else "±0" for v in table["change"]]
    xa, ya = axes
    common = {"type": "bar", "orientation": "h", "y": names, "xaxis": xa, "yaxis": ya, "hoverinfo": "skip",
              "showlegend": kind == "theme", "cliponaxis": False}
    return [{**common, "x": table["previous"].tolist(), "name": window_label(c.previous, lang),
             "marker": {"color": PREVIOUS_COLOR}, "legendgroup": "previous"},
            {**common, "x": table["current"].tolist(), "name": window_label(c.current, lang),
             "marker": {"color": CURRENT_COLOR}, "legendgroup": "current", "text": changes,
             "textposition": "outside", "textfont": {"size": 11, "color": "#333"}}]


def heat_trace(c: Comparison, vocab: Vocabulary, lang: str, axes: tuple[str, str]) -> dict:
    """Country x theme counts of the current window (the TOP countries and themes with most events)."""
    heat = c.heat
    if heat.empty:
        return {"type": "heatmap", "z": [[0]], "x": [""], "y": [""], "xaxis": axes[0], "yaxis": axes[1],
                "showscale": False}
    rows = heat.sum(axis=1).sort_values(ascending=False, kind="stable").head(TOP).index
    cols = heat.sum(axis=0).sort_values(ascending=False, kind="stable").head(TOP).index
    z = heat.loc[rows, cols]
    return {"type": "heatmap", "z": z.to_numpy().tolist(), "xaxis": axes[0], "yaxis": axes[1],
            "x": [figures.esc(_short(vocab.label("theme", k, lang), 16)) for k in cols],
            "y": [figures.esc(_short(vocab.label("country", k, lang))) for k in rows],
            "colorscale": [[0, "#f7fbff"], [1, "#08519c"]], "showscale": False, "hoverinfo": "skip",
            "text": z.to_numpy().tolist(), "texttemplate": "%{text}", "textfont": {"size": 10}}


def comparison_figure(c: Comparison, vocab: Vocabulary, lang: str = "en", width: int = 1280, height: int = 720,
                      title: str | None = None, subtitle: str | None = None, footer: str | None = None) -> go.Figure:
    """Themes, countries and types in both windows (bars, with the change), and the window's country x
    theme heat map: one figure for PNG/SVG/PDF exports and a slide of the pack."""
    traces = (bar_panel(c, "theme", vocab, lang, ("x", "y")) + bar_panel(c, "country", vocab, lang, ("x2", "y2"))
              + bar_panel(c, "type", vocab, lang, ("x3", "y3")) + [heat_trace(c, vocab, lang, ("x4", "y4"))])
    for i, trace in enumerate(traces):
        trace["uid"] = f"trace{i:03d}"
    head = title or t("compare.title", lang)
    sub = subtitle or t("compare.subtitle", lang, current=window_label(c.current, lang),
                        previous=window_label(c.previous, lang), now=c.totals[1], before=c.totals[0])
    panel = {"automargin": True, "tickfont": {"size": 11}}
    layout = {
        "template": figures.TEMPLATE, "width": width, "height": height, "barmode": "group", "bargap": 0.25,
        "font": {"family": figures.FONT, "size": 12},
        "title": {"text": f"<b>{figures.esc(head)}</b>", "x": 0.012, "xanchor": "left", "y": 0.975,
                  "yanchor": "top", "font": {"size": 22},
                  "subtitle": {"text": "<br>".join(figures.esc(x) for x in sub.split("<br>")),  # two lines
                               "font": {"size": 13, "color": "#555"}}},
        "margin": {"l": 20, "r": 20, "t": 130, "b": FOOTER_PX if footer else 30},
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "y": 1.055, "yanchor": "bottom",
                   "font": {"size": 12}},
        "xaxis": {"domain": [0.0, 0.45], "anchor": "y", **figures.count_axis(_top(c, "theme")), **panel},
        "yaxis": {"domain": [0.52, 1.0], "anchor": "x", **panel},
        "xaxis2": {"domain": [0.55, 1.0], "anchor": "y2", **figures.count_axis(_top(c, "country")), **panel},
        "yaxis2": {"domain": [0.52, 1.0], "anchor": "x2", **panel},
        "xaxis3": {"domain": [0.0, 0.45], "anchor": "y3", **figures.count_axis(_top(c, "type")), **panel},
        "yaxis3": {"domain": [0.0, 0.42], "anchor": "x3", **panel},
        "xaxis4": {"domain": [0.55, 1.0], "anchor": "y4", "side": "bottom", "tickangle": -30, **panel},
        "yaxis4": {"domain": [0.0, 0.42], "anchor": "x4", "autorange": "reversed", **panel},
        "annotations": [_panel_title(t(f"compare.by_{kind}", lang), x, y) for kind, x, y in
                        (("theme", 0.0, 1.0), ("country", 0.55, 1.0), ("type", 0.0, 0.44), ("heat", 0.55, 0.44))],
    }
    if footer:
        plot_h = height - layout["margin"]["t"] - FOOTER_PX
        layout["annotations"].append({"text": footer, "xref": "paper", "yref": "paper", "x": 0,
                                      "y": -(FOOTER_PX - 36) / plot_h,
                                      "showarrow": False, "xanchor": "left", "yanchor": "top", "align": "left",
                                      "font": {"size": 10, "color": "#555"}})
    return go.Figure(data=traces, layout=layout, _validate=False)


def _top(c: Comparison, kind: str) -> float:
    """The largest count a bar panel shows (either window)."""
    table = c.counts[kind].head(TOP)
    return float(max(table["previous"].max(), table["current"].max())) if len(table) else 0.0


def _panel_title(text: str, x: float, y: float) -> dict:
    return {"text": f"<b>{figures.esc(text)}</b>", "xref": "paper", "yref": "paper", "x": x, "y": y,
            "xanchor": "left", "yanchor": "bottom", "showarrow": False, "font": {"size": 13, "color": "#222"}}


def _short(text: str, most: int = 24) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"
