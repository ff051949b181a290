"""Labelled key events: which events get a label, what it says, and where its box goes.

The contract (tests hold it, for the real log and synthetic logs, every template and language):
- the choice: forced ids first (always labelled), then by importance, then recency, at most `n`
  (default: as many as a template holds legibly, `COUNTS`); `n=0` labels only the forced ids;
- a label is the date in the view's language ("3 Sep 2025", "2025年9月3日", "2025年9月") and a short
  title: the event's `short` field, else its title shortened at a word or phrase boundary;
- placement is deterministic and done here, in pixels of the plot area: label boxes sit in tiers
  above and below the lanes (where no marker is), each box spans its event's date so that a
  vertical leader line joins it to its marker, boxes never overlap one another or another
  label's leader, and stay inside the plot area. The boxes computed here are the boxes drawn.

Text widths are estimated from font metrics: a full-width (CJK) character is 1 em, Latin about
0.55 em (a little more, so that the estimate errs on the wide side).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .tables import date_label, field_column

COUNTS = {"slide": 12, "a4": 9, "square": 7}   # labels a template holds legibly
FONT_SIZE = 11                                  # px, the title lines; the date line is 10 px
LINE_HEIGHT = 1.3                               # px per px of font size
PAD = 3                                         # px inside the box, each side
GAP = 4                                         # px between tiers and between boxes
LINE_EM = 15.0                                  # widest line of a label, in em
MAX_LINES = 2                                   # title lines of a label
MAX_CHARS = {"wide": 30, "narrow": 45}          # a shortened title: CJK / Latin (and Korean with spaces)
_BREAK_AFTER = "、。・，,；;：:）)」』"            # a Japanese title may be cut after these
_PARTICLES = "のとがをにでへはも"                  # ... or before these
_STOP_WORDS = {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "at", "with", "by", "from", "as",
               "its", "his", "her", "their", "is", "are", "was", "that", "which", "after", "before", "over"}


def char_em(c: str) -> float:
    """Width of one character in em: full-width 1, Latin about 0.55 (wide letters and digits a bit more)."""
    if unicodedata.east_asian_width(c) in "WF":
        return 1.0
    if c == " ":
        return 0.3
    if c in "iljtfI.,:;'|!()[]":
        return 0.35
    if c in "mwMWO@%QGDNH":
        return 0.85
    return 0.6 if c.isupper() or c.isdigit() else 0.55


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Estimated width of `text` in px at font size `size`."""
    return sum(char_em(c) for c in text) * size


def _is_wide(text: str) -> bool:
    """Mostly full-width text (Japanese, Korean): limits and widths count characters as 1 em."""
    return sum(unicodedata.east_asian_width(c) in "WF" for c in text) > len(text) / 3


def _spaced(text: str) -> bool:
    """Text that separates words with spaces (Latin, Korean), so it is cut and wrapped at spaces."""
    return not _is_wide(text) or any("\uac00" <= c <= "\ud7a3" for c in text)


def shorten(title: str) -> str:
    """`title` cut to about 30 characters (CJK) or 45 (Latin) at a word or phrase boundary, never mid-word."""
    title = " ".join(title.split())
    limit = MAX_CHARS["wide" if _is_wide(title) else "narrow"]
    if len(title) <= limit:
        return title
    cuts = [i for i, c in enumerate(title[:limit + 1]) if c == " "]
    if not _spaced(title):  # Japanese: after 、。・ and the like, or before a particle
        cuts += [i + 1 for i, c in enumerate(title[:limit]) if c in _BREAK_AFTER]
        cuts += [i for i, c in enumerate(title[:limit]) if c in _PARTICLES and i > 0]
    cuts = [i for i in cuts if i >= limit // 3]
    cut = max(cuts) if cuts else limit  # one unbroken word longer than the limit: cut it
    head = title[:cut].rstrip(" 、,;:・-–")
    if not _is_wide(title):  # "... to name ROK the…" reads badly: end on a content word
        words = head.split(" ")
        while len(words) > 2 and words[-1].lower() in _STOP_WORDS:
            words.pop()
        head = " ".join(words).rstrip(",;:-–")
    return head + "…"


# a Japanese line may break between any two characters, except inside a katakana word or a Latin or
# numeric run, never after an opening bracket and never before closing punctuation
_WIDE_TOKEN = re.compile(r"[「『（(]*(?:[ァ-ヺー]+|[A-Za-z0-9.\-]+|.)[、。・）」』)]*")


def wrap(text: str, max_em: float = LINE_EM, max_lines: int = MAX_LINES) -> list[str]:
    """Lines of at most `max_em`: Latin and Korean break at spaces, Japanese at punctuation, before a
    particle, or between any two characters (as Japanese typesetting does), never before 、。."""
    wide = not _spaced(text)
    tokens = _WIDE_TOKEN.findall(text) if wide else re.findall(r"\S+\s*", text)
    lines, line = [], ""
    for token in tokens:
        if line and sum(map(char_em, (line + token).rstrip())) > max_em:
            if wide:  # move back to the last phrase boundary (after a particle or 、) when it is near
                k = max((i + 1 for i, c in enumerate(line[:-1]) if c in _PARTICLES or c in _BREAK_AFTER), default=0)
                # a boundary in the line's last 60%: "北京の / 軍事パレード参列", not "…パレード参 / 列"
                if k >= len(line) * 0.4:
                    line, token = line[:k], line[k:] + token
            lines.append(line.rstrip())
            line = ""
        line += token
    lines.append(line.rstrip())
    if len(lines) > max_lines:  # end on a phrase boundary of the last line that fits
        lines = lines[:max_lines]
        last = lines[-1]
        k = max((i + 1 for i, c in enumerate(last[:-1]) if c in _PARTICLES or c in _BREAK_AFTER or c == " "),
                default=0) if wide or " " in last else 0
        lines[-1] = (last[:k] if k >= len(last) // 2 else last).rstrip("、, のとがをにでへはも") + "…"
    return lines


# -- which events, and what the label says -----------------------------------------------------------

CANDIDATES = 40    # events tried per label wanted: a label that does not fit gives way to the next


def choose(df: pd.DataFrame, n: int, forced: tuple[str, ...] = ()) -> list[str]:
    """Ids in order of priority: the forced ones present in `df`, then the most important (then the
    most recent, then by id); `n` * CANDIDATES of them, for `place` to label the first `n` that fit."""
    present = set(df["id"])
    out = [i for i in dict.fromkeys(forced) if i in present]
    if n <= 0:
        return out
    ranked = df.sort_values(["importance", "start", "id"], ascending=[False, False, True], kind="stable")
    taken = set(out)
    return out + [i for i in ranked["id"].head(n * CANDIDATES + len(out)) if i not in taken][:n * CANDIDATES]


def label_texts(df: pd.DataFrame, lang: str) -> dict[str, tuple[str, str]]:
    """id -> (date, short title) in `lang`: the event's `short` field in that language when it has
    one, else its title there, shortened (another language's short title only when neither exists)."""
    own_short = df[f"short_{lang}"].fillna("").to_numpy(object) if f"short_{lang}" in df.columns \
        else np.full(len(df), "", dtype=object)
    own_title = df[f"title_{lang}"].fillna("").to_numpy(object) if f"title_{lang}" in df.columns \
        else own_short
    any_short = field_column(df, "short", lang)
    any_title = field_column(df, "title", lang)
    out = {}
    for i, (eid, row) in enumerate(zip(df["id"], df[["date", "end", "approximate"]].to_dict("records"), strict=False)):
        text = own_short[i] or (shorten(own_title[i]) if own_title[i] else any_short[i] or shorten(any_title[i]))
        out[eid] = (date_label(row, lang), text)
    return out


# -- placement ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    """One placed label. Pixel coordinates are in the plot area (origin top left, y down); `box` is
    (left, top, right, bottom) and the leader runs vertically at `anchor_x` from the box to the marker."""

    id: str
    date: str
    lines: tuple[str, ...]
    x: float            # the marker's date (epoch ms) ...
    y: float            # ... and lane position
    side: str           # "above" or "below" the lanes
    tier: int           # 0 next to the lanes, 1 beyond it, ...
    box: tuple[float, float, float, float]
    anchor: tuple[float, float]   # the marker, in px


@dataclass(frozen=True)
class Frame:
    """The timeline's plot area in px and its axis ranges: px <-> data."""

    width: float
    height: float
    x0: float           # epoch ms at the left edge
    x1: float
    y_top: float        # lane position at the top edge (the y axis is reversed: first lane on top)
    y_bottom: float

    def px_x(self, x: float) -> float:
        return (x - self.x0) / (self.x1 - self.x0) * self.width

    def data_x(self, px: float) -> float:
        return self.x0 + px / self.width * (self.x1 - self.x0)

    def px_y(self, y: float) -> float:
        return (y - self.y_top) / (self.y_bottom - self.y_top) * self.height

    def data_y(self, px: float) -> float:
        return self.y_top + px / self.height * (self.y_bottom - self.y_top)


@dataclass(frozen=True)
class Layout:
    frame: Frame
    labels: tuple[Label, ...]
    above: float = 0.0      # px the tiers above the lanes take
    below: float = 0.0


def box_size(date: str, lines: list[str], size: float = FONT_SIZE) -> tuple[float, float]:
    """Width and height (px) of a label box: a date line at size - 1, then the title lines."""
    width = max([text_width(date, size - 1)] + [text_width(line, size) for line in lines])
    height = (size - 1) * LINE_HEIGHT + len(lines) * size * LINE_HEIGHT
    return np.ceil(width + 2 * PAD + 2), np.ceil(height + 2 * PAD)


def place(items: list[dict], width: float, lane_height: float, lanes: int, x_range: tuple[float, float],
          limit: int | None = None, min_lane_px: float = 18) -> Layout:
    """Place labels (dicts of id, date, lines, x, y, forced, in the order of priority) around `lanes`
    lanes drawn in a plot area `width` x `lane_height` px: every forced one, and others up to `limit`
    labels in all; a label that fits nowhere is left out.

    Horizontal positions come first, in tiers on each side (they depend only on the width); then
    the height the used tiers take is cut from the lanes, which fixes the vertical scale."""
    x0, x1 = x_range
    sizes = [box_size(it["date"], it["lines"]) for it in items]
    tier_h = max([h for _, h in sizes], default=0) + GAP
    budget = max(0, int((lane_height - lanes * min_lane_px - 2 * GAP) // tier_h)) if items else 0
    tiers = {"above": [], "below": []}     # per side, per tier: placed (left, right, anchor_x)
    chosen = []
    for it, (w, h) in zip(items, sizes, strict=False):
        if limit is not None and len(chosen) >= limit and not it.get("forced"):
            continue
        ax = (it["x"] - x0) / (x1 - x0) * width
        if not 0 <= ax <= width or w > width:
            continue
        ys = it.get("ys") or (it["y"],)   # an event in several lanes: point at the one nearest the label
        prefer = "above" if min(ys) < (lanes - 1) / 2 else "below"
        spot = _find_spot(tiers, ax, w, width, budget, prefer)
        if spot is None:
            continue
        side, tier, left = spot
        while len(tiers[side]) <= tier:
            tiers[side].append([])
        tiers[side][tier].append((left, left + w, ax))
        chosen.append((it, w, h, ax, side, tier, left))
    above, below = (len(tiers[s]) * tier_h + (GAP if tiers[s] else 0) for s in ("above", "below"))
    lane_px = (lane_height - above - below) / max(lanes, 1)
    frame = Frame(width, lane_height, x0, x1, -0.5 - above / lane_px, lanes - 0.5 + below / lane_px)
    out = []
    for it, w, h, ax, side, tier, left in chosen:
        if side == "above":
            bottom = above - GAP - tier * tier_h
            top = bottom - h
        else:
            top = lane_height - below + GAP + tier * tier_h
            bottom = top + h
        ys = it.get("ys") or (it["y"],)
        y = min(ys) if side == "above" else max(ys)
        out.append(Label(it["id"], it["date"], tuple(it["lines"]), it["x"], y, side, tier,
                         (left, top, left + w, bottom), (ax, frame.px_y(y))))
    return Layout(frame, tuple(out), above, below)


def _find_spot(tiers: dict, ax: float, w: float, width: float, budget: int, prefer: str):
    """The first free (side, tier, left) for a box of width `w` spanning `ax`: nearest tier first,
    the preferred side first, centred on its marker first."""
    other = "below" if prefer == "above" else "above"
    shifts = (0.5, 0.25, 0.75, 0.1, 0.9)   # the marker's place along the box, from its left
    for tier in range(budget):
        for side in (prefer, other):
            used = sum(len(tiers[s]) for s in ("above", "below"))
            if tier >= len(tiers[side]) and used >= budget:
                continue
            for at in shifts:
                left = min(max(ax - at * w, 0.0), width - w)
                if _free(tiers[side], tier, left, left + w, ax):
                    return side, tier, left
    return None


def _free(side_tiers: list, tier: int, left: float, right: float, ax: float) -> bool:
    """No box of the tier overlaps [left, right]; no leader from a farther tier crosses it; and the
    new leader (at `ax`) crosses no box of a nearer tier."""
    for k, placed in enumerate(side_tiers):
        for a, b, x in placed:
            if k == tier and a - GAP < right and left < b + GAP:
                return False
            if k > tier and left - GAP <= x <= right + GAP:
                return False
            if k < tier and a - GAP <= ax <= b + GAP:
                return False
    return True


def layout_labels(p, n: int, forced: tuple[str, ...], lang: str, width: float, lane_height: float,
                  x_range: tuple[float, float]) -> Layout:
    """Labels for the events placed in `p` (figures.Placed): every `forced` id and the `n` most
    important that fit; each points at its event's lane nearest to the label."""
    ids = choose(p.df, n, forced)
    texts = label_texts(p.df[p.df["id"].isin(ids)], lang)
    rows: dict[str, list[int]] = {}
    for k, eid in enumerate(p.ids.tolist()):
        rows.setdefault(eid, []).append(k)
    items = [{"id": eid, "date": texts[eid][0], "lines": wrap(texts[eid][1]), "x": float(p.x[rows[eid][0]]),
              "y": float(p.y[rows[eid][0]]), "ys": tuple(float(p.y[k]) for k in rows[eid]), "forced": eid in forced}
             for eid in ids if eid in rows]
    return place(items, width, lane_height, p.lane_count, x_range, limit=max(n, 0))
