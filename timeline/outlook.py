"""What analysts brief next: planned events ahead, and chains of related events."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .model import PLANNED_STATUSES, UNCONFIRMED, PartialDate
from .query import CHAIN_RELATIONS, Filters, chain, filter_events  # noqa: F401  (chain lives with the filters)


def outlook_events(df: pd.DataFrame, today: dt.date, months: int = 12, filters: Filters | None = None) -> pd.DataFrame:
    """Scheduled or expected events that end today or later and start within `months` from today."""
    df = filter_events(df, filters) if filters else df
    horizon = pd.Timestamp(today) + pd.DateOffset(months=months)
    mask = df["status"].isin(PLANNED_STATUSES) & (df["stop"] >= pd.Timestamp(today)) & (df["start"] <= horizon)
    return df[mask]


def stale_planned(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Planned events whose whole period has passed: their status needs updating."""
    return df[df["status"].isin(PLANNED_STATUSES) & (df["stop"] < pd.Timestamp(today))]


def past_due(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Events that need a follow-up: planned ones whose date has passed, and those whose outcome
    was not confirmed."""
    return df[(df["status"] == UNCONFIRMED)
              | (df["status"].isin(PLANNED_STATUSES) & (df["stop"] < pd.Timestamp(today)))]


@dataclass(frozen=True)
class Coverage:
    """How current the log is: events through `through` (a date as written, None for an empty log),
    and how many planned events are past their date or have an unconfirmed outcome."""

    through: str | None
    past_due: int
    stated: bool          # True when the log states its coverage (meta.coverage.through)

    def label(self, lang: str = "en") -> str | None:
        """The coverage date in `lang`: "12 Jun 2026", "2026年6月12日"."""
        return PartialDate.parse(self.through).label(lang) if self.through else None


def coverage_of(meta: dict, events: pd.DataFrame, today: dt.date | None = None) -> Coverage:
    """The log's coverage: meta.coverage.through, else the date of the latest event that occurred;
    and the number of past-due planned events (see `past_due`)."""
    today = today or dt.date.today()
    stated = (meta.get("coverage") or {}).get("through") if isinstance(meta.get("coverage"), dict) else None
    through = str(stated) if stated else None
    occurred = events[events["status"] == "occurred"]
    if through is None and len(occurred):  # the date as written: "2025-09" stays a month
        latest = occurred.loc[occurred["stop"].idxmax()]
        through = latest["end"] or latest["date"]
    return Coverage(through, len(past_due(events, today)), bool(stated))
