"""The app's timeline as static SVG markup: the first thing a page shows, in its first response.

The page's live chart (Plotly in the browser) needs the page's scripts to boot before it draws; this
draws the same figure on the server, from the same figure mapping the app sends, so that the chart
is on screen at once and the live chart replaces it where it stands. It draws what the lanes show:
zebra and context bands, bars, markers (shape, fill, the claimed dot and the past-due cross), rings,
labels, the today line, lane names and date ticks (`datetick`: Plotly's own). The legend and the
range slider appear with the live chart, below the lanes.

Geometry: the figure's margins are fixed on the server (`figures.AppFrame`), so the plot area is
known here except for its width, the page's. Horizontal positions are percentages of the plot
area (the markup fits any width); vertical ones are pixels. Plotly spaces the date ticks by the
plot's width: every spacing a page could get is drawn, and a CSS container query shows the right one.
"""
from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .datetick import date_ticks, dtick
from .figures import RINGS

MIN_PLOT_PX = 200        # the narrowest plot the date ticks are drawn for (a phone's view is compact: not drawn)
LINE_HEIGHT = 1.3        # Plotly's line spacing, in em
AXIS_COLOR = "#2a3f5f"   # the plotly_white template's axis text
DASHES = {"dash": 3, "dot": 1}
MAX_ELEMENTS = 6000      # above this many markers the first paint draws them as a few paths (`_compact`)
COMPACT_WIDTH = 100_000  # the scaled box of a compact first paint: x in 1/1000 of a percent
RING_NAMES = tuple(RINGS)   # the overlay rings ("new", "selected"): not drawn in a compact first paint


@dataclass(frozen=True)
class Frame:
    """The plot area: pixels from the chart's top-left corner; x in % of the plot's width."""

    height: float
    left: float
    right: float
    top: float
    plot_h: float
    x0: float
    x1: float

    def pct(self, ms) -> np.ndarray:
        return (np.asarray(ms, dtype=float) - self.x0) / (self.x1 - self.x0) * 100

    def paper_y(self, v: float) -> float:
        return (1 - v) * self.plot_h


def _ms(value) -> float:
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return float(pd.Timestamp(value).value // 1_000_000)


def frame_of(layout: dict) -> Frame:
    m = layout["margin"]
    x0, x1 = (_ms(v) for v in layout["xaxis"]["range"])
    return Frame(height=layout["height"], left=m["l"], right=m["r"], top=m["t"],
                 plot_h=layout["height"] - m["t"] - m["b"], x0=x0, x1=x1)


class YAxis:
    """Lane positions in px from the plot's top (Plotly: range[0] at the bottom of the domain)."""

    def __init__(self, axis: dict, plot_h: float):
        self.lo, self.hi = axis["range"]
        d0, d1 = axis.get("domain", (0, 1))
        self.top, self.length = (1 - d1) * plot_h, (d1 - d0) * plot_h

    def px(self, y) -> np.ndarray:
        frac = (np.asarray(y, dtype=float) - self.lo) / (self.hi - self.lo)
        return self.top + (1 - frac) * self.length


def _num(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


# -- marker symbols (plotly.js's symbol definitions, for the symbols the timeline uses) --------------

def symbol_path(symbol: str, size: float) -> str:
    r = size / 2
    base = symbol.split("-")[0]
    if base == "x":
        rx = _num(r * 0.8 / math.sqrt(2))
        ne, se, sw, nw = f"l{rx},{rx}", f"l{rx},-{rx}", f"l-{rx},-{rx}", f"l-{rx},{rx}"
        return f"M0,{rx}{ne}{se}{sw}{se}{sw}{nw}{sw}{nw}{ne}{nw}{ne}Z"
    if base == "diamond":
        rd = _num(r * 1.3)
        path = f"M{rd},0L0,{rd}L-{rd},0L0,-{rd}Z"
        cross = f"M0,-{rd}V{rd}M-{rd},0H{rd}"
    else:
        rs = _num(r)
        path = f"M{rs},0A{rs},{rs} 0 1,1 0,-{rs}A{rs},{rs} 0 0,1 {rs},0Z"
        cross = f"M{rs},0H-{rs}M0,{rs}V-{rs}"
    if "-cross" in symbol:
        path += cross
    if symbol.endswith("-dot"):
        path += "M0,0.5L0.5,0L0,-0.5L-0.5,0Z"
    return path


def _marker_style(trace: dict, sym: str) -> str:
    """Fill and stroke of a group of markers; their opacity per fill and stroke (a group's `opacity`
    would be painted through an offscreen layer per group)."""
    marker = trace["marker"]
    color, line = marker["color"], marker.get("line", {})
    width = line.get("width", 0)
    opacity = marker.get("opacity", 1)
    if "-open" in sym:
        return f'fill="none" stroke="{color}" stroke-width="{max(width, 1)}" stroke-opacity="{opacity}"'
    return (f'fill="{color}" stroke="{line.get("color", color)}" stroke-width="{width}" '
            f'fill-opacity="{opacity}" stroke-opacity="{opacity}"')


def _points(trace: dict) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([np.nan if v is None else _ms(v) for v in trace["x"]], dtype=float) \
        if not isinstance(trace["x"], np.ndarray) else trace["x"].astype(float)
    y = np.array([np.nan if v is None else v for v in trace["y"]], dtype=float)
    return x, y


def _lines(trace: dict, f: Frame, ya: YAxis) -> list[str]:
    x, y = _points(trace)
    line = trace.get("line", {})
    out = [f'<g stroke="{line.get("color", "#444")}" stroke-width="{line.get("width", 2)}" '
           f'stroke-opacity="{trace.get("opacity", 1)}">']
    px, py = f.pct(x), ya.px(y)
    for i in range(0, len(x) - 1, 3):  # segments: start, stop, gap
        if np.isnan(x[i]) or np.isnan(x[i + 1]):
            continue
        out.append(f'<line x1="{_num(px[i])}%" x2="{_num(px[i + 1])}%" y1="{_num(py[i])}" y2="{_num(py[i])}"/>')
    out.append("</g>")
    return out


def _markers(trace: dict, f: Frame, ya: YAxis, defs: dict, hover: list, ids: list) -> list[str]:
    x, y = _points(trace)
    px, py = f.pct(x), ya.px(y)
    keep = ~(np.isnan(x) | np.isnan(y)) & (px > -2) & (px < 102)  # what is off the chart is not drawn
    if not keep.any():
        return []
    sym = trace["marker"].get("symbol", "circle")
    sizes = np.broadcast_to(np.asarray(trace["marker"].get("size", 6), dtype=float), x.shape)
    texts = trace.get("hovertext")
    custom = trace.get("customdata")
    out = [f"<g {_marker_style(trace, sym)}>"]
    circle = sym in ("circle", "circle-open")  # most markers: a plain element (a <use> clones a tree per marker)
    for i in np.flatnonzero(keep):
        if circle:
            attrs = f'cx="{_num(px[i])}%" cy="{_num(py[i])}" r="{_num(sizes[i] / 2)}"'
        else:
            key = f"{sym}:{_num(sizes[i])}"
            if key not in defs:
                defs[key] = (f"s{len(defs)}", symbol_path(sym, float(sizes[i])))
            attrs = f'href="#{defs[key][0]}" x="{_num(px[i])}%" y="{_num(py[i])}"'
        if texts is not None:
            attrs += f' data-i="{len(hover)}"'
            hover.append(texts[i])
            ids.append(custom[i] if custom is not None else None)
        out.append(f"<{'circle' if circle else 'use'} {attrs}/>")
    out.append("</g>")
    return out


def _traces(data: list[dict], f: Frame, ya: YAxis) -> tuple[str, str, list, list]:
    defs: dict[str, tuple[str, str]] = {}
    hover: list[str] = []
    ids: list = []
    body: list[str] = []
    shown = [t for t in data if t.get("xaxis", "x") == "x" and t.get("visible") is not False]
    if sum(len(t["x"]) for t in shown if t.get("mode") == "markers") > MAX_ELEMENTS:
        return "", _compact(shown, f, ya), hover, ids
    for trace in shown:
        mode = trace.get("mode", "")
        if mode == "lines":
            body += _lines(trace, f, ya)
        elif mode == "markers":
            body += _markers(trace, f, ya, defs, hover, ids)
    paths = "".join(f'<path id="{sid}" d="{d}"/>' for sid, d in defs.values())
    return paths, "".join(body), hover, ids


def _compact(traces: list[dict], f: Frame, ya: YAxis) -> str:
    """A big view's bars and markers as a few paths (one per trace and marker size), in a box scaled
    to the plot's width: strokes keep their width (non-scaling), a zero-length stroke with round caps
    is a dot. Every marker is a dot of its colour and size (hollow, diamond and cross shapes come with
    the live chart, which replaces it within a second or two); no hover texts (thousands of elements
    and megabytes would delay the live chart more than they help)."""
    out = [f'<svg width="100%" height="{_num(f.plot_h)}" viewBox="0 0 {COMPACT_WIDTH} {_num(f.plot_h)}" '
           'preserveAspectRatio="none" fill="none" stroke-linecap="round">']
    for trace in traces:
        if trace.get("name") in RING_NAMES or not trace.get("mode"):
            continue
        x, y = _points(trace)
        px, py = f.pct(x) * (COMPACT_WIDTH / 100), ya.px(y)
        if trace["mode"] == "lines":
            line = trace.get("line", {})
            d = "".join(f"M{px[i]:.0f} {py[i]:.1f}H{px[i + 1]:.0f}" for i in range(0, len(x) - 1, 3)
                        if not (np.isnan(x[i]) or np.isnan(x[i + 1])))
            out.append(f'<path d="{d}" stroke="{line.get("color", "#444")}" stroke-width="{line.get("width", 2)}" '
                       f'stroke-linecap="butt" stroke-opacity="{trace.get("opacity", 1)}" '
                       'vector-effect="non-scaling-stroke"/>')
            continue
        marker = trace["marker"]
        sizes = np.broadcast_to(np.asarray(marker.get("size", 6), dtype=float), x.shape)
        keep = ~(np.isnan(x) | np.isnan(y))
        hollow = "-open" in str(marker.get("symbol", ""))
        for size in np.unique(sizes[keep]):
            pick = np.flatnonzero(keep & (sizes == size))
            d = "".join(f"M{px[i]:.0f} {py[i]:.1f}h0" for i in pick)
            out.append(f'<path d="{d}" stroke="{marker["color"]}" stroke-width="{_num(size)}" '
                       f'stroke-opacity="{0.45 if hollow else marker.get("opacity", 1)}" '
                       'vector-effect="non-scaling-stroke"/>')
    out.append("</svg>")
    return "".join(out)


# -- shapes and annotations -----------------------------------------------------------------------------

def _x_pct(value, ref: str, f: Frame) -> float:
    return float(value) * 100 if ref in ("paper", "x domain") else float(f.pct(_ms(value)))


def _y_px(value, ref: str, f: Frame, ya: YAxis) -> float:
    return f.paper_y(float(value)) if ref == "paper" else float(ya.px(float(value)))


def _shape(s: dict, f: Frame, ya: YAxis) -> str:
    xref, yref = s.get("xref", "x"), s.get("yref", "y")
    xa, xb = _x_pct(s["x0"], xref, f), _x_pct(s["x1"], xref, f)
    ya_, yb = _y_px(s["y0"], yref, f, ya), _y_px(s["y1"], yref, f, ya)
    line = s.get("line") or {}
    width = line.get("width", 2)
    stroke = f' stroke="{line.get("color", "#444")}" stroke-width="{width}"' if width else ""
    if line.get("dash") in DASHES:
        dash = max(width, 3) * DASHES[line["dash"]]
        stroke += f' stroke-dasharray="{_num(dash)},{_num(dash)}"'
    if s.get("type") == "line":
        return f'<line x1="{_num(xa)}%" x2="{_num(xb)}%" y1="{_num(ya_)}" y2="{_num(yb)}"{stroke}/>'
    lo, hi = sorted((xa, xb))
    top, bottom = sorted((ya_, yb))
    return (f'<rect x="{_num(lo)}%" width="{_num(hi - lo)}%" y="{_num(top)}" height="{_num(bottom - top)}" '
            f'fill="{s.get("fillcolor", "none")}"{stroke}/>')


_SPAN = re.compile(r"<span style='([^']*)'>(.*?)</span>")


def _text_lines(text: str, size: float, color: str) -> list[tuple[str, float, str]]:
    """(text, font size, colour) per line of an annotation's text (<br>, and <span style> for one line)."""
    out = []
    for part in text.split("<br>"):
        m = _SPAN.fullmatch(part)
        line_size, line_color, content = size, color, part
        if m:
            style = dict(kv.split(":", 1) for kv in m.group(1).split(";") if ":" in kv)
            line_size = float(style.get("font-size", f"{size}px").rstrip("px"))
            line_color, content = style.get("color", color), m.group(2)
        out.append((re.sub(r"</?[bi]>", "", content), line_size, line_color))
    return out


def _annotation(a: dict, f: Frame, ya: YAxis) -> str:
    font = a.get("font") or {}
    lines = _text_lines(str(a.get("text", "")), font.get("size", 13), font.get("color", "#444"))
    heights = [s * LINE_HEIGHT for _, s, _ in lines]
    pad = a.get("borderpad", 1)
    box_h = a.get("height", sum(heights)) + 2 * pad
    box_w = a.get("width")
    ay = {"top": 0, "bottom": -box_h, "middle": -box_h / 2}[a.get("yanchor", "middle")]
    anchor = {"left": "start", "right": "end", "center": "middle"}[a.get("xanchor", "center")]
    shift_x, shift_y = a.get("xshift", 0), -a.get("yshift", 0)
    out = [f'<svg x="{_num(_x_pct(a["x"], a.get("xref", "x"), f))}%" '
           f'y="{_num(_y_px(a["y"], a.get("yref", "y"), f, ya))}" overflow="visible">']
    if a.get("bgcolor") and box_w:
        out.append(f'<rect x="{_num(shift_x - box_w / 2 - pad)}" y="{_num(ay + shift_y)}" '
                   f'width="{_num(box_w + 2 * pad)}" height="{_num(box_h)}" fill="{a["bgcolor"]}"/>')
    if box_w and a.get("align") == "left":
        anchor, tx = "start", shift_x - box_w / 2
    else:
        tx = shift_x + {"start": 2, "end": -2, "middle": 0}[anchor]
    y = ay + shift_y + pad + (box_h - 2 * pad - sum(heights)) / 2
    for (content, size, color), h in zip(lines, heights, strict=True):
        y += h
        out.append(f'<text x="{_num(tx)}" y="{_num(y - h * 0.27)}" font-size="{_num(size)}" fill="{color}" '
                   f'text-anchor="{anchor}">{content}</text>')
    out.append("</svg>")
    return "".join(out)


# -- axes -------------------------------------------------------------------------------------------------

def _x_ticks(layout: dict, f: Frame) -> tuple[str, str, str]:
    """Grid lines (inside the plot), tick labels (below it, and above it with the top axis) and the
    style choosing among them: Plotly spaces ticks by the plot's width below 720 px, so each spacing
    the page's width could give is drawn, and a container query shows the one Plotly will draw."""
    stops = layout["xaxis"].get("tickformatstops", ())
    variants = tick_widths(f.x1 - f.x0)
    grid, labels, style = [], [], []
    for k, (lo, hi) in enumerate(variants):
        g, lab = _tick_set(layout, f, date_ticks(f.x0, f.x1, lo, stops))
        if len(variants) == 1:
            return g, lab, ""
        grid.append(f'<g class="fp-t{k}">{g}</g>')
        labels.append(f'<g class="fp-t{k}">{lab}</g>')
        width = f"(min-width: {lo + f.left + f.right}px)" + (f" and (max-width: {hi + f.left + f.right}.99px)"
                                                               if hi else "")
        style.append(f".fp-t{k}{{display:none}}@container fpchart {width}{{.fp-t{k}{{display:inline}}}}")
    return "".join(grid), "".join(labels), "<style>" + "".join(style) + "</style>"


def tick_widths(range_ms: float) -> list[tuple[int, int | None]]:
    """The plot widths (px, from MIN_PLOT_PX) over which Plotly keeps one tick spacing: (first, last)
    per spacing, the last open-ended (from 720 px on, the spacing no longer changes)."""
    out: list[list] = []
    last = None
    for w in range(MIN_PLOT_PX, 721):
        spacing = dtick(range_ms, w)
        if spacing != last:
            if out:
                out[-1][1] = w - 1
            out.append([w, None])
            last = spacing
    return [tuple(v) for v in out]


def _tick_set(layout: dict, f: Frame, ticks) -> tuple[str, str]:
    top = "xaxis2" in layout
    depth = max((len(t.lines) for t in ticks), default=1)
    grid, labels = [], []
    for tick in ticks:
        x = _num(float(f.pct(tick.ms)))
        grid.append(f'<line x1="{x}%" x2="{x}%" y1="0" y2="{_num(f.plot_h)}"/>')
        labels.append(_tick_label(x, f.plot_h + 14, tick.lines, 16.9, ""))
        if top:  # above the plot the last line is next to it: Plotly pads one-line labels with a blank line
            lines = tick.lines + (" ",) * (depth - len(tick.lines))
            labels.append(_tick_label(x, -3.2 - (depth - 1) * 14.3, lines, 14.3, ' font-size="11" fill="#666"'))
    return "".join(grid), "".join(labels)


def _tick_label(x: str, y: float, lines: tuple[str, ...], step: float, attrs: str) -> str:
    """One <text> per tick, a line per <tspan>, as Plotly writes a label of two lines."""
    spans = "".join(f'<tspan x="{x}%" dy="{0 if k == 0 else step}" xml:space="preserve">{html.escape(line)}</tspan>'
                    for k, line in enumerate(lines))
    return f'<text x="{x}%" y="{_num(y)}"{attrs}>{spans}</text>'


def _lane_names(axis: dict, ya: YAxis) -> str:
    return "".join(f'<text x="-1" y="{_num(float(ya.px(v)) + 4.55)}">{name}</text>'
                   for v, name in zip(axis.get("tickvals", ()), axis.get("ticktext", ()), strict=False))


# -- the chart ------------------------------------------------------------------------------------------

def static_chart(figure: dict, alt: str) -> dict:
    """{"html": the chart's markup, "hover": hover texts, "ids": event ids} for a timeline figure
    mapping with fixed margins (`figures.timeline_figure` for the app), or {} for any other figure."""
    layout = figure.get("layout") or {}
    if (layout.get("margin") or {}).get("autoexpand") is not False or not layout.get("xaxis", {}).get("range"):
        return {}
    f = frame_of(layout)
    ya = YAxis(layout["yaxis"], f.plot_h)
    below = [s for s in layout.get("shapes", ()) if s.get("layer") == "below"]
    above = [s for s in layout.get("shapes", ()) if s.get("layer") != "below"]
    paths, body, hover, ids = _traces(figure.get("data", ()), f, ya)
    grid, ticks, tick_style = _x_ticks(layout, f)
    plot = (f'<svg class="fp-plot" style="left:{f.left}px;width:calc(100% - {f.left + f.right}px);top:{f.top}px;'
            f'height:{_num(f.plot_h)}px"'
            f' overflow="visible" role="img" aria-label="{html.escape(alt)}">'
            f"<defs>{paths}</defs>"
            f'<g class="fp-ticks" fill="{AXIS_COLOR}" font-size="13" text-anchor="middle">{ticks}</g>'
            f'<g class="fp-lanes" fill="{AXIS_COLOR}" font-size="13" text-anchor="end">'
            f"{_lane_names(layout['yaxis'], ya)}</g>"
            + "".join(_shape(s, f, ya) for s in below if s.get("xref") != "x")
            + f'<svg class="fp-data" width="100%" height="{_num(f.plot_h)}" overflow="hidden">'
            f'<g stroke="#eee" stroke-width="1">{grid}</g>'
            + "".join(_shape(s, f, ya) for s in below if s.get("xref") == "x")
            + body + "".join(_shape(s, f, ya) for s in above if s.get("xref") == "x") + "</svg>"
            + "".join(_shape(s, f, ya) for s in above if s.get("xref") != "x")
            + "".join(_annotation(a, f, ya) for a in layout.get("annotations", ()))
            + "</svg>")
    markup = f'<div class="fp-chart" style="height:{layout["height"]}px">{tick_style}{plot}</div>'
    return {"html": markup, "hover": hover, "ids": ids}


def hover_json(chart: dict) -> str:
    """The hover texts and event ids as JSON safe inside a <script> element."""
    return json.dumps({"hover": chart["hover"], "ids": chart["ids"]}, ensure_ascii=False).replace("</", "<\\/")
