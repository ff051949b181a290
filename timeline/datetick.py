"""The date ticks Plotly puts on a date axis, computed in Python: the first paint draws the same
ticks, with the same labels, as the live chart that replaces it.

A port of plotly.js's automatic ticks for date axes (`axes.autoTicks`, `tickFirst`, `tickIncrement`
and the default date formats): the rough spacing is the range over `nticks` (the axis length / 80 px,
kept within 4..9, plus one), rounded up to 1, 2, 3, 7 or 14 days (weekly ticks on Sundays), 1, 2, 3,
6 or 12 months, or 2, 5, 10 x a power of ten years. Tick labels follow the axis's tickformatstops
(`figures.date_ticks`: Japanese, Korean) and Plotly's defaults otherwise ("2025", "Mar 2025", "Mar 5"
with the year under the first tick).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

DAY_MS = 86_400_000
AVG_YEAR_MS = 365.25 * DAY_MS
AVG_MONTH_MS = AVG_YEAR_MS / 12
_EPOCH = dt.datetime(1970, 1, 1)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Tick:
    ms: float            # the tick's date, epoch milliseconds
    lines: tuple[str, ...]  # its label, one entry per line


def _round_up(value: float, steps: tuple[float, ...]) -> float:
    """plotly.js's Lib.roundUp: the first step above `value` (an exact step also goes up), else the last."""
    return next((s for s in steps if s > value), steps[-1])


def dtick(range_ms: float, axis_px: float) -> tuple[str, int]:
    """("M", months) or ("D", days): the spacing plotly.js chooses for `range_ms` over `axis_px`."""
    nticks = min(max(axis_px / 80, 4), 9) + 1
    rough = abs(range_ms) / nticks
    if 2 * rough > AVG_YEAR_MS:
        years = rough / AVG_YEAR_MS
        base = 10 ** math.floor(math.log10(years))
        return "M", 12 * int(round(base * _round_up(years / base, (2, 5, 10))))
    if 2 * rough > AVG_MONTH_MS:
        return "M", int(_round_up(rough / AVG_MONTH_MS, (1, 2, 3, 6, 12)))
    return "D", int(max(1, _round_up(rough / DAY_MS, (1, 2, 3, 7, 14))))


def _as_datetime(ms: float) -> dt.datetime:
    return _EPOCH + dt.timedelta(milliseconds=ms)


def _ms(d: dt.datetime) -> float:
    return (d - _EPOCH) / dt.timedelta(milliseconds=1)


def tick_dates(lo_ms: float, hi_ms: float, unit: str, step: int) -> list[dt.datetime]:
    """Every tick inside [lo, hi]: months counted from January 2000, days from Sunday 2 January 2000."""
    lo, hi = _as_datetime(lo_ms), _as_datetime(hi_ms)
    out = []
    if unit == "M":
        index = (lo.year - 2000) * 12 + lo.month - 1
        index -= index % step
        while True:
            year, month = divmod(index, 12)
            d = dt.datetime(2000 + year, month + 1, 1)
            if d > hi:
                return out
            if d >= lo:
                out.append(d)
            index += step
    start = dt.datetime(2000, 1, 2)
    k = math.floor((lo - start) / dt.timedelta(days=step))
    d = start + dt.timedelta(days=k * step)
    while d <= hi:
        if d >= lo:
            out.append(d)
        d += dt.timedelta(days=step)
    return out


def _stop_ms(v) -> float:
    """A tickformatstops bound as ms: "M3" is three average months (as plotly.js converts it)."""
    return float(v[1:]) * AVG_MONTH_MS if isinstance(v, str) else float(v)


def _stop_format(stops: list[dict], unit: str, step: int) -> str | None:
    """The format of the first stop whose dtick range holds the spacing (bounds included, as
    plotly.js matches them: a month's spacing takes a stop that ends at "M1")."""
    spacing = step * (AVG_MONTH_MS if unit == "M" else DAY_MS)
    for stop in stops:
        lo, hi = stop["dtickrange"]
        if (lo is None or _stop_ms(lo) <= spacing) and (hi is None or spacing <= _stop_ms(hi)):
            return stop["value"]
    return None


def strftime(fmt: str, d: dt.datetime) -> str:
    """The d3 time directives the tick formats use: %Y, %m, %-m, %d, %-d, %b."""
    parts = {"%Y": str(d.year), "%m": f"{d.month:02}", "%-m": str(d.month), "%d": f"{d.day:02}",
             "%-d": str(d.day), "%b": MONTHS_EN[d.month - 1]}
    for key in ("%-m", "%-d", "%Y", "%m", "%d", "%b"):
        fmt = fmt.replace(key, parts[key])
    return fmt


def _label(d: dt.datetime, unit: str, step: int, stops: list[dict], first: bool) -> tuple[str, ...]:
    """A tick's label: the axis's own tickformatstops when it has them, else Plotly's defaults."""
    fmt = _stop_format(stops, unit, step)
    if fmt is not None:
        return (strftime(fmt, d),)
    if unit == "M":
        return (str(d.year),) if step % 12 == 0 else (f"{MONTHS_EN[d.month - 1]} {d.year}",)
    head = f"{MONTHS_EN[d.month - 1]} {d.day}"
    return (head, str(d.year)) if first else (head,)


def date_ticks(lo_ms: float, hi_ms: float, axis_px: float, stops: list[dict] = ()) -> list[Tick]:
    """The ticks and labels of a date axis showing [lo, hi] over `axis_px` pixels; `stops`: the
    axis's tickformatstops (figures.date_ticks), if any."""
    unit, step = dtick(hi_ms - lo_ms, axis_px)
    out, year = [], None
    for d in tick_dates(lo_ms, hi_ms, unit, step):
        out.append(Tick(_ms(d), _label(d, unit, step, list(stops), first=year != d.year)))
        year = d.year
    return out
